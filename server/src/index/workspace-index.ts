import type { FileFacts, ModDecl, PythonFacts, RustFacts, TomlFacts } from '../facts/types';
import type { Tree } from 'web-tree-sitter';
import type { LanguageId, Parsers, TreeReuse } from '../parsing/parsers';
import { editPoints, editRegion } from '../parsing/text';
import { projectTemplate, Projection, TemplateVars } from '../parsing/template';
import { extractFacts, parseInputOf, parseTextOf } from './extract';
import { internStrings, ownCopy } from './intern';
import { mayHoldBindings, scanModDeclarations } from './mod-scan';
import type { RustFileRead } from './disk-read';
import { releasedDiskFile, SourceFile } from './source';

export interface FactsView<F extends FileFacts = FileFacts> {
  file: SourceFile;
  facts: F;
  /** Present when the file is a template: the projection the facts came from. */
  projection?: Projection;
  /** A value read back from the original text of `span`, rendered for the view's variant. */
  value(span: { start: number; end: number }, parsed: string): string;
}

/**
 * A text that was parsed: the file's text or a template's projection, or a
 * Rust file a parse worker read from disk, whose text is its bytes as
 * `decodeFile` decodes them (`parsedText`). Tree-sitter was given
 * `parseInputOf(language, text)`.
 */
export type ParseRecord = { language: LanguageId; text: string } | { language: 'rust'; file: string };

/** Facts computed ahead of time (on another thread), not yet asked for. */
export interface PrefetchedFacts {
  facts: FileFacts;
  /** What was parsed, for `parseLog`, when the index does not hold that text itself (a Rust file a parse worker read). */
  parsed?: ParseRecord;
}

/** A text whose facts nobody computed yet. */
export interface PendingParse {
  file: SourceFile;
  language: LanguageId;
  /** The file's text, or a template's projection for the variables asked for. */
  text: string;
}

interface Entry {
  file: SourceFile;
  /** Facts by `factsKey` (templates: one per distinct projection). */
  facts: Map<string, FileFacts>;
  /** Views by variables ('' for non-templates). */
  views: Map<string, FactsView>;
  mods?: ModDecl[];
  /** `mayHoldBindings`, computed once. */
  mayHold?: boolean;
  /** Facts computed ahead of time by `factsKey`; moved into `facts` (and counted as parsed) when first asked for. */
  prefetched?: Map<string, PrefetchedFacts>;
  /** Template projections by variables, computed once. */
  projections?: Map<string, Projection>;
}

/**
 * What facts are cached under: a template's projected text (variants whose
 * projections are the same text share one parse); '' for any other file, so
 * that its facts are found without its text (which the file may have let go).
 */
function factsKey(file: SourceFile, text: string): string {
  return file.template ? text : '';
}

/**
 * Facts by file, computed lazily (only for files the layout and the rules ask
 * about) and cached until the file changes. Template files get one set of
 * facts per distinct projection.
 */
export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  /** Rust files that may hold a text they can let go of (see `releaseText`). */
  private readonly holding = new Set<string>();
  /** The last tree of each open buffer (see reuseFor). */
  private readonly trees = new Map<string, { language: string; text: string; tree: Tree }>();
  private keepsTrees = true;
  /** Counts every `set` and `delete`, of files present or not; `changedAt` holds each path's last. */
  private changes = 0;
  private readonly changedAt = new Map<string, number>();
  /** Parses that started from an open buffer's previous tree. */
  incrementalParses = 0;
  /** Increments on every change; lets callers drop results computed from an older state. */
  generation = 0;
  parseCount = 0;
  parseMs = 0;
  /** When set, every parsed text is recorded (the benchmark re-parses them to measure the floor). */
  parseLog?: ParseRecord[];

  constructor(readonly parsers: Parsers) {}

  /** A copy to try edits on: shares the cached facts of unchanged files, changes nothing here. */
  fork(): WorkspaceIndex {
    const copy = new WorkspaceIndex(this.parsers);
    copy.keepsTrees = false; // a fork is dropped without a word: it must not hold WASM memory
    for (const [path, entry] of this.entries) copy.entries.set(path, entry);
    return copy;
  }

  set(file: SourceFile): void {
    this.entries.set(file.path, { file, facts: new Map(), views: new Map() });
    if (file.version === null) this.dropTree(file.path);
    else this.followEdit(file);
    if (file.release && file.language === 'rust' && !file.template) this.holding.add(file.path);
    else this.holding.delete(file.path);
    this.generation++;
    this.changedAt.set(file.path, ++this.changes);
  }

  /**
   * A Rust file read off the main thread (`readRustFile`): held without its
   * text from the start, with its facts prefetched or its `mod` lines known.
   * `origin`: where its text is read back from when asked for.
   */
  setRead(read: RustFileRead, origin: string): void {
    const { rel } = read;
    const file: SourceFile = releasedDiskFile(rel, 'rust', read.readonlyReason, origin, read.released, () => this.entries.get(rel)?.file === file && this.holding.add(rel));
    this.set(file);
    this.holding.delete(rel);
    const entry = this.entries.get(rel)!;
    if ('facts' in read) {
      entry.mayHold = true;
      entry.prefetched = new Map([['', { facts: read.facts, parsed: this.parseLog && { language: 'rust', file: origin } }]]);
    } else {
      entry.mayHold = false;
      entry.mods = read.mods;
    }
  }

  /** Puts the files in path order (as `discoverFiles` lists them), whatever order they were set in. */
  sortPaths(): void {
    const sorted = [...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.entries.clear();
    for (const [path, entry] of sorted) this.entries.set(path, entry);
  }

  /** Where the index is in its `set`s and `delete`s (see `changedSince`). */
  get changeCount(): number {
    return this.changes;
  }

  /** Whether `path` was set or deleted (even when it was not there) since `changeCount` was `since`. */
  changedSince(path: string, since: number): boolean {
    return (this.changedAt.get(path) ?? -1) > since;
  }

  delete(path: string): boolean {
    const had = this.entries.delete(path);
    this.holding.delete(path);
    this.dropTree(path);
    if (had) this.generation++;
    this.changedAt.set(path, ++this.changes);
    return had;
  }

  /**
   * An open buffer's kept tree follows every new version of the buffer as it
   * is set (`Tree.edit`), parsed or not: a check that needs no parse (a change
   * inside a body the facts never read) leaves no gap between the tree and the
   * text, so the next parse redoes only what changed since the last version,
   * not everything typed since the last parse.
   */
  private followEdit(file: SourceFile): void {
    const last = this.trees.get(file.path);
    if (!last) return;
    if (last.language !== file.language || file.template) return this.dropTree(file.path);
    const parseText = parseTextOf(file.text);
    this.editTree(last, parseText);
  }

  /** Edits a kept tree from the text it describes to `parseText`. */
  private editTree(last: { text: string; tree: Tree }, parseText: string): void {
    if (last.text === parseText) return;
    const edit = editRegion(last.text, parseText);
    const points = editPoints(last.text, parseText, edit);
    last.tree.edit({
      startIndex: edit.start,
      oldEndIndex: edit.oldEnd,
      newEndIndex: edit.newEnd,
      startPosition: points.start,
      oldEndPosition: points.oldEnd,
      newEndPosition: points.newEnd,
    });
    last.text = parseText;
  }

  /**
   * An open buffer keeps its last tree, so that the next change is parsed
   * incrementally: the tree is edited to the new text and handed to the parser.
   */
  private reuseFor(file: SourceFile, parseText: string): TreeReuse | undefined {
    if (!this.keepsTrees || file.version === null || file.template || file.language === 'toml') return undefined;
    const last = this.trees.get(file.path);
    let previous: Tree | undefined;
    if (last && last.language === file.language) {
      this.editTree(last, parseText);
      previous = last.tree;
      this.incrementalParses++;
    }
    return {
      previous,
      keep: (tree) => {
        this.dropTree(file.path);
        this.trees.set(file.path, { language: file.language, text: parseText, tree });
      },
    };
  }

  private dropTree(path: string): void {
    this.trees.get(path)?.tree.delete();
    this.trees.delete(path);
  }

  /** How many open buffers keep a tree for their next parse. */
  get retainedTrees(): number {
    return this.trees.size;
  }

  get(path: string): SourceFile | undefined {
    return this.entries.get(path)?.file;
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  paths(): IterableIterator<string> {
    return this.entries.keys();
  }

  files(): SourceFile[] {
    return [...this.entries.values()].map((e) => e.file);
  }

  /**
   * Syntax problems of the files parsed so far (each file once). Rust files are
   * parsed with the bodies their facts never read blanked, so syntax errors
   * inside impl bodies and plain fn bodies are not reported (see `RustFacts.problems`).
   */
  problems(): { file: string; span: { start: number; end: number }; message: string }[] {
    const out: { file: string; span: { start: number; end: number }; message: string }[] = [];
    for (const [file, entry] of this.entries) {
      const first = entry.facts.values().next().value as FileFacts | undefined;
      if (first?.problems.length) out.push({ file, ...first.problems[0] });
    }
    return out;
  }

  /** True when a Rust file may declare or register bindings (cheap text test, no parse). */
  mayHoldBindings(path: string): boolean {
    const entry = this.entries.get(path);
    if (!entry) return false;
    return (entry.mayHold ??= entry.file.language === 'rust' && mayHoldBindings(entry.file.text));
  }

  /** `mod` declarations of a Rust file: from its facts when it holds bindings, else from a scan. */
  modDeclarations(path: string): ModDecl[] {
    const entry = this.entries.get(path);
    if (!entry) return [];
    if (this.mayHoldBindings(path)) return this.rust(path)!.facts.mods;
    return (entry.mods ??= scanModDeclarations(entry.file.text));
  }

  /**
   * Lets go of the text of a Rust file read from disk (`SourceFile.release`)
   * once everything the checks read from it is cached: its facts (computed or
   * prefetched), or, for a file that cannot hold bindings, its `mod`
   * declarations, which are scanned here. Python and TOML files keep theirs
   * (layout detection reads them on every check), and so do templates and
   * open buffers. A text let go is read back from disk when next asked for.
   */
  releaseText(path: string): boolean {
    const entry = this.entries.get(path);
    const file = entry?.file;
    if (!entry || !file?.release || !file.holdsText || file.language !== 'rust' || file.template || file.version !== null) return false;
    if (this.mayHoldBindings(path)) {
      if (!entry.views.has('') && !entry.prefetched?.has('')) return false;
    } else {
      entry.mods ??= scanModDeclarations(file.text);
    }
    // Read back later (a fix, a diagnostic), the text is let go again at the next `releaseTexts`.
    if (!file.release(() => this.entries.get(path)?.file === file && this.holding.add(path))) return false;
    this.holding.delete(path);
    return true;
  }

  /**
   * Makes equal strings in the facts computed so far (cached or prefetched)
   * one string each (see `internStrings`): facts that crossed from a parse
   * worker hold a copy of every name per occurrence. Done before the chains
   * are built, the chains share them too.
   */
  internFacts(): void {
    const table = new Map<string, string>();
    for (const entry of this.entries.values()) {
      for (const facts of entry.facts.values()) internStrings(facts, table);
      for (const prefetched of entry.prefetched?.values() ?? []) internStrings(prefetched.facts, table);
    }
  }

  /** `releaseText` for every file but those `keep` names; returns how many let go of their text. */
  releaseTexts(keep: (path: string) => boolean = () => false): number {
    let released = 0;
    for (const path of [...this.holding]) if (!keep(path) && this.releaseText(path)) released++;
    return released;
  }

  rust(path: string, vars?: TemplateVars): FactsView<RustFacts> | undefined {
    return this.view(path, 'rust', vars) as FactsView<RustFacts> | undefined;
  }

  python(path: string, vars?: TemplateVars): FactsView<PythonFacts> | undefined {
    return this.view(path, 'python', vars) as FactsView<PythonFacts> | undefined;
  }

  toml(path: string, vars?: TemplateVars): FactsView<TomlFacts> | undefined {
    return this.view(path, 'toml', vars) as FactsView<TomlFacts> | undefined;
  }

  /**
   * The text `rust`/`python`/`toml(path, vars)` would parse, when its facts are
   * neither cached nor prefetched; undefined otherwise (or when the file is not
   * of that language). Lets facts be computed elsewhere and handed in with `prefetch`.
   */
  pendingParse(path: string, language: LanguageId, vars: TemplateVars = {}): PendingParse | undefined {
    const entry = this.entries.get(path);
    if (!entry || entry.file.language !== language) return undefined;
    const key = entry.file.template ? JSON.stringify(vars) : '';
    if (entry.views.has(key)) return undefined;
    const projected = this.projection(entry, key, vars)?.text;
    const at = projected ?? '';
    if (entry.facts.has(at) || entry.prefetched?.has(at)) return undefined;
    return { file: entry.file, language, text: projected ?? entry.file.text };
  }

  /**
   * Facts of `text` (a `PendingParse`'s) computed elsewhere. Kept only while the
   * file is still `file`; they count as parsed (`parseCount`, `parseLog`) when
   * first asked for, as if parsed then.
   */
  prefetch(file: SourceFile, text: string, prefetched: PrefetchedFacts): boolean {
    const entry = this.entries.get(file.path);
    if (!entry || entry.file !== file || entry.facts.has(factsKey(file, text))) return false;
    (entry.prefetched ??= new Map()).set(factsKey(file, text), prefetched);
    return true;
  }

  private projection(entry: Entry, key: string, vars: TemplateVars): Projection | undefined {
    if (!entry.file.template) return undefined;
    let projection = entry.projections?.get(key);
    if (!projection) {
      projection = projectTemplate(entry.file.text, vars);
      // Variants often project to the same text: hold it once.
      for (const other of entry.projections?.values() ?? []) {
        if (other.text === projection.text) {
          projection = { ...projection, text: other.text };
          break;
        }
      }
      (entry.projections ??= new Map()).set(key, projection);
    }
    return projection;
  }

  private view(path: string, language: LanguageId, vars: TemplateVars = {}): FactsView | undefined {
    const entry = this.entries.get(path);
    if (!entry || entry.file.language !== language) return undefined;
    const file = entry.file;
    const key = file.template ? JSON.stringify(vars) : '';
    let view = entry.views.get(key);
    if (view) return view;
    const projection = this.projection(entry, key, vars);
    // Variants whose projections are the same text share one parse.
    const factsAt = projection ? projection.text : '';
    let facts = entry.facts.get(factsAt);
    if (!facts) {
      const prefetched = entry.prefetched?.get(factsAt);
      if (prefetched) {
        entry.prefetched!.delete(factsAt);
        facts = prefetched.facts;
        this.parseCount++;
        this.parseLog?.push(prefetched.parsed ?? { language: file.language, text: projection ? projection.text : file.text });
      } else {
        facts = this.extractTimed(file, projection ? projection.text : file.text);
      }
      entry.facts.set(factsAt, facts);
    }
    view = {
      file,
      facts,
      projection,
      value: (span, parsed) => (projection && projection.touchesTemplate(span) ? projection.render(span) : parsed),
    };
    entry.views.set(key, view);
    return view;
  }

  private extractTimed(file: SourceFile, text: string): FileFacts {
    const started = performance.now();
    // BOM as a space; the parse skips Rust bodies and Python blocks the facts read otherwise (offsets kept).
    const input = parseInputOf(file.language, text);
    const reuse = this.reuseFor(file, input.parseText);
    const facts = extractFacts(this.parsers, file.language, input, reuse);
    // The facts' strings are cut out of the parsed text (the file's text, or a copy of it): unless an open
    // buffer keeps that text with its tree anyway, they get their own, so that the text can go (`releaseText`).
    if (!reuse) internStrings(facts, new Map(), ownCopy);
    this.parseMs += performance.now() - started;
    this.parseCount++;
    this.parseLog?.push({ language: file.language, text });
    return facts;
  }
}

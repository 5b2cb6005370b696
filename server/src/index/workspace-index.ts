import { extractPythonFacts } from '../facts/python';
import { extractRustFacts } from '../facts/rust';
import { extractTomlFacts } from '../facts/toml';
import type { FileFacts, ModDecl, PythonFacts, RustFacts, TomlFacts } from '../facts/types';
import type { LanguageId, Parsers } from '../parsing/parsers';
import { blankUnreadBodies } from '../parsing/rust-blank';
import { projectTemplate, Projection, TemplateVars } from '../parsing/template';
import { scanModDeclarations } from './mod-scan';
import type { SourceFile } from './source';

/** Text markers without which a Rust file cannot hold a binding, a module or a registration helper. */
const RUST_BINDING_MARKERS = /#\s*\[\s*(?:pyo3\s*::\s*)?py|PyModule|create_exception|pymodule/;

export interface FactsView<F extends FileFacts = FileFacts> {
  file: SourceFile;
  facts: F;
  /** Present when the file is a template: the projection the facts came from. */
  projection?: Projection;
  /** A value read back from the original text of `span`, rendered for the view's variant. */
  value(span: { start: number; end: number }, parsed: string): string;
}

export interface ParseRecord {
  language: LanguageId;
  text: string;
}

interface Entry {
  file: SourceFile;
  /** Facts by parsed text (templates: one per distinct projection). */
  facts: Map<string, FileFacts>;
  /** Views by variables ('' for non-templates). */
  views: Map<string, FactsView>;
  mods?: ModDecl[];
  /** `mayHoldBindings`, computed once. */
  mayHold?: boolean;
}

/**
 * Facts by file, computed lazily (only for files the layout and the rules ask
 * about) and cached until the file changes. Template files get one set of
 * facts per distinct projection.
 */
export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  /** Increments on every change; lets callers drop results computed from an older state. */
  generation = 0;
  parseCount = 0;
  parseMs = 0;
  /** When set, every parsed text is recorded (the benchmark re-parses them to measure the floor). */
  parseLog?: ParseRecord[];

  constructor(private readonly parsers: Parsers) {}

  /** A copy to try edits on: shares the cached facts of unchanged files, changes nothing here. */
  fork(): WorkspaceIndex {
    const copy = new WorkspaceIndex(this.parsers);
    for (const [path, entry] of this.entries) copy.entries.set(path, entry);
    return copy;
  }

  set(file: SourceFile): void {
    this.entries.set(file.path, { file, facts: new Map(), views: new Map() });
    this.generation++;
  }

  delete(path: string): boolean {
    const had = this.entries.delete(path);
    if (had) this.generation++;
    return had;
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
    return (entry.mayHold ??= entry.file.language === 'rust' && RUST_BINDING_MARKERS.test(entry.file.text));
  }

  /** `mod` declarations of a Rust file: from its facts when it holds bindings, else from a scan. */
  modDeclarations(path: string): ModDecl[] {
    const entry = this.entries.get(path);
    if (!entry) return [];
    if (this.mayHoldBindings(path)) return this.rust(path)!.facts.mods;
    return (entry.mods ??= scanModDeclarations(entry.file.text));
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

  private view(path: string, language: LanguageId, vars: TemplateVars = {}): FactsView | undefined {
    const entry = this.entries.get(path);
    if (!entry || entry.file.language !== language) return undefined;
    const file = entry.file;
    const key = file.template ? JSON.stringify(vars) : '';
    let view = entry.views.get(key);
    if (view) return view;
    const projection = file.template ? projectTemplate(file.text, vars) : undefined;
    const text = projection ? projection.text : file.text;
    // Variants whose projections are the same text share one parse.
    let facts = entry.facts.get(text);
    if (!facts) {
      facts = this.extractTimed(file, text);
      entry.facts.set(text, facts);
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
    // A BOM is not Python, Rust or TOML: parse it as a space (same length).
    let parseText = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
    // Rust: bodies the facts never read are blanked first (same length, offsets kept).
    if (file.language === 'rust') parseText = blankUnreadBodies(parseText);
    const facts = extract(this.parsers, file.language, parseText);
    this.parseMs += performance.now() - started;
    this.parseCount++;
    this.parseLog?.push({ language: file.language, text: parseText });
    return facts;
  }
}

function extract(parsers: Parsers, language: LanguageId, text: string): FileFacts {
  switch (language) {
    case 'rust':
      return extractRustFacts(parsers, text);
    case 'python':
      return extractPythonFacts(parsers, text);
    case 'toml':
      return extractTomlFacts(parsers, text);
  }
}

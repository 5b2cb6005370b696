import * as fs from 'fs';
import * as path from 'path';
import { Language, Parser, Point, Query, Range, Tree } from 'web-tree-sitter';
import { pointAfter } from './text';
export type LanguageId = 'rust' | 'python' | 'toml';

/** A [start, end) span of a text, in UTF-16 code units. */
export type SkipRange = readonly [number, number];

/**
 * Incremental parsing: `previous` is the last tree of the same document,
 * already `edit()`ed to the new text; the new tree goes to `keep` instead of
 * being deleted (its owner deletes it when it is replaced).
 */
export interface TreeReuse {
  previous?: Tree;
  keep(tree: Tree): void;
}

const GRAMMAR_FILES: Record<LanguageId, string> = {
  rust: 'tree-sitter-rust.wasm',
  python: 'tree-sitter-python.wasm',
  toml: 'tree-sitter-toml.wasm',
};

/**
 * Finds the folder holding the .wasm grammars and the .scm queries. The build
 * copies both into `dist/grammars`; bundles look next to themselves, sources
 * (run by tests) look for the built folder above them.
 */
export function findGrammarsDir(start: string = __dirname): string {
  const env = process.env.BINDINGS_CHECKLIST_GRAMMARS;
  if (env) return env;
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'grammars'), path.join(dir, 'dist', 'grammars')]) {
      if (fs.existsSync(path.join(candidate, GRAMMAR_FILES.rust))) return candidate;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the grammar files (${GRAMMAR_FILES.rust}) above ${start}; run \`npm run build\` first`);
}

/** Loaded grammars, one parser per language, and compiled queries. Create once per process with `Parsers.load()`. */
export class Parsers {
  private readonly parsers = new Map<LanguageId, Parser>();
  private readonly queries = new Map<string, Query>();

  private constructor(
    readonly dir: string,
    private readonly languages: Map<LanguageId, Language>,
  ) {
    for (const [id, language] of languages) {
      const parser = new Parser();
      parser.setLanguage(language);
      this.parsers.set(id, parser);
    }
  }

  static async load(dir: string = findGrammarsDir()): Promise<Parsers> {
    await Parser.init({ locateFile: (name: string) => path.join(dir, name) });
    const languages = new Map<LanguageId, Language>();
    for (const id of Object.keys(GRAMMAR_FILES) as LanguageId[]) {
      languages.set(id, await Language.load(path.join(dir, GRAMMAR_FILES[id])));
    }
    return new Parsers(dir, languages);
  }

  /**
   * Parses `text`; pass the previous tree (already `edit()`ed) to reparse
   * incrementally. Spans in `skip` (in order, not overlapping) are left out of
   * the parse: tree-sitter reads the text around them as if they were not
   * there, and every offset, line and column stays that of `text`. The caller
   * must `delete()` the tree.
   */
  parse(language: LanguageId, text: string, previous?: Tree, skip?: readonly SkipRange[]): Tree {
    const includedRanges = skip?.length ? rangesWithout(text, skip) : undefined;
    const input = includedRanges ? readsWithin(text, includedRanges) : text;
    const tree = this.parsers.get(language)!.parse(input, previous ?? null, includedRanges ? { includedRanges } : undefined);
    if (!tree) throw new Error(`tree-sitter could not parse a ${language} file`);
    return tree;
  }

  /** A query from `grammars/<name>.scm`, compiled once. */
  query(language: LanguageId, name: string): Query {
    const key = `${language}/${name}`;
    let query = this.queries.get(key);
    if (!query) {
      const source = fs.readFileSync(path.join(this.dir, `${name}.scm`), 'utf8');
      query = new Query(this.languages.get(language)!, source);
      this.queries.set(key, query);
    }
    return query;
  }
}

/**
 * Tree-sitter's input for `text` parsed within `ranges`: each read gives the
 * text from where it is asked for up to the end of the included range there
 * (or of the next one). Given the text itself, tree-sitter would take a full
 * chunk (some thousands of characters, copied into WebAssembly memory one at a
 * time) at every range it moves to, for what is most often a line or two.
 */
export function readsWithin(text: string, ranges: readonly Range[]): (index: number) => string {
  return (index) => {
    if (index >= text.length) return '';
    // The first range that ends after `index` (reads mostly go forward, but may step back).
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].endIndex <= index) lo = mid + 1;
      else hi = mid;
    }
    return text.slice(index, lo < ranges.length ? ranges[lo].endIndex : text.length);
  };
}

/**
 * The ranges of `text` outside the spans of `skip` (in order, not overlapping),
 * as tree-sitter's included ranges; the last one always ends at the end of the
 * text (empty when the text ends in a skipped span).
 */
export function rangesWithout(text: string, skip: readonly SkipRange[]): Range[] {
  const ranges: Range[] = [];
  // Points are counted on from the last one (offsets only grow).
  let last: Point = { row: 0, column: 0 };
  let lastOffset = 0;
  const point = (offset: number): Point => {
    if (offset > lastOffset) {
      last = pointAfter(text, last, lastOffset, offset);
      lastOffset = offset;
    }
    return offset === lastOffset ? last : pointAfter(text, { row: 0, column: 0 }, 0, offset);
  };
  let at = 0;
  let atPoint = point(0);
  for (const [start, end] of skip) {
    if (start > at) ranges.push({ startIndex: at, endIndex: start, startPosition: atPoint, endPosition: point(start) });
    if (end > at) {
      at = end;
      atPoint = point(end);
    }
  }
  // A text that ends in a skipped span ends with an empty range, so that the root node still ends where the text does.
  const endPoint = point(text.length);
  ranges.push({ startIndex: Math.min(at, text.length), endIndex: text.length, startPosition: at < text.length ? atPoint : endPoint, endPosition: endPoint });
  return ranges;
}

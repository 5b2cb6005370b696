import type { PlainHasattrBlock } from '../facts/python/hasattr-block';
import { extractPythonFacts } from '../facts/python';
import { extractRustFacts } from '../facts/rust';
import { extractTomlFacts } from '../facts/toml';
import type { FileFacts } from '../facts/types';
import type { LanguageId, Parsers, SkipRange, TreeReuse } from '../parsing/parsers';
import { hasattrBlockSpans, plainHasattrBlocks } from '../parsing/python-skip';
import { unreadRanges } from '../parsing/rust-skip';

/** What tree-sitter is given for a file, and what the facts need to read it. */
export interface ParseInput {
  /** The text to parse: the file's (projected) text, a BOM made a space. */
  parseText: string;
  /** Spans of `parseText` the parse skips (in order, not overlapping); none when empty. */
  skip: readonly SkipRange[];
  /** Python: the plain hasattr blocks the parse skips (the facts read them from the text). */
  hasattrBlocks: PlainHasattrBlock[];
}

/**
 * What tree-sitter is given for a file's (projected) text: a BOM becomes a
 * space, and the parse skips Rust bodies the facts never read and Python's
 * plain top-level `if hasattr(V, "X"):\n    X = V.X` blocks, which the facts
 * read from the text (offsets, lines and columns stay those of the text).
 */
export function parseInputOf(language: LanguageId, text: string): ParseInput {
  const parseText = parseTextOf(text);
  if (language === 'rust') return { parseText, skip: unreadRanges(parseText), hasattrBlocks: [] };
  if (language === 'python') {
    const blocks = plainHasattrBlocks(parseText) ?? [];
    return { parseText, skip: hasattrBlockSpans(parseText, blocks), hasattrBlocks: blocks };
  }
  return { parseText, skip: [], hasattrBlocks: [] };
}

/** The text tree-sitter is given for a file's (projected) text: a BOM is not Python, Rust or TOML, it is parsed as a space (same length). */
export function parseTextOf(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

/** Parses a text prepared by `parseInputOf` and reads its facts (the tree is deleted unless `reuse` keeps it). */
export function extractFacts(parsers: Parsers, language: LanguageId, input: ParseInput, reuse?: TreeReuse): FileFacts {
  switch (language) {
    case 'rust':
      return extractRustFacts(parsers, input.parseText, reuse, input.skip);
    case 'python':
      return extractPythonFacts(parsers, input.parseText, reuse, input.hasattrBlocks, input.skip);
    case 'toml':
      return extractTomlFacts(parsers, input.parseText);
  }
}

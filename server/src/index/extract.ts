import { extractPythonFacts } from '../facts/python';
import { extractRustFacts } from '../facts/rust';
import { extractTomlFacts } from '../facts/toml';
import type { FileFacts } from '../facts/types';
import type { LanguageId, Parsers, TreeReuse } from '../parsing/parsers';
import { BlankedPython, blankPlainHasattrBlocks } from '../parsing/python-blank';
import { blankUnreadBodies } from '../parsing/rust-blank';

/** What tree-sitter is given for a file, and what the facts need to read it. */
export interface ParseInput {
  /** The text to parse. */
  parseText: string;
  /** Python: the plain hasattr blocks blanked out of it, and the text before. */
  blanked?: BlankedPython | null;
}

/**
 * The text tree-sitter is given for a file's (projected) text: a BOM becomes a
 * space, Rust bodies the facts never read are blanked, and so are Python's
 * plain top-level `if hasattr(V, "X"):\n    X = V.X` blocks, which the facts
 * read from the text (same length, so offsets, lines and columns are kept).
 */
export function parseInputOf(language: LanguageId, text: string): ParseInput {
  // A BOM is not Python, Rust or TOML: parse it as a space (same length).
  const parseText = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  if (language === 'rust') return { parseText: blankUnreadBodies(parseText) };
  if (language === 'python') return blankPlainHasattrBlocks(parseText);
  return { parseText };
}

export function parseTextOf(language: LanguageId, text: string): string {
  return parseInputOf(language, text).parseText;
}

/** Parses a text prepared by `parseInputOf` and reads its facts (the tree is deleted unless `reuse` keeps it). */
export function extractFacts(parsers: Parsers, language: LanguageId, input: ParseInput, reuse?: TreeReuse): FileFacts {
  switch (language) {
    case 'rust':
      return extractRustFacts(parsers, input.parseText, reuse);
    case 'python':
      return extractPythonFacts(parsers, input.parseText, reuse, input.blanked ?? null);
    case 'toml':
      return extractTomlFacts(parsers, input.parseText);
  }
}

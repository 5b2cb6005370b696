import { extractPythonFacts } from '../facts/python';
import { extractRustFacts } from '../facts/rust';
import { extractTomlFacts } from '../facts/toml';
import type { FileFacts } from '../facts/types';
import type { LanguageId, Parsers, TreeReuse } from '../parsing/parsers';
import { blankPlainHasattrBlocks } from '../parsing/python-blank';
import { blankUnreadBodies } from '../parsing/rust-blank';

/**
 * The text tree-sitter is given for a file's (projected) text: a BOM becomes a
 * space, Rust bodies the facts never read are blanked, and so are Python's
 * plain top-level `if hasattr(V, "X"):\n    X = V.X` blocks, which the facts
 * read from the text (same length, so offsets, lines and columns are kept).
 */
export function parseTextOf(language: LanguageId, text: string): string {
  // A BOM is not Python, Rust or TOML: parse it as a space (same length).
  const parseText = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  if (language === 'rust') return blankUnreadBodies(parseText);
  return language === 'python' ? blankPlainHasattrBlocks(parseText) : parseText;
}

/** Parses a text prepared by `parseTextOf` and reads its facts (the tree is deleted). */
export function extractFacts(parsers: Parsers, language: LanguageId, parseText: string, reuse?: TreeReuse): FileFacts {
  switch (language) {
    case 'rust':
      return extractRustFacts(parsers, parseText, reuse);
    case 'python':
      return extractPythonFacts(parsers, parseText, reuse);
    case 'toml':
      return extractTomlFacts(parsers, parseText);
  }
}

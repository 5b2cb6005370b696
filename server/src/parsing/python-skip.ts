/**
 * A pre-pass over a Python file, before it is parsed: finds the plain
 * dispatcher blocks `if hasattr(V, "X"):\n    X = V.X` at module level, whose
 * facts are read from the text anyway; the parse skips them (tree-sitter is
 * given the rest of the text as its included ranges, so every offset, line and
 * column stays what it was). A generated dispatcher is tens of thousands of
 * them; skipping whole lines is like leaving blank lines, valid Python
 * wherever a statement could stand, so the rest of the file parses as before.
 *
 * A block is skipped only when the text says for sure that it is a whole
 * top-level statement:
 * - it starts at column 0 of a logical line, outside strings, comments and
 *   brackets, and the logical line before it neither ends with `:` nor is a
 *   decorator;
 * - it is read by `plainHasattrBlockAt` (the same reading the facts use), and
 *   neither V nor X is a keyword;
 * - after it come only blank lines, up to end of file or a line that starts
 *   at column 0 with anything but `#`, `elif` or `else` (a statement of its
 *   own, not a clause or a comment the `if` could take in).
 * A file with an f-string whose replacement field holds a quote, a `#`, a
 * backslash or a line break (which this scan does not follow) is left as it is.
 *
 * The blocks that were skipped are handed to the Python facts with the text,
 * which read them in place of the statements the tree does not have. What is
 * lost: syntax errors inside a skipped block (there are none in a block read
 * this way but a keyword-like name, which is excluded).
 */
import { PlainHasattrBlock, plainHasattrBlockAt } from '../facts/python/hasattr-block';
import type { SkipRange } from './parsers';

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 't', 'br', 'rb', 'fr', 'rf', 'tr', 'rt']);

function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** End of the string literal whose opening quote is at `q` (prefix `prefix`), or -1 when the scan cannot follow it. */
function stringEnd(text: string, q: number, prefix: string): number {
  const n = text.length;
  const quote = text.charCodeAt(q);
  const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
  const formatted = prefix.includes('f') || prefix.includes('t');
  let i = q + (triple ? 3 : 1);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
    } else if (!triple && isBreak(c)) {
      return i; // unterminated: the line ends it
    } else if (formatted && c === 123 /* { */) {
      if (text.charCodeAt(i + 1) === 123) {
        i += 2;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      for (; j < n && depth > 0; j++) {
        const d = text.charCodeAt(j);
        if (d === 123) depth++;
        else if (d === 125) depth--;
        else if (d === 34 || d === 39 || d === 35 || d === 92 || isBreak(d)) return -1;
      }
      i = j;
      continue;
    }
    i++;
  }
  return n;
}

/** Offset after the blank lines that follow a block ending at `end`, when what comes next lets the block stand alone; -1 otherwise. */
function followsCleanly(text: string, end: number): boolean {
  const n = text.length;
  let i = end;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || isBreak(c)) {
      i++;
      continue;
    }
    const lineStarts = i === 0 || isBreak(text.charCodeAt(i - 1));
    if (!lineStarts || c === 35 /* # */ || c < 32) return false;
    return !/^(?:elif|else)(?![\p{L}\p{N}_])/u.test(text.slice(i, i + 5));
  }
  return true;
}

/**
 * Finds the plain hasattr blocks to skip (see the file comment); null when
 * there are none or the file is not one this scan can follow.
 */
export function plainHasattrBlocks(text: string): PlainHasattrBlock[] | null {
  if (!text.includes('hasattr')) return null;
  const blocks: PlainHasattrBlock[] = [];
  const n = text.length;
  let depth = 0;
  /** At the start of a line that starts a logical line (not a continuation). */
  let lineStart = true;
  /** The current logical line has had a token. */
  let lineHasToken = false;
  let lineFirst = 0;
  let lineLast = 0;
  let prevFirst = 0;
  let prevLast = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      if (c === 105 /* i */ && depth === 0 && prevLast !== 58 /* : */ && prevFirst !== 64 /* @ */) {
        const block = plainHasattrBlockAt(text, i);
        if (block && !KEYWORDS.has(block.name) && !KEYWORDS.has(block.source) && followsCleanly(text, block.end)) {
          blocks.push(block);
          prevFirst = 0;
          prevLast = 0;
          i = block.end;
          continue;
        }
      }
    }
    if (isBreak(c)) {
      i++;
      if (c === 13 && text.charCodeAt(i) === 10) i++;
      if (depth === 0) {
        lineStart = true;
        if (lineHasToken) {
          prevFirst = lineFirst;
          prevLast = lineLast;
          lineHasToken = false;
        }
      }
      continue;
    }
    if (c === 32 || c === 9 || c === 12) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      while (i < n && !isBreak(text.charCodeAt(i))) i++;
      continue;
    }
    if (c === 92 /* \ */) {
      // A line continuation (or a stray backslash): the next line continues this one.
      i++;
      if (text.charCodeAt(i) === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      lineLast = 92;
      lineHasToken = true;
      continue;
    }
    if (!lineHasToken) {
      lineHasToken = true;
      lineFirst = c;
    }
    if (c === 34 || c === 39) {
      let p = i;
      while (p > 0 && isIdent(text.charCodeAt(p - 1))) p--;
      const prefix = text.slice(p, i).toLowerCase();
      const end = stringEnd(text, i, STRING_PREFIXES.has(prefix) ? prefix : '');
      if (end < 0) return null;
      lineLast = c;
      i = end;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    lineLast = c;
    i++;
  }
  return blocks.length > 0 ? blocks : null;
}

/**
 * The spans a parse skips for the given blocks: each block from its `if` to
 * the end of its last line, line break included, so that what tree-sitter reads
 * goes from one whole line to the next (Python's indentation is read per line).
 */
export function hasattrBlockSpans(text: string, blocks: readonly PlainHasattrBlock[]): SkipRange[] {
  const spans: [number, number][] = [];
  for (const block of blocks) {
    let end = block.end;
    if (text.charCodeAt(end) === 13) end++;
    if (text.charCodeAt(end) === 10) end++;
    const last = spans[spans.length - 1];
    if (last && last[1] === block.start) last[1] = end;
    else spans.push([block.start, end]);
  }
  return spans;
}

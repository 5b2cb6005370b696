/**
 * Just enough of Rust's lexical grammar to walk a text without parsing it:
 * where comments (line, block — nested — and doc comments), string literals
 * (with escapes, byte/C strings, raw strings `r#"..."#`), char literals and
 * lifetimes end, and where identifiers end. Offsets are UTF-16 code units, as
 * in JS strings and in web-tree-sitter's indices.
 */

const SLASH = 0x2f;
const STAR = 0x2a;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const NEWLINE = 0x0a;

/** True for `[A-Za-z0-9_]` and any non-ASCII code unit (Rust identifiers may be Unicode). */
export function isIdentChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c >= 0x80;
}

/** End of the identifier-like run (identifier, keyword, number) starting at `i`. */
export function identEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && isIdentChar(text.charCodeAt(i))) i++;
  return i;
}

/**
 * When a comment, string literal, char literal or lifetime starts at `i`, the
 * offset just after it (the end of the text when it is unterminated); else -1.
 * Call it only where a token may start (not in the middle of an identifier):
 * a string prefix (`b`, `r`, `br`, `c`, `cr`) is an identifier-like run, see
 * `prefixedLiteralEnd`.
 */
export function literalEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === SLASH) {
    const next = text.charCodeAt(i + 1);
    if (next === SLASH) {
      const end = text.indexOf('\n', i + 2);
      return end < 0 ? text.length : end;
    }
    if (next === STAR) return blockCommentEnd(text, i);
    return -1;
  }
  if (c === QUOTE) return quotedEnd(text, i + 1);
  if (c === APOSTROPHE) return apostropheEnd(text, i);
  return -1;
}

/** After a nested `/* ... *\/` comment starting at `i`. */
function blockCommentEnd(text: string, i: number): number {
  const n = text.length;
  let depth = 1;
  let k = i + 2;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === STAR && text.charCodeAt(k + 1) === SLASH) {
      k += 2;
      if (--depth === 0) return k;
    } else if (c === SLASH && text.charCodeAt(k + 1) === STAR) {
      depth++;
      k += 2;
    } else k++;
  }
  return n;
}

/** After the closing `"` of a string whose contents start at `k` (backslash escapes). */
function quotedEnd(text: string, k: number): number {
  const n = text.length;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === QUOTE) return k + 1;
    k += c === BACKSLASH ? 2 : 1;
  }
  return n;
}

/** A char literal (`'x'`, `'\n'`, `'\u{1F600}'`, `'😀'`) or a lifetime/label (`'a`, `'static`). */
function apostropheEnd(text: string, i: number): number {
  const next = text.charCodeAt(i + 1);
  if (next === BACKSLASH) {
    // Escape: the closing quote is within a few units (`'\u{10FFFF}'` is the longest).
    const limit = Math.min(text.length, i + 14);
    for (let k = i + 3; k < limit; k++) {
      const c = text.charCodeAt(k);
      if (c === APOSTROPHE) return k + 1;
      if (c === NEWLINE) break;
    }
    return i + 2;
  }
  if (text.charCodeAt(i + 2) === APOSTROPHE && next !== NEWLINE) return i + 3;
  if (next >= 0xd800 && next <= 0xdbff && text.charCodeAt(i + 3) === APOSTROPHE) return i + 4;
  // Lifetime or label: the quote and the name after it.
  return identEnd(text, i + 1);
}

/**
 * For an identifier-like run [start, end) followed by a quote: when the run is
 * a string prefix, the end of the prefixed literal (`b"..."`, `c"..."`,
 * `r"..."`, `r#"..."#`, `br##"..."##`, `b'x'`); else -1. Also consumes raw
 * identifiers (`r#type`), so that they are not read as keywords.
 */
export function prefixedLiteralEnd(text: string, start: number, end: number): number {
  const len = end - start;
  if (len > 2) return -1;
  const c = text.charCodeAt(end);
  if (c !== QUOTE && c !== HASH && c !== APOSTROPHE) return -1;
  const first = text.charCodeAt(start);
  const last = text.charCodeAt(end - 1);
  const raw = last === 0x72; // r
  if (len === 2 && !(raw && (first === 0x62 || first === 0x63))) return -1; // br, cr
  if (len === 1 && first !== 0x72 && first !== 0x62 && first !== 0x63) return -1; // r, b, c
  if (c === APOSTROPHE) return len === 1 && first === 0x62 ? apostropheEnd(text, end) : -1; // b'x'
  if (!raw) return c === QUOTE ? quotedEnd(text, end + 1) : -1;
  // Raw string: r, then hashes, then a quote; or a raw identifier r#name.
  let k = end;
  while (text.charCodeAt(k) === HASH) k++;
  const hashes = k - end;
  if (text.charCodeAt(k) !== QUOTE) {
    return len === 1 && hashes === 1 && isIdentChar(text.charCodeAt(k)) ? identEnd(text, k) : -1;
  }
  const close = '"' + '#'.repeat(hashes);
  const found = text.indexOf(close, k + 1);
  return found < 0 ? text.length : found + close.length;
}

/**
 * After the string literal whose opening quote is at `i`, looking back for a
 * raw-string prefix (`r`, `r#`, `br##`, `cr`), so that it can be called
 * without having read the identifier-like run before the quote.
 */
export function stringEndAt(text: string, i: number): number {
  let k = i - 1;
  while (k >= 0 && text.charCodeAt(k) === HASH) k--;
  if (k >= 0 && text.charCodeAt(k) === 0x72) {
    const before = k > 0 ? text.charCodeAt(k - 1) : 0;
    const prefixed = before === 0x62 || before === 0x63; // br, cr
    if (!isIdentChar(before) || (prefixed && (k < 2 || !isIdentChar(text.charCodeAt(k - 2))))) {
      const close = '"' + '#'.repeat(i - 1 - k);
      const found = text.indexOf(close, i + 1);
      return found < 0 ? text.length : found + close.length;
    }
  }
  return quotedEnd(text, i + 1);
}

/**
 * Offsets at code level: `isCode(offset)` is false inside comments, string and
 * char literals. Queries must come in increasing order (one forward scan).
 */
export class CodeLevel {
  private pos = 0;

  constructor(private readonly text: string) {}

  isCode(offset: number): boolean {
    const text = this.text;
    let p = this.pos;
    while (p < offset) {
      const c = text.charCodeAt(p);
      if (isIdentChar(c)) {
        const end = identEnd(text, p);
        const literal = prefixedLiteralEnd(text, p, end);
        p = literal >= 0 ? literal : end;
      } else if (c === SLASH || c === QUOTE || c === APOSTROPHE) {
        const end = literalEnd(text, p);
        p = end >= 0 ? end : p + 1;
      } else p++;
    }
    this.pos = p;
    return p === offset;
  }
}

import { Node } from 'web-tree-sitter';
import { Span } from '../types';

/** Span of a node (UTF-16 offsets). */
export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/** The node's source text, sliced from the file text (cheap; no tree access). */
export function textOf(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex);
}

function isBreak(code: number): boolean {
  return code === 10 || code === 13;
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && !isBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Offset of the end of the line holding `offset` (before its line break). */
export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && !isBreak(text.charCodeAt(i))) i++;
  return i;
}

/** Offset of the start of the line after the one holding `offset`, or the end of text. */
export function nextLineStart(text: string, offset: number): number {
  const end = lineEnd(text, offset);
  if (end >= text.length) return text.length;
  return text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
}

/** Leading whitespace of the line holding `offset` (up to `offset` at most). */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  let i = start;
  while (i < offset && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return text.slice(start, i);
}

/** Full-line span of a node: from the start of its first line (when only indentation precedes it) to the end of its last line. */
export function fullLineSpan(text: string, node: Node): Span {
  const start = lineStart(text, node.startIndex);
  const before = text.slice(start, node.startIndex);
  return { start: before.trim() === '' ? start : node.startIndex, end: lineEnd(text, Math.max(node.startIndex, node.endIndex - 1)) };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '',
};

function decodeEscapes(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|\r?\n|.)/g, (all, esc: string) => {
    if (/^[xuU]/.test(esc) && esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (esc.startsWith('\r')) return '';
    return SIMPLE_ESCAPES[esc] ?? all;
  });
}

/**
 * The value of a plain string literal node, or null when the node is not a
 * string, is an f-string with replacement fields, or is malformed. Reads the
 * file text only (no tree access).
 */
export function stringValue(text: string, node: Node): string | null {
  if (node.type !== 'string') return null;
  const literal = textOf(text, node);
  const m = /^([rRuUbBfF]{0,2})("""|'''|"|')/.exec(literal);
  if (!m) return null;
  const prefix = m[1].toLowerCase();
  const quote = m[2];
  if (literal.length < m[0].length + quote.length || !literal.endsWith(quote)) return null;
  const raw = literal.slice(m[0].length, literal.length - quote.length);
  if (prefix.includes('f') && raw.includes('{')) return null;
  return prefix.includes('r') ? raw : decodeEscapes(raw);
}

/** Identifiers bound by an assignment target (`a`, `a, (b, c)`, `[a, *b]`); attributes and subscripts bind nothing. */
export function targetIdentifiers(node: Node, out: Node[] = []): Node[] {
  switch (node.type) {
    case 'identifier':
      out.push(node);
      break;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'list_splat_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
      for (const child of node.namedChildren) if (child) targetIdentifiers(child, out);
      break;
  }
  return out;
}

const STRING_HEAD = /([rRuU]?)("""|'''|"|')/y;
const AFTER_ITEM = /(?:\s|#[^\r\n]*|\\\r?\n)*([,\])}]|$)/y;

/**
 * Reads a plain string literal starting at `start` from the text alone, for
 * list items: null unless it is a complete literal followed by `,` or the
 * closing bracket (so implicit concatenation and f-strings take the tree path).
 */
export function stringLiteralAt(text: string, start: number): { value: string; end: number } | null {
  STRING_HEAD.lastIndex = start;
  const head = STRING_HEAD.exec(text);
  if (!head) return null;
  const quote = head[2];
  let i = start + head[0].length;
  const contentStart = i;
  for (;;) {
    const next = text.indexOf(quote, i);
    if (next < 0) return null;
    let backslashes = 0;
    while (text.charCodeAt(next - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) {
      i = next;
      break;
    }
    i = next + 1;
  }
  const raw = text.slice(contentStart, i);
  if (quote.length === 1 && /[\r\n]/.test(raw)) return null;
  const end = i + quote.length;
  AFTER_ITEM.lastIndex = end;
  if (!AFTER_ITEM.test(text)) return null;
  return { value: head[1].toLowerCase() === 'r' || !raw.includes('\\') ? raw : decodeEscapes(raw), end };
}

import { Node } from 'web-tree-sitter';
import { Span, TomlValue } from '../types';

export interface KeyPart {
  name: string;
  span: Span;
}

function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };

function decodeBasic(raw: string, multiline: boolean): string {
  const pattern = multiline ? /\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[ \t]*\r?\n[ \t\r\n]*|.)/g : /\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)/g;
  return raw.replace(pattern, (all, esc: string) => {
    if (/^[uUx][0-9a-fA-F]/.test(esc)) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[ \t]*\r?\n/.test(esc)) return '';
    return ESCAPES[esc] ?? all;
  });
}

/** A TOML string literal (basic, literal, multi-line): decoded value, content span. */
export function tomlString(text: string, node: Node): { value: string; contentSpan: Span } {
  const literal = text.slice(node.startIndex, node.endIndex);
  const quote = /^("""|'''|"|')/.exec(literal)?.[1] ?? '"';
  const closed = literal.length >= 2 * quote.length && literal.endsWith(quote);
  const contentSpan = { start: node.startIndex + quote.length, end: node.endIndex - (closed ? quote.length : 0) };
  let raw = text.slice(contentSpan.start, contentSpan.end);
  const multiline = quote.length === 3;
  if (multiline) raw = raw.replace(/^\r?\n/, '');
  return { value: quote.startsWith('"') ? decodeBasic(raw, multiline) : raw, contentSpan };
}

function parseInteger(source: string): number {
  const clean = source.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const digits = clean.replace(/^[+-]/, '');
  const radix = { '0x': 16, '0o': 8, '0b': 2 }[digits.slice(0, 2).toLowerCase()];
  return radix ? sign * parseInt(digits.slice(2), radix) : Number(clean);
}

function parseFloatValue(source: string): number {
  const clean = source.replace(/_/g, '');
  if (/^[+-]?inf$/.test(clean)) return clean.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(clean)) return NaN;
  return Number(clean);
}

/** Key segments of a bare, quoted or dotted key. */
export function keyParts(text: string, node: Node, out: KeyPart[] = []): KeyPart[] {
  if (node.type === 'dotted_key') {
    for (const child of node.namedChildren) if (child) keyParts(text, child, out);
  } else if (node.type === 'quoted_key') {
    out.push({ name: tomlString(text, node).value, span: spanOf(node) });
  } else if (node.type === 'bare_key') {
    out.push({ name: text.slice(node.startIndex, node.endIndex), span: spanOf(node) });
  }
  return out;
}

export function isKey(node: Node): boolean {
  return node.type === 'bare_key' || node.type === 'quoted_key' || node.type === 'dotted_key';
}

/** A value node; tables (inline) are filled by `fillTable`, given by the caller. */
export function tomlValue(text: string, node: Node, fillTable: (table: Node, value: TomlValue & { kind: 'table' }) => void): TomlValue {
  const span = spanOf(node);
  const source = text.slice(node.startIndex, node.endIndex);
  switch (node.type) {
    case 'string':
      return { kind: 'string', ...tomlString(text, node), span };
    case 'integer':
      return { kind: 'number', value: parseInteger(source), span };
    case 'float':
      return { kind: 'number', value: parseFloatValue(source), span };
    case 'boolean':
      return { kind: 'boolean', value: source === 'true', span };
    case 'array': {
      const items = node.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment');
      return { kind: 'array', items: items.map((item) => tomlValue(text, item, fillTable)), span };
    }
    case 'inline_table': {
      const table: TomlValue & { kind: 'table' } = { kind: 'table', entries: new Map(), span };
      fillTable(node, table);
      return table;
    }
    default:
      return { kind: 'other', text: source, span };
  }
}

/**
 * Outer attributes (`#[...]`) read from their text, and `cfg` predicates.
 */
import type { Node } from 'web-tree-sitter';
import { emptyObjectList } from '../node-list';
import type { CfgExpr } from '../types';

export interface Attr {
  /** Attribute path with a leading `pyo3::` removed: `pyclass`, `cfg`, `pyo3`, `path`, ... */
  name: string;
  /** Text inside the parentheses (`name = "x"`), or after `=` (`"x.rs"`), or ''. */
  args: string;
  start: number;
}

const ATTR_PATH = /^\s*([A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)*)\s*/;

/** The attributes of an item, read from their nodes, as lists of one hidden class (see `facts/node-list.ts`). */
export function readAttrs(text: string, nodes: readonly Node[]): readonly Attr[] {
  if (nodes.length === 0) return NO_ATTRS;
  const attrs: Attr[] = [];
  for (const node of nodes) attrs.push(readAttr(text, node));
  return attrs;
}

const NO_ATTRS = emptyObjectList<Attr>();

/** Reads one `attribute_item` node from its text. */
export function readAttr(text: string, node: Node): Attr {
  const inner = text.slice(node.startIndex + 2, text[node.endIndex - 1] === ']' ? node.endIndex - 1 : node.endIndex);
  const match = ATTR_PATH.exec(inner);
  if (!match) return { name: '', args: '', start: node.startIndex };
  let name = match[1].replace(/\s+/g, '');
  if (name.startsWith('pyo3::') && name !== 'pyo3::pyo3') name = name.slice(6);
  const rest = inner.slice(match[0].length);
  let args = '';
  if (rest.startsWith('(')) args = rest.slice(1, rest.lastIndexOf(')') >= 0 ? rest.lastIndexOf(')') : rest.length);
  else if (rest.startsWith('=')) args = rest.slice(1).trim();
  return { name, args, start: node.startIndex };
}

/** A top-level `name = "x"` among attribute arguments (not one nested in `signature = (name = "x")`). */
export function nameArg(args: string): string | undefined {
  for (const part of topLevelParts(args)) {
    const match = /^\s*name\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/** Splits at commas outside parentheses, brackets and string literals. */
function topLevelParts(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === '"') {
      for (i++; i < args.length && args[i] !== '"'; i++) if (args[i] === '\\') i++;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(args.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(args.slice(start));
  return parts;
}

export function hasAttr(attrs: readonly Attr[], name: string): boolean {
  return attrs.some((attr) => attr.name === name);
}

/** The Python name given by `#[<main>(name = "..")]` or `#[pyo3(name = "..")]`. */
export function pythonNameFrom(attrs: readonly Attr[], main: string): string | undefined {
  for (const attr of attrs) {
    if (attr.name === main || attr.name === 'pyo3') {
      const name = nameArg(attr.args);
      if (name !== undefined) return name;
    }
  }
  return undefined;
}

/** One entry per `#[cfg(...)]` attribute (`cfg_attr` is ignored). */
export function cfgsOf(attrs: readonly Attr[]): CfgExpr[] {
  const out: CfgExpr[] = [];
  for (const attr of attrs) if (attr.name === 'cfg') out.push(parseCfg(attr.args));
  return out;
}

/** Parses a cfg predicate: `feature = "x"`, `all(..)`, `any(..)`, `not(..)`; anything else is `other`. */
export function parseCfg(source: string): CfgExpr {
  const parser = new CfgParser(source);
  const expr = parser.predicate();
  return expr ?? { kind: 'other', text: source.trim() };
}

class CfgParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  predicate(): CfgExpr | undefined {
    this.skipSpace();
    const start = this.pos;
    const ident = this.identifier();
    if (!ident) {
      this.skipToSeparator();
      const text = this.src.slice(start, this.pos).trim();
      return text ? { kind: 'other', text } : undefined;
    }
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === '(' && (ident === 'all' || ident === 'any' || ident === 'not')) {
      this.pos++;
      const items = this.list();
      if (ident === 'not') return { kind: 'not', item: items[0] ?? { kind: 'other', text: '' } };
      return { kind: ident, items };
    }
    if (c === '=' ) {
      this.pos++;
      this.skipSpace();
      const value = this.string();
      if (ident === 'feature' && value !== undefined) return { kind: 'feature', name: value };
    }
    this.skipToSeparator();
    return { kind: 'other', text: this.src.slice(start, this.pos).trim() };
  }

  private list(): CfgExpr[] {
    const items: CfgExpr[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.src.length) return items;
      if (this.src[this.pos] === ')') { this.pos++; return items; }
      if (this.src[this.pos] === ',') { this.pos++; continue; }
      const before = this.pos;
      const item = this.predicate();
      if (item) items.push(item);
      if (this.pos === before) this.pos++;
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_]\w*/.exec(this.src.slice(this.pos));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  private string(): string | undefined {
    if (this.src[this.pos] !== '"') return undefined;
    const end = this.src.indexOf('"', this.pos + 1);
    const stop = end < 0 ? this.src.length : end;
    const value = this.src.slice(this.pos + 1, stop);
    this.pos = Math.min(this.src.length, stop + 1);
    return value;
  }

  /** Moves to the next top-level `,` or `)` (skipping nested parentheses and strings). */
  private skipToSeparator(): void {
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '"') { this.string(); continue; }
      if (c === '(') depth++;
      else if (c === ')') { if (depth === 0) return; depth--; }
      else if (c === ',' && depth === 0) return;
      this.pos++;
    }
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }
}

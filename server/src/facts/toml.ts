import { Node } from 'web-tree-sitter';
import { Parsers } from '../parsing/parsers';
import { syntaxProblems } from './syntax-problems';
import { KeyPart, isKey, keyParts, tomlValue } from './toml/values';
import { ParseProblem, Span, TomlEntry, TomlFacts, TomlValue } from './types';

type TableValue = TomlValue & { kind: 'table' };

/** Builds the document tree: header tables, arrays of tables, dotted keys, inline tables. */
class TomlBuilder {
  readonly root = new Map<string, TomlEntry>();
  readonly problems: ParseProblem[] = [];
  /** Tables opened by a header or defined by a key: a second definition is a duplicate. */
  private readonly defined = new Set<TomlValue>();

  constructor(private readonly text: string) {}

  document(node: Node): void {
    let current = this.root;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'pair') this.pair(current, child);
      else if (child.type === 'table') current = this.section(child, false);
      else if (child.type === 'table_array_element') current = this.section(child, true);
      else if (child.type === 'ERROR') for (const inner of child.namedChildren) if (inner?.type === 'pair') this.pair(current, inner);
    }
  }

  /** `[a.b]` / `[[a.b]]` followed by its pairs; returns the table later top-level pairs belong to. */
  private section(node: Node, isArray: boolean): Map<string, TomlEntry> {
    const children = node.namedChildren.filter((n): n is Node => !!n);
    const header = children.find(isKey);
    if (!header) return new Map();
    const parts = keyParts(this.text, header);
    const parent = this.descend(this.root, parts.slice(0, -1), node);
    const last = parts[parts.length - 1];
    const table = parent && last ? this.openTable(parent, last, node, isArray) : null;
    const entries = table ? table.entries : new Map<string, TomlEntry>();
    for (const child of children) if (child.type === 'pair') this.pair(entries, child);
    return entries;
  }

  private openTable(parent: Map<string, TomlEntry>, key: KeyPart, node: Node, isArray: boolean): TableValue | null {
    const span = { start: node.startIndex, end: node.endIndex };
    const table: TableValue = { kind: 'table', entries: new Map(), span };
    const existing = parent.get(key.name);
    if (isArray) {
      if (!existing) {
        parent.set(key.name, { keySpan: key.span, value: { kind: 'array', items: [table], span } });
      } else if (existing.value.kind === 'array' && this.defined.has(existing.value)) {
        existing.value.items.push(table);
        existing.value.span = { start: existing.value.span.start, end: span.end };
      } else {
        return this.duplicate(key, 'table');
      }
      this.defined.add(parent.get(key.name)!.value);
      return table;
    }
    if (!existing) {
      parent.set(key.name, { keySpan: key.span, value: table });
      this.defined.add(table);
      return table;
    }
    if (existing.value.kind === 'table' && !this.defined.has(existing.value)) {
      this.defined.add(existing.value);
      existing.value.span = span;
      return existing.value;
    }
    return this.duplicate(key, 'table');
  }

  private duplicate(key: KeyPart, what: 'key' | 'table'): null {
    this.problems.push({ span: key.span, message: `duplicate ${what} "${key.name}"` });
    return null;
  }

  /** Walks to the table named by `parts`, creating implicit tables; into the last element of an array of tables. */
  private descend(map: Map<string, TomlEntry>, parts: KeyPart[], node: Node): Map<string, TomlEntry> | null {
    let current = map;
    for (const part of parts) {
      let entry = current.get(part.name);
      if (!entry) {
        entry = { keySpan: part.span, value: { kind: 'table', entries: new Map(), span: { start: node.startIndex, end: node.endIndex } } };
        current.set(part.name, entry);
      }
      const value = entry.value;
      const last = value.kind === 'array' ? value.items[value.items.length - 1] : value;
      if (!last || last.kind !== 'table') {
        this.problems.push({ span: part.span, message: `"${part.name}" is not a table` });
        return null;
      }
      current = last.entries;
    }
    return current;
  }

  pair(map: Map<string, TomlEntry>, node: Node): void {
    const children = node.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment');
    const [keyNode, valueNode] = children;
    if (!keyNode || !valueNode || !isKey(keyNode)) return;
    const parts = keyParts(this.text, keyNode);
    const target = this.descend(map, parts.slice(0, -1), node);
    const last = parts[parts.length - 1];
    if (!target || !last) return;
    if (target.has(last.name)) {
      this.duplicate(last, 'key');
      return;
    }
    const value = tomlValue(this.text, valueNode, (table, into) => this.inlineTable(table, into));
    target.set(last.name, { keySpan: last.span, value });
    this.defined.add(value);
  }

  private inlineTable(node: Node, into: TableValue): void {
    for (const child of node.namedChildren) if (child?.type === 'pair') this.pair(into.entries, child);
  }
}

/** Extracts the document tree of one TOML file (Cargo.toml, pyproject.toml, configuration). */
export function extractTomlFacts(parsers: Parsers, text: string): TomlFacts {
  const tree = parsers.parse('toml', text);
  try {
    const builder = new TomlBuilder(text);
    builder.document(tree.rootNode);
    const syntax = syntaxProblems(tree, parsers.query('toml', 'toml-facts'), 'invalid TOML');
    const problems = [...syntax, ...builder.problems].sort((a, b) => a.span.start - b.span.start);
    return { language: 'toml', root: builder.root, problems };
  } finally {
    tree.delete();
  }
}

/** The entry at a dotted path (`['tool', 'maturin', 'module-name']`); arrays of tables resolve to their last element. */
export function tomlGet(root: Map<string, TomlEntry>, dottedPath: string[]): TomlEntry | undefined {
  let map = root;
  let entry: TomlEntry | undefined;
  for (let i = 0; i < dottedPath.length; i++) {
    entry = map.get(dottedPath[i]);
    if (!entry) return undefined;
    if (i === dottedPath.length - 1) break;
    const value = entry.value.kind === 'array' ? entry.value.items[entry.value.items.length - 1] : entry.value;
    if (!value || value.kind !== 'table') return undefined;
    map = value.entries;
  }
  return entry;
}

/** A string value at a dotted path: its decoded value, the literal's span (with quotes) and the span between the quotes. */
export function tomlString(root: Map<string, TomlEntry>, dottedPath: string[]): { value: string; span: Span; contentSpan: Span } | undefined {
  const value = tomlGet(root, dottedPath)?.value;
  if (!value || value.kind !== 'string') return undefined;
  return { value: value.value, span: value.span, contentSpan: value.contentSpan ?? value.span };
}

import { Node } from 'web-tree-sitter';
import { ImportFrom, ImportedName, Span } from '../types';
import { TopLevel } from './toplevel';
import { readList } from './lists';
import { indentAt, spanOf, textOf } from './text';

export interface ModuleImport {
  module: string;
  /** The name the statement binds: the alias, or the first segment of a dotted module. */
  alias: string;
  span: Span;
}

export interface ImportScan {
  imports: ImportFrom[];
  moduleImports: ModuleImport[];
  /** Span of each imported name alone (parallel to `imports[i].names`), for references. */
  nameSpans: Span[][];
}

/**
 * Finds every import statement in the file (at any depth) by scanning the text
 * for the keywords and confirming each hit in the tree, so large files with
 * few imports cost next to nothing.
 */
export function scanImports(text: string, top: TopLevel): ImportScan {
  const scan: ImportScan = { imports: [], moduleImports: [], nameSpans: [] };
  const keyword = /\b(from|import)\b/g;
  for (let m = keyword.exec(text); m; m = keyword.exec(text)) {
    const node = top.namedNodeAt(m.index, m.index + m[1].length);
    if (!node || node.startIndex !== m.index) continue;
    // One type lookup per hit (every Node getter is a call into WASM).
    const type = node.type;
    if (m[1] === 'from' && (type === 'import_from_statement' || type === 'ERROR')) {
      const parsed = parseImportFrom(text, node, top.isTopLevel(node));
      if (parsed) {
        scan.imports.push(parsed.statement);
        scan.nameSpans.push(parsed.nameSpans);
      }
    } else if (m[1] === 'import' && type === 'import_statement') {
      scan.moduleImports.push(...parseImport(text, node));
    }
  }
  return scan;
}

function parseImport(text: string, node: Node): ModuleImport[] {
  const result: ModuleImport[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    const type = child.type;
    if (type === 'dotted_name') {
      const span = spanOf(child);
      const module = text.slice(span.start, span.end);
      result.push({ module, alias: module.split('.')[0], span });
    } else if (type === 'aliased_import') {
      const [name, alias] = child.namedChildren;
      if (name && alias) result.push({ module: textOf(text, name), alias: textOf(text, alias), span: spanOf(child) });
    }
  }
  return result;
}

function importedName(text: string, node: Node): { name: ImportedName; nameSpan: Span } | null {
  if (node.type === 'dotted_name') {
    return { name: { name: textOf(text, node), span: spanOf(node) }, nameSpan: spanOf(node) };
  }
  const [name, alias] = node.namedChildren;
  if (!name || !alias) return null;
  return { name: { name: textOf(text, name), alias: textOf(text, alias), span: spanOf(node) }, nameSpan: spanOf(name) };
}

/**
 * Reads `from M import ...` from a statement node, or from an ERROR node that
 * starts with `from` (an unterminated parenthesized list while typing): then
 * the names read so far are kept and the span ends after the last of them.
 */
function parseImportFrom(text: string, node: Node, topLevel: boolean): { statement: ImportFrom; nameSpans: Span[] } | null {
  const statement: ImportFrom = {
    module: '', names: [], star: false, parenthesized: false,
    span: spanOf(node), indent: indentAt(text, node.startIndex), topLevel,
  };
  if (node.type === 'import_from_statement') {
    const nameSpans = readNamesFromText(text, node, statement);
    if (nameSpans) return { statement, nameSpans };
    statement.names = [];
  }
  return readNamesFromTree(text, node, statement);
}

const IDENT = '[\\p{L}_][\\p{L}\\p{N}_]*';
const NAME_AT = new RegExp(`(${IDENT}(?:\\s*\\.\\s*${IDENT})*)(?:\\s+as\\s+(${IDENT}))?`, 'uy');
const IMPORT_KEYWORD = /(?:\s|\\\r?\n)*import(?:\s|\\\r?\n)*(\()?/y;

/**
 * Reads a well-formed statement's names from the text (no tree calls per
 * name: long import lists stay cheap). Returns null when the text does not
 * read back as a name list, for the tree path to handle.
 */
function readNamesFromText(text: string, node: Node, statement: ImportFrom): Span[] | null {
  const module = node.firstNamedChild;
  if (!module) return null;
  statement.module = textOf(text, module).replace(/\s+/g, '');
  IMPORT_KEYWORD.lastIndex = module.endIndex;
  const keyword = IMPORT_KEYWORD.exec(text);
  if (!keyword) return null;
  statement.parenthesized = !!keyword[1];
  const end = node.endIndex - (statement.parenthesized ? 1 : 0);
  if (statement.parenthesized && text.charCodeAt(end) !== 41 /* ) */) return null;
  const items = readList(text, IMPORT_KEYWORD.lastIndex, end, (pos) => readImportedName(text, pos));
  if (!items) return null;
  const nameSpans: Span[] = [];
  for (const item of items) {
    if (!item) statement.star = true;
    else {
      statement.names.push(item.name);
      nameSpans.push(item.nameSpan);
    }
  }
  return nameSpans;
}

/** `name`, `a.b`, `name as alias` or `*` (null value) at `pos`. */
function readImportedName(text: string, pos: number): { value: { name: ImportedName; nameSpan: Span } | null; end: number } | null {
  if (text.charCodeAt(pos) === 42 /* * */) return { value: null, end: pos + 1 };
  NAME_AT.lastIndex = pos;
  const m = NAME_AT.exec(text);
  if (!m) return null;
  const name = m[1].replace(/\s+/g, '');
  const span = { start: pos, end: pos + m[0].length };
  const imported: ImportedName = m[2] ? { name, alias: m[2], span } : { name, span };
  return { value: { name: imported, nameSpan: { start: pos, end: pos + m[1].length } }, end: span.end };
}

function readNamesFromTree(text: string, node: Node, statement: ImportFrom): { statement: ImportFrom; nameSpans: Span[] } | null {
  const nameSpans: Span[] = [];
  let afterImport = false;
  let end = node.startIndex;
  for (const child of node.children) {
    if (!child) continue;
    const type = child.type;
    if (!afterImport) {
      if (type === 'import') afterImport = true;
      else if (child.isNamed && !statement.module && type !== 'comment') statement.module = textOf(text, child).replace(/\s+/g, '');
    } else if (type === '(') {
      statement.parenthesized = true;
    } else if (type === 'wildcard_import') {
      statement.star = true;
    } else if (type === 'dotted_name' || type === 'aliased_import') {
      const entry = importedName(text, child);
      if (entry) {
        statement.names.push(entry.name);
        nameSpans.push(entry.nameSpan);
      }
    } else if (child.isNamed && type !== 'comment') {
      break;
    }
    if (type !== 'comment') end = child.endIndex;
  }
  if (!statement.module || !afterImport) return null;
  if (node.type === 'ERROR') statement.span = { start: node.startIndex, end };
  return { statement, nameSpans };
}

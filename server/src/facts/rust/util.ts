/**
 * Small text and node helpers shared by the Rust facts extractor.
 */
import type { Node } from 'web-tree-sitter';
import { nodeList } from '../node-list';
import type { InsertionPoint, RustPath, Span } from '../types';

/** Named children without the nulls web-tree-sitter may report (a list of one hidden class, see `nodeList`). */
export function kids(node: Node): readonly Node[] {
  return nodeList(node.namedChildren);
}

export function isComment(node: Node): boolean {
  return node.type === 'line_comment' || node.type === 'block_comment';
}

export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

export function textOf(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex);
}

/** A path as written, generics and whitespace dropped: `crate :: a::B<T>` -> ['crate', 'a', 'B']. */
export function pathOf(source: string): RustPath {
  const lt = source.indexOf('<');
  const head = lt >= 0 ? source.slice(0, lt) : source;
  return head.replace(/\s+/g, '').split('::').filter((segment) => segment.length > 0);
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Leading whitespace of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

/** True when only whitespace precedes `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  const start = lineStart(text, offset);
  return text.slice(start, offset).trim() === '';
}

/** Offset just before `offset`: its line start when it begins the line, else the offset itself. */
export function insertBefore(text: string, offset: number): number {
  return startsLine(text, offset) ? lineStart(text, offset) : offset;
}

/** Start of the line after the one holding `offset` (end of text when there is none). */
export function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/**
 * Insertion point before the closing brace of a `{ ... }` node. `first` is the
 * first statement/item inside (for its indentation); `fallbackIndentAt` is an
 * offset whose line indentation plus four spaces is used when there is none.
 */
export function braceInsert(text: string, block: Node, first: Node | undefined, fallbackIndentAt: number): InsertionPoint {
  const close = text[block.endIndex - 1] === '}' ? block.endIndex - 1 : block.endIndex;
  const indent = first && startsLine(text, first.startIndex)
    ? indentAt(text, first.startIndex)
    : indentAt(text, fallbackIndentAt) + '    ';
  return { offset: insertBefore(text, close), indent };
}

/** String literal contents (plain or raw), without unescaping. */
export function stringValue(source: string): string | undefined {
  const match = /^b?r?(#*)"([\s\S]*)"\1$/.exec(source);
  return match ? match[2] : undefined;
}

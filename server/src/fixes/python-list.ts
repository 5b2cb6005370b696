import type { Span } from '../facts/types';
import type { TextEdit } from './types';
import { eolOf, indentOfLine, insideTemplateConditional, isBlank, lineStartOf, nextLineStart } from './text-utils';

export interface ListShape {
  file: string;
  text: string;
  /** The items as they stand (names of an import, string literals of `__all__`). */
  items: Span[];
  /** Where the list starts (the statement or the literal); used to tell template-conditional items. */
  from: number;
  /** Offset just inside the opening bracket, for an empty list. */
  emptyInsertAt?: number;
}

/**
 * Adds an item after the last (unconditional) item of a list, in the list's
 * own style: one per line with the same indentation, or inline after `, `;
 * a trailing comma stays trailing.
 */
export function addListItem(list: ListShape, item: string, condition?: string): TextEdit | undefined {
  const { text, file } = list;
  const candidates = list.items.filter((s) => !insideTemplateConditional(text, list.from, s.start));
  const last = candidates[candidates.length - 1];
  if (!last) {
    return list.emptyInsertAt === undefined ? undefined : { file, start: list.emptyInsertAt, end: list.emptyInsertAt, newText: item };
  }
  const idx = list.items.indexOf(last);
  const previousStart = idx > 0 ? list.items[idx - 1].start : list.from;
  const multiline = lineStartOf(text, previousStart) !== lineStartOf(text, last.start);
  const comma = /^[ \t]*,/.exec(text.slice(last.end, last.end + 100));
  const eol = eolOf(text);
  // In a template, an item only some variants have goes inside `{% if %}`.
  const open = condition ? `{% if ${condition} %}` : '';
  const close = condition ? '{% endif %}' : '';
  if (multiline) {
    const indent = indentOfLine(text, last.start);
    if (comma) {
      const at = last.end + comma[0].length;
      return { file, start: at, end: at, newText: `${eol}${indent}${open}${item},${close}` };
    }
    return { file, start: last.end, end: last.end, newText: `${open},${eol}${indent}${item}${close}` };
  }
  if (comma) {
    const at = last.end + comma[0].length;
    return { file, start: at, end: at, newText: ` ${open}${item},${close}` };
  }
  return { file, start: last.end, end: last.end, newText: `${open}, ${item}${close}` };
}

/**
 * Removes one item from a comma-separated list: its whole line when it stands
 * alone on it, else the item and one adjacent comma. Returns undefined when it
 * is the only item (the caller removes the statement instead).
 */
export function removeListItem(file: string, text: string, span: Span): TextEdit | undefined {
  const after = /^[ \t]*,[ \t]*/.exec(text.slice(span.end, span.end + 200));
  const lineStart = lineStartOf(text, span.start);
  const lineEnd = nextLineStart(text, span.end);
  if (after) {
    const rest = text.slice(span.end + after[0].length, lineEnd);
    if (isBlank(text.slice(lineStart, span.start)) && /^[ \t]*(#.*)?\r?\n?$/.test(rest)) {
      return { file, start: lineStart, end: lineEnd, newText: '' };
    }
    return { file, start: span.start, end: span.end + after[0].length, newText: '' };
  }
  const before = /,\s*$/.exec(text.slice(Math.max(0, span.start - 200), span.start));
  if (!before) return undefined;
  return { file, start: span.start - before[0].length, end: span.end, newText: '' };
}

/** Removes the full lines a statement occupies. */
export function removeLines(file: string, text: string, span: Span): TextEdit {
  return { file, start: lineStartOf(text, span.start), end: nextLineStart(text, Math.max(span.start, span.end - 1)), newText: '' };
}

const SKIP = /(?:[ \t\r\n\f]|#[^\r\n]*|\\\r?\n)*/y;

/** Offset of the next token at or after `pos`: skips whitespace, comments and line continuations. */
export function skipBlank(text: string, pos: number): number {
  SKIP.lastIndex = pos;
  SKIP.exec(text);
  return SKIP.lastIndex;
}

/**
 * Reads the comma-separated items in text[start, end) with `readItem`, from the
 * text alone (long lists cost no tree calls). Null when something does not read
 * back as an item, so the caller can fall back to the tree.
 */
export function readList<T>(
  text: string,
  start: number,
  end: number,
  readItem: (pos: number) => { value: T; end: number } | null,
): T[] | null {
  const items: T[] = [];
  let pos = skipBlank(text, start);
  while (pos < end) {
    const item = readItem(pos);
    if (!item || item.end > end) return null;
    items.push(item.value);
    pos = skipBlank(text, item.end);
    if (pos >= end) break;
    if (text.charCodeAt(pos) !== 44 /* , */) return null;
    pos = skipBlank(text, pos + 1);
  }
  return items;
}

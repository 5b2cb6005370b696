/**
 * Position conversion for one text. Offsets are UTF-16 code units (JavaScript
 * string indices, which is also what web-tree-sitter reports); lines and
 * characters are 0-based UTF-16 positions as in LSP. CRLF counts as one line
 * break; a position never lands between CR and LF.
 */
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    this.starts = starts;
    // Without CRs, line breaks are found by `indexOf`, which is as quick on a
    // big text indexed once (a generated dispatcher) as in optimized code; a
    // loop over every character would run unoptimized there.
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset just past the line's content (before its line break). */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1] - 1;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13 && this.text.charCodeAt(end) === 10) end--;
    return end;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    const character = Math.min(clamped, this.lineEnd(low)) - this.starts[low];
    return { line: low, character };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  /** The text's line break: the first one found, or '\n'. */
  get eol(): string {
    const lf = this.text.indexOf('\n');
    if (lf > 0 && this.text.charCodeAt(lf - 1) === 13) return '\r\n';
    if (lf < 0 && this.text.includes('\r')) return '\r';
    return '\n';
  }
}

/** The edit that turns `before` into `after`: [start, oldEnd) replaced by [start, newEnd). */
export interface EditRegion {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The last pair of texts `editRegion` compared, and its answer: the checker and the index ask for the same edit in turn. */
let last: { before: string; after: string; edit: EditRegion } | undefined;

export function editRegion(before: string, after: string): EditRegion {
  if (last && last.before === before && last.after === after) return { ...last.edit };
  const edit = computeEditRegion(before, after);
  last = { before, after, edit: { ...edit } };
  return edit;
}

function computeEditRegion(before: string, after: string): EditRegion {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

/** A row and column (UTF-16 code units from the line start) in a text. */
export interface Point {
  row: number;
  column: number;
}

/**
 * Where `offset` is in `text`, counted on from `from` (the point of
 * `fromOffset`, not after `offset`) as tree-sitter counts: a row ends at each
 * LF, so a CR alone, or before an LF, is a character of its line; columns in
 * UTF-16 code units.
 */
export function pointAfter(text: string, from: Point, fromOffset: number, offset: number): Point {
  let { row } = from;
  let lineStart = fromOffset - from.column;
  for (let i = text.indexOf('\n', fromOffset); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * The three points of an edit (see `editRegion`), for tree-sitter's
 * `Tree.edit`: where it starts (the same in both texts), where it ended in
 * `before` and where it ends in `after`. Only the text up to the edit and the
 * changed parts are scanned (no line table of either text is built).
 */
export function editPoints(before: string, after: string, edit: EditRegion): { start: Point; oldEnd: Point; newEnd: Point } {
  // Both texts agree up to the edit.
  const start = pointAfter(before, { row: 0, column: 0 }, 0, edit.start);
  return {
    start,
    oldEnd: pointAfter(before, start, edit.start, edit.oldEnd),
    newEnd: pointAfter(after, start, edit.start, edit.newEnd),
  };
}

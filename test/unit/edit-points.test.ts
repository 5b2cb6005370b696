import * as assert from 'node:assert/strict';
import { editPoints, editRegion } from '../../server/src/parsing/text';
import { mulberry32 } from '../bench/generate';

/** Tree-sitter's point of an offset: a row ends at each LF (a CR alone is a character of its line), columns in UTF-16 code units. */
function treeSitterPoint(text: string, offset: number) {
  const lineStart = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  let row = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  return { row, column: offset - lineStart };
}

/** The points of the edit between two texts, counted naively. */
function naive(before: string, after: string) {
  const edit = editRegion(before, after);
  return { start: treeSitterPoint(before, edit.start), oldEnd: treeSitterPoint(before, edit.oldEnd), newEnd: treeSitterPoint(after, edit.newEnd) };
}

const rng = mulberry32(7);
const random = (n: number) => Math.floor(rng() * n);

describe('edit regions', () => {
  it('are found again for the same pair of texts, and afresh for any other', () => {
    const a = 'fn a() {}\n'.repeat(100);
    const b = a.slice(0, 500) + 'x' + a.slice(500);
    const c = a.slice(0, 20) + a.slice(25);
    assert.deepEqual(editRegion(a, b), { start: 500, oldEnd: 500, newEnd: 501 });
    const again = editRegion(a, b);
    assert.deepEqual(again, { start: 500, oldEnd: 500, newEnd: 501 });
    again.start = 0; // an answer is the caller's own
    assert.deepEqual(editRegion(a, b), { start: 500, oldEnd: 500, newEnd: 501 });
    assert.deepEqual(editRegion(a, c), { start: 20, oldEnd: 25, newEnd: 20 });
    assert.deepEqual(editRegion(b, a), { start: 500, oldEnd: 501, newEnd: 500 });
    assert.deepEqual(editRegion(a, a), { start: a.length, oldEnd: a.length, newEnd: a.length });
  });
});

describe('edit points for incremental parsing', () => {
  it('are the points tree-sitter counts, for LF, CRLF, CR and non-ASCII text', () => {
    const cases: [string, string][] = [
      ['fn a() {}\nfn b() {}\n', 'fn a() {}\nfn bc() {}\n'],
      ['a\r\nb\r\nc', 'a\r\nXY\r\nb\r\nc'],
      ['a\r\nb', 'a\nb'],
      ['a\rb\rc', 'a\rb\r\rc'],
      ['é🎉\nx', 'é🎉\ny\nz'],
      ['', 'new\ntext'],
      ['old\ntext', ''],
    ];
    for (const [before, after] of cases) {
      assert.deepEqual(editPoints(before, after, editRegion(before, after)), naive(before, after), JSON.stringify([before, after]));
    }
  });

  it('are the points tree-sitter counts, for random edits of texts with every kind of line break', () => {
    const pieces = ['\n', '\r\n', '\r', 'x', 'yz', ' ', 'é'];
    const text = (n: number) => Array.from({ length: n }, () => pieces[random(pieces.length)]).join('');
    for (let i = 0; i < 500; i++) {
      const before = text(random(30));
      const at = random(before.length + 1);
      const cut = Math.min(before.length, at + random(5));
      const after = before.slice(0, at) + text(random(6)) + before.slice(cut);
      assert.deepEqual(editPoints(before, after, editRegion(before, after)), naive(before, after), JSON.stringify([before, after]));
    }
  });
});

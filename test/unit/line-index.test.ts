import * as assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/parsing/text';

/** Line starts by a regular expression: after every CRLF, LF or lone CR. */
function referenceStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\n|\r/g)) starts.push(m.index! + m[0].length);
  return starts;
}

const TEXTS: [string, string][] = [
  ['empty', ''],
  ['one line without a break', 'fn main() {}'],
  ['LF only, trailing break', 'a\nbb\n\nccc\n'],
  ['LF only, no trailing break', 'a\nbb\nccc'],
  ['breaks only', '\n\n\n'],
  ['CRLF', 'a\r\nbb\r\n\r\nccc'],
  ['lone CR', 'a\rbb\r'],
  ['mixed', 'a\r\nb\nc\rd\r\n'],
  ['CR at the very end after LF lines', 'a\nb\r'],
];

describe('LineIndex', () => {
  for (const [name, text] of TEXTS) {
    it(`maps offsets and positions both ways: ${name}`, () => {
      const lines = new LineIndex(text);
      const starts = referenceStarts(text);
      assert.equal(lines.lineCount, starts.length);
      starts.forEach((start, line) => {
        assert.equal(lines.lineStart(line), start);
        assert.deepEqual(lines.positionAt(start), { line, character: 0 });
        assert.equal(lines.offsetAt({ line, character: 0 }), start);
      });
      // Every offset maps to a position and back, except those inside a CRLF, which land before it.
      for (let offset = 0; offset <= text.length; offset++) {
        const back = lines.offsetAt(lines.positionAt(offset));
        const insideCrlf = text[offset - 1] === '\r' && text[offset] === '\n';
        assert.equal(back, insideCrlf ? offset - 1 : offset, `offset ${offset}`);
      }
    });
  }

  it('indexes a big text without CRs like the character loop does', () => {
    const text = 'x = 1\n'.repeat(50000) + 'tail';
    const lines = new LineIndex(text);
    assert.equal(lines.lineCount, 50001);
    assert.deepEqual(lines.positionAt(text.length), { line: 50000, character: 4 });
    assert.equal(lines.offsetAt({ line: 25000, character: 2 }), 25000 * 6 + 2);
  });
});

import * as assert from 'node:assert/strict';
import { percentProgress } from '../../server/src/lsp/progress';

describe('indexing progress', () => {
  it('is sent once per percentage, rising, however often reading calls back', () => {
    const sent: [number, string][] = [];
    const report = percentProgress((percent, message) => sent.push([percent, message]));
    for (let done = 0; done <= 5000; done += 7) report(done, 5000);
    report(5000, 5000);
    report(5000, 5000);
    assert.deepEqual(sent.map(([p]) => p), Array.from({ length: 101 }, (_, i) => i));
    assert.deepEqual(sent[sent.length - 1], [100, '5000/5000 files']);
  });

  it('shows a folder with nothing to read as done', () => {
    const sent: number[] = [];
    percentProgress((percent) => sent.push(percent))(0, 0);
    assert.deepEqual(sent, [100]);
  });
});

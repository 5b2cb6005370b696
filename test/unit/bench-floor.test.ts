import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseInputOf } from '../../server/src/index/extract';
import { floorProcess, ParsedText, parsedLength, splitByLength } from '../bench/floor';
import { temporaryFolders } from './helpers/workspace';

describe("the benchmark's floor", function () {
  this.timeout(60000);

  describe('splitByLength', () => {
    it('places every index once, longest first to the least filled share', () => {
      const shares = splitByLength([5, 9, 1, 7, 3, 3], 2);
      assert.deepEqual(shares, [
        [1, 4, 5],
        [3, 0, 2],
      ]);
      const totals = shares.map((s) => s.reduce((n, i) => n + [5, 9, 1, 7, 3, 3][i], 0));
      assert.deepEqual(totals, [15, 13]);
    });

    it('keeps shares apart that get nothing, and takes at least one share', () => {
      assert.deepEqual(splitByLength([4], 3), [[0], [], []]);
      assert.deepEqual(splitByLength([], 2), [[], []]);
      assert.deepEqual(splitByLength([2, 1], 0), [[0, 1]]);
    });

    it('breaks ties between equal lengths by index', () => {
      assert.deepEqual(splitByLength([2, 2, 2, 2], 2), [
        [0, 2],
        [1, 3],
      ]);
    });
  });

  it('weighs a text by what the parse reads of it', () => {
    const plain = 'x = 1\n';
    assert.equal(parsedLength(parseInputOf('python', plain)), plain.length);
    const block = 'if hasattr(_backend_module, "A"):\n    A = _backend_module.A\n';
    const dispatcher = `import os\n${block.repeat(3)}`;
    const input = parseInputOf('python', dispatcher);
    assert.ok(input.skip.length > 0);
    assert.equal(parsedLength(input), 'import os\n'.length);
  });

  describe('floorProcess', () => {
    const folder = temporaryFolders('bindings-floor-');
    const texts: ParsedText[] = [
      { language: 'rust', text: '#[pyfunction]\nfn a() -> i32 { 1 }\n' },
      { language: 'python', text: 'from .cloaca import A\n__all__ = ["A"]\n' },
      { language: 'rust', text: 'mod x;\n#[pyclass]\nstruct B { v: i32 }\n'.repeat(50) },
      { language: 'toml', text: '[lib]\nname = "cloaca"\n' },
      { language: 'python', text: 'def test_a():\n    assert cloaca.A\n'.repeat(20) },
    ];
    const logOf = () => {
      const file = path.join(folder(), 'log.json');
      fs.writeFileSync(file, JSON.stringify(texts));
      return file;
    };

    it('parses every text on one thread', async () => {
      const r = await floorProcess(logOf(), 1);
      assert.equal(r.threads, 1);
      assert.deepEqual(r.textsByThread, [5]);
      assert.deepEqual(r.msByThread, [r.ms]);
      assert.ok(r.ms > 0 && r.byLanguage.rust > 0 && r.byLanguage.python > 0 && r.byLanguage.toml > 0);
    });

    it('splits the texts over threads, each parsing its share', async () => {
      const r = await floorProcess(logOf(), 2);
      assert.equal(r.threads, 2);
      // The two longest texts go to different threads.
      assert.deepEqual(r.textsByThread, [1, 4]);
      assert.equal(r.msByThread.length, 2);
      assert.ok(r.msByThread.every((ms) => ms > 0 && ms <= r.ms));
      assert.ok(r.ms > 0 && r.byLanguage.rust > 0 && r.byLanguage.python > 0 && r.byLanguage.toml > 0);
    });

    it('fails, naming why, when the texts cannot be read', async () => {
      await assert.rejects(floorProcess(path.join(folder(), 'missing.json'), 2), /ENOENT|no such file/);
    });
  });
});

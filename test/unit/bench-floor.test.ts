import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseInputOf } from '../../server/src/index/extract';
import { floorProcess, msPerChar, ParsedText, parsedLength, shareTexts, splitByLength } from '../bench/floor';
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

  it("splits texts by what the parse reads of them, weighed by their language's time per character", () => {
    const rust = 'use a::b;\n'.repeat(10);
    const python = 'import ab\n'.repeat(10);
    assert.equal(parsedLength(parseInputOf('rust', rust)), 100);
    assert.equal(parsedLength(parseInputOf('python', python)), 100);
    const log: ParsedText[] = [
      { language: 'rust', text: rust },
      { language: 'python', text: python },
      { language: 'rust', text: rust },
      { language: 'python', text: python },
    ];
    // Alike: taken in turn.
    assert.deepEqual(shareTexts(log, 2), [
      [0, 2],
      [1, 3],
    ]);
    // Rust three times as slow: one Rust text and one Python text each.
    assert.deepEqual(shareTexts(log, 2, { rust: 3, python: 1 }), [
      [0, 1],
      [2, 3],
    ]);
    // A language without a weight weighs as the mean of the others.
    assert.deepEqual(shareTexts(log, 2, { rust: 3 }), [
      [0, 2],
      [1, 3],
    ]);
  });

  it('weighs each language by its time per character on one thread', () => {
    assert.deepEqual(msPerChar({ byLanguage: { rust: 30, python: 10, toml: 0 }, charsByLanguage: { rust: 10, python: 20, toml: 0 } }), {
      rust: 3,
      python: 0.5,
    });
  });

  describe('floorProcess', () => {
    const folder = temporaryFolders('bindings-floor-');
    const texts: ParsedText[] = [
      { language: 'rust', text: '#[pyfunction]\nfn a() -> i32 { 1 }\n' },
      { language: 'python', text: 'from .cloaca import A\n__all__ = ["A"]\n' },
      { language: 'rust', text: 'mod x;\n#[pyclass]\nstruct B {\n    v: i32,\n}\n'.repeat(50) },
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
      assert.equal(r.charsByLanguage.toml, texts[3].text.length);
      const read = (i: number) => parsedLength(parseInputOf(texts[i].language, texts[i].text));
      assert.equal(r.charsByLanguage.rust, read(0) + read(2));
      assert.equal(r.charsByLanguage.python, read(1) + read(4));
      assert.ok(r.ms > 0 && r.byLanguage.rust > 0 && r.byLanguage.python > 0 && r.byLanguage.toml > 0);
    });

    it('parses the texts whole, nothing skipped, when asked', async () => {
      const r = await floorProcess(logOf(), 1, {}, true);
      assert.equal(r.threads, 1);
      assert.deepEqual(r.textsByThread, [5]);
      assert.equal(r.charsByLanguage.rust, texts[0].text.length + texts[2].text.length);
      assert.equal(r.charsByLanguage.python, texts[1].text.length + texts[4].text.length);
      // The struct bodies are what the check's parse leaves out of the Rust texts.
      const read = (i: number) => parsedLength(parseInputOf(texts[i].language, texts[i].text));
      assert.ok(read(2) < texts[2].text.length);
      await assert.rejects(floorProcess(logOf(), 2, {}, true), /one thread only/);
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

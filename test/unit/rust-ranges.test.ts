import * as assert from 'node:assert/strict';
import { Parsers, rangesWithout, readsWithin } from '../../server/src/parsing/parsers';
import { hasattrBlockSpans, plainHasattrBlocks } from '../../server/src/parsing/python-skip';
import { unreadRanges } from '../../server/src/parsing/rust-skip';
import { blankSpans } from './helpers/skip';
import { dumpTree as dump } from './helpers/tree';

describe('parsing with skipped spans', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  /** The tree of `text` with `skip` left out, and the tree of the same text with those spans blanked, are the same. */
  function assertSkipIsBlank(language: 'rust' | 'python', text: string, skip: readonly (readonly [number, number])[]): void {
    const skipped = parsers.parse(language, text, undefined, skip);
    const blanked = parsers.parse(language, blankSpans(text, skip));
    try {
      assert.deepEqual(dump(skipped), dump(blanked));
    } finally {
      skipped.delete();
      blanked.delete();
    }
  }

  it('Rust: skipping the unread bodies gives the tree, offsets and positions of the blanked text (CRLF, non-ASCII, errors)', () => {
    const body = Array.from({ length: 30 }, (_, i) => `    let s${i} = "é🎉 {}"; // ☕ ${i}`).join('\n');
    const source = `//! Café\n#[pyfunction]\nfn f(x: i32) -> i32 {\n${body}\n    x\n}\n#[pyclass(name = "Évènement")]\nstruct E;\nimpl E {\n${body}\n}\nfn g() {\n    1\n}\nfn broken(x: i32 {\n`;
    for (const text of [source, source.replace(/\n/g, '\r\n')]) {
      const skip = unreadRanges(text);
      assert.equal(skip.length, 3);
      assertSkipIsBlank('rust', text, skip);
    }
  });

  it('Python: skipping plain hasattr blocks gives the tree of the blanked text (indentation, CRLF, CR, a last line without break)', () => {
    const block = (name: string, eol: string) => `if hasattr(_m, "${name}"):${eol}    ${name} = _m.${name}${eol}`;
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = [
        `import cloaca_x as _m${eol}`,
        block('A', eol), block('B', eol), eol,
        `def f():${eol}    if x:${eol}        return 1${eol}`,
        block('Ü', eol),
        `class C:${eol}    y = 2${eol}`,
        block('D', eol).trimEnd(),
      ].join('');
      const blocks = plainHasattrBlocks(text) ?? [];
      assert.deepEqual(blocks.map((b) => b.name), ['A', 'B', 'Ü', 'D'], JSON.stringify(eol));
      const skip = hasattrBlockSpans(text, blocks);
      assert.equal(skip.length, 3, 'adjacent blocks are one span');
      assertSkipIsBlank('python', text, skip);
    }
  });

  it('a text skipped whole parses as an empty file', () => {
    const text = 'if hasattr(m, "A"):\n    A = m.A\n';
    const tree = parsers.parse('python', text, undefined, [[0, text.length]]);
    try {
      assert.equal(tree.rootNode.type, 'module');
      assert.equal(tree.rootNode.namedChildCount, 0);
      assert.equal(tree.rootNode.hasError, false);
    } finally {
      tree.delete();
    }
  });

  it('Rust: a kept range far longer than a read, between skipped bodies', () => {
    const variants = Array.from({ length: 3000 }, (_, i) => `    Variant${i},`).join('\n');
    const text = `#[pyclass]\nstruct A;\nimpl A {\n    fn f(&self) {}\n}\n#[pyclass]\nenum Big {\n${variants}\n}\nimpl Big {\n    fn g(&self) {}\n}\n`;
    const skip = unreadRanges(text);
    assert.equal(skip.length, 2);
    assert.ok(text.length > 40000);
    assertSkipIsBlank('rust', text, skip);
  });

  it('readsWithin: each read ends where its included range ends', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz';
    const ranges = rangesWithout(text, [[3, 10], [15, 20]]);
    const read = readsWithin(text, ranges);
    assert.equal(read(0), 'abc');
    assert.equal(read(1), 'bc');
    // In a skipped span (never asked for by tree-sitter): up to the end of the next range.
    assert.equal(read(5), 'fghijklmno');
    assert.equal(read(10), 'klmno');
    assert.equal(read(20), 'uvwxyz');
    // Back again, and at the end.
    assert.equal(read(2), 'c');
    assert.equal(read(26), '');
    assert.equal(read(30), '');
  });

  it('rangesWithout: the complement of the spans, with rows and columns', () => {
    const text = 'ab\ncd\r\nef';
    assert.deepEqual(rangesWithout(text, [[1, 4], [7, 8]]), [
      { startIndex: 0, endIndex: 1, startPosition: { row: 0, column: 0 }, endPosition: { row: 0, column: 1 } },
      { startIndex: 4, endIndex: 7, startPosition: { row: 1, column: 1 }, endPosition: { row: 2, column: 0 } },
      { startIndex: 8, endIndex: 9, startPosition: { row: 2, column: 1 }, endPosition: { row: 2, column: 2 } },
    ]);
    assert.deepEqual(rangesWithout(text, [[0, 9]]), [
      { startIndex: 9, endIndex: 9, startPosition: { row: 2, column: 2 }, endPosition: { row: 2, column: 2 } },
    ]);
  });
});

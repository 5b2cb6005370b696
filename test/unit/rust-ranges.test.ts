import * as assert from 'node:assert/strict';
import type { Tree } from 'web-tree-sitter';
import { includedRangesOf, Parsers } from '../../server/src/parsing/parsers';
import { blankUnreadBodies } from '../../server/src/parsing/rust-blank';
import { codeWhitespaceRuns } from '../../server/src/parsing/rust-lexer';

/** Every node: type, offsets, positions, missing/error flags. */
function dump(tree: Tree): string[] {
  const out: string[] = [];
  const cursor = tree.walk();
  for (;;) {
    const n = cursor.currentNode;
    out.push(`${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}${n.isMissing ? ' missing' : ''}`);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return out;
  }
}

const pad = (n: number) => ' '.repeat(n);

describe('Rust parse without long code-level whitespace runs', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  it('finds runs at code level only (not in strings, raw strings, comments)', () => {
    const text = `a${pad(300)}b "${pad(300)}" r#"${pad(300)}"# /* ${pad(300)} */ // ${pad(300)}\n${pad(299)}c '"'${pad(300)}d`;
    const runs = codeWhitespaceRuns(text, 256).map(([s, e]) => [text[s - 1], e - s, text[e]]);
    // The run after the line comment starts at its line break.
    assert.deepEqual(runs, [['a', 300, 'b'], [' ', 300, 'c'], ["'", 300, 'd']]);
  });

  it('gives the same tree, offsets and positions as a plain parse (CRLF, non-ASCII, errors)', () => {
    const body = Array.from({ length: 30 }, (_, i) => `    let s${i} = "é🎉 {}"; // ☕ ${i}`).join('\n');
    const source = `//! Café\n#[pyfunction]\nfn f(x: i32) -> i32 {\n${body}\n    x\n}\n#[pyclass(name = "Évènement")]\nstruct E;\nimpl E {\n${body}\n}\nfn broken(x: i32 {\n`;
    for (const text of [blankUnreadBodies(source), blankUnreadBodies(source.replace(/\n/g, '\r\n'))]) {
      assert.ok(includedRangesOf(text), 'the blanked bodies are left out');
      const plain = (parsers as unknown as { parsers: Map<string, { parse(t: string): Tree }> }).parsers.get('rust')!.parse(text);
      const ranged = parsers.parse('rust', text);
      try {
        assert.deepEqual(dump(ranged), dump(plain));
      } finally {
        plain.delete();
        ranged.delete();
      }
    }
  });

  it('parses text without long runs as it is', () => {
    assert.equal(includedRangesOf('fn main() {}\n'), undefined);
    assert.equal(includedRangesOf(pad(1000)), undefined);
  });
});

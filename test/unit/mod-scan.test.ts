import * as assert from 'node:assert/strict';
import { scanModDeclarations } from '../../server/src/index/mod-scan';
import { CodeLevel } from '../../server/src/parsing/rust-lexer';

/** name, pathAttr, cfg features and the text of the span of each declaration. */
function scan(text: string) {
  return scanModDeclarations(text).map((m) => ({
    name: m.name,
    text: text.slice(m.span.start, m.span.end),
    ...(m.pathAttr !== undefined ? { pathAttr: m.pathAttr } : {}),
    ...(m.cfg.length ? { cfg: m.cfg.map((c) => (c.kind === 'feature' ? c.name : c.kind)) } : {}),
  }));
}

describe('mod scan (files without bindings)', () => {
  it('finds plain, pub, pub(crate), attributed and path declarations', () => {
    const text = [
      'mod a;',
      'pub mod b ;',
      'pub(crate) mod c;',
      '#[cfg(feature = "x")]',
      '#[path = "other/d.rs"]',
      'pub mod d;',
      'mod inline { fn f() {} }',
    ].join('\n');
    assert.deepEqual(scan(text), [
      { name: 'a', text: 'mod a;' },
      { name: 'b', text: 'pub mod b ;' },
      { name: 'c', text: 'pub(crate) mod c;' },
      { name: 'd', text: '#[cfg(feature = "x")]\n#[path = "other/d.rs"]\npub mod d;', pathAttr: 'other/d.rs', cfg: ['x'] },
    ]);
  });

  it('ignores mod inside comments, strings, raw strings and char-adjacent text', () => {
    const text = [
      '// mod c1;',
      '/* outer /* nested */ mod c2; */',
      '/// mod c3;',
      'const S: &str = "mod s1; \\" mod s2;";',
      'const R: &str = r#"mod r1; "# ;',
      'const B: &[u8] = br##"mod r2;"#mod r3;"##;',
      "const Q: char = '\"'; mod real1;",
      "fn f<'a>(x: &'a str) {} mod real2;",
      'let mymod = 1; r#mod;',
      'mod real3;',
    ].join('\n');
    assert.deepEqual(scan(text).map((m) => m.name), ['real1', 'real2', 'real3']);
  });

  it('drops attributes that are commented out but keeps the declaration', () => {
    const text = '// #[cfg(feature = "gone")]\n#[cfg(feature = "kept")]\nmod a;\n/* #[path = "x.rs"] */ mod b;\n';
    assert.deepEqual(scan(text), [
      { name: 'a', text: '#[cfg(feature = "kept")]\nmod a;', cfg: ['kept'] },
      { name: 'b', text: 'mod b;' },
    ]);
  });

  it('returns nothing for text without mod', () => {
    assert.deepEqual(scanModDeclarations('fn main() { println!("hi"); }\n'), []);
  });

  it('CodeLevel tells code from comments and literals, in one forward scan', () => {
    const text = `a // b\nc /* d */ e "f\\"g" h '"' i 'j x b"k" l r#"m"# n`;
    const code = new CodeLevel(text);
    const at = (s: string) => text.indexOf(s);
    const expected: [string, boolean][] = [
      ['a', true], ['b', false], ['c', true], ['d', false], ['e', true], ['f', false], ['h', true],
      ['i', true], ['x', true], ['k', false], ['l', true], ['m', false], ['n', true],
    ];
    for (const [s, isCode] of expected) assert.equal(code.isCode(at(s)), isCode, s);
  });
});

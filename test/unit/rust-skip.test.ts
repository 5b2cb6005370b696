import * as assert from 'node:assert/strict';
import { unreadRanges } from '../../server/src/parsing/rust-skip';
import { blankSpans } from './helpers/skip';

/** The text as the parse reads it: the unread bodies left out (shown as spaces). */
const blankUnreadBodies = (text: string) => blankSpans(text, unreadRanges(text));

/** The texts of the skipped ranges. */
function blanked(text: string): string[] {
  return unreadRanges(text).map(([start, end]) => text.slice(start, end));
}

describe('Rust pre-pass: the bodies the facts never read, which the parse skips', () => {
  it('skips impl bodies and plain fn bodies from their first line break, keeps the rest', () => {
    const text = `#[pyclass]
struct A { x: u32 }

#[pymethods]
impl A {
    fn get(&self) -> u32 { self.x }
}

#[pyfunction]
fn f(x: i32) -> i32 { // first line kept
    x + 1
}
`;
    const out = blankUnreadBodies(text);
    assert.equal(out.length, text.length);
    assert.deepEqual(blanked(text), ['\n    fn get(&self) -> u32 { self.x }\n', '\n    x + 1\n']);
    assert.equal(out, `#[pyclass]
struct A { x: u32 }

#[pymethods]
impl A {
                                   
}

#[pyfunction]
fn f(x: i32) -> i32 { // first line kept
         
}
`);
  });

  it('keeps #[pymodule], #[pymodule_init] and fns whose signature mentions PyModule', () => {
    const text = `#[pymodule]
fn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<A>()?;
    Ok(())
}
#[pyo3::pymodule(name = "x")]
fn ext2(py: Python, m: &PyModule) {
    register(m)
}
fn helper(m: &Bound<PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(f, m)?)
}
#[pymodule]
mod decl {
    #[pymodule_export]
    use super::A;
    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("X", 1)
    }
    #[pyfunction]
    fn inside() -> u8 {
        1
    }
    #[pyclass]
    enum E { One, Two }
}
`;
    assert.deepEqual(blanked(text), ['\n        1\n    ']);
  });

  it('reads through nested inline mods, skips struct fields, keeps enum/trait/macro/const bodies', () => {
    const text = `mod a {
    pub(crate) mod b {
        pub unsafe fn deep() {
            body();
        }
    }
    pub struct S {
        f: fn() -> u8,
    }
    trait T {
        fn provided(&self) {
            keep();
        }
    }
    const C: S = S {
        f: g,
    };
    macro_rules! m {
        () => { fn not_an_item() {
            x
        } };
    }
    create_exception!(a, Err, PyException);
    extern "C" {
        fn ffi();
    }
}
`;
    assert.deepEqual(blanked(text), ['\n            body();\n        ', '\n        f: fn() -> u8,\n    ']);
  });

  it('skips comments that fill their lines at item level, but inner docs, checker marks and comments after code', () => {
    const text = [
      '//! Crate docs.',
      '// A plain comment.',
      '/// Docs of A.',
      '    ///   indented',
      '#[pyclass] // after code',
      'struct A;',
      '// bindings-checklist: internal',
      'fn f(m: &PyModule) {',
      '    // inside a kept body',
      '}',
      'mod inner {',
      '    /// Docs of B.',
      '    struct B;',
      '}',
      '/// last line, no line break',
    ].join('\r\n');
    assert.deepEqual(blanked(text), [
      '// A plain comment.\r\n',
      '/// Docs of A.\r\n',
      '    ///   indented\r\n',
      '    /// Docs of B.\r\n',
      '/// last line, no line break',
    ]);
  });

  it('is not fooled by braces in comments, strings, raw strings, chars; knows lifetimes', () => {
    const text = `fn a<'a>(s: &'a str) -> &'a str {
    let c = '{'; let d = b'}'; let e = '\\'';
    let s = "}\\" }"; let r = r#"}" }"#; let b = br"}";
    /* } /* nested } */ } */ // }
    s
}
#[pyclass]
struct After;
`;
    assert.deepEqual(blanked(text), [text.slice(text.indexOf('\n'), text.indexOf('\n}') + 1)]);
    const out = blankUnreadBodies(text);
    assert.ok(out.endsWith('}\n#[pyclass]\nstruct After;\n'));
  });

  it('finds the body after generics, where clauses, const generic braces and arrays', () => {
    const text = `impl<T: Into<u8>, const N: usize> Foo<T, { N }> where T: Fn() -> u8 {
    fn x() {}
}
fn g<F>(f: F) -> [u8; { 3 }] where F: Fn(u8) -> Vec<u8> {
    body
}
`;
    assert.deepEqual(blanked(text), ['\n    fn x() {}\n', '\n    body\n']);
  });

  it('keeps a body that is not closed, and bodies on one line', () => {
    assert.deepEqual(blanked('fn f() { x }\nimpl A { fn g() {} }\n'), []);
    assert.deepEqual(blanked('fn f() {\n    x\n\n#[pyclass]\nstruct C;\n'), []);
  });

  it('keeps offsets: CRLF line breaks and non-ASCII text', () => {
    const text = 'fn f() {\r\n    let s = "é🎉";\r\n}\r\n#[pyclass(name = "Évènement")]\r\nstruct E;\r\n';
    const out = blankUnreadBodies(text);
    assert.equal(out.length, text.length);
    assert.equal(out.split('\n').length, text.split('\n').length);
    assert.equal(out.slice(out.indexOf('#[')), text.slice(text.indexOf('#[')));
    assert.equal(out.split('\r\n')[1].trim(), '');
  });

  it('finds nothing to skip in a file without bodies', () => {
    const text = 'use pyo3::prelude::*;\n#[pyclass]\nstruct A;\n';
    assert.deepEqual(unreadRanges(text), []);
  });
});

import * as assert from 'node:assert/strict';
import { extractRustFacts } from '../../server/src/facts/rust';
import type { RustFacts } from '../../server/src/facts/types';
import { Parsers } from '../../server/src/parsing/parsers';
import { unreadRanges } from '../../server/src/parsing/rust-skip';

/**
 * Each case is a Rust snippet and the facts expected from it. Spans are
 * compared by the text they cover; insertion points by the rest of the line
 * they point at (`at`) and their indentation. Only the keys written in the
 * expectation are compared, but arrays must have exactly the listed length.
 */
interface Case {
  name: string;
  code: string;
  expect: Record<string, unknown>;
}

/** Replaces spans by their text and insertion offsets by the rest of their line. */
function readable(value: unknown, text: string, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => readable(item, text));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ((key === 'span' || key === 'nameSpan') && typeof record.start === 'number') {
      return text.slice(record.start, record.end as number);
    }
    if (typeof record.offset === 'number' && typeof record.indent === 'string') {
      const end = text.indexOf('\n', record.offset);
      return { at: text.slice(record.offset, end < 0 ? text.length : end), indent: record.indent };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = readable(v, text, k);
    return out;
  }
  return value;
}

function assertSubset(actual: unknown, expected: unknown, where: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: length of ${JSON.stringify(actual, null, 1)}`);
    expected.forEach((item, i) => assertSubset(actual[i], item, `${where}[${i}]`));
  } else if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [key, value] of Object.entries(expected)) {
      assertSubset((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    }
  } else {
    assert.deepEqual(actual, expected, `${where}`);
  }
}

const feature = (name: string) => ({ kind: 'feature', name });
const other = (text: string) => ({ kind: 'other', text });

const cases: Case[] = [
  {
    name: 'pyclass structs with names, pyo3:: prefix and #[pyo3(name)]',
    code: `
#[pyclass(name = "Context", module = "x", subclass)]
pub struct PyContext { inner: u32 }

#[pyo3::pyclass]
struct Plain;

#[pyclass]
#[pyo3(name = "Renamed")]
struct PyRenamed(u8);

struct NotExported;
#[derive(Clone)]
struct AlsoNot;
`,
    expect: {
      items: [
        { kind: 'class', rustName: 'PyContext', pythonName: 'Context', scope: [], nameSpan: 'PyContext', span: '#[pyclass(name = "Context", module = "x", subclass)]\npub struct PyContext { inner: u32 }', cfg: [], internal: false },
        { kind: 'class', rustName: 'Plain', pythonName: 'Plain', span: '#[pyo3::pyclass]\nstruct Plain;' },
        { kind: 'class', rustName: 'PyRenamed', pythonName: 'Renamed' },
      ],
      modules: [], helpers: [], problems: [],
    },
  },
  {
    name: 'enums: #[pyclass] enum and #[pyenum]',
    code: `
#[pyclass(eq, eq_int)]
#[derive(PartialEq)]
pub enum TaskState { Pending, Running = 2, Done }

#[pyenum]
enum YourEnum { Variant1, Variant2(u8), Variant3 { x: i32 } }
`,
    expect: {
      items: [
        { kind: 'enum', rustName: 'TaskState', pythonName: 'TaskState', variants: ['Pending', 'Running', 'Done'] },
        { kind: 'enum', rustName: 'YourEnum', pythonName: 'YourEnum', variants: ['Variant1', 'Variant2', 'Variant3'] },
      ],
    },
  },
  {
    name: 'pyfunctions: names, params without py/self, return types',
    code: `
#[pyfunction]
fn hello_world() -> String { "hi".to_string() }

#[pyfunction(name = "get_backend")]
pub fn py_get_backend(py: Python<'_>, verbose: bool, mut count: Option<usize>) -> PyResult<&'static str> { Ok("x") }

#[pyfunction]
#[pyo3(name = "var", signature = (name, default = None))]
fn py_var(_py: Python, name: &str, default: Option<String>) {}

#[pyo3::pyfunction]
fn prefixed(a: i64) -> i64 { a }

#[pyfunction]
#[pyo3(signature = (name = "world", sep = ","), text_signature = "(name, sep)")]
fn greet(name: &str, sep: &str) -> String { name.to_string() }

fn plain(a: i64) -> i64 { a }
`,
    expect: {
      items: [
        { kind: 'function', rustName: 'hello_world', pythonName: 'hello_world', params: [], returns: 'String' },
        { kind: 'function', rustName: 'py_get_backend', pythonName: 'get_backend', params: [{ name: 'verbose', type: 'bool' }, { name: 'count', type: 'Option<usize>' }], returns: "PyResult<&'static str>" },
        { kind: 'function', rustName: 'py_var', pythonName: 'var', params: [{ name: 'name', type: '&str' }, { name: 'default', type: 'Option<String>' }], returns: undefined },
        { kind: 'function', rustName: 'prefixed', pythonName: 'prefixed', params: [{ name: 'a', type: 'i64' }], returns: 'i64' },
        { kind: 'function', rustName: 'greet', pythonName: 'greet' },
      ],
    },
  },
  {
    name: 'exceptions: create_exception! in both spellings, import_exception! ignored',
    code: `
create_exception!(cloaca, WorkflowError, PyException);
pyo3::create_exception!(cloaca, TaskError, PyRuntimeError, "A task failed.");
import_exception!(asyncio, CancelledError);
mod errors {
    #[cfg(feature = "postgres")]
    create_exception!(cloaca.errors, DbError, PyException);
}
`,
    expect: {
      items: [
        { kind: 'exception', rustName: 'WorkflowError', pythonName: 'WorkflowError', nameSpan: 'WorkflowError', span: 'create_exception!(cloaca, WorkflowError, PyException);', scope: [] },
        { kind: 'exception', rustName: 'TaskError', pythonName: 'TaskError', span: 'pyo3::create_exception!(cloaca, TaskError, PyRuntimeError, "A task failed.");' },
        { kind: 'exception', rustName: 'DbError', scope: ['errors'], cfg: [feature('postgres')] },
      ],
    },
  },
  {
    name: 'inline mods: scope, inherited cfgs, mod declarations with #[path]',
    code: `
#[cfg(feature = "postgres")]
pub mod pg {
    #[cfg(not(test))]
    mod inner {
        #[pyclass]
        #[cfg(target_os = "linux")]
        pub struct Conn;
    }
}
mod context;
#[path = "generated/tasks.rs"]
#[cfg(any(feature = "a", feature = "b"))]
pub(crate) mod tasks;
`,
    expect: {
      items: [
        { rustName: 'Conn', scope: ['pg', 'inner'], cfg: [feature('postgres'), { kind: 'not', item: other('test') }, other('target_os = "linux"')] },
      ],
      mods: [
        { name: 'pg', scope: [], inline: true, cfg: [feature('postgres')], pathAttr: undefined },
        { name: 'inner', scope: ['pg'], inline: true, cfg: [feature('postgres'), { kind: 'not', item: other('test') }] },
        { name: 'context', scope: [], inline: false, cfg: [], span: 'mod context;' },
        { name: 'tasks', scope: [], inline: false, pathAttr: 'generated/tasks.rs', cfg: [{ kind: 'any', items: [feature('a'), feature('b')] }], span: '#[path = "generated/tasks.rs"]\n#[cfg(any(feature = "a", feature = "b"))]\npub(crate) mod tasks;' },
      ],
    },
  },
  {
    name: 'cfg predicates: all/any/not/other, several attributes, cfg_attr ignored',
    code: `
#[cfg(all(feature = "a", any(feature = "b", unix), not(feature = "c")))]
#[cfg(test)]
#[cfg_attr(feature = "d", derive(Debug))]
#[pyclass]
struct S;
`,
    expect: {
      items: [{
        rustName: 'S',
        cfg: [
          { kind: 'all', items: [feature('a'), { kind: 'any', items: [feature('b'), other('unix')] }, { kind: 'not', item: feature('c') }] },
          other('test'),
        ],
      }],
    },
  },
  {
    name: 'internal marker: above attributes, between them, trailing; not across a blank line',
    code: `
// bindings-checklist: internal
#[pyclass]
struct Above;

/// Docs.
// bindings-checklist: internal
/// More docs.
#[pyfunction]
fn above_docs() {}

#[pyclass]
// bindings-checklist: internal
struct Between;

#[pyfunction] // bindings-checklist: internal
fn trailing_attr() {}

#[pyclass]
struct Trailing; // bindings-checklist: internal

// bindings-checklist: internal

#[pyclass]
struct Separated;

#[pyclass]
struct Public;
`,
    expect: {
      items: [
        { rustName: 'Above', internal: true },
        { rustName: 'above_docs', internal: true },
        { rustName: 'Between', internal: true },
        { rustName: 'trailing_attr', internal: true },
        { rustName: 'Trailing', internal: true },
        { rustName: 'Separated', internal: false },
        { rustName: 'Public', internal: false },
      ],
    },
  },
  {
    name: 'Bound API #[pymodule]: every registration form and wrapper',
    code: `
#[pymodule]
fn cloaca_sqlite(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<crate::context::PyContext>()?;
    module.add_class::<Plain>().unwrap();
    module.add_function(wrap_pyfunction!(hello_world, module)?)?;
    module.add_function(wrap_pyfunction!(crate::x::f, module).unwrap()).expect("register f");
    module.add_wrapped(wrap_pyfunction!(legacy))?;
    module.add_wrapped(wrap_pymodule!(submodule))?;
    module.add("__backend__", "sqlite")?;
    module.add("VERSION", env!("CARGO_PKG_VERSION"))
        .map_err(|e| e)?;
    module.add_class::<NoTry>();
    other.add_class::<Ignored>()?;
    Ok(())
}
`,
    expect: {
      modules: [{
        rustName: 'cloaca_sqlite', pythonName: 'cloaca_sqlite', style: 'function', cfg: [], exports: [], nameSpan: 'cloaca_sqlite',
        body: {
          moduleParam: 'module',
          registrations: [
            { form: 'add_class', target: ['crate', 'context', 'PyContext'], span: 'module.add_class::<crate::context::PyContext>()?;', cfg: [] },
            { form: 'add_class', target: ['Plain'], span: 'module.add_class::<Plain>().unwrap();' },
            { form: 'add_function', target: ['hello_world'], span: 'module.add_function(wrap_pyfunction!(hello_world, module)?)?;' },
            { form: 'add_function', target: ['crate', 'x', 'f'], span: 'module.add_function(wrap_pyfunction!(crate::x::f, module).unwrap()).expect("register f");' },
            { form: 'add_wrapped', target: ['legacy'] },
            { form: 'add_wrapped', target: ['submodule'], span: 'module.add_wrapped(wrap_pymodule!(submodule))?;' },
            { form: 'add', pythonName: '__backend__', valueText: '"sqlite"', target: undefined },
            { form: 'add', pythonName: 'VERSION', valueText: 'env!("CARGO_PKG_VERSION")', span: 'module.add("VERSION", env!("CARGO_PKG_VERSION"))\n        .map_err(|e| e)?;' },
            { form: 'add_class', target: ['NoTry'], span: 'module.add_class::<NoTry>();' },
          ],
          helperCalls: [],
          cfgBlocks: [],
          insert: { at: '    Ok(())', indent: '    ' },
        },
      }],
    },
  },
  {
    name: 'old API #[pymodule] with py param, names from pymodule/pyo3, pyo3:: prefix',
    code: `
#[pymodule]
fn cloaca_postgres(_py: Python, m: &PyModule) -> PyResult<()> {
    m.add_wrapped(wrap_pyfunction!(hello))?;
    Ok(())
}

#[pymodule(name = "renamed")]
fn first(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }

#[pyo3::pymodule]
#[pyo3(name = "other_name")]
fn second(py: Python<'_>, module: &Bound<'_, PyModule>) -> PyResult<()> {
}
`,
    expect: {
      modules: [
        { rustName: 'cloaca_postgres', pythonName: 'cloaca_postgres', body: { moduleParam: 'm', registrations: [{ form: 'add_wrapped', target: ['hello'] }], insert: { at: '    Ok(())', indent: '    ' } } },
        { rustName: 'first', pythonName: 'renamed', body: { moduleParam: 'm', registrations: [], insert: { at: 'Ok(()) }', indent: '    ' } } },
        { rustName: 'second', pythonName: 'other_name', body: { moduleParam: 'module', insert: { at: '}', indent: '    ' } } },
      ],
    },
  },
  {
    name: 'exceptions registered with m.add and get_type',
    code: `
#[pymodule]
fn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("WorkflowError", py.get_type::<WorkflowError>())?;
    m.add("TaskError", m.py().get_type_bound::<crate::errors::TaskError>())?;
    m.add("DbError", DbError::type_object(py))?;
    Ok(())
}
`,
    expect: {
      modules: [{
        body: {
          registrations: [
            { form: 'add', pythonName: 'WorkflowError', target: ['WorkflowError'], valueText: 'py.get_type::<WorkflowError>()' },
            { form: 'add', pythonName: 'TaskError', target: ['crate', 'errors', 'TaskError'] },
            { form: 'add', pythonName: 'DbError', target: ['DbError'] },
          ],
          helperCalls: [],
        },
      }],
    },
  },
  {
    name: 'cfg statements, cfg blocks, if cfg!, helper calls',
    code: `
#[pymodule]
fn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    #[cfg(feature = "postgres")]
    m.add_class::<PgOnly>()?;
    #[cfg(feature = "sqlite")]
    {
        m.add_class::<SqliteOnly>()?;
        register_tasks(m)?;
    }
    #[cfg(feature = "empty")]
    {
    }
    if cfg!(feature = "extra") {
        tasks::register(py, &m)?;
    } else {
        crate::x::add_all(m.clone())?;
    }
    let sub = PyModule::new(m.py(), "sub")?;
    sub.add_class::<Nested>()?;
    m.add_submodule(&sub)?;
    helpers::install(&m).map_err(convert)?;
    Ok(())
}
`,
    expect: {
      modules: [{
        body: {
          registrations: [
            { form: 'add_class', target: ['PgOnly'], span: '#[cfg(feature = "postgres")]\n    m.add_class::<PgOnly>()?;', cfg: [feature('postgres')] },
            { form: 'add_class', target: ['SqliteOnly'], span: 'm.add_class::<SqliteOnly>()?;', cfg: [feature('sqlite')] },
          ],
          helperCalls: [
            { target: ['register_tasks'], span: 'register_tasks(m)?;', cfg: [feature('sqlite')] },
            { target: ['tasks', 'register'], span: 'tasks::register(py, &m)?;', cfg: [feature('extra')] },
            { target: ['crate', 'x', 'add_all'], cfg: [{ kind: 'not', item: feature('extra') }] },
            { target: ['helpers', 'install'], span: 'helpers::install(&m).map_err(convert)?;', cfg: [] },
          ],
          cfgBlocks: [
            { cfg: feature('sqlite'), insert: { at: '    }', indent: '        ' } },
            { cfg: feature('empty'), insert: { at: '    }', indent: '        ' } },
            { cfg: feature('extra'), insert: { at: '    } else {', indent: '        ' } },
          ],
          insert: { at: '    Ok(())', indent: '    ' },
        },
      }],
    },
  },
  {
    name: 'declarative #[pymodule] mod',
    code: `
#[pymodule]
#[cfg(feature = "sqlite")]
mod cloaca_sqlite {
    #[pymodule_export]
    use super::Foo;
    #[pymodule_export]
    use crate::x::{A, b as c};
    #[pymodule_export]
    const X: i32 = 1;
    #[pyclass]
    struct Inner;
    #[pyfunction]
    fn g() {}
    use super::NotExported;
    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("Y", 1)?;
        Ok(())
    }
}
`,
    expect: {
      modules: [{
        rustName: 'cloaca_sqlite', pythonName: 'cloaca_sqlite', style: 'declarative', scope: [], cfg: [feature('sqlite')], nameSpan: 'cloaca_sqlite',
        exports: [
          { form: 'export', target: ['super', 'Foo'], span: '#[pymodule_export]\n    use super::Foo;', cfg: [] },
          { form: 'export', target: ['crate', 'x', 'A'] },
          { form: 'export', target: ['crate', 'x', 'b'] },
          { form: 'export', pythonName: 'X', target: undefined, span: '#[pymodule_export]\n    const X: i32 = 1;' },
          { form: 'export', target: ['Inner'] },
          { form: 'export', target: ['g'] },
        ],
        exportInsert: { at: '}', indent: '    ' },
        body: { moduleParam: 'm', registrations: [{ form: 'add', pythonName: 'Y', valueText: '1' }], insert: { at: '        Ok(())', indent: '        ' } },
      }],
      items: [
        { kind: 'constant', rustName: 'X', pythonName: 'X', scope: ['cloaca_sqlite'], cfg: [feature('sqlite')] },
        { kind: 'class', rustName: 'Inner', scope: ['cloaca_sqlite'] },
        { kind: 'function', rustName: 'g', scope: ['cloaca_sqlite'] },
      ],
      helpers: [],
      mods: [{ name: 'cloaca_sqlite', inline: true }],
      uses: [
        { path: ['super', 'Foo'], scope: ['cloaca_sqlite'] },
        { path: ['crate', 'x', 'A'], alias: 'A' },
        { path: ['crate', 'x', 'b'], alias: 'c' },
        { path: ['super', 'NotExported'] },
      ],
    },
  },
  {
    name: 'registration helpers',
    code: `
pub fn register_tasks(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Task>()?;
    Ok(())
}
mod nested {
    #[cfg(feature = "postgres")]
    pub(crate) fn add_all(py: Python, module: &PyModule) -> PyResult<()> {
        super::register_tasks(module)
    }
    fn takes_module_does_nothing(m: &Bound<'_, PyModule>) -> usize { 1 }
}
impl Registry {
    fn register(&self, m: &Bound<'_, PyModule>) -> PyResult<()> { m.add_class::<Skipped>() }
}
`,
    expect: {
      helpers: [
        { rustName: 'register_tasks', scope: [], nameSpan: 'register_tasks', cfg: [], body: { moduleParam: 'm', registrations: [{ form: 'add_class', target: ['Task'] }], insert: { at: '    Ok(())', indent: '    ' } } },
        { rustName: 'add_all', scope: ['nested'], cfg: [feature('postgres')], body: { moduleParam: 'module', registrations: [], helperCalls: [{ target: ['super', 'register_tasks'], span: 'super::register_tasks(module)' }] } },
      ],
      modules: [],
    },
  },
  {
    name: 'use declarations flattened',
    code: `
use crate::a::{B, c::D as E, f::*};
pub use super::x;
pub(crate) use self::y::{self, z};
#[cfg(feature = "postgres")]
use ::std::fmt;
mod m {
    use super::Thing as Other;
}
fn body() {
    use not::Listed;
}
`,
    expect: {
      uses: [
        { path: ['crate', 'a', 'B'], alias: 'B', isPub: false, scope: [], span: 'use crate::a::{B, c::D as E, f::*};' },
        { path: ['crate', 'a', 'c', 'D'], alias: 'E' },
        { path: ['crate', 'a', 'f'], alias: '*' },
        { path: ['super', 'x'], alias: 'x', isPub: true },
        { path: ['self', 'y'], alias: 'y', isPub: true },
        { path: ['self', 'y', 'z'], alias: 'z', isPub: true },
        { path: ['std', 'fmt'], alias: 'fmt', cfg: [feature('postgres')], span: '#[cfg(feature = "postgres")]\nuse ::std::fmt;' },
        { path: ['super', 'Thing'], alias: 'Other', scope: ['m'] },
      ],
      useInsert: { at: 'mod m {', indent: '' },
    },
  },
  {
    name: 'useInsert after inner attributes and //! docs',
    code: `//! Crate docs.
//! More.
#![allow(dead_code)]

#[pyclass]
struct A;
`,
    expect: { useInsert: { at: '', indent: '' }, uses: [] },
  },
  {
    name: 'useInsert at 0 without uses or header',
    code: `#[pyclass]
struct A;
`,
    expect: { useInsert: { at: '#[pyclass]', indent: '' } },
  },
  {
    name: "the seed's lib.rs shape: two cfg-gated #[pymodule] fns",
    code: `use pyo3::prelude::*;

#[pyclass]
pub struct YourClass { value: i32 }

#[pyfunction]
fn your_function() -> String { "result".to_string() }

#[pyenum]
enum YourEnum { Variant1, Variant2 }

#[pymodule]
#[cfg(feature = "postgres")]
fn cloaca_postgres(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<YourClass>()?;        // <- ADD THIS for classes
    m.add_function(wrap_pyfunction!(your_function, m)?)?;
    m.add("YOUR_CONSTANT", 42)?;
    m.add("__backend__", "postgres")?;
    Ok(())
}

#[pymodule]
#[cfg(feature = "sqlite")]
fn cloaca_sqlite(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<YourClass>()?;
    m.add("__backend__", "sqlite")?;
    Ok(())
}
`,
    expect: {
      items: [
        { kind: 'class', rustName: 'YourClass' },
        { kind: 'function', rustName: 'your_function', returns: 'String' },
        { kind: 'enum', rustName: 'YourEnum', variants: ['Variant1', 'Variant2'] },
      ],
      modules: [
        {
          rustName: 'cloaca_postgres', cfg: [feature('postgres')],
          span: `#[pymodule]\n#[cfg(feature = "postgres")]\nfn cloaca_postgres(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    m.add_class::<YourClass>()?;        // <- ADD THIS for classes\n    m.add_function(wrap_pyfunction!(your_function, m)?)?;\n    m.add("YOUR_CONSTANT", 42)?;\n    m.add("__backend__", "postgres")?;\n    Ok(())\n}`,
          body: {
            registrations: [
              { form: 'add_class', target: ['YourClass'], span: 'm.add_class::<YourClass>()?;', cfg: [] },
              { form: 'add_function', target: ['your_function'] },
              { form: 'add', pythonName: 'YOUR_CONSTANT', valueText: '42' },
              { form: 'add', pythonName: '__backend__', valueText: '"postgres"' },
            ],
          },
        },
        { rustName: 'cloaca_sqlite', cfg: [feature('sqlite')], body: { registrations: [{ target: ['YourClass'] }, { pythonName: '__backend__' }] } },
      ],
      useInsert: { at: '', indent: '' },
      problems: [],
    },
  },
  {
    name: 'half-typed file: registration missing its paren, unterminated fn',
    code: `#[pyclass]
struct A;

#[pymodule]
fn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<A>()?;
    m.add_function(wrap_pyfunction!(f, m)?;
    m.add_class::<B>()?;
    Ok(())
}

#[pyfunction]
fn half(x: i32 {

#[pyclass]
struct C;
`,
    expect: {
      items: [{ rustName: 'A' }, { rustName: 'C', span: '#[pyclass]\nstruct C;' }],
      modules: [{
        rustName: 'ext',
        body: { registrations: [{ target: ['A'] }, { form: 'add_function', target: ['f'] }, { target: ['B'] }] },
      }],
      problems: [
        { message: 'syntax error', span: 'fn half(x: i32 {' },
        { message: 'missing `)`', span: '' },
        { message: 'missing `)`', span: '' },
      ],
    },
  },
  {
    name: 'modules made in a body, registered on and added as submodules',
    code: `
#[pymodule]
fn ext(py: Python<'_>, m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Top>()?;
    let io = PyModule::new_bound(py, "io").unwrap();
    io.add_class::<Reader>()?;
    io.add_function(wrap_pyfunction!(open, &io)?)?;
    io::register_more(&io)?;
    m.add_submodule(&io)?;
    let scratch = PyModule::new(py, "scratch")?;
    scratch.add_class::<Unused>()?;
    let count = 3;
    Ok(())
}

fn register_child(parent: &Bound<'_, PyModule>) -> PyResult<()> {
    let child = PyModule::new(parent.py(), "child")?;
    child.add_function(wrap_pyfunction!(func, &child)?)?;
    parent.add_submodule(&child)
}
`,
    expect: {
      modules: [{
        rustName: 'ext',
        body: {
          registrations: [{ form: 'add_class', target: ['Top'] }],
          helperCalls: [],
          submodules: [
            {
              variable: 'io',
              pythonName: 'io',
              span: 'let io = PyModule::new_bound(py, "io").unwrap();',
              registrations: [
                { form: 'add_class', target: ['Reader'], span: 'io.add_class::<Reader>()?;' },
                { form: 'add_function', target: ['open'], span: 'io.add_function(wrap_pyfunction!(open, &io)?)?;' },
              ],
              helperCalls: [{ target: ['io', 'register_more'], span: 'io::register_more(&io)?;' }],
              added: { span: 'm.add_submodule(&io)?;', cfg: [] },
            },
            { variable: 'scratch', pythonName: 'scratch', registrations: [{ target: ['Unused'] }], helperCalls: [], added: undefined },
          ],
        },
      }],
      helpers: [{
        rustName: 'register_child',
        body: {
          moduleParam: 'parent',
          registrations: [],
          submodules: [{ variable: 'child', pythonName: 'child', registrations: [{ form: 'add_function', target: ['func'] }], added: { span: 'parent.add_submodule(&child)' } }],
        },
      }],
    },
  },
  {
    name: 'non-ASCII text before the items keeps spans right',
    code: `// Café ☕ — naïve résumé 🎉🎉
/// Docs with emoji 🚀 and é.
#[pyclass(name = "Évènement")]
struct Event;

#[pymodule]
fn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("GREETING", "héllo 👋")?;
    m.add_class::<Event>()?;
    Ok(())
}
`,
    expect: {
      items: [{ rustName: 'Event', pythonName: 'Évènement', nameSpan: 'Event', span: '#[pyclass(name = "Évènement")]\nstruct Event;' }],
      modules: [{
        nameSpan: 'ext',
        body: {
          registrations: [
            { form: 'add', pythonName: 'GREETING', valueText: '"héllo 👋"', span: 'm.add("GREETING", "héllo 👋")?;' },
            { form: 'add_class', target: ['Event'], span: 'm.add_class::<Event>()?;' },
          ],
          insert: { at: '    Ok(())', indent: '    ' },
        },
      }],
      problems: [],
    },
  },
];

describe('Rust facts', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  for (const testCase of cases) {
    it(testCase.name, () => {
      const facts: RustFacts = extractRustFacts(parsers, testCase.code);
      assert.equal(facts.language, 'rust');
      assertSubset(readable(facts, testCase.code), testCase.expect, 'facts');
    });
  }

  // The index parses Rust files skipping the bodies the facts never read:
  // the facts must be the same, but for syntax errors inside skipped bodies.
  for (const testCase of cases) {
    it(`same facts with unread bodies skipped: ${testCase.name}`, () => {
      const original = extractRustFacts(parsers, testCase.code);
      const ranges = unreadRanges(testCase.code);
      const blanked = extractRustFacts(parsers, testCase.code, undefined, ranges);
      const outside = (p: RustFacts['problems'][number]) => !ranges.some(([s, e]) => p.span.start >= s && p.span.end <= e);
      assert.deepEqual({ ...blanked, problems: [] }, { ...original, problems: [] });
      assert.deepEqual(blanked.problems, original.problems.filter(outside));
    });
  }

  it('plain registration statements read from their text give what the tree gives', () => {
    const statements = [
      'm.add_class::<A>()?;',
      'm.add_class :: < crate :: x :: B > ( ) ;',
      'm.add_function(wrap_pyfunction!(f, m)?)?;',
      'm.add_function(pyo3::wrap_pyfunction!(self::g, &m)?)?;',
      'm.add_wrapped(wrap_pyfunction_bound!(h, m)?)?;',
      'register(m)?;',
      'crate::a::register(&m)?;',
      'other.add_class::<C>()?;',
      'return(m);',
    ];
    // The same statements with a comment inside take the tree path.
    const commented = statements.map((s) => s.replace(/\(/, '(/* c */'));
    const body = (lines: string[]) => `#[pymodule]\nfn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {\n${lines.map((l) => `    #[cfg(feature = "x")]\n    ${l}\n`).join('')}    Ok(())\n}\n`;
    const read = (code: string) => {
      const facts = extractRustFacts(parsers, code).modules[0].body!;
      const strip = (entries: { span: { start: number; end: number } }[]) =>
        entries.map(({ span, ...rest }) => ({ ...rest, text: code.slice(span.start, span.end).replace('/* c */', '') }));
      return { registrations: strip(facts.registrations), helperCalls: strip(facts.helperCalls) };
    };
    const plain = read(body(statements));
    assert.equal(plain.registrations.length, 5);
    assert.equal(plain.helperCalls.length, 2);
    assert.deepEqual(plain, read(body(commented)));
  });

  it('pyfunction parameters read from the text give what the tree gives', () => {
    const lists = [
      "(py: Python<'_>, mut x: i32, (a, b): (u8, u8), f: impl Fn(u8) -> Vec<Vec<u8>>,)",
      "(&self, s: &'a str, m: std::collections::HashMap<String, [u8; 4]>, _: Option<u8>)",
      "(&'a mut self, slf: PyRef<'_, Self>, ref y: u8)",
      '()',
    ];
    const params = (list: string) => {
      const code = `#[pyfunction]\nfn f${list} -> u8 {\n    1\n}\n`;
      return extractRustFacts(parsers, code).items[0].params;
    };
    for (const list of lists) {
      // A comment in the list makes the reader take the tree path.
      const viaTree = params(list.replace('(', '(/* c */ '));
      assert.deepEqual(params(list), viaTree, list);
    }
    assert.deepEqual(params(lists[0]), [
      { name: 'x', type: 'i32' }, { name: '(a, b)', type: '(u8, u8)' }, { name: 'f', type: 'impl Fn(u8) -> Vec<Vec<u8>>' },
    ]);
  });

  it('skipping drops syntax errors inside unread bodies only', () => {
    const code = `#[pyfunction]
fn f() -> i32 {
    let x = ;
    1
}

#[pymodule]
fn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(f, m)?;
    Ok(())
}
`;
    assert.equal(extractRustFacts(parsers, code).problems.length, 2);
    const problems = extractRustFacts(parsers, code, undefined, unreadRanges(code)).problems;
    assert.deepEqual(readable(problems, code), [{ message: 'missing `)`', span: '' }]);
  });

  it('reports a clean file without problems and a broken one with at most 20', () => {
    assert.deepEqual(extractRustFacts(parsers, 'fn main() {}\n').problems, []);
    const broken = Array.from({ length: 40 }, (_, i) => `fn f${i}(x: i32 {\n`).join('');
    const problems = extractRustFacts(parsers, broken).problems;
    assert.ok(problems.length > 0 && problems.length <= 20, `${problems.length} problems`);
  });
});

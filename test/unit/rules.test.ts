import * as assert from 'node:assert/strict';
import { applyEdits, editsByFile } from '../../server/src/fixes/apply';
import { materialize } from '../../server/src/fixes/materialize';
import { Parsers } from '../../server/src/parsing/parsers';
import { check, fix, Files, lineOf, readFixture, replaceOnce } from './helpers/workspace';

const LIB = 'cloaca-backend/src/lib.rs';
const TASKS = 'cloaca-backend/src/tasks.rs';
const W = 'cloaca-backend/python/cloaca_{{backend}}/__init__.py';
const D = 'cloaca/src/cloaca/__init__.py';
const T = 'python-tests/test_basic.py';
const CARGO = '.angreal/templates/backend_cargo.toml.j2';
const SCRIPT = '.angreal/task_cloaca.py';
const PYPROJECT = '.angreal/templates/backend_pyproject.toml.j2';

interface Expected {
  rule: string;
  file: string;
  /** A text on the expected line of the (edited) file. */
  at: string;
  symbol: string | null;
  variant: string | null;
  severity?: string;
}

interface Case {
  name: string;
  edit: Record<string, (text: string) => string>;
  findings: Expected[];
  /** The expected text of files after `--fix`, as edits of the complete fixture; omitted files must equal the edited input. */
  fixed?: Record<string, (complete: string) => string>;
}

const SQLITE_FN = 'fn cloaca_sqlite(py: Python, m: &PyModule) -> PyResult<()> {\n';
const SQLITE_TAIL = '    m.add("__backend__", "sqlite")?;\n';
const MAX_RETRIES_TEST = '    def test_max_retries(self):\n        import cloaca\n\n        assert cloaca.MAX_RETRIES == 3\n\n';
const LEGACY = 'if hasattr(_backend_module, "LegacyRunner"):\n    LegacyRunner = _backend_module.LegacyRunner\n';
const CONTEXT_BLOCK = 'if hasattr(_backend_module, "Context"):\n    Context = _backend_module.Context\n';
const BACKEND_BLOCK = 'if hasattr(_backend_module, "__backend__"):\n    __backend__ = _backend_module.__backend__';

const CASES: Case[] = [
  {
    name: 'missing-registration: a class left out of one backend module',
    edit: { [LIB]: (t) => replaceOnce(t, `${SQLITE_FN}    m.add_class::<HelloClass>()?;\n`, SQLITE_FN) },
    findings: [
      { rule: 'missing-registration', file: LIB, at: 'fn cloaca_sqlite(', symbol: 'HelloClass', variant: 'sqlite', severity: 'error' },
      { rule: 'unknown-import', file: W, at: '    HelloClass,', symbol: 'HelloClass', variant: 'sqlite', severity: 'error' },
    ],
    fixed: { [LIB]: (t) => replaceOnce(replaceOnce(t, `${SQLITE_FN}    m.add_class::<HelloClass>()?;\n`, SQLITE_FN), SQLITE_TAIL, `${SQLITE_TAIL}    m.add_class::<HelloClass>()?;\n`) },
  },
  {
    name: 'missing-registration: the helper call left out of one backend module',
    edit: { [LIB]: (t) => replaceOnce(t, `    tasks::register_tasks(m)?;\n${SQLITE_TAIL}`, SQLITE_TAIL) },
    findings: [
      { rule: 'missing-registration', file: LIB, at: 'fn cloaca_sqlite(', symbol: 'TaskStatus', variant: 'sqlite', severity: 'error' },
      { rule: 'unknown-import', file: W, at: '    TaskStatus,', symbol: 'TaskStatus', variant: 'sqlite' },
    ],
    fixed: { [LIB]: (t) => replaceOnce(replaceOnce(t, `    tasks::register_tasks(m)?;\n${SQLITE_TAIL}`, SQLITE_TAIL), SQLITE_TAIL, `${SQLITE_TAIL}    tasks::register_tasks(m)?;\n`) },
  },
  {
    name: 'missing-registration: declared, registered nowhere (warning in every module)',
    edit: { [LIB]: (t) => t + '\n#[pyclass]\npub struct RetryPolicy {}\n' },
    findings: [
      { rule: 'missing-registration', file: LIB, at: 'fn cloaca_postgres(', symbol: 'RetryPolicy', variant: 'postgres', severity: 'warning' },
      { rule: 'missing-registration', file: LIB, at: 'fn cloaca_sqlite(', symbol: 'RetryPolicy', variant: 'sqlite', severity: 'warning' },
    ],
  },
  {
    name: 'missing-wrapper-import',
    edit: { [W]: (t) => replaceOnce(t, '    Context,\n', '') },
    findings: [{ rule: 'missing-wrapper-import', file: W, at: 'from .cloaca_', symbol: 'Context', variant: null, severity: 'error' }],
    fixed: { [W]: (t) => replaceOnce(replaceOnce(t, '    Context,\n', ''), '    __backend__\n)', '    __backend__,\n    Context\n)') },
  },
  {
    name: 'missing-dunder-all',
    edit: { [W]: (t) => replaceOnce(t, '    "hello_world",\n', '') },
    findings: [{ rule: 'missing-dunder-all', file: W, at: '__all__ = [', symbol: 'hello_world', variant: null, severity: 'warning' }],
    fixed: { [W]: (t) => replaceOnce(replaceOnce(t, '    "hello_world",\n', ''), '    "__backend__",\n]', '    "__backend__",\n    "hello_world",\n]') },
  },
  {
    name: 'missing-reexport',
    edit: { [D]: (t) => replaceOnce(t, CONTEXT_BLOCK, '') },
    findings: [{ rule: 'missing-reexport', file: D, at: 'if hasattr(_backend_module, "__backend__")', symbol: 'Context', variant: null, severity: 'warning' }],
    fixed: { [D]: (t) => replaceOnce(replaceOnce(t, CONTEXT_BLOCK, ''), BACKEND_BLOCK, `${BACKEND_BLOCK}\n${CONTEXT_BLOCK.trimEnd()}`) },
  },
  {
    name: 'missing-test',
    edit: { [T]: (t) => replaceOnce(t, MAX_RETRIES_TEST, '') },
    findings: [{ rule: 'missing-test', file: T, at: 'class TestBackendFunctionality', symbol: 'MAX_RETRIES', variant: null, severity: 'info' }],
    fixed: {
      [T]: (t) =>
        replaceOnce(t, MAX_RETRIES_TEST, '').replace(/\n?$/, '\n') +
        '\n    def test_max_retries_is_exposed(self):\n        """`cloaca.MAX_RETRIES` is reachable from the public package."""\n        import cloaca\n\n        assert hasattr(cloaca, "MAX_RETRIES")\n        assert cloaca.MAX_RETRIES is not None\n',
    },
  },
  {
    name: 'unknown-import: nothing in Rust declares the name',
    edit: { [W]: (t) => replaceOnce(t, '    MAX_RETRIES,\n{%', '    MAX_RETRIES,\n    Scheduler,\n{%') },
    findings: [{ rule: 'unknown-import', file: W, at: '    Scheduler,', symbol: 'Scheduler', variant: null, severity: 'error' }],
    fixed: {},
  },
  {
    name: 'undefined-dunder-all',
    edit: { [W]: (t) => replaceOnce(t, '    "MAX_RETRIES",\n', '    "MAX_RETRIES",\n    "Workflow",\n') },
    findings: [{ rule: 'undefined-dunder-all', file: W, at: '"Workflow"', symbol: 'Workflow', variant: null, severity: 'error' }],
    fixed: {},
  },
  {
    name: 'stale-reexport',
    edit: { [D]: (t) => replaceOnce(t, BACKEND_BLOCK, LEGACY + BACKEND_BLOCK) },
    findings: [{ rule: 'stale-reexport', file: D, at: '"LegacyRunner"', symbol: 'LegacyRunner', variant: null, severity: 'warning' }],
    fixed: {},
  },
  {
    name: 'duplicate-python-name',
    edit: { [TASKS]: (t) => t + '\n#[pyfunction]\n#[pyo3(name = "get_backend")]\npub fn task_backend() -> &\'static str {\n    "tasks"\n}\n' },
    findings: [{ rule: 'duplicate-python-name', file: TASKS, at: 'pub fn task_backend', symbol: 'get_backend', variant: null, severity: 'warning' }],
  },
  {
    name: 'module-name-mismatch: #[pymodule] name differs from module-name',
    edit: { [LIB]: (t) => replaceOnce(t, 'fn cloaca_sqlite(', 'fn cloaca_sqlite3(') },
    findings: [{ rule: 'module-name-mismatch', file: LIB, at: 'fn cloaca_sqlite3(', symbol: null, variant: 'sqlite', severity: 'error' }],
    fixed: {},
  },
  {
    name: 'module-name-mismatch: Cargo [lib] name differs from module-name',
    edit: { [CARGO]: (t) => replaceOnce(t, 'name = "cloaca_{{backend}}"  #', 'name = "cloaca_{{backend}}_core"  #') },
    findings: [{ rule: 'module-name-mismatch', file: CARGO, at: 'name = "cloaca_{{backend}}_core"', symbol: null, variant: null, severity: 'warning' }],
    fixed: {},
  },
  {
    name: 'module-name-mismatch: maturin builds without the feature that gates the #[pymodule]',
    edit: { [PYPROJECT]: (t) => replaceOnce(t, 'features = ["{{backend}}"]', 'features = ["{{backend}}-db"]') },
    findings: [
      { rule: 'module-name-mismatch', file: PYPROJECT, at: 'features = [', symbol: null, variant: 'postgres', severity: 'error' },
      { rule: 'module-name-mismatch', file: PYPROJECT, at: 'features = [', symbol: null, variant: 'sqlite', severity: 'error' },
    ],
  },
  {
    name: 'wheel-dir',
    edit: { [SCRIPT]: (t) => replaceOnce(t, 'wheel_dir = backend_dir / "target"', 'wheel_dir = PROJECT_ROOT / "target"') },
    findings: [{ rule: 'wheel-dir', file: SCRIPT, at: 'wheel_dir = PROJECT_ROOT', symbol: null, variant: null, severity: 'warning' }],
    fixed: {},
  },
];

describe('rules on the seed layout', () => {
  let parsers: Parsers;
  let complete: Files;
  before(async () => {
    parsers = await Parsers.load();
    complete = readFixture('test/fixtures/realbuild');
  });

  it('finds nothing in the complete workspace', () => {
    assert.deepEqual(check(parsers, complete).located, []);
  });

  for (const c of CASES) {
    describe(c.name, () => {
      let input: Files;
      before(() => {
        input = { ...complete };
        for (const [file, edit] of Object.entries(c.edit)) input[file] = edit(input[file]);
      });

      it('reports exactly the expected findings', () => {
        const { located } = check(parsers, input);
        const actual = located.filter((f) => f.rule !== 'incomplete-binding').map((f) => ({ rule: f.rule, file: f.file, line: f.line, symbol: f.symbol, variant: f.variant, severity: f.severity }));
        const expected = c.findings.map((e) => ({ rule: e.rule, file: e.file, line: lineOf(input[e.file], e.at), symbol: e.symbol, variant: e.variant, severity: e.severity ?? actual.find((a) => a.rule === e.rule)?.severity }));
        const key = (f: { file: string; line: number; rule: string; symbol: string | null; variant: string | null }) => `${f.file}:${f.line}:${f.rule}:${f.symbol}:${f.variant}`;
        assert.deepEqual([...actual].sort((a, b) => key(a).localeCompare(key(b))), [...expected].sort((a, b) => key(a).localeCompare(key(b))));
      });

      it('summarises missing links at the Rust declaration', () => {
        const { located } = check(parsers, input);
        const links = c.findings.filter((f) => f.rule.startsWith('missing-') && f.symbol);
        for (const link of links) assert.ok(located.some((f) => f.rule === 'incomplete-binding' && f.symbol === link.symbol), `incomplete-binding for ${link.symbol}`);
      });

      it('fixes to the expected text, then finds nothing fixable', () => {
        const fixed = fix(parsers, input);
        if (c.fixed) {
          for (const file of Object.keys(complete)) {
            const expected: string = c.fixed[file] ? c.fixed[file](complete[file]) : Object.keys(c.fixed).length === 0 ? complete[file] : input[file];
            assert.equal(fixed[file], expected, `text of ${file} after fixing`);
          }
        }
        const after = check(parsers, fixed);
        assert.deepEqual(after.result.findings.filter((f) => f.fixes.length && f.rule !== 'incomplete-binding').map((f) => `${f.rule} ${f.symbol}`), []);
        const problems = (files: Files) => {
          const { index } = check(parsers, files);
          return Object.keys(files).filter((f) => f.endsWith('.rs') || f.endsWith('.py')).map((f) => {
            const view = f.endsWith('.rs') ? index.rust(f) : index.python(f, { backend: 'sqlite' });
            return `${f}: ${view?.facts.problems.length ?? 0}`;
          });
        };
        assert.deepEqual(problems(fixed), problems(input), 'every edited file parses without new errors');
        assert.deepEqual(fix(parsers, fixed), fixed, 'a second --fix changes nothing');
      });
    });
  }

  describe('opting out', () => {
    const withRetry = (comment: string) => ({ [LIB]: complete[LIB] + `\n${comment}#[pyclass]\npub struct RetryPolicy {}\n` });
    it('honours a `// bindings-checklist: internal` comment', () => {
      assert.deepEqual(check(parsers, { ...complete, ...withRetry('// bindings-checklist: internal\n') }).located, []);
    });
    it('honours `internal` in the configuration', () => {
      assert.deepEqual(check(parsers, { ...complete, ...withRetry('') }, { internal: ['RetryPolicy'] }).located, []);
    });
    it('turns a rule off and changes severities', () => {
      const input = { ...complete, [T]: replaceOnce(complete[T], MAX_RETRIES_TEST, '') };
      assert.deepEqual(check(parsers, input, { rules: { 'missing-test': 'off', 'incomplete-binding': 'off' } }).located, []);
      assert.deepEqual(check(parsers, input, { rules: { 'missing-test': 'error', 'incomplete-binding': 'off' } }).located.map((f) => f.severity), ['error']);
    });
  });
});

describe('rules on a standard maturin project (zero configuration, declarative #[pymodule])', () => {
  let parsers: Parsers;
  let files: Files;
  before(async () => {
    parsers = await Parsers.load();
    files = readFixture('test/fixtures/maturin-basic');
  });

  it('reads module-name, python-source and the declarative exports', () => {
    const { result, located } = check(parsers, files);
    assert.equal(result.chains.length, 1);
    assert.deepEqual([...result.chains[0].variants[0].registered.keys()].sort(), ['ORIGIN_X', 'Point', 'distance']);
    assert.deepEqual(located.map((f) => [f.rule, f.file, f.line, f.symbol, f.severity]), [
      ['missing-registration', 'src/lib.rs', 11, 'Polygon', 'warning'],
      ['incomplete-binding', 'src/shapes.rs', 20, 'Polygon', 'hint'],
    ]);
  });

  it('exports, imports, lists and tests the missing class', () => {
    const fixed = fix(parsers, files);
    assert.equal(fixed['src/lib.rs'], replaceOnce(files['src/lib.rs'], 'const ORIGIN_X: f64 = 0.0;\n', 'const ORIGIN_X: f64 = 0.0;\n    #[pymodule_export]\n    use crate::shapes::Polygon;\n'));
    assert.equal(fixed['python/geometry/__init__.py'], 'from ._core import ORIGIN_X, Point, distance, Polygon\n\n__all__ = ["ORIGIN_X", "Point", "distance", "Polygon"]\n');
    assert.match(fixed['tests/test_geometry.py'], /\n\n\ndef test_polygon_is_exposed\(\):\n    """`geometry.Polygon` is reachable from the public package."""\n    import geometry\n\n    assert isinstance\(geometry.Polygon, type\)\n$/);
    assert.deepEqual(check(parsers, fixed).located, []);
  });
});

describe('a maturin project without python-source (the package beside pyproject.toml, as maturin defaults)', () => {
  const files = (imports: string): Files => ({
    'Cargo.toml': '[package]\nname = "pyo3-mixed"\nversion = "0.1.0"\n\n[lib]\nname = "pyo3_mixed"\ncrate-type = ["cdylib"]\n',
    'pyproject.toml': '[build-system]\nrequires = ["maturin>=1.0,<2.0"]\nbuild-backend = "maturin"\n\n[tool.maturin]\ninclude = ["pyo3_mixed/assets/*"]\n',
    'src/lib.rs': 'use pyo3::prelude::*;\n\n#[pyfunction]\nfn get_21() -> usize {\n    21\n}\n\n#[pymodule]\nfn pyo3_mixed(_py: Python, m: &PyModule) -> PyResult<()> {\n    m.add_wrapped(wrap_pyfunction!(get_21))?;\n    Ok(())\n}\n',
    'pyo3_mixed/__init__.py': `from .python_module.double import double\nfrom .pyo3_mixed import ${imports}\n\n\ndef get_42() -> int:\n    return double(get_21)\n`,
    'pyo3_mixed/python_module/double.py': 'def double(f):\n    return 2 * f()\n',
    'tests/test_pyo3_mixed.py': 'import pyo3_mixed\n\n\ndef test_get_42():\n    assert pyo3_mixed.get_42() == 42\n    assert pyo3_mixed.get_21() == 21\n',
  });

  it('finds the package as the wrapper, and a name it imports that the module does not register', async () => {
    const parsers = await Parsers.load();
    const { result, located } = check(parsers, files('get_21'));
    assert.deepEqual(located, []);
    assert.deepEqual(result.chains[0].variants[0].wrappers.map((w) => w.path), ['pyo3_mixed/__init__.py']);
    const stale = check(parsers, files('get_21, get_22')).located;
    assert.deepEqual(stale.map((f) => [f.rule, f.severity, f.file, f.line, f.symbol]), [['unknown-import', 'error', 'pyo3_mixed/__init__.py', 2, 'get_22']]);
  });
});

describe('what counts as a link', () => {
  let parsers: Parsers;
  let complete: Files;
  before(async () => {
    parsers = await Parsers.load();
    complete = readFixture('test/fixtures/realbuild');
  });
  const rules = (files: Files) => check(parsers, files).located.filter((f) => f.rule !== 'incomplete-binding').map((f) => `${f.rule} ${f.file}:${f.line} ${f.symbol} ${f.variant}`);

  it('ignores a Rust file that no `mod` declaration reaches', () => {
    assert.deepEqual(rules({ ...complete, 'cloaca-backend/src/stray.rs': 'use pyo3::prelude::*;\n#[pyclass]\npub struct Stray {}\n' }), []);
  });

  it('resolves paths: two structs with one name in different modules are two symbols', () => {
    const files = {
      ...complete,
      [LIB]: replaceOnce(complete[LIB], 'mod tasks;\n', 'mod tasks;\nmod extra;\n'),
      'cloaca-backend/src/extra.rs': 'use pyo3::prelude::*;\n\n#[pyclass(name = "ExtraContext")]\npub struct PyContext {}\n',
    };
    assert.deepEqual(rules(files), [
      `missing-registration ${LIB}:${lineOf(files[LIB], 'fn cloaca_postgres(')} ExtraContext postgres`,
      `missing-registration ${LIB}:${lineOf(files[LIB], 'fn cloaca_sqlite(')} ExtraContext sqlite`,
    ]);
  });

  it('counts test references only in files pytest collects', () => {
    const t = replaceOnce(complete[T], MAX_RETRIES_TEST, '');
    const files = { ...complete, [T]: t, 'python-tests/helpers.py': 'import cloaca\n\nVALUE = cloaca.MAX_RETRIES\n' };
    assert.deepEqual(rules(files), [`missing-test ${T}:${lineOf(t, 'class TestBackendFunctionality')} MAX_RETRIES null`]);
    assert.deepEqual(rules({ ...files, 'python-tests/test_helpers.py': files['python-tests/helpers.py'] }), []);
  });

  it('lowers missing-reexport to info when a dynamic loop re-exports at run time', () => {
    const d = replaceOnce(complete[D], CONTEXT_BLOCK, '') + '\nfor _name in _backend_module.__all__:\n    globals()[_name] = getattr(_backend_module, _name)\n';
    const found = check(parsers, { ...complete, [D]: d }).located.filter((f) => f.rule === 'missing-reexport');
    assert.deepEqual(found.map((f) => [f.symbol, f.severity]), [['Context', 'info']]);
  });

  it('checks a rendered wrapper copy for its own variant', () => {
    const rendered = complete[W].replace(/\{\{backend\}\}/g, 'sqlite').replace(/\{% if backend == "postgres" %\}[\s\S]*?\{% endif %\}\n/g, '');
    const copy = 'cloaca-backend/python/cloaca_sqlite/__init__.py';
    assert.deepEqual(rules({ ...complete, [copy]: rendered }), []);
    const stale = replaceOnce(rendered, '    Context,\n', '');
    assert.deepEqual(rules({ ...complete, [copy]: stale }), [`missing-wrapper-import ${copy}:${lineOf(stale, 'from .cloaca_sqlite')} Context sqlite`]);
  });
});

describe('completing a whole chain at once', () => {
  it('writes every missing link of a symbol no module registers yet', async () => {
    const parsers = await Parsers.load();
    const files = { ...readFixture('test/fixtures/realbuild') };
    files[LIB] += '\n#[pyclass]\npub struct RetryPolicy {}\n';
    const { index, result } = check(parsers, files);
    const summary = result.findings.find((f) => f.rule === 'incomplete-binding' && f.symbol === 'RetryPolicy')!;
    assert.match(summary.message, /8 of 8 links missing/);
    const fixed = materialize(summary.fixes[0], result.chains[0], index)!;
    assert.equal(fixed.title, 'Complete the binding chain for `RetryPolicy`');
    const after = { ...files };
    for (const [file, edits] of editsByFile(fixed.edits)) after[file] = applyEdits(after[file], edits).text;
    assert.deepEqual(Object.keys(after).filter((f) => after[f] !== files[f]).sort(), [W, LIB, D, T].sort());
    assert.deepEqual(check(parsers, after).located, []);
  });
});

describe('cfg-gated registrations inside one #[pymodule]', () => {
  const files = (register: boolean): Files => ({
    'Cargo.toml': '[package]\nname = "store"\nversion = "0.1.0"\n\n[lib]\nname = "_store"\ncrate-type = ["cdylib"]\n\n[features]\npostgres = []\n',
    'pyproject.toml': '[tool.maturin]\nmodule-name = "store._store"\npython-source = "python"\nfeatures = ["postgres"]\n',
    'src/lib.rs': [
      'use pyo3::prelude::*;',
      '',
      '#[cfg(feature = "postgres")]',
      '#[pyclass]',
      'pub struct PgPool {}',
      '',
      '#[pyclass]',
      'pub struct Store {}',
      '',
      '#[pymodule]',
      'fn _store(m: &Bound<\'_, PyModule>) -> PyResult<()> {',
      '    m.add_class::<Store>()?;',
      '    #[cfg(feature = "postgres")]',
      '    {',
      ...(register ? ['        m.add_class::<PgPool>()?;'] : []),
      '    }',
      '    Ok(())',
      '}',
      '',
    ].join('\n'),
    'python/store/__init__.py': 'from ._store import PgPool, Store\n\n__all__ = ["PgPool", "Store"]\n',
    'tests/test_store.py': 'import store\n\n\ndef test_store():\n    assert store.Store\n    assert store.PgPool\n',
  });

  it('counts a registration inside a #[cfg] block for the enabled feature', async () => {
    const parsers = await Parsers.load();
    assert.deepEqual(check(parsers, files(true)).located, []);
  });

  it('puts the missing registration back inside the matching #[cfg] block', async () => {
    const parsers = await Parsers.load();
    const input = files(false);
    assert.deepEqual(check(parsers, input).located.filter((f) => f.rule !== 'incomplete-binding').map((f) => [f.rule, f.symbol]), [['unknown-import', 'PgPool'], ['missing-registration', 'PgPool']]);
    assert.equal(fix(parsers, input)['src/lib.rs'], files(true)['src/lib.rs']);
  });
});

import * as assert from 'node:assert/strict';
import type { Chain } from '../../server/src/chain/build';
import { chainOf, runChecks } from '../../server/src/engine';
import { materialize } from '../../server/src/fixes/materialize';
import { IncrementalChecker } from '../../server/src/incremental';
import { makeSourceFile } from '../../server/src/index/source';
import type { WorkspaceIndex } from '../../server/src/index/workspace-index';
import { Config, defaultConfig, mergeConfig } from '../../server/src/layout/config';
import { Parsers } from '../../server/src/parsing/parsers';
import { mulberry32 } from '../bench/generate';
import { Files, indexFiles, readFixture, replaceOnce } from './helpers/workspace';

const LIB = 'cloaca-backend/src/lib.rs';
const TASKS = 'cloaca-backend/src/tasks.rs';
const CONTEXT = 'cloaca-backend/src/context.rs';
const W = 'cloaca-backend/python/cloaca_{{backend}}/__init__.py';
const D = 'cloaca/src/cloaca/__init__.py';
const T = 'python-tests/test_basic.py';
const SCRIPT = '.angreal/task_cloaca.py';
const PYPROJECT = '.angreal/templates/backend_pyproject.toml.j2';

/** What fixes and rules read from a chain, in a form two chains can be compared by. */
function shape(chain: Chain) {
  const symbols = new Set(chain.symbols);
  const span = (s: { start: number; end: number }) => `${s.start}-${s.end}`;
  const bodies = chain.variants.map((v) => new Set(v.bodies));
  return {
    package: chain.project.package,
    items: chain.symbols.filter((s) => s.item).map((s) => ({ id: s.id, kind: s.kind, pythonName: s.pythonName, file: s.file, nameSpan: span(s.nameSpan), span: span(s.span), cfg: s.cfg, internal: s.internal, item: s.item })),
    constants: chain.symbols.filter((s) => !s.item).map((s) => ({ id: s.id, file: s.file, module: s.module, nameSpan: span(s.nameSpan) })).sort((a, b) => a.id.localeCompare(b.id)),
    byPythonName: [...chain.byPythonName].map(([name, list]) => [name, list.map((s) => s.id + '@' + s.file + ':' + span(s.nameSpan))] as const).sort((a, b) => a[0].localeCompare(b[0])),
    variants: chain.variants.map((v, k) => ({
      name: v.name,
      module: v.module && { file: v.module.file, decl: v.module.decl, rustModule: v.module.rustModule },
      bodies: v.bodies.map((b) => ({ file: b.file, module: b.module, helper: b.helper, cfg: b.cfg, body: b.body })),
      registered: [...v.registered]
        .map(([name, sites]) => [name, sites.map((s) => {
          // Sites point at the chain's own symbols and bodies (what fixes compare by identity).
          assert.ok(!s.symbol || symbols.has(s.symbol), `site of ${name}: symbol ${s.symbol?.id} is not one of the chain's`);
          assert.ok(!s.body || bodies[k].has(s.body), `site of ${name}: body is not one of the variant's`);
          return { symbol: s.symbol && `${s.symbol.id}@${s.symbol.file}:${span(s.symbol.nameSpan)}`, file: s.file, registration: s.registration, body: s.body && `${s.body.file}:${s.body.helper ?? ''}` };
        })] as const)
        .sort((a, b) => a[0].localeCompare(b[0])),
      renamed: v.renamed.map((s) => `${s.pythonName}:${s.file}:${span(s.registration.span)}`).sort(),
      inSubmodule: [...v.inSubmodule].map((s) => `${s.id}@${s.file}:${span(s.nameSpan)}`).sort(),
      wrappers: v.wrappers.map((w) => ({ path: w.path, facts: w.view.facts, imported: [...w.imported.keys()], star: w.star, defined: [...w.defined].sort() })),
    })),
    dispatcher: chain.dispatcher && { path: chain.dispatcher.path, facts: chain.dispatcher.facts },
    tests: chain.tests.map((t) => ({ path: t.path, facts: t.facts })),
    testReferences: [...chain.testReferences].sort(),
    scripts: [...chain.scripts].map(([p, v]) => [p, v.facts] as const),
  };
}

class Harness {
  readonly index: WorkspaceIndex;
  readonly checker = new IncrementalChecker();
  private version = 0;

  constructor(parsers: Parsers, readonly texts: Files, public config: Config = defaultConfig()) {
    this.index = indexFiles(parsers, texts);
  }

  /** Sets a file as an open buffer (so its tree is kept and re-parsed incrementally, as in the editor). */
  set(path: string, text: string): void {
    this.texts[path] = text;
    this.index.set(makeSourceFile(path, text, ++this.version)!);
  }

  edit(path: string, change: (text: string) => string): void {
    const before = this.texts[path];
    const after = change(before);
    if (after === before) throw new Error(`the edit of ${path} changed nothing`);
    this.set(path, after);
  }

  remove(path: string): void {
    delete this.texts[path];
    this.index.delete(path);
  }

  /** The incremental result equals a full check's, findings in the same order, every field; with `fresh`, so do the chains and the fixes. */
  compare(step: string, fresh = false): void {
    const incremental = this.checker.check(this.index, this.config);
    const full = runChecks(this.index, this.config);
    assert.deepEqual(incremental.findings, full.findings, step);
    assert.equal(incremental.generation, this.index.generation);
    assert.equal(this.checker.failures, 0, `${step}: the incremental check failed`);
    if (!fresh) return;
    const current = this.checker.fresh(this.index, this.config);
    assert.ok(!current.shifted, `${step}: fresh result`);
    assert.deepEqual(current.findings, full.findings, `${step}: fresh findings`);
    assert.equal(current.chains.length, full.chains.length);
    current.chains.forEach((c, i) => assert.deepEqual(shape(c), shape(full.chains[i]), `${step}: chain ${i}`));
    for (const f of full.findings) {
      const fixes = (r: typeof full) => f.fixes.map((x) => materialize(x, chainOf(r, f)!, this.index));
      assert.deepEqual(fixes(current), fixes(full), `${step}: fixes of ${f.rule} ${f.symbol}`);
    }
  }
}

/** Replaces exactly one occurrence. */
function once(from: string, to: string): (text: string) => string {
  return (text) => replaceOnce(text, from, to);
}

interface Edit {
  name: string;
  path: string;
  change: (text: string) => string;
  /** The rules run again for some names only (else: anything is fine, a full check included). */
  scoped?: boolean;
}

const SQLITE_FN = 'fn cloaca_sqlite3(py: Python, m: &PyModule) -> PyResult<()> {\n';
const POSTGRES_FN = 'fn cloaca_postgres(py: Python, m: &PyModule) -> PyResult<()> {\n';

/** Edits of examples/cloaca, each applied to the unedited fixture and then undone. */
const CLOACA_EDITS: Edit[] = [
  { name: 'registration removed', path: LIB, change: once(`${SQLITE_FN}    m.add_class::<HelloClass>()?;\n`, SQLITE_FN), scoped: true },
  { name: 'registration added', path: LIB, change: once(SQLITE_FN, `${SQLITE_FN}    m.add_class::<RetryPolicy>()?;\n`), scoped: true },
  // One change spanning both modules: the name of the second is inside what changed.
  { name: 'registration added to both modules', path: LIB, change: (t) => once(POSTGRES_FN, `${POSTGRES_FN}    m.add_class::<RetryPolicy>()?;\n`)(once(SQLITE_FN, `${SQLITE_FN}    m.add_class::<RetryPolicy>()?;\n`)(t)) },
  { name: 'registration duplicated', path: LIB, change: once(`${SQLITE_FN}    m.add_class::<HelloClass>()?;\n`, `${SQLITE_FN}    m.add_class::<HelloClass>()?;\n    m.add_class::<HelloClass>()?;\n`), scoped: true },
  { name: 'registration gated by a cfg', path: LIB, change: once(`${SQLITE_FN}    m.add_class::<HelloClass>()?;\n`, `${SQLITE_FN}    #[cfg(feature = "postgres")]\n    m.add_class::<HelloClass>()?;\n`), scoped: true },
  { name: 'cfg block with a registration', path: LIB, change: once(SQLITE_FN, `${SQLITE_FN}    #[cfg(feature = "sqlite")]\n    {\n        m.add_class::<RetryPolicy>()?;\n    }\n`), scoped: true },
  { name: 'registration under a path', path: LIB, change: once('    m.add_class::<PyContext>()?;\n', '    m.add_class::<crate::context::PyContext>()?;\n'), scoped: true },
  { name: 'helper call removed', path: LIB, change: once('    tasks::register_tasks(m)?;\n', ''), scoped: true },
  { name: 'helper call added', path: LIB, change: once(`${SQLITE_FN}`, `${SQLITE_FN}    tasks::register_tasks(m)?;\n`), scoped: true },
  { name: 'helper call moved first', path: LIB, change: (t) => once(POSTGRES_FN, `${POSTGRES_FN}    tasks::register_tasks(m)?;\n`)(once('    tasks::register_tasks(m)?;\n', '')(t)) },
  { name: 'constant removed', path: LIB, change: once(`    m.add("MAX_RETRIES", 3)?;\n    m.add("__backend__", "sqlite")?;\n`, `    m.add("__backend__", "sqlite")?;\n`), scoped: true },
  { name: 'constant added', path: LIB, change: once('    m.add("__backend__", "sqlite")?;\n', '    m.add("__backend__", "sqlite")?;\n    m.add("TIMEOUT", 30)?;\n'), scoped: true },
  { name: 'constant added first in the other module', path: LIB, change: once(POSTGRES_FN, `${POSTGRES_FN}    m.add("__backend__", "first")?;\n`), scoped: true },
  { name: 'exception registered under another name', path: LIB, change: once('    m.add("TaskError", py.get_type::<TaskError>())?;\n    m.add("MAX_RETRIES", 3)?;\n    m.add("__backend__", "sqlite")?;', '    m.add("TaskFailure", py.get_type::<TaskError>())?;\n    m.add("MAX_RETRIES", 3)?;\n    m.add("__backend__", "sqlite")?;'), scoped: true },
  { name: 'pyclass name= added', path: LIB, change: once('#[pyclass]\npub struct RetryPolicy', '#[pyclass(name = "Retry")]\npub struct RetryPolicy'), scoped: true },
  { name: 'pyfunction renamed in Python', path: LIB, change: once('#[pyo3(name = "get_backend")]\nfn py_get_backend', '#[pyo3(name = "backend_name")]\nfn py_get_backend'), scoped: true },
  { name: 'pyclass name= in another file', path: CONTEXT, change: once('#[pyclass(name = "Context")]', '#[pyclass(name = "Ctx")]'), scoped: true },
  { name: 'pyclass name= clashing', path: CONTEXT, change: once('#[pyclass(name = "Context")]', '#[pyclass(name = "HelloClass")]'), scoped: true },
  { name: 'item gated by a cfg', path: LIB, change: once('#[pyclass]\npub struct HelloClass', '#[cfg(feature = "postgres")]\n#[pyclass]\npub struct HelloClass'), scoped: true },
  { name: 'item cfg removed', path: LIB, change: once('#[cfg(feature = "postgres")]\n#[pyfunction]\nfn pg_only', '#[pyfunction]\nfn pg_only'), scoped: true },
  { name: 'item marked internal', path: LIB, change: once('#[pyclass]\npub struct RetryPolicy', '// bindings-checklist: internal\n#[pyclass]\npub struct RetryPolicy'), scoped: true },
  { name: 'enum kind changed', path: TASKS, change: once('#[pyclass]\n#[derive(Clone, Copy, PartialEq, Eq)]\npub enum TaskStatus', '#[pyclass(name = "TaskState")]\n#[derive(Clone, Copy, PartialEq, Eq)]\npub enum TaskStatus'), scoped: true },
  // A function left without registrations is no helper any more: a full check.
  { name: 'helper body registration removed', path: TASKS, change: once('    m.add_class::<TaskStatus>()?;\n', '') },
  { name: 'helper body registration added', path: TASKS, change: once('    m.add_class::<TaskStatus>()?;\n', '    m.add_class::<TaskStatus>()?;\n    m.add("TASK_LIMIT", 8)?;\n'), scoped: true },
  { name: 'helper gated by a cfg', path: TASKS, change: once('pub fn register_tasks', '#[cfg(feature = "postgres")]\npub fn register_tasks'), scoped: true },
  { name: 'declaration added', path: LIB, change: once('#[pyfunction]\nfn hello_world()', '#[pyfunction]\nfn extra() {}\n\n#[pyfunction]\nfn hello_world()') },
  { name: 'declaration removed', path: LIB, change: once('/// Retry policy for failed tasks: declared, but no module registers it yet.\n#[pyclass]\npub struct RetryPolicy {\n    #[pyo3(get)]\n    attempts: u32,\n}\n', '') },
  { name: 'use line added', path: LIB, change: once('use pyo3::prelude::*;\n', 'use pyo3::prelude::*;\nuse tasks::TaskStatus;\n') },
  { name: '#[pymodule] renamed', path: LIB, change: once('fn cloaca_sqlite3(', 'fn cloaca_sqlite(') },
  { name: 'comment line between items', path: LIB, change: once('#[pyfunction]\nfn hello_world()', '// hello\n#[pyfunction]\nfn hello_world()'), scoped: true },
  { name: 'blank inserted right before a registration', path: LIB, change: once(`${SQLITE_FN}    m.add_class::<HelloClass>()?;`, `${SQLITE_FN}     m.add_class::<HelloClass>()?;`) },
  { name: 'typing in a function body', path: LIB, change: once('"Hello from cloaca!"', '"Hello there from cloaca!"') },
  { name: 'mod line removed', path: LIB, change: once('mod tasks;\n', '') },
  { name: 'module made and added in a body', path: LIB, change: once(SQLITE_FN, `${SQLITE_FN}    let extra = PyModule::new(py, "extra")?;\n    extra.add_class::<RetryPolicy>()?;\n    m.add_submodule(extra)?;\n`) },
  { name: 'wrapper import removed', path: W, change: once('    HelloClass,\n    TaskStatus,', '    TaskStatus,'), scoped: true },
  { name: 'wrapper import added', path: W, change: once('    Scheduler,\n', '    Scheduler,\n    RetryPolicy,\n'), scoped: true },
  { name: 'wrapper import aliased', path: W, change: once('    HelloClass,\n', '    HelloClass as Hello,\n'), scoped: true },
  { name: 'wrapper import aliased to a listed name', path: W, change: once('    TaskError,\n', '    TaskError as Workflow,\n'), scoped: true },
  { name: 'wrapper star import', path: W, change: once('from .cloaca_{{backend}} import (', 'from .cloaca_{{backend}} import *\nfrom .cloaca_{{backend}} import (') },
  { name: 'wrapper import in one variant only', path: W, change: once('    pg_only,\n', '    pg_only,\n    RetryPolicy,\n'), scoped: true },
  { name: '__all__ entry removed', path: W, change: once('    "TaskStatus",\n', ''), scoped: true },
  { name: '__all__ entry added', path: W, change: once('    "Workflow",\n', '    "Workflow",\n    "Context",\n'), scoped: true },
  { name: '__all__ appended', path: W, change: (t) => t + '\n__all__.append("hello_world")\n', scoped: true },
  { name: 'wrapper definition added', path: W, change: (t) => t + '\n\ndef Workflow():\n    pass\n', scoped: true },
  { name: 'dispatcher block removed', path: D, change: once('if hasattr(_backend_module, "HelloClass"):\n    HelloClass = _backend_module.HelloClass\n', ''), scoped: true },
  { name: 'dispatcher block added', path: D, change: once('if hasattr(_backend_module, "LegacyRunner"):', 'if hasattr(_backend_module, "TaskError"):\n    TaskError = _backend_module.TaskError\nif hasattr(_backend_module, "LegacyRunner"):'), scoped: true },
  { name: 'dispatcher block renamed', path: D, change: once('if hasattr(_backend_module, "Context"):\n    Context = _backend_module.Context', 'if hasattr(_backend_module, "Ctx"):\n    Ctx = _backend_module.Ctx'), scoped: true },
  { name: 'dispatcher plain assignment', path: D, change: once('# Backend-specific symbols\n', '# Backend-specific symbols\nTaskError = _backend_module.TaskError\n'), scoped: true },
  { name: 'dispatcher last block removed', path: D, change: once('if hasattr(_backend_module, "pg_only"):\n    pg_only = _backend_module.pg_only\n    __all__.append("pg_only")\n', '') },
  { name: 'dispatcher __all__ entry removed', path: D, change: once('    "Context",\n', ''), scoped: true },
  { name: 'dispatcher dynamic loop', path: D, change: (t) => t + '\nfor _name in __all__:\n    globals()[_name] = getattr(_backend_module, _name)\n' },
  { name: 'test reference added', path: T, change: once('        assert cloaca.__backend__ in ("postgres", "sqlite")', '        assert cloaca.__backend__ in ("postgres", "sqlite")\n        assert cloaca.RetryPolicy is not None'), scoped: true },
  { name: 'test reference removed', path: T, change: once('        assert cloaca.get_backend() == cloaca.__backend__', '        assert True'), scoped: true },
  { name: 'test method removed', path: T, change: once('    def test_hello_world(self):\n        import cloaca\n\n        assert cloaca.hello_world() == "Hello from cloaca!"\n\n', '') },
  { name: 'build script edited', path: SCRIPT, change: once('PROJECT_ROOT = Path(angreal.get_root()).parent', 'PROJECT_ROOT = Path(angreal.get_root()).parent.parent') },
  { name: 'pyproject template edited', path: PYPROJECT, change: once('module-name = "cloaca_{{backend}}"', 'module-name = "cloaca_x_{{backend}}"') },
  { name: 'unrelated Python file', path: 'scripts/notes.py', change: (t) => t + 'print("more")\n', scoped: false },
];

describe('incremental checks give what a full check gives', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  it('after each kind of edit of examples/cloaca, and after undoing it', () => {
    const base: Files = { ...readFixture('examples/cloaca'), 'scripts/notes.py': 'print("hello")\n' };
    const h = new Harness(parsers, { ...base });
    h.compare('initial', true);
    for (const e of CLOACA_EDITS) {
      const updates = h.checker.updates;
      const fullChecks = h.checker.fullChecks;
      h.edit(e.path, e.change);
      h.compare(e.name, true);
      if (e.scoped) {
        assert.equal(h.checker.fullChecks, fullChecks, `${e.name}: no full check`);
        assert.ok(h.checker.updates > updates, `${e.name}: the rules ran for some names`);
      }
      h.set(e.path, base[e.path]);
      h.compare(`${e.name}, undone`, true);
    }
  });

  it('after edits piling up, with chains refreshed only now and then', () => {
    const base = readFixture('examples/cloaca');
    const h = new Harness(parsers, { ...base });
    h.compare('initial');
    CLOACA_EDITS.forEach((e, i) => {
      // Some edits no longer apply once others were made.
      try {
        h.edit(e.path, e.change);
      } catch {
        return;
      }
      h.compare(e.name, i % 5 === 4);
      // Typing inside a body between edits leaves the chains older than the text.
      for (const ch of 'xy') {
        h.edit(LIB, (t) => t.replace('"Hello', `"Hello${ch}`));
        h.compare(`${e.name}, then typing ${ch}`);
      }
    });
    h.compare('at the end', true);
  });

  it('after files are created and deleted, and the configuration changes', () => {
    const base = readFixture('examples/cloaca');
    const h = new Harness(parsers, { ...base });
    h.compare('initial');
    h.set('cloaca-backend/src/extra.rs', '#[pyclass]\npub struct Extra;\n');
    h.compare('a Rust file no mod names');
    h.edit(LIB, once('mod tasks;\n', 'mod tasks;\nmod extra;\n'));
    h.compare('its mod line', true);
    h.edit('cloaca-backend/src/extra.rs', once('pub struct Extra;', '#[derive(Clone)]\npub struct Extra;'));
    h.compare('edited');
    h.remove('cloaca-backend/src/extra.rs');
    h.compare('deleted', true);
    h.set('python-tests/test_more.py', 'import cloaca\n\ndef test_retry():\n    assert cloaca.RetryPolicy\n');
    h.compare('a test file created', true);
    h.edit('python-tests/test_more.py', once('cloaca.RetryPolicy', 'cloaca.Scheduler'));
    h.compare('the new test edited', true);
    h.remove(T);
    h.compare('the main test file deleted', true);
    h.config = mergeConfig(defaultConfig(), { internal: ['RetryPolicy'], rules: { 'missing-test': 'off', 'unknown-import': 'warning' } });
    h.compare('configuration changed', true);
    h.edit(LIB, once(`${SQLITE_FN}    m.add_class::<HelloClass>()?;\n`, SQLITE_FN));
    h.compare('registration removed under that configuration', true);
  });

  for (const fixture of ['test/fixtures/maturin-basic', 'test/fixtures/realbuild', 'test/fixtures/submodules']) {
    it(`after random line edits of ${fixture}`, () => randomEdits(parsers, fixture, Number(process.env.STEPS ?? 120)));
  }

  it('after edits of a project with submodules (checked in full)', () => {
    const lib = 'src/rust/src/lib.rs';
    const cart = 'src/rust/src/cart.rs';
    const wrapper = 'src/shop/bindings/__init__.py';
    const base = readFixture('test/fixtures/submodules');
    const h = new Harness(parsers, { ...base });
    h.compare('initial', true);
    const edits: Edit[] = [
      { name: 'submodule registration removed', path: lib, change: once('        m.add_wrapped(pyo3::wrap_pymodule!(crate::legacy::legacy))?;\n', '') },
      { name: 'class added to a submodule', path: cart, change: once('    m.add_class::<Cart>()?;\n', '    m.add_class::<Cart>()?;\n    m.add_class::<Discount>()?;\n') },
      { name: 'export removed from a nested submodule', path: lib, change: once('use crate::cart::{total, Discount};', 'use crate::cart::total;') },
      { name: 'typing in a function body', path: lib, change: once('env!("CARGO_PKG_VERSION")', 'env!("CARGO_PKG_NAME")') },
      { name: 'wrapper imports a submodule class', path: wrapper, change: once('import cart,', 'import Cart, cart,') },
      { name: 'made submodule no longer added', path: 'src/rust/src/receipts.rs', change: once('    parent.add_submodule(&receipts)\n', '    Ok(())\n') },
    ];
    for (const e of edits) {
      h.edit(e.path, e.change);
      h.compare(e.name, true);
      h.set(e.path, base[e.path]);
      h.compare(`${e.name}, undone`, true);
    }
  });

  it('after random line edits of examples/cloaca', () => randomEdits(parsers, 'examples/cloaca', Number(process.env.STEPS ?? 300)));

  it('after random line edits of a workspace with two binding projects', () => {
    const files: Files = { ...readFixture('examples/cloaca') };
    for (const [p, text] of Object.entries(readFixture('test/fixtures/maturin-basic'))) files[`geometry/${p}`] = text;
    const h = new Harness(parsers, { ...files });
    assert.equal(runChecks(h.index, h.config).chains.length, 2, 'two projects');
    randomEdits(parsers, files, Number(process.env.STEPS ?? 200));
  });
});

/** Lines that change bindings when they land in the right place. */
const RUST_SNIPPETS = [
  '#[pyclass(name = "Alias")]',
  '#[pyclass]',
  '#[pyfunction]',
  '#[cfg(feature = "sqlite")]',
  '#[cfg(feature = "postgres")]',
  '// bindings-checklist: internal',
  '    m.add("EXTRA", 1)?;',
  '    m.add_class::<HelloClass>()?;',
  '    m.add_class::<Point>()?;',
  '    m.add_function(wrap_pyfunction!(hello_world, m)?)?;',
  '    tasks::register_tasks(m)?;',
  '    #[pymodule_export]',
  '    use super::distance;',
  '#[pyo3(name = "renamed")]',
  '    let extra = PyModule::new(py, "extra")?;',
  '    extra.add_class::<Cart>()?;',
  '    m.add_submodule(&extra)?;',
  '    m.add_wrapped(pyo3::wrap_pymodule!(crate::legacy::legacy))?;',
  '    #[pyo3::pymodule]',
  '    mod nested {',
  '    }',
];
const PYTHON_SNIPPETS = [
  'from .cloaca_{{backend}} import HelloClass as Hello',
  'from ._core import Polygon',
  '__all__ += ["Extra"]',
  '__all__.append("HelloClass")',
  'if hasattr(_backend_module, "TaskError"):',
  '    TaskError = _backend_module.TaskError',
  'Scheduler = _backend_module.Scheduler',
  '        assert cloaca.RetryPolicy',
  '        assert geometry.Polygon',
  'from cloaca import TaskError',
  'def Workflow(): pass',
  'from ._rust import Cart',
  '    assert shop.bindings.prices.total',
];

/**
 * Random edits of the Rust and Python files of a fixture: lines deleted,
 * duplicated, moved, copied from elsewhere, identifiers changed, blank lines
 * and comments typed; every few steps the file goes back to how it was. After
 * each, the incremental findings must be the full check's. `SEED` and `STEPS`
 * in the environment run other and longer sequences.
 */
function randomEdits(parsers: Parsers, fixture: string | Files, steps: number): void {
  const base = typeof fixture === 'string' ? readFixture(fixture) : fixture;
  const files = Object.keys(base).filter((p) => /\.(rs|py)$/.test(p)).sort();
  const random = mulberry32(Number(process.env.SEED ?? 7));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const h = new Harness(parsers, { ...base });
  h.compare('initial', true);
  const kinds = ['delete', 'duplicate', 'move', 'copy', 'borrow', 'snippet', 'rename', 'blank', 'comment', 'restore'] as const;
  let scoped = 0;
  for (let i = 0; i < steps; i++) {
    const path = pick(files);
    const lines = h.texts[path].split('\n');
    const kind = pick(kinds);
    const at = Math.floor(random() * lines.length);
    switch (kind) {
      case 'delete':
        lines.splice(at, 1);
        break;
      case 'duplicate':
        lines.splice(at, 0, lines[at]);
        break;
      case 'move': {
        const [line] = lines.splice(at, 1);
        lines.splice(Math.floor(random() * (lines.length + 1)), 0, line);
        break;
      }
      case 'copy': {
        const other = base[path].split('\n');
        lines.splice(at, 0, pick(other));
        break;
      }
      case 'borrow': {
        // A line of another file of the same language.
        const others = files.filter((f) => f !== path && f.slice(-3) === path.slice(-3));
        if (others.length) lines.splice(at, 0, pick(h.texts[pick(others)].split('\n')));
        break;
      }
      case 'snippet':
        lines.splice(at, 0, pick(path.endsWith('.rs') ? RUST_SNIPPETS : PYTHON_SNIPPETS));
        break;
      case 'rename': {
        const line = lines[at];
        const words = [...line.matchAll(/[A-Za-z_]\w*/g)];
        if (words.length) {
          const w = pick(words);
          lines[at] = line.slice(0, w.index!) + w[0] + 'X' + line.slice(w.index! + w[0].length);
        }
        break;
      }
      case 'blank':
        lines.splice(at, 0, '');
        break;
      case 'comment':
        lines.splice(at, 0, path.endsWith('.rs') ? '// note' : '# note');
        break;
      case 'restore':
        h.set(path, base[path]);
        h.compare(`step ${i}: ${path} restored`, i % 7 === 0);
        continue;
    }
    const text = lines.join('\n');
    if (text === h.texts[path]) continue;
    const updates = h.checker.updates;
    h.set(path, text);
    h.compare(`step ${i}: ${kind} line ${at + 1} of ${path}`, i % 7 === 0);
    if (h.checker.updates > updates) scoped++;
  }
  assert.ok(scoped > 0, 'some edits re-ran the rules for some names only');
}

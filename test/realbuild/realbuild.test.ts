/**
 * The real build proof: test/fixtures/realbuild, a PyO3 0.17 project in the seed's layout, is
 * copied, given one gap per chain rule, checked with the built CLI, and really rendered, built
 * (cargo, offline, Debian's librust-pyo3-dev), imported and tested (pytest) for both backends
 * by scripts/realbuild/build-and-test.sh. For each gap: the checker reports exactly that gap,
 * the build/import/pytest cycle fails the way the seed's checklist says (or passes, where only
 * the checker can see the gap), `check --fix` repairs it, and both backends then pass again,
 * with the tests the fixes added.
 *
 * Run: npm run test:realbuild   (builds the CLI, installs librust-pyo3-dev when missing)
 */
import * as assert from 'node:assert/strict';
import { addBindingSymbol } from '../../server/src/fixes/add-symbol';
import { defaultConfig } from '../../server/src/layout/config';
import { Parsers } from '../../server/src/parsing/parsers';
import { indexFiles, readFixture, replaceOnce } from '../unit/helpers/workspace';
import {
  Backend,
  BACKENDS,
  BuildRun,
  buildAndTest,
  checkCli,
  copyFixture,
  describeRun,
  Finding,
  fixCli,
  lineOf,
  pytestCounts,
  probeNames,
  pytestOutcomes,
  readText,
  removeCopies,
  Stage,
  writeText,
} from './harness';

const LIB = 'cloaca-backend/src/lib.rs';
const CONTEXT = 'cloaca-backend/src/context.rs';
const TASKS = 'cloaca-backend/src/tasks.rs';
const W = 'cloaca-backend/python/cloaca_{{backend}}/__init__.py';
const D = 'cloaca/src/cloaca/__init__.py';
const T = 'python-tests/test_basic.py';

const SQLITE_FN = 'fn cloaca_sqlite(py: Python, m: &PyModule) -> PyResult<()> {\n';
const MAX_RETRIES_TEST = '    def test_max_retries(self):\n        import cloaca\n\n        assert cloaca.MAX_RETRIES == 3\n\n';
const CONTEXT_BLOCK = 'if hasattr(_backend_module, "Context"):\n    Context = _backend_module.Context\n';
const BACKEND_BLOCK = 'if hasattr(_backend_module, "__backend__"):\n    __backend__ = _backend_module.__backend__';
const LEGACY_BLOCK = 'if hasattr(_backend_module, "LegacyRunner"):\n    LegacyRunner = _backend_module.LegacyRunner\n';

/** The complete fixture's pytest counts per backend (test_pg_only skips on sqlite). */
const BASELINE: Record<Backend, { passed: number; skipped: number }> = { postgres: { passed: 10, skipped: 0 }, sqlite: { passed: 9, skipped: 1 } };

interface ExpectedFinding {
  rule: string;
  file: string;
  /** A text on the expected line of the edited file (unique in it). */
  at: string;
  symbol: string | null;
  variant: string | null;
  severity: 'error' | 'warning' | 'info' | 'hint';
}

interface StageFailure {
  backend: Backend;
  stage: Stage;
  /** The FAIL line's detail (the error itself). */
  detail: RegExp;
  /** Lines the harness prints under the FAIL line (pytest's FAILED lines). */
  excerpt?: RegExp[];
}

interface Scenario {
  rule: string;
  /** What is knocked out, as the describe title says it. */
  gap: string;
  edit: Record<string, (text: string) => string>;
  findings: ExpectedFinding[];
  /** How the build/import/pytest cycle reacts; null: it passes (only the checker sees the gap). */
  fails: StageFailure[] | null;
  /** How the cycle fails, or why it passes, in the test title. */
  symptom: string;
  /** Tests the fix adds (names in pytest -v output), each must pass on both backends. */
  addedTests?: string[];
}

const SCENARIOS: Scenario[] = [
  {
    rule: 'missing-registration',
    gap: '`m.add_class::<HelloClass>()?;` removed from #[pymodule] cloaca_sqlite',
    edit: { [LIB]: (t) => replaceOnce(t, `${SQLITE_FN}    m.add_class::<HelloClass>()?;\n`, SQLITE_FN) },
    findings: [
      { rule: 'missing-registration', file: LIB, at: 'fn cloaca_sqlite(', symbol: 'HelloClass', variant: 'sqlite', severity: 'error' },
      { rule: 'unknown-import', file: W, at: '    HelloClass,', symbol: 'HelloClass', variant: 'sqlite', severity: 'error' },
      { rule: 'incomplete-binding', file: LIB, at: 'pub struct HelloClass', symbol: 'HelloClass', variant: null, severity: 'hint' },
    ],
    symptom: "sqlite import fails: ImportError: cannot import name 'HelloClass' from 'cloaca_sqlite.cloaca_sqlite'; all 10 sqlite tests fail; postgres passes",
    fails: [
      { backend: 'sqlite', stage: 'import', detail: /^ImportError: cannot import name 'HelloClass' from 'cloaca_sqlite\.cloaca_sqlite' \(.*\/python\/cloaca_sqlite\/cloaca_sqlite\.cpython-[^)]*\.so\)$/ },
      { backend: 'sqlite', stage: 'pytest', detail: /^10 failed in / },
    ],
  },
  {
    rule: 'missing-wrapper-import',
    gap: '`Context` removed from the wrapper template\'s `from .cloaca_{{backend}} import (...)`, still registered and in `__all__`',
    edit: { [W]: (t) => replaceOnce(t, '    Context,\n', '') },
    findings: [
      { rule: 'missing-wrapper-import', file: W, at: 'from .cloaca_', symbol: 'Context', variant: null, severity: 'error' },
      { rule: 'incomplete-binding', file: CONTEXT, at: 'pub struct PyContext', symbol: 'Context', variant: null, severity: 'hint' },
    ],
    symptom: "import fails in both backends: AttributeError: module 'cloaca_<backend>' has no attribute 'Context' (star import); test_context and test_all_names_exist fail",
    fails: BACKENDS.flatMap((b): StageFailure[] => [
      { backend: b, stage: 'import', detail: new RegExp(`^AttributeError: module 'cloaca_${b}' has no attribute 'Context'$`) },
      {
        backend: b,
        stage: 'pytest',
        detail: b === 'postgres' ? /^2 failed, 8 passed in / : /^2 failed, 7 passed, 1 skipped in /,
        excerpt: [/^FAILED .*::test_context - AttributeError: module 'cloaca' has no attribute 'Context'$/, /^FAILED .*::test_all_names_exist - AssertionError: Context$/],
      },
    ]),
  },
  {
    rule: 'missing-dunder-all',
    gap: '`"hello_world"` removed from the wrapper template\'s `__all__`',
    edit: { [W]: (t) => replaceOnce(t, '    "hello_world",\n', '') },
    findings: [
      { rule: 'missing-dunder-all', file: W, at: '__all__ = [', symbol: 'hello_world', variant: null, severity: 'warning' },
      { rule: 'incomplete-binding', file: LIB, at: 'fn hello_world()', symbol: 'hello_world', variant: null, severity: 'hint' },
    ],
    fails: null,
    symptom: "passes: the dispatcher reads the module attribute, not the wrapper's __all__",
  },
  {
    rule: 'missing-reexport',
    gap: 'the dispatcher\'s `if hasattr(_backend_module, "Context")` block and its `__all__` entry removed',
    edit: { [D]: (t) => replaceOnce(replaceOnce(t, CONTEXT_BLOCK, ''), '    "Context",\n', '') },
    findings: [
      { rule: 'missing-reexport', file: D, at: 'if hasattr(_backend_module, "__backend__")', symbol: 'Context', variant: null, severity: 'warning' },
      { rule: 'incomplete-binding', file: CONTEXT, at: 'pub struct PyContext', symbol: 'Context', variant: null, severity: 'hint' },
    ],
    symptom: "imports, then test_context fails in both backends: AttributeError: module 'cloaca' has no attribute 'Context'",
    fails: BACKENDS.map((b): StageFailure => ({
      backend: b,
      stage: 'pytest',
      detail: b === 'postgres' ? /^1 failed, 9 passed in / : /^1 failed, 8 passed, 1 skipped in /,
      excerpt: [/^FAILED .*::test_context - AttributeError: module 'cloaca' has no attribute 'Context'$/],
    })),
  },
  {
    rule: 'missing-test',
    gap: 'the `MAX_RETRIES` test removed',
    edit: { [T]: (t) => replaceOnce(t, MAX_RETRIES_TEST, '') },
    findings: [
      { rule: 'missing-test', file: T, at: 'class TestBackendFunctionality', symbol: 'MAX_RETRIES', variant: null, severity: 'info' },
      { rule: 'incomplete-binding', file: LIB, at: 'm.add("MAX_RETRIES", 3)?;\n    tasks::register_tasks(m)?;\n    m.add("__backend__", "postgres")', symbol: 'MAX_RETRIES', variant: null, severity: 'hint' },
    ],
    fails: null,
    symptom: 'passes: an untested symbol builds, imports and passes',
    addedTests: ['test_max_retries_is_exposed'],
  },
  {
    rule: 'unknown-import',
    gap: '`Scheduler`, which Rust does not declare, added to the wrapper template\'s import',
    edit: { [W]: (t) => replaceOnce(t, '    MAX_RETRIES,\n{%', '    MAX_RETRIES,\n    Scheduler,\n{%') },
    findings: [{ rule: 'unknown-import', file: W, at: '    Scheduler,', symbol: 'Scheduler', variant: null, severity: 'error' }],
    symptom: "import fails in both backends: ImportError: cannot import name 'Scheduler' from 'cloaca_<backend>.cloaca_<backend>'; every test fails",
    fails: BACKENDS.flatMap((b): StageFailure[] => [
      { backend: b, stage: 'import', detail: new RegExp(`^ImportError: cannot import name 'Scheduler' from 'cloaca_${b}\\.cloaca_${b}' \\(.*\\.so\\)$`) },
      { backend: b, stage: 'pytest', detail: /^10 failed in / },
    ]),
  },
  {
    rule: 'undefined-dunder-all',
    gap: '`"Workflow"`, defined nowhere, added to the wrapper template\'s `__all__`',
    edit: { [W]: (t) => replaceOnce(t, '    "MAX_RETRIES",\n', '    "MAX_RETRIES",\n    "Workflow",\n') },
    findings: [{ rule: 'undefined-dunder-all', file: W, at: '"Workflow"', symbol: 'Workflow', variant: null, severity: 'error' }],
    symptom: "`from cloaca_<backend> import *` fails in both backends: AttributeError: module 'cloaca_<backend>' has no attribute 'Workflow'; pytest passes (it never star-imports the wrapper)",
    fails: BACKENDS.map((b): StageFailure => ({ backend: b, stage: 'import', detail: new RegExp(`^AttributeError: module 'cloaca_${b}' has no attribute 'Workflow'$`) })),
  },
  {
    rule: 'stale-reexport',
    gap: 'a dispatcher re-export block left for `LegacyRunner`, which Rust no longer declares',
    edit: { [D]: (t) => replaceOnce(t, BACKEND_BLOCK, LEGACY_BLOCK + BACKEND_BLOCK) },
    findings: [{ rule: 'stale-reexport', file: D, at: '"LegacyRunner"', symbol: 'LegacyRunner', variant: null, severity: 'warning' }],
    fails: null,
    symptom: 'passes: the hasattr guard hides the dead block',
  },
  {
    rule: 'module-name-mismatch',
    gap: '#[pymodule] fn cloaca_sqlite renamed cloaca_sqlite_core (lib and module-name stay cloaca_sqlite)',
    edit: { [LIB]: (t) => replaceOnce(t, 'fn cloaca_sqlite(', 'fn cloaca_sqlite_core(') },
    findings: [{ rule: 'module-name-mismatch', file: LIB, at: 'fn cloaca_sqlite_core(', symbol: null, variant: 'sqlite', severity: 'error' }],
    symptom: 'sqlite import fails: ImportError: dynamic module does not define module export function (PyInit_cloaca_sqlite); all 10 sqlite tests fail; postgres passes',
    fails: [
      { backend: 'sqlite', stage: 'import', detail: /^ImportError: dynamic module does not define module export function \(PyInit_cloaca_sqlite\)$/ },
      { backend: 'sqlite', stage: 'pytest', detail: /^10 failed in / },
    ],
  },
];

function located(files: (rel: string) => string, expected: ExpectedFinding[]) {
  return expected.map((e) => ({ rule: e.rule, severity: e.severity, file: e.file, line: lineOf(files(e.file), e.at), symbol: e.symbol, variant: e.variant }));
}

function comparable(findings: Pick<Finding, 'rule' | 'severity' | 'file' | 'line' | 'symbol' | 'variant'>[]) {
  const key = (f: (typeof findings)[number]) => `${f.file}:${String(f.line).padStart(5, '0')}:${f.rule}:${f.symbol}:${f.variant}`;
  return findings.map(({ rule, severity, file, line, symbol, variant }) => ({ rule, severity, file, line, symbol, variant })).sort((a, b) => key(a).localeCompare(key(b)));
}

/** Every stage of both backends passed. */
function assertAllPass(r: BuildRun): void {
  assert.equal(r.result, 'PASS', describeRun(r));
  assert.equal(r.code, 0, describeRun(r));
  for (const b of BACKENDS) for (const s of ['render', 'build', 'import', 'pytest'] as const) assert.equal(r.stages[`${b}:${s}`]?.status, 'PASS', `${b} ${s}\n${describeRun(r)}`);
}

function summary(r: BuildRun): string {
  return BACKENDS.map((b) => `${b}: ${r.stages[`${b}:pytest`]?.detail}`).join('; ');
}

describe('real PyO3 0.17 build of test/fixtures/realbuild (cargo, import, pytest per backend)', function () {
  this.timeout(600_000);
  this.slow(10_000);

  after(removeCopies);

  describe('baseline: the complete fixture', () => {
    let dir: string;
    before(() => (dir = copyFixture('baseline')));

    it('the checker reports nothing (exit 0)', async () => {
      const r = await checkCli(dir);
      assert.deepEqual(r.findings, []);
      assert.equal(r.code, 0);
    });

    it('both backends build, import and pass pytest', async () => {
      const r = await buildAndTest(dir);
      assertAllPass(r);
      for (const b of BACKENDS) assert.deepEqual(pytestCounts(r.stages[`${b}:pytest`].detail), { ...BASELINE[b], failed: 0, errors: 0 }, summary(r));
    });
  });

  for (const s of SCENARIOS) {
    const cycle = s.fails ? s.symptom : `${s.symptom}; only the checker finds this gap`;

    describe(`${s.rule}: ${s.gap}`, () => {
      let dir: string;
      let broken: BuildRun | undefined;
      before(() => {
        dir = copyFixture(s.rule);
        for (const [file, edit] of Object.entries(s.edit)) writeText(dir, file, edit(readText(dir, file)));
      });

      const errors = s.findings.some((f) => f.severity === 'error');
      it(`the checker reports exactly ${s.findings.map((f) => `${f.rule}${f.symbol ? ` ${f.symbol}` : ''}${f.variant ? ` [${f.variant}]` : ''}`).join(', ')} (exit ${errors ? 1 : 0})`, async () => {
        const r = await checkCli(dir);
        assert.deepEqual(comparable(r.findings), comparable(located((rel) => readText(dir, rel), s.findings)), JSON.stringify(r.findings, null, 2));
        assert.equal(r.code, errors ? 1 : 0);
      });

      it(`the build/import/pytest cycle: ${cycle}`, async () => {
        broken = await buildAndTest(dir);
        const r = broken;
        if (!s.fails) {
          assertAllPass(r);
          return;
        }
        assert.equal(r.code, 1, describeRun(r));
        const failing = s.fails.map((f) => `${f.backend}:${f.stage}`);
        assert.equal(r.result, `FAIL ${failing.join(' ')}`, describeRun(r));
        for (const b of BACKENDS) {
          for (const stage of ['render', 'build', 'import', 'pytest'] as const) {
            const actual = r.stages[`${b}:${stage}`];
            const expected: StageFailure | undefined = s.fails.find((f) => f.backend === b && f.stage === stage);
            assert.equal(actual?.status, expected ? 'FAIL' : 'PASS', `${b} ${stage}\n${describeRun(r)}`);
            if (!expected) continue;
            assert.match(actual.detail, expected.detail, `${b} ${stage} detail`);
            for (const line of expected.excerpt ?? []) assert.ok(actual.excerpt.some((l) => line.test(l)), `${b} ${stage}: no excerpt line matches ${line}\n${actual.excerpt.join('\n')}`);
          }
        }
      });

      it('`check --fix` exits 0 and leaves nothing to report', async () => {
        const fixed = await fixCli(dir);
        assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
        const after = await checkCli(dir);
        assert.deepEqual(after.findings, []);
        assert.equal(after.code, 0);
      });

      it(`after the fix both backends build, import and pass pytest${s.addedTests ? `, including the added ${s.addedTests.join(', ')}` : ''}`, async () => {
        const r = await buildAndTest(dir);
        assertAllPass(r);
        for (const b of BACKENDS) {
          const counts = pytestCounts(r.stages[`${b}:pytest`].detail);
          assert.deepEqual(counts, { ...BASELINE[b], failed: 0, errors: 0 }, summary(r));
          const outcomes = pytestOutcomes(r.pytestLog[b]);
          for (const name of s.addedTests ?? []) assert.equal(outcomes.get(name), 'PASSED', `${b}: ${name}\n${r.pytestLog[b]}`);
          if (s.addedTests && broken) {
            const before = pytestCounts(broken.stages[`${b}:pytest`].detail);
            assert.equal(counts.passed, before.passed + s.addedTests.length, `${b}: pytest count grew by the added tests (${summary(broken)} -> ${summary(r)})`);
          }
        }
      });
    });
  }

  interface AddSymbolCase {
    title: string;
    request: { kind: 'class' | 'function' | 'enum' | 'constant'; pythonName: string; rustFile: string; variants: string[] | null };
    /** The test the edit generates (a name in pytest -v output). */
    test: string;
    /** Backends whose build must have the symbol; the others must not. */
    in: Backend[];
  }

  const ADD_SYMBOL: AddSymbolCase[] = [
    {
      title: 'class RetryPolicy in cloaca-backend/src/lib.rs, every backend',
      request: { kind: 'class', pythonName: 'RetryPolicy', rustFile: LIB, variants: null },
      test: 'test_retry_policy_is_exposed',
      in: ['postgres', 'sqlite'],
    },
    {
      title: 'function ping in cloaca-backend/src/tasks.rs, postgres only',
      request: { kind: 'function', pythonName: 'ping', rustFile: TASKS, variants: ['postgres'] },
      test: 'test_ping_is_exposed',
      in: ['postgres'],
    },
  ];

  for (const c of ADD_SYMBOL) {
    describe(`"Add binding symbol": ${c.title}`, () => {
      let dir: string;
      before(() => (dir = copyFixture(`add-${c.request.pythonName}`)));

      it('the edit writes the Rust item, its registration, the wrapper import and __all__, the re-export and a test', async () => {
        const parsers = await Parsers.load();
        const result = addBindingSymbol(indexFiles(parsers, readFixture(dir)), defaultConfig(), c.request);
        if ('error' in result) assert.fail(result.error);
        for (const [file, { after }] of result.changes) writeText(dir, file, after);
        for (const file of [c.request.rustFile, W, D, T]) assert.ok(result.changes.has(file), `${file} changed (changed: ${[...result.changes.keys()].join(', ')})`);
        assert.equal(result.declaration.file, c.request.rustFile);
        assert.match(readText(dir, T), new RegExp(`def ${c.test}\\(`));
        const wrapper = readText(dir, W);
        assert.equal(wrapper.match(new RegExp(`\\b${c.request.pythonName}\\b`, 'g'))?.length, 2, `the wrapper template names ${c.request.pythonName} once in its import and once in __all__:\n${wrapper}`);
      });

      it('the checker then reports nothing (exit 0)', async () => {
        const r = await checkCli(dir);
        assert.deepEqual(r.findings, []);
        assert.equal(r.code, 0);
      });

      it(`both backends build, import and pass pytest, running ${c.test}; ${c.request.pythonName} exists in ${c.in.join(' and ')}${c.in.length < BACKENDS.length ? ' only' : ''}`, async () => {
        const r = await buildAndTest(dir, { keep: true });
        assertAllPass(r);
        for (const b of BACKENDS) {
          const has = c.in.includes(b);
          const outcome = pytestOutcomes(r.pytestLog[b]).get(c.test);
          // Where the symbol does not exist, its test may skip (like test_pg_only) or be absent, never fail.
          if (has) assert.equal(outcome, 'PASSED', `${b}: ${c.test}\n${r.pytestLog[b]}`);
          else assert.ok(outcome === undefined || outcome === 'SKIPPED', `${b}: ${c.test} ${outcome}`);
          const counts = pytestCounts(r.stages[`${b}:pytest`].detail);
          assert.equal(counts.passed, BASELINE[b].passed + (has ? 1 : 0), summary(r));
          const seen = (await probeNames(r.kept!, b, [c.request.pythonName]))[c.request.pythonName];
          assert.deepEqual(seen, { extension: has, wrapper: has, cloaca: has }, `${b}: ${c.request.pythonName}`);
        }
      });
    });
  }
});

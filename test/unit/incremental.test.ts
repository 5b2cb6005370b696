import * as assert from 'node:assert/strict';
import { runChecks } from '../../server/src/engine';
import { editRegion, IncrementalChecker } from '../../server/src/incremental';
import { makeSourceFile } from '../../server/src/index/source';
import { defaultConfig } from '../../server/src/layout/config';
import { locate } from '../../server/src/output/format';
import { Parsers } from '../../server/src/parsing/parsers';
import { indexFiles, readFixture } from './helpers/workspace';

describe('incremental re-checks', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  it('finds the edit between two texts', () => {
    assert.deepEqual(editRegion('abcdef', 'abXYdef'), { start: 2, oldEnd: 3, newEnd: 4 });
    assert.deepEqual(editRegion('aaa', 'aaaa'), { start: 3, oldEnd: 3, newEnd: 4 });
    assert.deepEqual(editRegion('same', 'same'), { start: 4, oldEnd: 4, newEnd: 4 });
  });

  it('gives the same findings as a full check after every keystroke, re-checking only when needed', () => {
    const files = readFixture('examples/cloaca');
    const index = indexFiles(parsers, files);
    const config = defaultConfig();
    const checker = new IncrementalChecker();
    const LIB = 'cloaca-backend/src/lib.rs';
    const TASKS = 'cloaca-backend/src/tasks.rs';
    const set = (path: string, text: string) => index.set(makeSourceFile(path, text)!);
    const located = (findings: ReturnType<typeof runChecks>['findings']) => findings.map((f) => locate(index, f));
    const compare = (step: string) => {
      const incremental = checker.check(index, config);
      const full = runChecks(index, config);
      assert.deepEqual(located(incremental.findings), located(full.findings), step);
      assert.deepEqual(incremental.findings.map((f) => f.fixes), full.findings.map((f) => f.fixes), `${step}: fixes`);
    };
    compare('initial');
    let lib = index.get(LIB)!.text;
    // Typing a string inside a function body, one character at a time.
    const at = lib.indexOf('"Hello from cloaca!"') + 1;
    for (const ch of 'Hi there, ') {
      lib = lib.slice(0, at) + ch + lib.slice(at);
      set(LIB, lib);
      const parses = index.parseCount;
      checker.check(index, config);
      assert.equal(index.parseCount, parses, 'typing inside a body the facts never read parses nothing');
      compare(`typed ${ch}`);
    }
    const afterTyping = checker.shortcuts;
    assert.ok(afterTyping >= 9, `shortcuts: ${afterTyping}`);
    // A comment line above everything.
    lib = '// a comment\n' + lib;
    set(LIB, lib);
    compare('comment at the top');
    // Removing a registration changes the chain: the rules run again for that name only.
    const full = checker.fullChecks;
    const updates = checker.updates;
    const line = '    m.add_class::<HelloClass>()?;\n';
    lib = lib.replace(line, '');
    set(LIB, lib);
    compare('registration removed');
    assert.equal(checker.fullChecks, full);
    assert.ok(checker.updates > updates);
    lib = lib.replace('fn cloaca_postgres(py: Python, m: &PyModule) -> PyResult<()> {\n', `fn cloaca_postgres(py: Python, m: &PyModule) -> PyResult<()> {\n${line}`);
    set(LIB, lib);
    compare('registration restored');
    // Renaming a class in another file.
    set(TASKS, index.get(TASKS)!.text.replace('pub enum TaskStatus', 'pub enum TaskState'));
    compare('class renamed');
    // A file no chain reads.
    set('scripts/notes.py', 'print("hello")\n');
    compare('new unrelated file');
    set('scripts/notes.py', 'print("hello again")\n');
    compare('unrelated file edited');
    // Fixes computed from a result that was moved along need the current text.
    lib = '\n' + lib;
    set(LIB, lib);
    const moved = checker.check(index, config);
    const fresh = checker.fresh(index, config);
    assert.ok(!fresh.shifted);
    assert.deepEqual(located(fresh.findings), located(moved.findings));
  });
});

describe('incremental parsing of open buffers', () => {
  it('reuses the last tree and reads the same facts as a fresh parse after every edit', async () => {
    const parsers = await Parsers.load();
    const files = readFixture('examples/cloaca');
    const index = indexFiles(parsers, files);
    const LIB = 'cloaca-backend/src/lib.rs';
    const D = 'cloaca/src/cloaca/__init__.py';
    let lib = files[LIB];
    let dispatcher = files[D];
    let version = 1;
    const fresh = (path: string, text: string) => {
      const other = indexFiles(parsers, { [path]: text });
      return path.endsWith('.rs') ? other.rust(path)!.facts : other.python(path)!.facts;
    };
    const edits: [string, (t: string) => string][] = [
      [LIB, (t) => t.replace('    m.add_class::<HelloClass>()?;\n', '')],
      [LIB, (t) => t.replace('fn hello_world()', 'fn hello_world_é()')],
      [LIB, (t) => t.replace('#[pyclass]\npub struct RetryPolicy', '#[pyclass(name = "Retry")]\npub struct RetryPolicy')],
      [LIB, (t) => '// 😀 header\r\n' + t],
      [LIB, (t) => t.replace('m.add("MAX_RETRIES", 3)?;', 'm.add("MAX_RETRIES", 3)?;\n    m.add("X", 1')],
      [LIB, (t) => t.replace('\n    m.add("X", 1', '')],
      [D, (t) => t.replace('if hasattr(_backend_module, "Context"):', 'if hasattr(_backend_module, "Ctx"):')],
      [D, (t) => t + '\nextra = 1\n'],
    ];
    for (const [path, change] of edits) {
      if (path === LIB) lib = change(lib);
      else dispatcher = change(dispatcher);
      const text = path === LIB ? lib : dispatcher;
      index.set(makeSourceFile(path, text, ++version)!);
      const facts = path === LIB ? index.rust(path)!.facts : index.python(path)!.facts;
      assert.deepEqual(facts, fresh(path, text), `facts after editing ${path} (v${version})`);
    }
    assert.equal(index.retainedTrees, 2, 'the two open buffers keep their trees');
    assert.equal(index.incrementalParses, edits.length - 2, 'every edit but the first of each buffer started from the previous tree');
    index.set(makeSourceFile(LIB, lib)!);
    assert.equal(index.retainedTrees, 1, 'a buffer read from disk again drops its tree');
  });

  it('edits the kept tree for every version set, parsed or not, and then parses to the fresh facts', async () => {
    const parsers = await Parsers.load();
    const files = readFixture('examples/cloaca');
    const LIB = 'cloaca-backend/src/lib.rs';
    const index = indexFiles(parsers, files);
    let version = 1;
    index.set(makeSourceFile(LIB, files[LIB], version)!);
    assert.ok(index.rust(LIB));
    const fresh = (text: string) => indexFiles(parsers, { [LIB]: text }).rust(LIB)!.facts;
    // Versions nobody parses (a check that needs no parse), in several places of the file, then one that is parsed.
    const runs: ((t: string) => string)[][] = [
      [(t) => t.replace('    m.add_class::<HelloClass>()?;\n', ''), (t) => '// é header\r\n' + t, (t) => t + '\nfn tail() {}\n'],
      [(t) => t.replace('fn tail() {}', 'fn tail() { let x = 1; }'), (t) => t.replace('// é header\r\n', '')],
      [(t) => t.replace('fn hello_world()', 'fn hello_world_renamed()'), (t) => t.replace('fn hello_world_renamed()', 'fn hello_world()')],
    ];
    let text = files[LIB];
    for (const run of runs) {
      for (const change of run) {
        text = change(text);
        index.set(makeSourceFile(LIB, text, ++version)!);
      }
      assert.deepEqual(index.rust(LIB)!.facts, fresh(text), `facts at v${version}`);
    }
    assert.equal(index.incrementalParses, runs.length);
  });
});

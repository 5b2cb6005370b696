import * as assert from 'node:assert/strict';
import { addBindingSymbol, addSymbolChoices, validatePythonName } from '../../server/src/fixes/add-symbol';
import { defaultConfig } from '../../server/src/layout/config';
import { Parsers } from '../../server/src/parsing/parsers';
import { check, Files, indexFiles, readFixture } from './helpers/workspace';

const LIB = 'cloaca-backend/src/lib.rs';
const TASKS = 'cloaca-backend/src/tasks.rs';
const W = 'cloaca-backend/python/cloaca_{{backend}}/__init__.py';
const D = 'cloaca/src/cloaca/__init__.py';
const T = 'python-tests/test_basic.py';

describe('Add binding symbol', () => {
  let parsers: Parsers;
  let files: Files;
  before(async () => {
    parsers = await Parsers.load();
    files = readFixture('test/fixtures/realbuild');
  });

  const add = (request: Parameters<typeof addBindingSymbol>[2]) => {
    const index = indexFiles(parsers, files);
    const result = addBindingSymbol(index, defaultConfig(), request);
    if ('error' in result) throw new Error(result.error);
    const after: Files = { ...files };
    for (const [file, change] of result.changes) {
      assert.equal(change.before, files[file] ?? '');
      after[file] = change.after;
    }
    return { result, after };
  };

  it('offers the crate files, the crate root and the variants', () => {
    const choices = addSymbolChoices(indexFiles(parsers, files), defaultConfig());
    assert.deepEqual(choices.variants, ['postgres', 'sqlite']);
    assert.equal(choices.defaultRustFile, LIB);
    assert.deepEqual(choices.rustFiles, ['cloaca-backend/src/context.rs', LIB, TASKS]);
  });

  it('validates the Python name', () => {
    const index = indexFiles(parsers, files);
    assert.match(validatePythonName(index, defaultConfig(), '2fast')!, /not a Python identifier/);
    assert.match(validatePythonName(index, defaultConfig(), 'class')!, /keyword/);
    assert.match(validatePythonName(index, defaultConfig(), 'Context')!, /already taken/);
    assert.equal(validatePythonName(index, defaultConfig(), 'RetryPolicy'), undefined);
  });

  it('writes a class through every file of the chain, for every variant', () => {
    const { result, after } = add({ kind: 'class', pythonName: 'RetryPolicy', rustFile: LIB, variants: null });
    assert.deepEqual([...result.changes.keys()].sort(), [W, LIB, D, T].sort());
    assert.match(after[LIB], /#\[pyclass\]\npub struct RetryPolicy \{\}\n\n#\[pymethods\]\nimpl RetryPolicy \{\n    #\[new\]/);
    assert.equal(after[LIB].match(/m\.add_class::<RetryPolicy>\(\)\?;/g)?.length, 2);
    assert.equal(after[LIB].slice(result.declaration.offset, result.declaration.offset + 'RetryPolicy'.length), 'RetryPolicy');
    assert.match(after[W], /    __backend__,\n    RetryPolicy\n\)/);
    assert.match(after[D], /if hasattr\(_backend_module, "RetryPolicy"\):\n    RetryPolicy = _backend_module.RetryPolicy/);
    assert.match(after[T], /def test_retry_policy_is_exposed\(self\):/);
    assert.deepEqual(check(parsers, after).located, []);
  });

  it('writes a function for one variant only: gated registration, conditional import, skipping test', () => {
    const { after } = add({ kind: 'function', pythonName: 'ping', rustFile: TASKS, variants: ['postgres'] });
    assert.match(after[TASKS], /#\[cfg\(feature = "postgres"\)\]\n#\[pyfunction\]\npub fn ping\(\) -> PyResult<\(\)> \{/);
    assert.match(after[TASKS], /    #\[cfg\(feature = "postgres"\)\]\n    m\.add_function\(wrap_pyfunction!\(ping, m\)\?\)\?;\n    Ok\(\(\)\)/);
    assert.equal(after[W].match(/ping/g)?.length, 2 + (files[W].match(/ping/g)?.length ?? 0), 'once in the import, once in __all__');
    assert.match(after[W], /\{% if backend == "postgres" %\},\n    ping\{% endif %\}/);
    assert.match(after[T], /if cloaca\.__backend__ not in \("postgres",\):\n            pytest\.skip\("ping exists only in the postgres backend"\)\n        assert callable\(cloaca\.ping\)/);
    assert.deepEqual(check(parsers, after).located, []);
  });

  it('adds a constant to the chosen modules', () => {
    const { after } = add({ kind: 'constant', pythonName: 'TIMEOUT', rustFile: LIB, variants: null });
    assert.match(after[LIB], /pub const TIMEOUT: i64 = 0;/);
    assert.equal(after[LIB].match(/m\.add\("TIMEOUT", crate::TIMEOUT\)\?;/g)?.length, 2);
    assert.deepEqual(check(parsers, after).located, []);
  });

  it('refuses a taken name and a file outside the crate', () => {
    const index = indexFiles(parsers, files);
    assert.deepEqual(addBindingSymbol(index, defaultConfig(), { kind: 'class', pythonName: 'Context', rustFile: LIB, variants: null }), { error: '`Context` is already taken by `context::PyContext`' });
    assert.ok('error' in addBindingSymbol(index, defaultConfig(), { kind: 'class', pythonName: 'Fresh', rustFile: 'nope.rs', variants: null }));
  });
});

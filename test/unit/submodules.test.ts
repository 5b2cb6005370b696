import * as assert from 'node:assert/strict';
import { cfgActive } from '../../server/src/layout/crate-tree';
import { parseCfg } from '../../server/src/facts/rust/attributes';
import { Parsers } from '../../server/src/parsing/parsers';
import { check, Files, fix, lineOf, readFixture, replaceOnce } from './helpers/workspace';

const LIB = 'src/rust/src/lib.rs';
const CART = 'src/rust/src/cart.rs';
const LEGACY = 'src/rust/src/legacy.rs';
const RECEIPTS = 'src/rust/src/receipts.rs';
const WRAPPER = 'src/shop/bindings/__init__.py';
const REGISTER_LEGACY = '        m.add_wrapped(pyo3::wrap_pymodule!(crate::legacy::legacy))?;\n';

/**
 * A project laid out like pyca/cryptography's: pyproject.toml at the root
 * names the crate in src/rust by manifest-path, the extension module is
 * `shop.bindings._rust`, a declarative #[pymodule] with a nested declarative
 * submodule (`prices`), a function-style one exported by `use` under another
 * Python name (`cart`), one added at init with `wrap_pymodule!` (`legacy`),
 * and one made at run time by a helper, as in PyO3's guide (`receipts`).
 */
describe('submodules and a pyproject.toml that names its crate by manifest-path', () => {
  let parsers: Parsers;
  let complete: Files;
  before(async () => {
    parsers = await Parsers.load();
    complete = readFixture('test/fixtures/submodules');
  });
  const findings = (files: Files) =>
    check(parsers, files).located.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line} ${f.symbol}`).sort();

  it('finds nothing when every symbol is registered in the module or one of its submodules', () => {
    const { result, located } = check(parsers, complete);
    assert.deepEqual(located, []);
    const variant = result.chains[0].variants[0];
    assert.equal(variant.module?.decl.rustName, '_rust');
    // The submodules are registered in the extension module under their Python names.
    assert.deepEqual([...variant.registered.keys()].sort(), ['cart', 'legacy', 'prices', 'receipts', 'version']);
    assert.deepEqual([...variant.inSubmodule].map((s) => s.pythonName).sort(), ['CURRENCY', 'Cart', 'Discount', 'OldCart', 'Receipt', 'posix_rounding', 'print_receipt', 'total']);
    // python-source is read relative to the pyproject.toml, not to the crate.
    assert.equal(result.chains[0].project.variants[0].packageDir, 'src/shop/bindings');
    assert.deepEqual(result.chains[0].variants[0].wrappers.map((w) => w.path), [WRAPPER]);
  });

  it('still reports a class no module or submodule registers', () => {
    const files: Files = { ...complete, [CART]: complete[CART] + '\n#[pyclass]\npub struct Coupon {}\n' };
    assert.deepEqual(findings(files), [
      `incomplete-binding hint ${CART}:${lineOf(files[CART], 'pub struct Coupon')} Coupon`,
      `missing-registration warning ${LIB}:${lineOf(files[LIB], 'mod _rust {')} Coupon`,
    ].sort());
  });

  it('does not count a #[pymodule] the extension module never registers', () => {
    const unused = '\n#[pyclass]\npub struct Unreached {}\n\n#[pymodule]\npub fn unused(m: &Bound<\'_, PyModule>) -> PyResult<()> {\n    m.add_class::<Unreached>()?;\n    Ok(())\n}\n';
    const files: Files = { ...complete, [LEGACY]: complete[LEGACY] + unused };
    assert.deepEqual(findings(files), [
      `missing-registration warning ${LIB}:${lineOf(files[LIB], 'mod _rust {')} Unreached`,
      `incomplete-binding hint ${LEGACY}:${lineOf(files[LEGACY], 'pub struct Unreached')} Unreached`,
    ].sort());
  });

  it('reports what a submodule no longer receives, and the wrapper importing it', () => {
    const files: Files = { ...complete, [LIB]: replaceOnce(complete[LIB], REGISTER_LEGACY, '') };
    assert.deepEqual(findings(files), [
      `missing-registration warning ${LIB}:${lineOf(files[LIB], 'mod _rust {')} OldCart`,
      `incomplete-binding hint ${LEGACY}:${lineOf(files[LEGACY], 'pub struct OldCart')} OldCart`,
      `unknown-import error ${WRAPPER}:1 legacy`,
    ].sort());
  });

  it('reports what a module made at run time registers when it is no longer added', () => {
    const files: Files = { ...complete, [RECEIPTS]: replaceOnce(complete[RECEIPTS], '    parent.add_submodule(&receipts)\n', '    Ok(())\n') };
    const mod = `${LIB}:${lineOf(files[LIB], 'mod _rust {')}`;
    assert.deepEqual(findings(files), [
      `incomplete-binding hint ${RECEIPTS}:${lineOf(files[RECEIPTS], 'pub struct Receipt')} Receipt`,
      `incomplete-binding hint ${RECEIPTS}:${lineOf(files[RECEIPTS], 'pub fn print_receipt')} print_receipt`,
      `missing-registration warning ${mod} Receipt`,
      `missing-registration warning ${mod} print_receipt`,
      `unknown-import error ${WRAPPER}:1 receipts`,
    ].sort());
  });

  it('reports a wrapper importing a submodule\'s class from the extension module itself', () => {
    const wrapper = replaceOnce(complete[WRAPPER], 'import cart,', 'import Cart, cart,');
    assert.deepEqual(findings({ ...complete, [WRAPPER]: wrapper }), [`unknown-import error ${WRAPPER}:1 Cart`]);
  });

  it('reports the wrapper import of a nested submodule that was removed, and what it registered', () => {
    const start = complete[LIB].indexOf('    #[pyo3::pymodule(gil_used = false)]\n    mod prices {');
    const end = complete[LIB].indexOf('    #[pymodule_init]');
    const lib = complete[LIB].slice(0, start) + complete[LIB].slice(end);
    const got = findings({ ...complete, [LIB]: lib });
    assert.ok(got.includes(`unknown-import error ${WRAPPER}:1 prices`), got.join('\n'));
    for (const name of ['total', 'Discount', 'posix_rounding']) assert.ok(got.includes(`missing-registration warning ${LIB}:${lineOf(lib, 'mod _rust {')} ${name}`), `${name}:\n${got.join('\n')}`);
  });

  it('takes the package module-name puts the extension in (`shop.bindings`) for the tests, and writes a test for it', () => {
    const TESTS = 'tests/test_shop.py';
    const files: Files = { ...complete, [TESTS]: replaceOnce(complete[TESTS], '    assert shop.bindings.receipts.Receipt\n', '') };
    const found = check(parsers, files).located;
    assert.deepEqual(found.map((f) => [f.rule, f.symbol, f.message]), [['missing-test', 'receipts', 'no test references `shop.bindings.receipts`']]);
    const fixed = fix(parsers, files);
    assert.ok(fixed[TESTS].includes('    import shop.bindings\n\n'), fixed[TESTS]);
    assert.match(fixed[TESTS], /\n {4}assert shop\.bindings\.receipts\b.*\n$/);
    assert.deepEqual(check(parsers, fixed).located, []);
  });

  it('compares the lib name with the last segment of a dotted module-name, and says so', () => {
    const cargo = 'src/rust/Cargo.toml';
    const files: Files = { ...complete, [cargo]: replaceOnce(complete[cargo], 'name = "_rust"', 'name = "shop_rust"') };
    const found = check(parsers, files).located;
    assert.deepEqual(found.map((f) => [f.rule, f.severity, f.file, f.line]), [['module-name-mismatch', 'warning', cargo, lineOf(files[cargo], 'name = "shop_rust"')]]);
    assert.equal(found[0].message, 'Cargo [lib] name `shop_rust` differs from `_rust`, the last segment of pyproject module-name `shop.bindings._rust`');
  });

  it('puts a missing registration into the extension module itself', () => {
    const files: Files = { ...complete, [CART]: complete[CART] + '\n#[pyclass]\npub struct Coupon {}\n' };
    const fixed = fix(parsers, files);
    assert.match(fixed[LIB], /#\[pymodule_export\]\n {4}use crate::cart::Coupon;\n/);
    assert.deepEqual(findings(fixed).filter((f) => f.startsWith('missing-registration')), []);
  });
});

describe('several function-style #[pymodule]s in one file (laid out like huggingface/tokenizers)', () => {
  const files = (registerModels: boolean): Files => ({
    'Cargo.toml': '[package]\nname = "tok-python"\nversion = "0.1.0"\n\n[lib]\nname = "tok"\ncrate-type = ["cdylib"]\n',
    'pyproject.toml': '[tool.maturin]\npython-source = "py_src"\nmodule-name = "tok.tok"\n',
    'src/lib.rs': [
      'mod models;',
      'mod tokenizer;',
      '',
      'use pyo3::prelude::*;',
      'use pyo3::wrap_pymodule;',
      '',
      '/// Models Module: a fn named as the `mod` beside it.',
      '#[pymodule]',
      'fn models(_py: Python, m: &PyModule) -> PyResult<()> {',
      '    m.add_class::<models::PyModel>()?;',
      '    m.add_class::<models::PyBPE>()?;',
      '    Ok(())',
      '}',
      '',
      '#[pymodule]',
      'fn tok(_py: Python, m: &PyModule) -> PyResult<()> {',
      '    m.add_class::<tokenizer::PyTokenizer>()?;',
      ...(registerModels ? ['    m.add_wrapped(wrap_pymodule!(models))?;'] : []),
      '    Ok(())',
      '}',
      '',
    ].join('\n'),
    'src/models.rs': 'use pyo3::prelude::*;\n\n#[pyclass(module = "tok.models", name = "Model", subclass)]\npub struct PyModel {}\n\n#[pyclass(extends = PyModel, module = "tok.models", name = "BPE")]\npub struct PyBPE {}\n',
    'src/tokenizer.rs': 'use pyo3::prelude::*;\n\n#[pyclass(module = "tok", name = "Tokenizer")]\npub struct PyTokenizer {}\n',
    'py_src/tok/__init__.py': 'from .tok import Tokenizer, models\n',
    'py_src/tok/models/__init__.py': 'from .. import models\n\nModel = models.Model\nBPE = models.BPE\n',
  });

  it('builds the one module-name names, with the others as its submodules', async () => {
    const parsers = await Parsers.load();
    const { result, located } = check(parsers, files(true));
    assert.deepEqual(located, []);
    assert.equal(result.chains[0].variants[0].module?.decl.rustName, 'tok');
    assert.deepEqual([...result.chains[0].variants[0].registered.keys()].sort(), ['Tokenizer', 'models']);
  });

  it('reports the submodule\'s classes and the wrapper\'s import when the submodule is no longer added', async () => {
    const parsers = await Parsers.load();
    const input = files(false);
    const got = check(parsers, input).located.filter((f) => f.rule !== 'incomplete-binding').map((f) => `${f.rule} ${f.file}:${f.line} ${f.symbol}`).sort();
    const tok = lineOf(input['src/lib.rs'], 'fn tok(');
    assert.deepEqual(got, [`missing-registration src/lib.rs:${tok} BPE`, `missing-registration src/lib.rs:${tok} Model`, 'unknown-import py_src/tok/__init__.py:1 models']);
  });
});

describe('cfg predicates other than features', () => {
  const may = (...cfgs: string[]) => cfgActive(cfgs.map(parseCfg), new Set(['postgres']));

  it('may be compiled under either value of a predicate it cannot know', () => {
    assert.equal(may('unix'), true);
    assert.equal(may('not(unix)'), true);
    assert.equal(may('not(any(target_os = "windows", target_os = "macos"))'), true);
    assert.equal(may('all(feature = "postgres", not(Py_LIMITED_API))'), true);
  });

  it('never under predicates that cannot all hold', () => {
    assert.equal(may('unix', 'not(unix)'), false);
    assert.equal(may('all(unix, not(unix))'), false);
    assert.equal(may('any(unix, windows)', 'not(unix)', 'not(windows)'), false);
    assert.equal(may('not(feature = "postgres")'), false);
    assert.equal(may('test'), false);
    assert.equal(may('not(test)'), true);
  });

  it('does not take two declarations for one Python name as duplicates when their cfgs exclude each other', async () => {
    const parsers = await Parsers.load();
    const files = readFixture('test/fixtures/submodules');
    const declare = (cfg: string, fn: string) => `\n#[cfg(${cfg})]\n#[pyfunction]\n#[pyo3(name = "separator")]\npub fn ${fn}() -> char {\n    '/'\n}\n`;
    const exportBoth = '        #[pymodule_export]\n        use crate::cart::{total, Discount};\n';
    const both = (second: string) => ({
      ...files,
      [CART]: files[CART] + declare('unix', 'unix_separator') + declare(second, 'other_separator'),
      [LIB]: replaceOnce(files[LIB], exportBoth, `${exportBoth}        #[cfg(unix)]\n        #[pymodule_export]\n        use crate::cart::unix_separator;\n        #[cfg(${second})]\n        #[pymodule_export]\n        use crate::cart::other_separator;\n`),
    });
    const duplicates = (f: Files) => check(parsers, f).located.filter((x) => x.rule === 'duplicate-python-name').map((x) => x.symbol);
    assert.deepEqual(duplicates(both('not(unix)')), []);
    assert.deepEqual(duplicates(both('windows')), ['separator']);
  });
});

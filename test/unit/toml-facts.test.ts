import * as assert from 'node:assert';
import { extractTomlFacts, tomlGet, tomlString } from '../../server/src/facts/toml';
import { TomlEntry, TomlValue } from '../../server/src/facts/types';
import { Parsers } from '../../server/src/parsing/parsers';

/** A value as plain data: strings/numbers/booleans as such, tables as objects, others as their text. */
function plain(value: TomlValue): unknown {
  switch (value.kind) {
    case 'table':
      return Object.fromEntries([...value.entries].map(([k, e]) => [k, plain(e.value)]));
    case 'array':
      return value.items.map(plain);
    case 'other':
      return { other: value.text };
    default:
      return value.value;
  }
}

function plainRoot(root: Map<string, TomlEntry>): unknown {
  return Object.fromEntries([...root].map(([k, e]) => [k, plain(e.value)]));
}

const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

// The seed's templates after projection: `{{backend}}` replaced by underscores of the same length.
const CARGO = `[package]
name = "cloaca___________"
version = "0.1.0"
edition = "2021"

[lib]
name = "cloaca___________"  # must match pyproject.toml module-name
crate-type = ["cdylib"]

[dependencies]
pyo3 = { version = "0.22", features = ["extension-module"] }

[features]
postgres = []
sqlite = []
`;

const PYPROJECT = `[build-system]
requires = ["maturin>=1.5,<2.0"]
build-backend = "maturin"

[project]
name = "cloaca___________"
requires-python = ">=3.9"

[tool.maturin]
features = ["___________"]
module-name = "cloaca___________"
python-source = "python"
`;

describe('toml facts', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  it("the seed's Cargo template", () => {
    const facts = extractTomlFacts(parsers, CARGO);
    assert.deepStrictEqual(facts.problems, []);
    const name = tomlString(facts.root, ['lib', 'name'])!;
    assert.strictEqual(name.value, 'cloaca___________');
    assert.strictEqual(slice(CARGO, name.span), '"cloaca___________"');
    assert.strictEqual(slice(CARGO, name.contentSpan), 'cloaca___________');
    assert.strictEqual(slice(CARGO, tomlGet(facts.root, ['lib', 'name'])!.keySpan), 'name');
    assert.deepStrictEqual(plain(tomlGet(facts.root, ['lib', 'crate-type'])!.value), ['cdylib']);
    assert.deepStrictEqual(plain(tomlGet(facts.root, ['dependencies', 'pyo3'])!.value), { version: '0.22', features: ['extension-module'] });
    assert.deepStrictEqual(plain(tomlGet(facts.root, ['features'])!.value), { postgres: [], sqlite: [] });
    assert.strictEqual(slice(CARGO, tomlGet(facts.root, ['lib'])!.keySpan), 'lib');
  });

  it("the seed's pyproject template", () => {
    const facts = extractTomlFacts(parsers, PYPROJECT);
    assert.deepStrictEqual(facts.problems, []);
    const moduleName = tomlString(facts.root, ['tool', 'maturin', 'module-name'])!;
    assert.strictEqual(moduleName.value, 'cloaca___________');
    assert.strictEqual(slice(PYPROJECT, moduleName.contentSpan), 'cloaca___________');
    assert.strictEqual(tomlString(facts.root, ['tool', 'maturin', 'python-source'])?.value, 'python');
    assert.strictEqual(slice(PYPROJECT, tomlGet(facts.root, ['tool', 'maturin'])!.keySpan), 'maturin');
    assert.strictEqual(tomlGet(facts.root, ['tool', 'missing']), undefined);
    assert.strictEqual(tomlString(facts.root, ['tool', 'maturin', 'features']), undefined);
  });

  it('a standard maturin pyproject with dotted keys and arrays of tables', () => {
    const text = [
      '[project]',
      'name = "my-project"',
      'dependencies = [',
      '  "numpy>=1.0",  # comment',
      ']',
      'urls.homepage = "https://example.com"',
      '',
      '[tool.maturin]',
      'python-source = "python"',
      "module-name = 'my_project._lib'",
      'features = ["pyo3/extension-module"]',
      '',
      '[[tool.bindings-checklist.variant]]',
      'name = "sqlite"',
      '[[tool.bindings-checklist.variant]]',
      'name = "postgres"',
      '',
    ].join('\n');
    const facts = extractTomlFacts(parsers, text);
    assert.deepStrictEqual(facts.problems, []);
    assert.deepStrictEqual(plainRoot(facts.root), {
      project: { name: 'my-project', dependencies: ['numpy>=1.0'], urls: { homepage: 'https://example.com' } },
      tool: {
        maturin: { 'python-source': 'python', 'module-name': 'my_project._lib', features: ['pyo3/extension-module'] },
        'bindings-checklist': { variant: [{ name: 'sqlite' }, { name: 'postgres' }] },
      },
    });
    const moduleName = tomlString(facts.root, ['tool', 'maturin', 'module-name'])!;
    assert.strictEqual(slice(text, moduleName.span), "'my_project._lib'");
    assert.strictEqual(slice(text, tomlGet(facts.root, ['project', 'urls', 'homepage'])!.keySpan), 'homepage');
    assert.strictEqual(tomlGet(facts.root, ['tool', 'bindings-checklist', 'variant'])!.value.kind, 'array');
  });

  it('values: strings with escapes, multi-line, numbers, booleans, inline tables, dates', () => {
    const text = [
      'basic = "a\\tb\\u00e9\\"q\\""',
      "literal = 'C:\\path'",
      'multi = """',
      'line one',
      'line \\',
      '   two"""',
      "raw = '''",
      "keep \\n'''",
      '"quoted key" = 1',
      'hex = 0xff',
      'big = 1_000',
      'neg = -3',
      'pi = 3.14',
      'exp = 1e3',
      'inf = -inf',
      'yes = true',
      'no = false',
      'date = 1979-05-27',
      'inline = { a = 1, b.c = "d" }',
      'nested = [[1, 2], ["x"]]',
      '',
    ].join('\n');
    const facts = extractTomlFacts(parsers, text);
    assert.deepStrictEqual(facts.problems, []);
    assert.deepStrictEqual(plainRoot(facts.root), {
      basic: 'a\tbé"q"', literal: 'C:\\path', multi: 'line one\nline two', raw: 'keep \\n', 'quoted key': 1,
      hex: 255, big: 1000, neg: -3, pi: 3.14, exp: 1000, inf: -Infinity, yes: true, no: false,
      date: { other: '1979-05-27' }, inline: { a: 1, b: { c: 'd' } }, nested: [[1, 2], ['x']],
    });
    const basic = tomlGet(facts.root, ['basic'])!.value;
    assert.ok(basic.kind === 'string');
    assert.strictEqual(slice(text, basic.span), '"a\\tb\\u00e9\\"q\\""');
    assert.strictEqual(slice(text, basic.contentSpan!), 'a\\tb\\u00e9\\"q\\"');
    assert.strictEqual(slice(text, tomlGet(facts.root, ['quoted key'])!.keySpan), '"quoted key"');
  });

  it('CRLF line endings and non-ASCII text keep spans right', () => {
    const text = '# Résumé 🐍\r\n[lib]\r\ndescription = "ünï 🎉"\r\nname = "cloaca_sqlite"\r\n';
    const facts = extractTomlFacts(parsers, text);
    assert.deepStrictEqual(facts.problems, []);
    const name = tomlString(facts.root, ['lib', 'name'])!;
    assert.strictEqual(slice(text, name.contentSpan), 'cloaca_sqlite');
    assert.strictEqual(tomlString(facts.root, ['lib', 'description'])?.value, 'ünï 🎉');
  });

  it('duplicate keys and tables are problems; the first definition wins', () => {
    const text = '[lib]\nname = "a"\nname = "b"\n[lib]\ncrate-type = []\n';
    const facts = extractTomlFacts(parsers, text);
    assert.deepStrictEqual(facts.problems.map((p) => [slice(text, p.span), p.message]), [
      ['name', 'duplicate key "name"'],
      ['lib', 'duplicate table "lib"'],
    ]);
    assert.strictEqual(tomlString(facts.root, ['lib', 'name'])?.value, 'a');
  });

  it('an implicit table may be defined later by its header', () => {
    const text = '[tool.maturin]\nbindings = "pyo3"\n[tool]\nx = 1\n';
    const facts = extractTomlFacts(parsers, text);
    assert.deepStrictEqual(facts.problems, []);
    assert.deepStrictEqual(plainRoot(facts.root), { tool: { maturin: { bindings: 'pyo3' }, x: 1 } });
  });

  it('broken TOML reports invalid TOML and keeps the valid part', () => {
    const text = '[lib]\nname = "cloaca_sqlite"\n\n[tool.maturin\nmodule-name = "x"\nbroken = \n';
    const facts = extractTomlFacts(parsers, text);
    assert.ok(facts.problems.length > 0);
    assert.ok(facts.problems.every((p) => p.message.startsWith('invalid TOML')), JSON.stringify(facts.problems));
    assert.strictEqual(tomlString(facts.root, ['lib', 'name'])?.value, 'cloaca_sqlite');
  });
});

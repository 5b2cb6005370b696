import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../server/src/cli';
import { WORKERS_ENV } from '../../server/src/index/parse-pool';
import { REPO } from './helpers/workspace';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-checklist-'));
  fs.cpSync(path.join(REPO, name), dir, { recursive: true });
  return dir;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(abs, e.name), r);
      else out[r] = fs.readFileSync(path.join(abs, e.name), 'latin1');
    }
  };
  walk(dir, '');
  return out;
}

describe('bindings-checklist CLI', () => {
  const example = path.join(REPO, 'examples/cloaca');
  const temps: string[] = [];
  const temp = (name: string) => {
    const dir = copyFixture(name);
    temps.push(dir);
    return dir;
  };
  after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('prints the example workspace findings as the reviewed golden JSON, exit 1', async () => {
    const { code, out } = await run('check', example, '--format', 'json');
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(out), JSON.parse(fs.readFileSync(path.join(REPO, 'test/golden/cloaca.json'), 'utf8')));
  });

  it('the built CLI runs its parse workers (no note of a failed one) and prints the golden JSON', () => {
    const run = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'check', example, '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, [WORKERS_ENV]: '2' },
    });
    assert.equal(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /parse worker/);
    assert.deepEqual(JSON.parse(run.stdout), JSON.parse(fs.readFileSync(path.join(REPO, 'test/golden/cloaca.json'), 'utf8')));
  });

  it('the built CLI reads long texts beyond Latin-1 as the engine does (its parser copies text into WebAssembly on its own path)', async () => {
    const dir = temp('examples/cloaca');
    // Every kind of UTF-16 text: Latin-1, other BMP letters, surrogate pairs; longer than one 5,119-unit chunk,
    // so that reads start in the middle of a pair and at odd offsets.
    const noise = (comment: string) => Array.from({ length: 400 }, (_, i) => `${comment} ${i} café Ωμέγα 数据 🦀🐍 ${'x'.repeat(i % 7)}\n`).join('');
    const prepend = (rel: string, comment: string) => {
      const file = path.join(dir, rel);
      fs.writeFileSync(file, noise(comment) + fs.readFileSync(file, 'utf8'));
    };
    for (const rust of fs.readdirSync(path.join(dir, 'cloaca-backend/src'))) prepend(`cloaca-backend/src/${rust}`, '//');
    prepend('cloaca/src/cloaca/__init__.py', '#');
    prepend('cloaca-backend/python/cloaca_{{backend}}/__init__.py', '#');
    for (const test of fs.readdirSync(path.join(dir, 'python-tests'))) prepend(`python-tests/${test}`, '#');
    const built = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'check', dir, '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, [WORKERS_ENV]: '2' },
    });
    const engine = await run('check', dir, '--format', 'json');
    assert.equal(built.status, 1, built.stderr);
    const findings = JSON.parse(built.stdout);
    const inNoisyFiles = findings.findings.filter((f: { file: string }) => /\.rs$|__init__\.py$|^python-tests\//.test(f.file));
    assert.ok(inNoisyFiles.length >= 5 && inNoisyFiles.every((f: { line: number }) => f.line > 400), built.stdout);
    assert.deepEqual(findings, JSON.parse(engine.out));
  });

  it('covers every rule but the stub rules in the example', async () => {
    const { out } = await run('check', example, '--format', 'json');
    const rules = new Set(JSON.parse(out).findings.map((f: { rule: string }) => f.rule));
    for (const rule of ['missing-registration', 'missing-wrapper-import', 'missing-dunder-all', 'missing-reexport', 'missing-test', 'unknown-import', 'undefined-dunder-all', 'stale-reexport', 'duplicate-python-name', 'module-name-mismatch', 'wheel-dir', 'incomplete-binding']) {
      assert.ok(rules.has(rule), rule);
    }
  });

  it('prints compiler-style text with a summary', async () => {
    const { out } = await run('check', example);
    const lines = out.trimEnd().split('\n');
    for (const line of lines.slice(0, -1)) assert.match(line, /^[^:]+:\d+:\d+: (error|warning|info|hint) [a-z-]+: .+$/);
    assert.match(lines[lines.length - 1], /^\d+ problems \(\d+ errors, \d+ warnings, \d+ infos?, \d+ hints?\) in \d+ files: checked 11 symbols in 2 variants of 1 binding project$/);
  });

  it('prints SARIF 2.1.0', async () => {
    const { out } = await run('check', example, '--format=sarif');
    const sarif = JSON.parse(out);
    assert.equal(sarif.version, '2.1.0');
    const json = JSON.parse((await run('check', example, '--format', 'json')).out);
    assert.equal(sarif.runs[0].results.length, json.findings.length);
    const first = sarif.runs[0].results[0];
    assert.equal(first.ruleId, json.findings[0].rule);
    assert.equal(first.locations[0].physicalLocation.region.startLine, json.findings[0].line);
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'wheel-dir'));
  });

  it('exits 0 on a complete workspace', async () => {
    const { code, out } = await run('check', path.join(REPO, 'test/fixtures/realbuild'));
    assert.equal(code, 0);
    assert.match(out, /^no problems: checked 9 symbols in 2 variants/);
  });

  it('--fix leaves nothing fixable, and a second --fix changes nothing', async () => {
    const dir = temp('examples/cloaca');
    const first = await run('check', dir, '--fix', '--format', 'json');
    assert.equal(first.code, 0);
    assert.deepEqual(JSON.parse(first.out).findings.map((f: { rule: string }) => f.rule), ['duplicate-python-name']);
    const before = snapshot(dir);
    await run('check', dir, '--fix');
    assert.deepEqual(snapshot(dir), before);
  });

  it('--fix keeps CRLF line endings', async () => {
    const dir = temp('examples/cloaca');
    for (const [rel, text] of Object.entries(snapshot(dir))) fs.writeFileSync(path.join(dir, rel), text.replace(/\r?\n/g, '\r\n'), 'latin1');
    const before = snapshot(dir);
    await run('check', dir, '--fix');
    const after = snapshot(dir);
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    assert.ok(changed.length >= 5, `changed: ${changed}`);
    for (const f of changed) assert.doesNotMatch(after[f], /[^\r]\n/, `${f} has a bare LF`);
  });

  it('rejects bad usage with exit 2', async () => {
    assert.equal((await run('lint')).code, 2);
    assert.equal((await run('check', example, '--format', 'xml')).code, 2);
    assert.equal((await run('check', example, '--bogus')).code, 2);
    const missing = await run('check', path.join(REPO, 'no-such-folder'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /is not a folder/);
    assert.equal((await run('--help')).code, 0);
  });

  it('names the file and line of a broken configuration, exit 2', async () => {
    const dir = temp('test/fixtures/realbuild');
    fs.writeFileSync(path.join(dir, 'bindings-checklist.toml'), 'internal = ["X"]\n[rules]\nmissing-test = "loud"\n');
    const bad = await run('check', dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bindings-checklist\.toml:3:16: severity of `missing-test` must be one of/);
    fs.writeFileSync(path.join(dir, 'bindings-checklist.toml'), 'internal = [\n"X"\nrules = \n');
    const broken = await run('check', dir);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /bindings-checklist\.toml:\d+:\d+: invalid TOML/);
    fs.writeFileSync(path.join(dir, 'bindings-checklist.toml'), 'interal = ["X"]\n');
    assert.match((await run('check', dir)).err, /bindings-checklist\.toml:1:1: unknown setting `interal`/);
    assert.equal((await run('check', dir, '--config', path.join(dir, 'nope.toml'))).code, 2);
  });

  it('reads the [tool.bindings-checklist] table of pyproject.toml', async () => {
    const dir = temp('examples/cloaca');
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "x"\n\n[tool.bindings-checklist]\nrules = { incomplete-binding = "off", missing-test = "off" }\n');
    const { out } = await run('check', dir, '--format', 'json');
    const rules = JSON.parse(out).findings.map((f: { rule: string }) => f.rule);
    assert.ok(!rules.includes('missing-test') && !rules.includes('incomplete-binding') && rules.includes('wheel-dir'));
  });

  it('survives bad input: half-typed, non-UTF-8, binary, huge and missing files', async () => {
    const dir = temp('test/fixtures/realbuild');
    const tasks = path.join(dir, 'cloaca-backend/src/tasks.rs');
    fs.appendFileSync(tasks, '\n#[pyfunction]\nfn half(x: \n');
    fs.appendFileSync(path.join(dir, 'cloaca-backend/src/lib.rs'), '\nmod missing_module;\n');
    fs.writeFileSync(path.join(dir, 'python-tests/test_latin1.py'), new Uint8Array(Buffer.from('# caf\xe9\nimport cloaca\n', 'latin1')));
    fs.writeFileSync(path.join(dir, 'python-tests/test_binary.py'), new Uint8Array([0x69, 0x00, 0x01, 0x02]));
    fs.writeFileSync(path.join(dir, 'huge.py'), new Uint8Array(17 * 1024 * 1024).fill(0x61));
    const before = fs.readFileSync(path.join(dir, 'python-tests/test_latin1.py'));
    const { code, err } = await run('check', dir, '--fix');
    assert.ok(code === 0 || code === 1);
    assert.match(err, /test_latin1\.py: not valid UTF-8/);
    assert.match(err, /test_binary\.py: skipped: binary file/);
    assert.match(err, /huge\.py: skipped: larger than/);
    assert.match(err, /tasks\.rs:\d+:\d+: syntax error/);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'python-tests/test_latin1.py')), before, 'a non-UTF-8 file is never edited');
  });
});

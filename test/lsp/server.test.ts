import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodeAction, Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { AddSymbolChoicesRequest, AddSymbolRequest, ValidateNameRequest } from '../../server/src/protocol';
import { TestClient } from './test-client';

const FIXTURE = path.resolve(__dirname, '../fixtures/realbuild');
const LIB = 'cloaca-backend/src/lib.rs';
const DISPATCHER = 'cloaca/src/cloaca/__init__.py';
const TESTS = 'python-tests/test_basic.py';
const REEXPORT = 'if hasattr(_backend_module, "Context"):\n    Context = _backend_module.Context\n';

/** The realbuild fixture with two links knocked out: HelloClass unregistered in cloaca_sqlite, Context not re-exported. */
function knockedOutCopy(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-lsp-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
  const lib = path.join(root, LIB);
  const rust = fs.readFileSync(lib, 'utf8');
  const sqlite = rust.indexOf('fn cloaca_sqlite');
  const line = '    m.add_class::<HelloClass>()?;\n';
  const at = rust.indexOf(line, sqlite);
  fs.writeFileSync(lib, rust.slice(0, at) + rust.slice(at + line.length));
  const dispatcher = path.join(root, DISPATCHER);
  fs.writeFileSync(dispatcher, fs.readFileSync(dispatcher, 'utf8').replace(REEXPORT, ''));
  return root;
}

function cliSummary(root: string): string[] {
  const run = spawnSync(process.execPath, [path.resolve(__dirname, '../../dist/cli.js'), 'check', root, '--format', 'json'], { encoding: 'utf8' });
  const findings = JSON.parse(run.stdout).findings as { rule: string; file: string; line: number; column: number }[];
  return findings.map((f) => `${f.rule} ${f.file} ${f.line}:${f.column}`).sort();
}

const byRule = (diagnostics: Diagnostic[], rule: string) => diagnostics.filter((d) => d.code === rule);

describe('language server over stdio', function () {
  this.timeout(60000);
  let root: string;
  let client: TestClient;

  before(async () => {
    root = knockedOutCopy();
    client = new TestClient(root);
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes the same findings as the CLI once indexing is done', async () => {
    const expected = cliSummary(root);
    assert.ok(expected.length >= 4, `the knocked-out fixture has findings: ${expected.join('\n')}`);
    await client.waitFor('the first diagnostics', () => client.status?.state === 'ready' && client.summary().length === expected.length);
    assert.deepStrictEqual(client.summary(), expected);
    const registration = byRule(client.diagnosticsOf(LIB), 'missing-registration')[0];
    assert.strictEqual(registration.source, 'bindings-checklist');
    assert.strictEqual(registration.severity, DiagnosticSeverity.Error);
    assert.strictEqual(registration.codeDescription?.href, 'https://github.com/pyo3-bindings-checklist/pyo3-bindings-checklist#missing-registration');
    assert.match(registration.message, /\[sqlite\]/);
    assert.ok(registration.relatedInformation?.length, 'related links of the chain');
    const hint = client.summary().find((s) => s.startsWith('incomplete-binding'));
    assert.ok(hint);
    assert.strictEqual(byRule(client.diagnosticsOf(LIB), 'incomplete-binding')[0].severity, DiagnosticSeverity.Hint);
  });

  it('follows an open buffer as the user types, with the document version', async () => {
    client.open(DISPATCHER);
    const text = client.buffers.get(client.uri(DISPATCHER))!.text;
    const at = text.indexOf('if hasattr(_backend_module, "TaskStatus")');
    const lines = text.slice(0, at).split('\n');
    const position = { line: lines.length - 1, character: 0 };
    client.change(DISPATCHER, [{ range: { start: position, end: position }, newText: REEXPORT }]);
    await client.waitFor('missing-reexport to go', () => client.diagnostics.get(client.uri(DISPATCHER))?.version === 2 && !byRule(client.diagnosticsOf(DISPATCHER), 'missing-reexport').length);
    const end = { line: position.line + 2, character: 0 };
    client.change(DISPATCHER, [{ range: { start: position, end }, newText: '' }]);
    await client.waitFor('missing-reexport to come back', () => client.diagnostics.get(client.uri(DISPATCHER))?.version === 3 && byRule(client.diagnosticsOf(DISPATCHER), 'missing-reexport').length === 1);
  });

  it('never publishes an older version after a newer one while typing fast', async () => {
    const uri = client.uri(DISPATCHER);
    const from = client.history.length;
    for (let i = 0; i < 10; i++) {
      const at = { line: 0, character: 0 };
      client.change(DISPATCHER, [{ range: { start: at, end: at }, newText: '#' }]);
      client.change(DISPATCHER, [{ range: { start: at, end: { line: 0, character: 1 } }, newText: '' }]);
    }
    const last = client.buffers.get(uri)!.version;
    await client.waitFor('the last version', () => client.diagnostics.get(uri)?.version === last);
    const versions = client.history.slice(from).filter((h) => h.uri === uri).map((h) => h.version!);
    assert.deepStrictEqual(versions, [...versions].sort((a, b) => a - b));
    assert.ok(versions.length < 20, `checks are debounced (${versions.length} publications for 20 changes)`);
  });

  it('offers no fix for a diagnostic from an older document version', async () => {
    const current = byRule(client.diagnosticsOf(DISPATCHER), 'missing-reexport')[0];
    const old = { ...current, data: { ...(current.data as object), version: 1 } };
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: client.uri(DISPATCHER) }, range: old.range, context: { diagnostics: [old], only: ['quickfix'] } })) as CodeAction[];
    assert.deepStrictEqual(actions, []);
  });

  it('applies the preferred quick fix to a file that is not open, and the diagnostic goes', async () => {
    const diagnostic = byRule(client.diagnosticsOf(LIB), 'missing-registration')[0];
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: client.uri(LIB) }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } })) as CodeAction[];
    const preferred = actions.find((a) => a.isPreferred)!;
    assert.ok(preferred, `a preferred fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.strictEqual(preferred.kind, 'quickfix');
    assert.ok(actions.every((a) => a.kind === 'quickfix'), 'context.only is honoured');
    assert.deepStrictEqual(client.applyEdit(preferred.edit!), [LIB]);
    assert.match(fs.readFileSync(path.join(root, LIB), 'utf8'), /fn cloaca_sqlite[\s\S]*add_class::<HelloClass>/);
    await client.waitFor('missing-registration and unknown-import to go', () => !byRule(client.diagnosticsOf(LIB), 'missing-registration').length && !client.summary().some((s) => s.startsWith('unknown-import')));
  });

  it('completes the binding chain at the Rust declaration', async () => {
    const context = 'cloaca-backend/src/context.rs';
    const hint = byRule(client.diagnosticsOf(context), 'incomplete-binding')[0];
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: client.uri(context) }, range: hint.range, context: { diagnostics: [hint] } })) as CodeAction[];
    const complete = actions.find((a) => a.title.startsWith('Complete the binding chain for'));
    assert.ok(complete, actions.map((a) => a.title).join(', '));
    assert.ok(!actions.some((a) => a.kind?.startsWith('source.fixAll')), 'no fix-all in a file without other fixable findings');
    client.applyEdit(complete.edit!);
    await client.waitFor('the chain to be complete', () => !client.summary().some((s) => s.includes('Context') || s.startsWith('missing-reexport') || s.startsWith('incomplete-binding cloaca-backend/src/context.rs')));
    const dispatcher = client.buffers.get(client.uri(DISPATCHER))!.text;
    assert.ok(dispatcher.includes('_backend_module.Context'), 'the open dispatcher buffer got the re-export');
    assert.deepStrictEqual(client.summary(), []);
  });

  it('fixes a whole file with source.fixAll, the edit computed in resolve', async () => {
    const text = client.buffers.get(client.uri(DISPATCHER))!.text;
    const start = text.indexOf(REEXPORT);
    const before = text.slice(0, start).split('\n').length - 1;
    client.change(DISPATCHER, [{ range: { start: { line: before, character: 0 }, end: { line: before + 2, character: 0 } }, newText: '' }]);
    await client.waitFor('missing-reexport', () => byRule(client.diagnosticsOf(DISPATCHER), 'missing-reexport').length === 1);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: client.uri(DISPATCHER) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } })) as CodeAction[];
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].kind, 'source.fixAll.bindingsChecklist');
    assert.strictEqual(actions[0].edit, undefined, 'the edit waits for resolve');
    const resolved = (await client.connection.sendRequest('codeAction/resolve', actions[0])) as CodeAction;
    client.applyEdit(resolved.edit!);
    await client.waitFor('the file to be clean', () => !client.diagnosticsOf(DISPATCHER).length);
    // Applying the same fix again changes nothing.
    const again = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: client.uri(DISPATCHER) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } })) as CodeAction[];
    assert.deepStrictEqual(again, []);
    client.close(DISPATCHER);
  });

  it('adds a new binding symbol across every file of its chain', async () => {
    const choices = await client.connection.sendRequest(AddSymbolChoicesRequest.type, { uri: client.uri(LIB) });
    assert.strictEqual(choices.defaultRustFile, LIB);
    assert.deepStrictEqual([...choices.variants].sort(), ['postgres', 'sqlite']);
    const folderUri = choices.folderUri!;
    assert.match((await client.connection.sendRequest(ValidateNameRequest.type, { folderUri, name: 'HelloClass' })).error ?? '', /taken/);
    assert.match((await client.connection.sendRequest(ValidateNameRequest.type, { folderUri, name: '1x' })).error ?? '', /identifier/);
    assert.strictEqual((await client.connection.sendRequest(ValidateNameRequest.type, { folderUri, name: 'Scheduler' })).error, undefined);
    const result = await client.connection.sendRequest(AddSymbolRequest.type, { folderUri, kind: 'class', pythonName: 'Scheduler', rustFile: LIB, variants: null });
    assert.strictEqual(result.error, undefined);
    const touched = client.applyEdit(result.edit!);
    for (const file of [LIB, DISPATCHER, TESTS, 'cloaca-backend/python/cloaca_{{backend}}/__init__.py']) {
      assert.ok(touched.includes(file), `${file} is touched: ${touched.join(', ')}`);
      assert.match(fs.readFileSync(path.join(root, file), 'utf8'), /Scheduler/, file);
    }
    const lib = fs.readFileSync(path.join(root, LIB), 'utf8').split('\n');
    const declared = result.declaration!;
    assert.strictEqual(client.rel(declared.uri), LIB);
    assert.strictEqual(lib[declared.range.start.line].slice(declared.range.start.character, declared.range.end.character), 'Scheduler');
    await client.waitFor('no finding about the new symbol', () => client.status?.state === 'ready' && !client.summary().length && fs.readFileSync(path.join(root, LIB), 'utf8').includes('Scheduler'));
    assert.deepStrictEqual(client.summary(), []);
  });

  it('follows files deleted, created and renamed on disk', async () => {
    const context = 'cloaca-backend/src/context.rs';
    const renamed = 'cloaca-backend/src/ctx.rs';
    fs.renameSync(path.join(root, context), path.join(root, renamed));
    client.filesChanged([{ rel: context, type: 3 }, { rel: renamed, type: 1 }]);
    await client.waitFor('Context to be lost', () => client.summary().some((s) => s.startsWith('unknown-import')));
    fs.renameSync(path.join(root, renamed), path.join(root, context));
    client.filesChanged([{ rel: renamed, type: 3 }, { rel: context, type: 1 }]);
    await client.waitFor('Context to be back', () => !client.summary().length);

    fs.writeFileSync(path.join(root, 'python-tests/test_more.py'), 'import cloaca\n\n\ndef test_backend():\n    assert cloaca.__backend__\n');
    client.filesChanged([{ rel: 'python-tests/test_more.py', type: 1 }]);
    const tests = fs.readFileSync(path.join(root, TESTS), 'utf8');
    fs.rmSync(path.join(root, TESTS));
    client.filesChanged([{ rel: TESTS, type: 3 }]);
    await client.waitFor('missing-test findings', () => client.summary().some((s) => s.startsWith('missing-test')));
    fs.writeFileSync(path.join(root, TESTS), tests);
    client.filesChanged([{ rel: TESTS, type: 1 }]);
    await client.waitFor('the tests to count again', () => !client.summary().length);
  });

  it('applies settings without a restart', async () => {
    fs.renameSync(path.join(root, TESTS), path.join(root, 'python-tests/notes.txt'));
    client.filesChanged([{ rel: TESTS, type: 3 }]);
    await client.waitFor('missing-test findings', () => client.summary().some((s) => s.startsWith('missing-test')));
    client.settings = { rules: { 'missing-test': 'off' } };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor('no missing-test with the rule off', () => !client.summary().length);
    client.settings = { rules: { 'missing-test': 'error' } };
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor('missing-test back as errors', () => client.diagnostics.size > 0 && [...client.diagnostics.values()].some((d) => d.diagnostics.some((x) => x.code === 'missing-test' && x.severity === DiagnosticSeverity.Error)));
  });

  it('shows a broken configuration file as an error on the file, and clears it once fixed', async () => {
    const config = 'bindings-checklist.toml';
    fs.writeFileSync(path.join(root, config), 'internal = ["X"]\n[rules]\nmissing-test = "loud"\n');
    client.filesChanged([{ rel: config, type: 1 }]);
    const shown = await client.waitFor('the configuration error', () => client.diagnosticsOf(config).find((d) => d.code === 'configuration'));
    assert.strictEqual(shown.severity, DiagnosticSeverity.Error);
    assert.deepStrictEqual(shown.range.start, { line: 2, character: 15 });
    assert.match(shown.message, /severity of `missing-test` must be one of/);
    await client.waitFor('the status to name the error', () => client.status?.error?.includes('bindings-checklist.toml'));
    fs.rmSync(path.join(root, config));
    client.filesChanged([{ rel: config, type: 3 }]);
    await client.waitFor('the error to go', () => !client.diagnosticsOf(config).length && !client.status?.error);
  });
});

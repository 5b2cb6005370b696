'use strict';
// The extension in a real VS Code, on a copy of examples/cloaca (run-e2e.mjs makes the copy;
// the tests edit it). The scenarios build on each other and run in order.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const GOLDEN = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/golden/cloaca.json'), 'utf8'));
const CLI = path.join(REPO_ROOT, 'dist/cli.js');
const EXTENSION_ID = 'pyo3-bindings-checklist.pyo3-bindings-checklist';
const SOURCE = 'bindings-checklist';
const FIX_ALL = 'source.fixAll.bindingsChecklist';

const WRAPPER = 'cloaca-backend/python/cloaca_{{backend}}/__init__.py';
const DISPATCHER = 'cloaca/src/cloaca/__init__.py';
const LIB_RS = 'cloaca-backend/src/lib.rs';
const TESTS = 'python-tests/test_basic.py';

const SEVERITY_NAME = new Map([
  [vscode.DiagnosticSeverity.Error, 'error'],
  [vscode.DiagnosticSeverity.Warning, 'warning'],
  [vscode.DiagnosticSeverity.Information, 'info'],
  [vscode.DiagnosticSeverity.Hint, 'hint'],
]);

// ---------------------------------------------------------------------------------------------
// Workspace and diagnostics

function rootUri() {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.equal(folders.length, 1, 'one workspace folder is open');
  return folders[0].uri;
}

const uriOf = (rel) => vscode.Uri.joinPath(rootUri(), ...rel.split('/'));
const relOf = (uri) => path.relative(rootUri().fsPath, uri.fsPath).split(path.sep).join('/');
const readDisk = (rel) => fs.readFileSync(uriOf(rel).fsPath, 'utf8');
const ruleOf = (d) => String(d.code !== null && typeof d.code === 'object' ? d.code.value : d.code);
const count = (text, needle) => text.split(needle).length - 1;

/** Every file of the workspace with its text, by workspace-relative path. */
function snapshot() {
  const out = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(rootUri().fsPath, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(rootUri().fsPath);
  return out;
}

/** Workspace-relative paths whose text differs between two snapshots (added files included). */
function changedFiles(before, after) {
  return [...new Set([...before.keys(), ...after.keys()])].filter((rel) => before.get(rel) !== after.get(rel)).sort();
}

/** The extension's diagnostics of one file. */
function diagnosticsOf(rel) {
  return vscode.languages.getDiagnostics(uriOf(rel)).filter((d) => d.source === SOURCE);
}

/** All of the extension's diagnostics as [relative path, diagnostic]. */
function allDiagnostics() {
  const out = [];
  for (const [uri, list] of vscode.languages.getDiagnostics()) {
    for (const d of list) if (d.source === SOURCE) out.push([relOf(uri), d]);
  }
  return out;
}

/** `file:line:col-endLine:endCol severity rule message`, 1-based like the CLI's JSON. */
function diagnosticKeys() {
  return allDiagnostics().map(([rel, d]) =>
    `${rel}:${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${SEVERITY_NAME.get(d.severity)} ${ruleOf(d)} ${d.message}`).sort();
}

function findingKeys(findings) {
  return findings.map((f) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.rule} ${f.message}`).sort();
}

/** Multiset difference, for readable failure messages. */
function difference(actual, expected) {
  const unexpected = [...actual];
  const missing = [];
  for (const key of expected) {
    const i = unexpected.indexOf(key);
    if (i < 0) missing.push(key);
    else unexpected.splice(i, 1);
  }
  return { missing, unexpected };
}

function describeDifference(actual, expected) {
  const { missing, unexpected } = difference(actual, expected);
  return [`missing (${missing.length}):`, ...missing.map((k) => `  ${k}`), `unexpected (${unexpected.length}):`, ...unexpected.map((k) => `  ${k}`)].join('\n');
}

/** What the CLI reports for the workspace as it is on disk. */
function cliFindings() {
  const run = spawnSync(process.execPath, [CLI, 'check', rootUri().fsPath, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  assert.ok(run.status === 0 || run.status === 1, `the CLI ran (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout).findings;
}

/**
 * Polls `probe` until it returns a truthy value (returned) or `timeout` ms pass (fails with
 * `what` and, if given, `detail()` describing the last state).
 */
async function waitFor(what, probe, { timeout = 30_000, interval = 100, detail } = {}) {
  const started = Date.now();
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started > timeout) {
      const extra = lastError ? `\nlast error: ${lastError.stack ?? lastError}` : detail ? `\n${detail()}` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${extra}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Waits until the editor's diagnostics are exactly what the CLI reports for the files on disk:
 * the server has caught up with every edit, and editor and CLI agree.
 */
async function waitForAgreementWithCli() {
  const expected = findingKeys(cliFindings());
  await waitFor('the editor diagnostics to match the CLI on the saved files', () => {
    const actual = diagnosticKeys();
    return actual.length === expected.length && actual.every((k, i) => k === expected[i]);
  }, { detail: () => describeDifference(diagnosticKeys(), expected) });
  return expected;
}

// ---------------------------------------------------------------------------------------------
// Code actions and edits

async function codeActions(uri, range, kind) {
  // The last argument resolves up to that many actions, so lazily computed edits arrive filled in.
  return (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, kind, 100)) ?? [];
}

/**
 * Saves a document and waits until its text is on disk. (In VS Code for the web, which the
 * offline launcher runs, `files.autoSave` defaults to `afterDelay`: auto-save may get there
 * first, and then `save()` answers false.)
 */
async function save(document) {
  if (document.isDirty) await document.save();
  const rel = relOf(document.uri);
  await waitFor(`${rel} to be saved`, () => !document.isDirty && readDisk(rel) === document.getText());
}

/** Saves every modified document. */
async function saveAll() {
  for (const document of vscode.workspace.textDocuments) {
    if (document.uri.scheme === 'file' && document.isDirty) await save(document);
  }
}

/** Applies a workspace edit, saves every file it touches, returns their relative paths. */
async function applyAndSave(edit) {
  assert.ok(await vscode.workspace.applyEdit(edit), 'the workspace edit applies');
  const files = [...new Set(edit.entries().map(([uri]) => relOf(uri)))].sort();
  for (const rel of files) await save(await vscode.workspace.openTextDocument(uriOf(rel)));
  return files;
}

async function open(rel) {
  const document = await vscode.workspace.openTextDocument(uriOf(rel));
  await vscode.window.showTextDocument(document);
  return document;
}

/**
 * The preferred quick fix whose title passes `title`, offered at the diagnostic `find` picks in
 * `rel` (polled: the server answers for the open document's current version only).
 */
async function preferredQuickFix(rel, what, find, title) {
  let seen = 'no diagnostic found';
  return waitFor(`the preferred quick fix for ${what}`, async () => {
    const diagnostic = diagnosticsOf(rel).find(find);
    if (!diagnostic) return undefined;
    const actions = await codeActions(uriOf(rel), diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    seen = `actions at ${rel}:${diagnostic.range.start.line + 1}: ${JSON.stringify(actions.map((a) => ({ title: a.title, preferred: a.isPreferred, edit: !!a.edit, diagnostics: (a.diagnostics ?? []).map((d) => d.message) })))}`;
    // (The actions that vscode.executeCodeActionProvider returns do not carry their diagnostics.)
    const action = actions.find((a) => a.isPreferred && a.edit && title(a.title));
    return action && { action, diagnostic };
  }, { detail: () => seen });
}

// ---------------------------------------------------------------------------------------------

describe('PyO3 Bindings Checklist in VS Code, on examples/cloaca', function () {
  before(function () {
    console.log(`    VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.remoteName ? `remote ${vscode.env.remoteName}` : 'desktop'}), workspace ${rootUri().fsPath}`);
  });

  it('1. activates on the workspace and shows every golden finding at its position, severity and rule', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded for development`);
    await waitFor('the extension to activate on workspaceContains', () => extension.isActive);
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['bindingsChecklist.addSymbol', 'bindingsChecklist.reindex']) assert.ok(commands.includes(command), `${command} is registered`);

    const expected = findingKeys(GOLDEN.findings);
    await waitFor('the diagnostics of test/golden/cloaca.json', () => {
      const actual = diagnosticKeys();
      return actual.length === expected.length && actual.every((k, i) => k === expected[i]);
    }, { timeout: 60_000, detail: () => describeDifference(diagnosticKeys(), expected) });

    const rules = [...new Set(GOLDEN.findings.map((f) => f.rule))].sort();
    const shown = [...new Set(allDiagnostics().map(([, d]) => ruleOf(d)))].sort();
    assert.deepEqual(shown, rules, 'every rule of the golden file is shown');
    for (const [, d] of allDiagnostics()) {
      assert.ok(d.code && typeof d.code === 'object' && String(d.code.target).includes(`#${d.code.value}`), `the rule code links to its documentation: ${JSON.stringify(d.code)}`);
    }
    console.log(`      ${expected.length} diagnostics of ${rules.length} rules: ${rules.join(', ')}`);
  });

  it('2. quick fix: removing the unknown import `Scheduler` from the wrapper template changes the file on disk and clears the diagnostic', async function () {
    const before = readDisk(WRAPPER);
    assert.equal(count(before, '    Scheduler,\n'), 1);
    await open(WRAPPER);
    const isScheduler = (d) => ruleOf(d) === 'unknown-import' && d.message.includes('`Scheduler`');
    const { action } = await preferredQuickFix(WRAPPER, 'unknown-import `Scheduler`', isScheduler, (t) => t.includes('`Scheduler`'));
    console.log(`      applying "${action.title}"`);

    assert.deepEqual(await applyAndSave(action.edit), [WRAPPER], 'the fix edits the wrapper only');
    assert.equal(readDisk(WRAPPER), before.replace('    Scheduler,\n', ''), 'the import of Scheduler is gone from the file on disk, nothing else changed');

    await waitFor('the unknown-import diagnostic of `Scheduler` to go', () => !diagnosticsOf(WRAPPER).some(isScheduler));
    assert.ok(diagnosticsOf(WRAPPER).some((d) => ruleOf(d) === 'unknown-import' && d.message.includes('`TaskStatus`')), 'the other unknown import is still reported');
    await waitForAgreementWithCli();
  });

  it('3. source.fixAll.bindingsChecklist on the dispatcher fixes its stale and missing re-exports', async function () {
    const before = readDisk(DISPATCHER);
    const document = await open(DISPATCHER);
    const fixable = (d) => ['stale-reexport', 'missing-reexport'].includes(ruleOf(d));
    assert.equal(diagnosticsOf(DISPATCHER).filter(fixable).length, 2, 'the dispatcher starts with a stale and a missing re-export');

    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const action = await waitFor('a resolved fix-all action', async () =>
      (await codeActions(document.uri, whole, FIX_ALL)).find((a) => a.kind?.value === FIX_ALL && a.edit));
    console.log(`      applying "${action.title}"`);
    assert.deepEqual(await applyAndSave(action.edit), [DISPATCHER], 'fix-all edits the dispatcher only');

    const legacy = 'if hasattr(_backend_module, "LegacyRunner"):\n    LegacyRunner = _backend_module.LegacyRunner\n';
    const backend = 'if hasattr(_backend_module, "__backend__"):\n    __backend__ = _backend_module.__backend__\n';
    const taskError = 'if hasattr(_backend_module, "TaskError"):\n    TaskError = _backend_module.TaskError\n';
    assert.equal(readDisk(DISPATCHER), before.replace(legacy, '').replace(backend, backend + taskError),
      'LegacyRunner is no longer re-exported, TaskError is');

    await waitFor('the dispatcher\'s fixable diagnostics to go', () => !diagnosticsOf(DISPATCHER).some(fixable));
    await waitForAgreementWithCli();
  });

  /**
   * Applies "Complete the binding chain for `symbol`" at its Rust declaration in `rustFile`;
   * checks that exactly `files` changed on disk and no diagnostic mentions the symbol any more,
   * then runs `check` on the new texts.
   */
  async function completeChain(symbol, rustFile, files, check) {
    const before = snapshot();
    await open(rustFile);
    const title = `Complete the binding chain for \`${symbol}\``;
    const { action, diagnostic } = await preferredQuickFix(rustFile, `incomplete-binding \`${symbol}\``,
      (d) => ruleOf(d) === 'incomplete-binding' && d.message.startsWith(`\`${symbol}\`:`), (t) => t === title);
    const edited = await applyAndSave(action.edit);
    console.log(`      "${title}" (${diagnostic.message}) edited ${edited.join(', ')}`);

    // Once the editor agrees with the CLI on the saved files, its diagnostics are current.
    await waitForAgreementWithCli();
    const after = snapshot();
    const mentions = new RegExp(`\\b${symbol}\\b`);
    const remaining = allDiagnostics().filter(([, d]) => mentions.test(d.message)).map(([rel, d]) => `${rel}:${d.range.start.line + 1} ${ruleOf(d)}: ${d.message}`);
    assert.deepEqual({ changed: changedFiles(before, after), remaining }, { changed: [...files].sort(), remaining: [] },
      'every file of the chain changed on disk (nothing else), and no diagnostic about the symbol is left');
    check(after);
  }

  it('4a. "Complete the binding chain for `Context`" at its Rust declaration adds the wrapper import and the __all__ entry, and clears its diagnostics', async function () {
    await completeChain('Context', 'cloaca-backend/src/context.rs', [WRAPPER], (after) => {
      assert.match(after.get(WRAPPER), /^from \.cloaca_\{\{backend\}\} import \([^)]*^\s+Context,?$[^)]*\)/m, 'the wrapper imports Context');
      assert.match(after.get(WRAPPER), /^__all__ = \[[^\]]*^\s+"Context",$/m, 'the wrapper lists Context in __all__');
    });
  });

  it('4b. "Complete the binding chain for `RetryPolicy`" (declared, registered nowhere) writes every link: registrations, wrapper import and __all__, re-export, test', async function () {
    await completeChain('RetryPolicy', LIB_RS, [WRAPPER, LIB_RS, DISPATCHER, TESTS], (after) => {
      assert.equal(count(after.get(LIB_RS), 'm.add_class::<RetryPolicy>()?;'), 2, 'RetryPolicy is registered in both #[pymodule]s');
      assert.match(after.get(WRAPPER), /^\s+RetryPolicy,?$/m, 'the wrapper imports RetryPolicy');
      assert.match(after.get(WRAPPER), /^\s+"RetryPolicy",$/m, 'the wrapper lists RetryPolicy in __all__');
      assert.match(after.get(DISPATCHER), /^ +RetryPolicy = _backend_module\.RetryPolicy$/m, 'the dispatcher re-exports RetryPolicy');
      assert.match(after.get(TESTS), /cloaca\.RetryPolicy/, 'a test uses cloaca.RetryPolicy');
    });
  });

  it('5. "Add binding symbol" (class `RetryBudget` in lib.rs, all variants) writes the whole chain, opens the declaration and adds no diagnostics', async function () {
    const before = snapshot();
    const diagnosticsBefore = allDiagnostics().map(([rel, d]) => `${rel} ${ruleOf(d)} ${d.message}`).sort();
    await open(DISPATCHER); // the command must bring the new declaration's file forward itself

    await vscode.commands.executeCommand('bindingsChecklist.addSymbol', {
      kind: 'class', pythonName: 'RetryBudget', rustFile: LIB_RS, variants: ['postgres', 'sqlite'],
    });

    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is active');
    assert.equal(relOf(editor.document.uri), LIB_RS, 'the new declaration\'s file is in the active editor');
    assert.equal(editor.document.getText(editor.selection), 'RetryBudget', 'the declaration\'s name is selected');
    assert.match(editor.document.lineAt(editor.selection.start.line).text, /\bstruct RetryBudget\b/, 'the selection is on the struct declaration');

    await saveAll();
    const after = snapshot();
    const changed = changedFiles(before, after);
    console.log(`      the command edited ${changed.join(', ')}`);
    assert.deepEqual(changed, [WRAPPER, LIB_RS, DISPATCHER, TESTS].sort(), 'every file of the chain changed, nothing else');
    const lib = after.get(LIB_RS);
    assert.match(lib, /#\[pyclass\][^]*?pub struct RetryBudget\b/, 'lib.rs declares the #[pyclass]');
    assert.match(lib, /#\[pymethods\]\s*impl RetryBudget\b[^]*?#\[new\]/, 'with #[pymethods] and #[new]');
    assert.equal(count(lib, 'm.add_class::<RetryBudget>()?;'), 2, 'RetryBudget is registered in both #[pymodule]s');
    assert.match(after.get(WRAPPER), /^\s+RetryBudget,?$/m, 'the wrapper imports RetryBudget');
    assert.match(after.get(WRAPPER), /^\s+"RetryBudget",$/m, 'the wrapper lists RetryBudget in __all__');
    assert.match(after.get(DISPATCHER), /^if hasattr\(_backend_module, "RetryBudget"\):\n +RetryBudget = _backend_module\.RetryBudget$/m, 'the dispatcher re-exports RetryBudget');
    assert.match(after.get(TESTS), /def test_\w*retry_budget\w*\([^]*?cloaca\.RetryBudget/, 'a test for cloaca.RetryBudget was added');

    await waitForAgreementWithCli();
    const mentions = allDiagnostics().filter(([, d]) => /\bRetryBudget\b/.test(d.message));
    assert.deepEqual(mentions.map(([rel, d]) => `${rel} ${ruleOf(d)} ${d.message}`), [], 'no diagnostic mentions RetryBudget');
    const diagnosticsAfter = allDiagnostics().map(([rel, d]) => `${rel} ${ruleOf(d)} ${d.message}`).sort();
    assert.deepEqual(difference(diagnosticsAfter, diagnosticsBefore).unexpected, [], 'no new diagnostics');
  });
});

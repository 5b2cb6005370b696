'use strict';
// Runs inside the extension host: test-electron's extensionTestsPath contract is
// `run(): Promise<void>` that rejects when a test fails.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const Mocha = require(path.join(REPO_ROOT, 'node_modules/mocha'));

function defineTests(mocha) {
  const suite = Mocha.Suite.create(mocha.suite, 'e2e smoke');

  suite.addTest(new Mocha.Test('the extension command answers', async () => {
    const extension = vscode.extensions.getExtension('pyo3-bindings-checklist.e2e-smoke');
    assert.ok(extension, 'the smoke extension is loaded');
    await extension.activate();
    const answer = await vscode.commands.executeCommand('e2eSmoke.hello');
    assert.equal(answer, 'hello');
  }));

  suite.addTest(new Mocha.Test('the workspace folder is open and its file readable', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(folders.map((folder) => path.basename(folder.uri.fsPath)), ['workspace']);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folders[0].uri, 'hello.txt'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.getText(), 'Hello from the smoke workspace.\n');
    assert.ok(vscode.workspace.isTrusted, 'the workspace is trusted');
  }));

  suite.addTest(new Mocha.Test('extensionTestsEnv reaches the extension host', () => {
    assert.equal(process.env.BINDINGS_CHECKLIST_SMOKE, 'passed-through');
  }));
}

function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false });
  defineTests(mocha);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}

module.exports = { run };

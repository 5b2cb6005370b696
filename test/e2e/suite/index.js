'use strict';
// Entry point that @vscode/test-electron loads in the extension host (extensionTestsPath):
// `run(): Promise<void>` rejects when a test fails. Mocha comes from the repository's
// node_modules, since the extension host has no test runner of its own.
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const MochaModule = require(path.join(REPO_ROOT, 'node_modules/mocha'));
const Mocha = MochaModule.default ?? MochaModule;

async function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec' });
  const grep = process.env.BINDINGS_CHECKLIST_E2E_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  mocha.addFile(path.join(__dirname, 'cloaca.test.js'));
  await mocha.loadFilesAsync();
  const failures = await new Promise((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} e2e test(s) failed`);
}

module.exports = { run };

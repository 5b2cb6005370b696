// Runs the extension's end-to-end suite (test/e2e/suite) in a real VS Code through
// @vscode/test-electron, on a fresh copy of examples/cloaca (the tests edit files).
// Offline (default): test/e2e/launcher/code-server-electron.js stands in for the VS Code
// executable; run `bash scripts/e2e/install.sh` first (`npm run test:e2e` does). With
// E2E_DOWNLOAD_VSCODE=1, test-electron downloads desktop VS Code instead (needs internet and a
// display, e.g. xvfb-run). Build the extension first (`npm run build`): it loads dist/.
// BINDINGS_CHECKLIST_E2E_GREP=<text> runs only the scenarios whose names contain it.
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

for (const built of ['dist/extension.js', 'dist/server.js', 'dist/cli.js']) {
  if (!fs.existsSync(path.join(repo, built))) {
    console.error(`e2e: ${built} is missing; run \`npm run build\` first`);
    process.exit(1);
  }
}

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-checklist-e2e-'));
const workspace = path.join(temp, 'cloaca');
fs.cpSync(path.join(repo, 'examples/cloaca'), workspace, { recursive: true });
const removeTemp = () => fs.rmSync(temp, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    removeTemp();
    process.exit(130);
  });
}

const started = Date.now();
let code = 0;
try {
  await runTests({
    vscodeExecutablePath: process.env.E2E_DOWNLOAD_VSCODE === '1'
      ? undefined
      : path.join(here, 'launcher/code-server-electron.js'),
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(here, 'suite/index.js'),
    launchArgs: [workspace, '--disable-extensions'],
    extensionTestsEnv: process.env.BINDINGS_CHECKLIST_E2E_GREP ? { BINDINGS_CHECKLIST_E2E_GREP: process.env.BINDINGS_CHECKLIST_E2E_GREP } : {},
  });
} catch (error) {
  console.error(`e2e: ${error.message}`);
  code = 1;
} finally {
  removeTemp();
}
console.log(`e2e: ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);

// Runs the smoke suite in a real VS Code through @vscode/test-electron.
// Offline (default): the launcher below stands in for the VS Code executable; it needs
// `bash scripts/e2e/install.sh` first. With E2E_DOWNLOAD_VSCODE=1, test-electron downloads
// desktop VS Code instead (needs internet and a display, e.g. xvfb-run).
import { runTests } from '@vscode/test-electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const smoke = path.join(here, 'smoke');

try {
  await runTests({
    vscodeExecutablePath: process.env.E2E_DOWNLOAD_VSCODE === '1'
      ? undefined
      : path.join(here, 'launcher/code-server-electron.js'),
    extensionDevelopmentPath: smoke,
    extensionTestsPath: path.join(smoke, 'suite/index.js'),
    launchArgs: [path.join(smoke, 'workspace'), '--disable-extensions'],
    extensionTestsEnv: { BINDINGS_CHECKLIST_SMOKE: 'passed-through' },
  });
} catch (error) {
  console.error(`e2e smoke failed: ${error.message}`);
  process.exit(1);
}

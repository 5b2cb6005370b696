/**
 * Benchmark of a cold check on a large synthetic workspace in the seed's layout.
 *
 *   npm run bench -- [--rust-files N] [--binding-files N] [--symbols N] [--seed N]
 *                    [--gaps N] [--dir DIR] [--json] [--no-editor | --editor-only]
 *                    [--server-cpu-prof DIR]
 *
 * 1. Writes the workspace (test/bench/generate.ts) in a child process, so that
 *    the generator's memory does not count in the peak below. A directory whose
 *    marker names the same options is reused as it is.
 * 2. Cold check, as `bindings-checklist check` runs it: loadConfig + loadWorkspacePrepared
 *    + runChecks, timed; loading the grammars (Parsers.load) is timed apart.
 *    Every text the checker parses is recorded (index.parseLog).
 * 3. Floor: the same texts parsed again, one after the other, with the same
 *    Parsers instance, each tree deleted at once. No fact extraction, no rules:
 *    the least a checker that parses those files must spend. Then the same
 *    texts split over as many threads as the check has parse workers, to show
 *    what those threads add up to on this machine, and the same files parsed
 *    whole on one thread, to show what the parse leaves out (test/bench/floor.ts).
 * 4. One table (or JSON with --json): sizes, times, peak memory, the ratio
 *    check/floor and the targets.
 * 5. The editor's figures (test/bench/lsp-bench.ts), unless --no-editor: the
 *    language server on a copy of the workspace with a 5,000-line lib.rs, from
 *    `initialized` to the first complete diagnostics, its memory, and the
 *    latency from a keystroke to lib.rs's diagnostics for it.
 *
 * Timings are reported, never asserted; the exit status is 1 only when a
 * generated gap is not found or a binding edit's diagnostics are wrong.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkAhead, runChecks } from '../../server/src/engine';
import { defaultPoolSize, ParsePool } from '../../server/src/index/parse-pool';
import { loadWorkspacePrepared } from '../../server/src/index/prepare';
import { parsedText } from '../../server/src/index/disk-read';
import type { ParseRecord } from '../../server/src/index/workspace-index';
import { loadConfig } from '../../server/src/layout/load-config';
import { Parsers } from '../../server/src/parsing/parsers';
import type { Finding } from '../../server/src/rules/types';
import { DEFAULT_OPTIONS, GeneratedGap, GenerateOptions, generateWorkspace, MARKER_FILE } from './generate';
import { EditorReport, editorRows, runEditorBench } from './lsp-bench';
import { cpuMs, FloorResult, floorProcess, floorWorker, gc, isFloorWorker, msPerChar, ParsedText } from './floor';
import { tuneRuntime } from '../../server/src/runtime';

const USAGE =
  'usage: bench [--rust-files N] [--binding-files N] [--symbols N] [--seed N] [--gaps N] [--dir DIR] [--json] [--no-editor | --editor-only] [--server-cpu-prof DIR]';

/** The cold check's targets (on a 2-core machine). */
const TARGET_CHECK_MS = 3000;
const TARGET_RATIO = 1.3;

/** Written next to the marker after generation: what the generator returned. */
const GAPS_FILE = '.generated-gaps.json';
/** Internal: run the generator only (in the child process) and exit. */
const GENERATE_ONLY = '--generate-only';

interface Args {
  options: Required<Pick<GenerateOptions, 'rustFiles' | 'bindingFiles' | 'symbols' | 'seed' | 'gaps'>>;
  dir?: string;
  json: boolean;
  generateOnly: boolean;
  /** Run the editor's figures (test/bench/lsp-bench.ts). */
  editor: boolean;
  /** Skip the cold check and the floor. */
  editorOnly: boolean;
  /** Profile the language server (--cpu-prof) into this folder. */
  serverCpuProf?: string;
}

interface Generated {
  marker: string;
  files: number;
  symbols: number;
  bytes: number;
  gaps: GeneratedGap[];
}

function parseArgs(argv: string[]): Args {
  const options = { ...DEFAULT_OPTIONS, gaps: 5 } as Args['options'];
  const args: Args = { options, json: false, generateOnly: false, editor: true, editorOnly: false };
  const numeric: Record<string, keyof Args['options']> = {
    '--rust-files': 'rustFiles',
    '--binding-files': 'bindingFiles',
    '--symbols': 'symbols',
    '--seed': 'seed',
    '--gaps': 'gaps',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') args.json = true;
    else if (arg === GENERATE_ONLY) args.generateOnly = true;
    else if (arg === '--no-editor') args.editor = false;
    else if (arg === '--editor-only') args.editorOnly = true;
    else if (arg === '--server-cpu-prof') {
      args.serverCpuProf = argv[++i];
      if (!args.serverCpuProf) throw new Error('--server-cpu-prof needs a folder');
    }
    else if (arg === '--dir') {
      args.dir = argv[++i];
      if (!args.dir) throw new Error('--dir needs a folder');
    } else if (arg in numeric) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value)) throw new Error(`${arg} needs an integer`);
      options[numeric[arg]] = value;
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (args.editorOnly && !args.editor) throw new Error('--editor-only and --no-editor exclude each other');
  return args;
}

function markerText(o: Args['options']): string {
  // Must match what generateWorkspace writes into MARKER_FILE.
  return `seed=${o.seed} rustFiles=${o.rustFiles} bindingFiles=${o.bindingFiles} symbols=${o.symbols} gaps=${o.gaps}\n`;
}

function readGenerated(dir: string, o: Args['options']): Generated | undefined {
  try {
    const marker = fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8');
    if (marker !== markerText(o)) return undefined;
    const generated = JSON.parse(fs.readFileSync(path.join(dir, GAPS_FILE), 'utf8')) as Generated;
    return generated.marker === marker ? generated : undefined;
  } catch {
    return undefined;
  }
}

/** Child process: writes the workspace and what the generator returned. */
function generateOnly(args: Args): void {
  const dir = args.dir!;
  const result = generateWorkspace(dir, args.options);
  const generated: Generated = {
    marker: markerText(args.options),
    files: result.files,
    symbols: result.symbols,
    bytes: result.bytes,
    gaps: result.gaps,
  };
  fs.writeFileSync(path.join(dir, GAPS_FILE), JSON.stringify(generated, null, 1) + '\n');
}

function ensureWorkspace(args: Args, dir: string): { generated: Generated; reused: boolean; ms: number } {
  const existing = readGenerated(dir, args.options);
  if (existing) return { generated: existing, reused: true, ms: 0 };
  const started = performance.now();
  const o = args.options;
  const child = spawnSync(
    process.execPath,
    [__filename, GENERATE_ONLY, '--dir', dir, '--rust-files', `${o.rustFiles}`, '--binding-files', `${o.bindingFiles}`, '--symbols', `${o.symbols}`, '--seed', `${o.seed}`, '--gaps', `${o.gaps}`],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`generating the workspace in ${dir} failed (exit ${child.status ?? child.signal})`);
  const generated = readGenerated(dir, o);
  if (!generated) throw new Error(`the workspace generated in ${dir} has no matching ${MARKER_FILE}/${GAPS_FILE}`);
  return { generated, reused: false, ms: performance.now() - started };
}

const mib = (bytes: number) => bytes / (1024 * 1024);

interface MemoryPoint {
  phase: string;
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
}

function memoryPoint(phase: string): MemoryPoint {
  const m = process.memoryUsage();
  return { phase, rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), externalMiB: mib(m.external + m.arrayBuffers) };
}

/** Peak resident set of this process so far (kernel's ru_maxrss), in MiB. */
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

interface GapResult extends GeneratedGap {
  found: boolean;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--floor-process') {
    // --floor-process FILE --threads N [--weights JSON] [--whole]
    const weights = argv[4] === '--weights' ? (JSON.parse(argv[5]) as Record<string, number>) : {};
    console.log(JSON.stringify(await floorProcess(argv[1], argv[2] === '--threads' ? Number(argv[3]) : 1, weights, argv.includes('--whole'))));
    return 0;
  }
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.generateOnly) {
    try {
      generateOnly(args);
    } catch (e) {
      console.error(`bench: ${(e as Error).message}`);
      return 2;
    }
    return 0;
  }
  const o = args.options;
  const dir = path.resolve(
    args.dir ?? path.join(os.tmpdir(), `bindings-checklist-bench-${o.rustFiles}-${o.bindingFiles}-${o.symbols}-s${o.seed}-g${o.gaps}`),
  );
  let workspace: ReturnType<typeof ensureWorkspace>;
  try {
    workspace = ensureWorkspace(args, dir);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  const cli = args.editorOnly ? undefined : await cliBench(args, dir, workspace);
  if (cli && args.json && !args.editor) console.log(JSON.stringify(cli, null, 2));
  else if (cli && !args.json) console.log(table(cli));
  let editor: EditorReport | undefined;
  if (args.editor) {
    const server = [path.join(__dirname, 'server.js'), path.resolve(__dirname, '../../dist/server.js')].find((f) => fs.existsSync(f));
    if (!server) {
      console.error('bench: dist/server.js not found (npm run build)');
      return 2;
    }
    editor = await runEditorBench({ source: dir, dir: `${dir}-editor`, markerFile: MARKER_FILE, server, cpuProfDir: args.serverCpuProf && path.resolve(args.serverCpuProf) });
    if (args.json) console.log(JSON.stringify(cli ? { ...cli, editor } : { editor }, null, 2));
    else console.log(formatRows(editorRows(editor)));
  }
  // A benchmark: slow is reported, not failed. A missed gap or a wrong diagnostic is a wrong answer.
  return cli?.gaps.missed.length || editor?.wrong.length ? 1 : 0;
}

/** Cold check, floor and their figures (the CLI's part). */
async function cliBench(args: Args, dir: string, workspace: ReturnType<typeof ensureWorkspace>) {
  const o = args.options;
  const { generated, reused, ms: generateMs } = workspace;
  gc();
  const memory: MemoryPoint[] = [memoryPoint('start')];

  // Grammars: once per process in the CLI and the server alike; not part of a check.
  let t = performance.now();
  const parsers = await Parsers.load();
  const parsersLoadMs = performance.now() - t;
  gc();
  memory.push(memoryPoint('grammars loaded'));
  const rssBeforeCheck = peakRssMiB();

  // (a) Cold check, the CLI's order: config, files, checks.
  const load0 = os.loadavg()[0];
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpu();
  const t0 = performance.now();
  // As the CLI: parse workers start before the files are listed; they read the Rust files themselves, and compute facts as the files come in.
  const pool = ParsePool.start(parsers.dir);
  const config = loadConfig(parsers, dir);
  const parseRecords: ParseRecord[] = [];
  const { index, skipped, readMs: loadMs } = await loadWorkspacePrepared(dir, parsers, config, pool, parseRecords, checkAhead(config));
  memory.push(memoryPoint('files read, facts prepared'));
  const result = runChecks(index, config);
  const t2 = performance.now();
  const checkCpuMs = cpuMs(process.cpuUsage(cpu0));
  const byThread = threads0 && cpuByThread(threads0, threadCpu());
  await pool.close();
  memory.push(memoryPoint('checked'));
  const peakCheckMiB = peakRssMiB();

  const readMs = loadMs;
  const checkMs = t2 - t0;
  const factsMs = index.parseMs;
  const restMs = checkMs - readMs - factsMs;

  const files = index.files();
  const rustTotal = files.filter((f) => f.language === 'rust').length;
  // The texts parsed: the Rust files the workers read are read again here, after the check.
  const parseLog: ParsedText[] = parseRecords.map((r) => ({ language: r.language, text: parsedText(r) }));
  const parsedBy = { rust: 0, python: 0, toml: 0 };
  const parsedBytesBy = { rust: 0, python: 0, toml: 0 };
  for (const r of parseLog) {
    parsedBy[r.language]++;
    parsedBytesBy[r.language] += Buffer.byteLength(r.text, 'utf8');
  }
  const parsedBytes = parsedBytesBy.rust + parsedBytesBy.python + parsedBytesBy.toml;

  // Findings against the generated gaps.
  const gapResults: GapResult[] = generated.gaps.map((g) => ({
    ...g,
    found: result.findings.some((f) => f.rule === g.rule && f.symbol === g.symbol),
  }));
  const gapSymbols = new Set(generated.gaps.map((g) => g.symbol));
  const isGapFinding = (f: Finding) => generated.gaps.some((g) => g.rule === f.rule && g.symbol === f.symbol);
  const sideFindings = result.findings.filter((f) => !isGapFinding(f) && f.symbol !== null && gapSymbols.has(f.symbol));
  const unexpected = result.findings.filter((f) => !isGapFinding(f) && (f.symbol === null || !gapSymbols.has(f.symbol)));
  const byRule = (list: Finding[]) => {
    const counts: Record<string, number> = {};
    for (const f of list) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
    return counts;
  };

  // (b) Floor: parse exactly the recorded texts again, nothing else, single-threaded, in a fresh process;
  // then, in another fresh process, split over as many threads as the check's parse workers.
  index.parseLog = undefined;
  const logFile = path.join(os.tmpdir(), `bindings-checklist-floor-${process.pid}.json`);
  fs.writeFileSync(logFile, JSON.stringify(parseLog));
  const floorThreads = defaultPoolSize();
  let floor: FloorResult;
  let parallelFloor: FloorResult | undefined;
  let wholeFloor: FloorResult;
  try {
    const floorIn = (threads: number, weights = {}, whole = false): FloorResult => {
      const child = spawnSync(
        process.execPath,
        [
          ...new Set([...process.execArgv, '--expose-gc']),
          __filename, '--floor-process', logFile, '--threads', String(threads), '--weights', JSON.stringify(weights),
          ...(whole ? ['--whole'] : []),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      if (child.status !== 0) throw new Error(`the floor process failed: ${child.stderr}`);
      return JSON.parse(child.stdout.trim().split('\n').pop()!) as FloorResult;
    };
    floor = floorIn(1);
    // Split by the time a character of each language took on one thread.
    if (floorThreads > 1) parallelFloor = floorIn(floorThreads, msPerChar(floor));
    // For comparison only: the same files parsed whole, as by a checker that does not leave out what it never reads.
    wholeFloor = floorIn(1, {}, true);
  } finally {
    fs.rmSync(logFile, { force: true });
  }
  const floorMs = floor.ms;
  const floorCpuMs = floor.cpuMs;
  const floorBy = floor.byLanguage;
  const load1 = os.loadavg()[0];
  memory.push(memoryPoint('floor parsed'));

  const ratio = floorMs > 0 ? checkMs / floorMs : Infinity;
  const cpuRatio = floorCpuMs > 0 ? checkCpuMs / floorCpuMs : Infinity;
  const report = {
    workspace: {
      dir,
      reused,
      generateMs: round(generateMs),
      options: o,
      files: generated.files,
      filesIndexed: files.length,
      filesSkipped: skipped.length,
      bytes: generated.bytes,
      symbolsGenerated: generated.symbols,
      symbolsInChains: result.symbols,
      variants: result.variants,
    },
    parsersLoadMs: round(parsersLoadMs),
    check: {
      ms: round(checkMs),
      cpuMs: round(checkCpuMs),
      readFilesMs: round(readMs),
      parseAndFactsMs: round(factsMs),
      layoutChainsRulesMs: round(restMs),
      parsed: { ...parsedBy, total: parseLog.length, bytes: parsedBytes },
      rustFiles: rustTotal,
      findings: result.findings.length,
      findingsByRule: byRule(result.findings),
      /** CPU time of the check by thread (Linux only). */
      cpuByThread: byThread,
    },
    gaps: {
      generated: gapResults.length,
      found: gapResults.filter((g) => g.found).length,
      missed: gapResults.filter((g) => !g.found).map(({ rule, symbol, file }) => ({ rule, symbol, file })),
      sideFindingsByRule: byRule(sideFindings),
      unexpected: unexpected.map((f) => ({ rule: f.rule, symbol: f.symbol, file: f.file, message: f.message })),
    },
    memory: {
      peakRssMiB: round(peakCheckMiB),
      rssBeforeCheckMiB: round(rssBeforeCheck),
      points: memory.map((p) => ({ ...p, rssMiB: round(p.rssMiB), heapUsedMiB: round(p.heapUsedMiB), externalMiB: round(p.externalMiB) })),
    },
    floor: {
      ms: round(floorMs),
      cpuMs: round(floorCpuMs),
      texts: parseLog.length,
      byLanguage: Object.fromEntries(
        (['rust', 'python', 'toml'] as const).map((l) => [l, { texts: parsedBy[l], mib: round(mib(parsedBytesBy[l]), 2), ms: round(floorBy[l]) }]),
      ),
    },
    /**
     * The same texts split over as many threads as the check has parse workers
     * (`floor.ts`), parse only: how much quicker this machine parses them on
     * that many threads than on one (`speedup`), and the check against that.
     */
    parallelFloor: parallelFloor && {
      threads: parallelFloor.threads,
      ms: round(parallelFloor.ms),
      cpuMs: round(parallelFloor.cpuMs),
      textsByThread: parallelFloor.textsByThread,
      msByThread: parallelFloor.msByThread.map((ms) => round(ms)),
      speedup: round(floorMs / parallelFloor.ms, 2),
      ratio: round(checkMs / parallelFloor.ms, 2),
    },
    /**
     * The same files parsed whole on one thread (`floor.ts`, `whole`): nothing
     * the parse skips is left out. Not the floor of the targets: what the
     * check saves by skipping what it never reads (`parsedShare`: the share of
     * these texts' characters the check's parse reads).
     */
    wholeFloor: {
      ms: round(wholeFloor.ms),
      cpuMs: round(wholeFloor.cpuMs),
      parsedShare: round(sumOf(floor.charsByLanguage) / Math.max(1, sumOf(wholeFloor.charsByLanguage)), 2),
      ratio: round(checkMs / wholeFloor.ms, 2),
    },
    ratio: round(ratio, 2),
    cpuRatio: round(cpuRatio, 2),
    targets: {
      checkUnderMs: { target: TARGET_CHECK_MS, actual: round(checkMs), pass: checkMs < TARGET_CHECK_MS },
      ratioWithin: { target: TARGET_RATIO, actual: round(ratio, 2), pass: ratio <= TARGET_RATIO },
    },
    node: process.version,
    cpus: os.cpus().length,
    /** 1-minute load average before the check and after the floor: above the CPU count, timings are inflated. */
    loadAverage: [round(load0, 2), round(load1, 2)],
  };

  return report;
}

function sumOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** CPU time (user + system, ms) of each thread of this process, by thread id; undefined where /proc does not tell. */
function threadCpu(): Map<string, number> | undefined {
  try {
    const times = new Map<string, number>();
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name: state is the 3rd field, utime and stime the 14th and 15th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(tid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    }
    return times;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/**
 * CPU time of the check by thread: this (main) thread; the threads started
 * since (the parse workers); and the threads that were there before, Node.js's
 * and V8's own (garbage collection, compiling hot code, libuv).
 */
function cpuByThread(before: Map<string, number>, after: Map<string, number> | undefined): { mainMs: number; workersMs: number[]; backgroundMs: number } | undefined {
  if (!after) return undefined;
  const main = String(process.pid);
  let mainMs = 0;
  let backgroundMs = 0;
  const workersMs: number[] = [];
  for (const [tid, ms] of after) {
    const was = before.get(tid);
    if (tid === main) mainMs = ms - (was ?? 0);
    else if (was === undefined) workersMs.push(round(ms, 0));
    else backgroundMs += ms - was;
  }
  return { mainMs: round(mainMs, 0), workersMs: workersMs.filter((ms) => ms > 0), backgroundMs: round(backgroundMs, 0) };
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function table(r: {
  workspace: { dir: string; reused: boolean; generateMs: number; files: number; filesIndexed: number; bytes: number; symbolsGenerated: number; symbolsInChains: number; variants: number };
  parsersLoadMs: number;
  check: { ms: number; cpuMs: number; readFilesMs: number; parseAndFactsMs: number; layoutChainsRulesMs: number; parsed: { rust: number; python: number; toml: number; total: number; bytes: number }; rustFiles: number; findings: number; findingsByRule: Record<string, number>; cpuByThread?: { mainMs: number; workersMs: number[]; backgroundMs: number } };
  gaps: { generated: number; found: number; missed: { rule: string; symbol: string }[]; sideFindingsByRule: Record<string, number>; unexpected: { rule: string; symbol: string | null; file: string }[] };
  memory: { peakRssMiB: number; rssBeforeCheckMiB: number; points: { phase: string; rssMiB: number; heapUsedMiB: number }[] };
  floor: { ms: number; cpuMs: number; texts: number; byLanguage: Record<string, { texts: number; mib: number; ms: number }> };
  parallelFloor?: { threads: number; ms: number; cpuMs: number; textsByThread: number[]; msByThread: number[]; speedup: number; ratio: number };
  wholeFloor: { ms: number; cpuMs: number; parsedShare: number; ratio: number };
  ratio: number;
  cpuRatio: number;
  targets: { checkUnderMs: { target: number; pass: boolean }; ratioWithin: { target: number; pass: boolean } };
  node: string;
  cpus: number;
  loadAverage: number[];
}): string {
  const w = r.workspace;
  const c = r.check;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const pct = (n: number) => `${((100 * n) / Math.max(c.ms, 1e-9)).toFixed(0)}%`;
  const counts = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const pass = (b: boolean) => (b ? 'PASS' : 'MISS');
  const rows: [string, string][] = [
    ['workspace', `${w.dir}${w.reused ? ' (reused)' : ` (generated in ${ms(w.generateMs)})`}`],
    ['files', `${w.files} written, ${w.filesIndexed} indexed, ${(w.bytes / (1024 * 1024)).toFixed(1)} MiB`],
    ['symbols', `${w.symbolsGenerated} generated, ${w.symbolsInChains} in the chain, ${w.variants} variants`],
    ['Rust files parsed', `${c.parsed.rust} of ${c.rustFiles}`],
    ['texts parsed', `${c.parsed.total} (rust ${c.parsed.rust}, python ${c.parsed.python}, toml ${c.parsed.toml}), ${(c.parsed.bytes / (1024 * 1024)).toFixed(1)} MiB`],
    ['grammars load', `${ms(r.parsersLoadMs)} (not counted)`],
    ['cold check', `${ms(c.ms)} (CPU ${ms(c.cpuMs)})`],
    ['  list, read the rest here', `${ms(c.readFilesMs)} (${pct(c.readFilesMs)})`],
    ['  parse + facts, after', `${ms(c.parseAndFactsMs)} (${pct(c.parseAndFactsMs)})`],
    ['  layout, chains, rules', `${ms(c.layoutChainsRulesMs)} (${pct(c.layoutChainsRulesMs)})`],
    ...(c.cpuByThread
      ? [['  CPU by thread', `main ${ms(c.cpuByThread.mainMs)}, parse workers ${c.cpuByThread.workersMs.map(ms).join(' + ')}, Node.js and V8 background threads (GC, compiling) ${ms(c.cpuByThread.backgroundMs)}`] as [string, string]]
      : []),
    ['findings', `${c.findings} (${counts(c.findingsByRule)})`],
    ['gaps found', `${r.gaps.found} of ${r.gaps.generated}${r.gaps.missed.length ? `; MISSED: ${r.gaps.missed.map((g) => `${g.rule} ${g.symbol}`).join(', ')}` : ''}`],
    ['  side findings', counts(r.gaps.sideFindingsByRule)],
    ['  unexpected findings', r.gaps.unexpected.length ? r.gaps.unexpected.slice(0, 5).map((f) => `${f.rule} ${f.symbol ?? ''} ${f.file}`).join('; ') : 'none'],
    ['peak RSS (check)', `${r.memory.peakRssMiB.toFixed(0)} MiB (${r.memory.rssBeforeCheckMiB.toFixed(0)} MiB before the check, grammars loaded)`],
    ['memory by phase', r.memory.points.map((p) => `${p.phase}: rss ${p.rssMiB.toFixed(0)}/heap ${p.heapUsedMiB.toFixed(0)}`).join(', ') + ' MiB'],
    ['floor (parse only)', `${ms(r.floor.ms)} (CPU ${ms(r.floor.cpuMs)}) for ${r.floor.texts} texts, single-threaded, in a fresh process`],
    ['  by language', Object.entries(r.floor.byLanguage).map(([l, v]) => `${l} ${ms(v.ms)} (${v.texts} texts, ${v.mib.toFixed(1)} MiB)`).join(', ')],
    ...(r.parallelFloor
      ? [
          [
            `  on ${r.parallelFloor.threads} threads`,
            `${ms(r.parallelFloor.ms)} (CPU ${ms(r.parallelFloor.cpuMs)}), ${r.parallelFloor.textsByThread.join(' + ')} texts parsing ${r.parallelFloor.msByThread.map(ms).join(' + ')}, in another fresh process: ${r.parallelFloor.speedup.toFixed(2)}x as fast as on one`,
          ] as [string, string],
        ]
      : []),
    [
      '  the files whole',
      `${ms(r.wholeFloor.ms)} (CPU ${ms(r.wholeFloor.cpuMs)}), single-threaded, in a third fresh process: the same files parsed with nothing left out (the check's parse reads ${(100 * r.wholeFloor.parsedShare).toFixed(0)}% of their characters); not the targets' floor`,
    ],
    [
      'ratio check/floor',
      `${r.ratio.toFixed(2)}x (CPU time: ${r.cpuRatio.toFixed(2)}x)${r.parallelFloor ? `; to the floor on ${r.parallelFloor.threads} threads: ${r.parallelFloor.ratio.toFixed(2)}x` : ''}; to the files parsed whole: ${r.wholeFloor.ratio.toFixed(2)}x`,
    ],
    [`target: check < ${r.targets.checkUnderMs.target / 1000} s`, pass(r.targets.checkUnderMs.pass)],
    [`target: ratio <= ${r.targets.ratioWithin.target}x`, pass(r.targets.ratioWithin.pass)],
    ['machine', `node ${r.node}, ${r.cpus} CPUs, load average ${r.loadAverage.join(' -> ')}`],
  ];
  return formatRows(rows);
}

function formatRows(rows: [string, string][]): string {
  const width = Math.max(24, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

// The CLI's V8 settings, for the check and for the floor's process alike.
tuneRuntime();
if (isFloorWorker()) void floorWorker();
else main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`bench: ${(e as Error).stack ?? e}`);
    process.exitCode = 2;
  },
);

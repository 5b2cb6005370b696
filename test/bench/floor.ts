/**
 * The floor: the texts a check parsed, parsed again and nothing else, each
 * tree `delete()`d at once. Measured first thing in a fresh process, after
 * loading the grammars (which the check does not count either): parsing in a
 * process that has parsed before is faster (WebAssembly code tiers up, the
 * heap has grown), so a floor taken after the check in the same process would
 * be compared in a warmer state than the check ran in.
 *
 * On one thread (`floorProcess(file, 1)`), the texts one after the other, as
 * the project's target defines the floor. With `whole`, the texts whole, on
 * one thread: what merely parsing the files the checker needed would take
 * without leaving out what it never reads (reported beside the floor, not
 * compared with the targets). On several threads, the texts split
 * between them beforehand by what tree-sitter reads of them (`parsedLength`),
 * weighed by the time a character of their language took on one thread when
 * that is known, longest first to the thread with the least
 * (`splitByLength`): about the least time any checker that parses these texts on
 * that many threads must spend on this machine, whose cores may not add up
 * (two cores busy at once are each slower than one alone when they share
 * caches, memory bandwidth or a host's hardware threads).
 */
import * as fs from 'fs';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { parseInputOf, parseTextOf } from '../../server/src/index/extract';
import type { ParseRecord } from '../../server/src/index/workspace-index';
import { LanguageId, Parsers } from '../../server/src/parsing/parsers';

/** A text the checker parsed (`parsedText` of its parse record), as the floor parses it again. */
export type ParsedText = Extract<ParseRecord, { text: string }>;

export interface FloorResult {
  threads: number;
  /** Wall time from the first parse started to the last one ended. */
  ms: number;
  /** CPU time of the process (all its threads) meanwhile. */
  cpuMs: number;
  /** Time spent parsing each language, summed over the threads. */
  byLanguage: Record<LanguageId, number>;
  /** Characters tree-sitter read (`parsedLength`) per language. */
  charsByLanguage: Record<LanguageId, number>;
  /** Texts parsed by each thread. */
  textsByThread: number[];
  /** Time each thread spent parsing. */
  msByThread: number[];
}

/** What a floor worker thread is given. */
interface FloorWorkerData {
  floorWorker: true;
  /** The JSON file of `ParsedText`s. */
  file: string;
  /** Indexes of the texts this thread parses. */
  share: number[];
}

/**
 * Splits items of the given lengths into `parts` lists of indexes with about
 * the same total length: longest first, each to the list with the least so far
 * (the first such list on a tie). Every index is in exactly one list, in the
 * order it was placed.
 */
export function splitByLength(lengths: readonly number[], parts: number): number[][] {
  const n = Math.max(1, Math.floor(parts));
  const shares: number[][] = Array.from({ length: n }, () => []);
  const totals = new Array<number>(n).fill(0);
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  for (const i of order) {
    let least = 0;
    for (let k = 1; k < n; k++) if (totals[k] < totals[least]) least = k;
    shares[least].push(i);
    totals[least] += lengths[i];
  }
  return shares;
}

/** A full garbage collection, when the process runs with `--expose-gc`. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** User + system CPU time, in ms. */
export function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function readLog(file: string): ParsedText[] {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ParsedText[];
}

/**
 * The parse inputs of the given texts, as the checker computed them (not
 * timed: the floor is the parse alone); `whole`: the texts whole, nothing
 * skipped, as a checker that does not skip what it never reads would parse them.
 */
function inputsOf(log: readonly ParsedText[], share?: readonly number[], whole = false) {
  return (share ?? log.map((_, i) => i)).map((i) => {
    const { language, text } = log[i];
    return { language, input: whole ? { parseText: parseTextOf(text), skip: [] as const } : parseInputOf(language, text) };
  });
}

/** What tree-sitter reads of an input: its text but for the spans the parse skips (a generated dispatcher is mostly skipped). */
export function parsedLength(input: { parseText: string; skip: readonly (readonly [number, number])[] }): number {
  return input.skip.reduce((n, [start, end]) => n - (end - start), input.parseText.length);
}

/** Parses every input, one after the other; time per language. */
function parseAll(parsers: Parsers, inputs: ReturnType<typeof inputsOf>): Record<LanguageId, number> {
  const byLanguage = { rust: 0, python: 0, toml: 0 };
  for (const { language, input } of inputs) {
    const started = performance.now();
    parsers.parse(language, input.parseText, undefined, input.skip).delete();
    byLanguage[language] += performance.now() - started;
  }
  return byLanguage;
}

/**
 * Time per character read of each language, from a floor's figures (for
 * `floorProcess`'s split); undefined for a language it did not parse.
 */
export function msPerChar(floor: Pick<FloorResult, 'byLanguage' | 'charsByLanguage'>): Partial<Record<LanguageId, number>> {
  const weights: Partial<Record<LanguageId, number>> = {};
  for (const l of Object.keys(floor.byLanguage) as LanguageId[]) {
    if (floor.charsByLanguage[l] > 0) weights[l] = floor.byLanguage[l] / floor.charsByLanguage[l];
  }
  return weights;
}

/**
 * The texts' indexes each of `threads` threads parses: split by what the parse
 * reads of them (`parsedLength`) times their language's weight (`msPerChar`;
 * a language without one weighs as the mean of the others, or 1).
 */
export function shareTexts(log: readonly ParsedText[], threads: number, weights: Partial<Record<LanguageId, number>> = {}): number[][] {
  return shareInputs(inputsOf(log), threads, weights);
}

function shareInputs(inputs: ReturnType<typeof inputsOf>, threads: number, weights: Partial<Record<LanguageId, number>>): number[][] {
  const known = Object.values(weights).filter((w): w is number => typeof w === 'number' && w > 0);
  const fallback = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  return splitByLength(
    inputs.map(({ language, input }) => parsedLength(input) * (weights[language] ?? fallback)),
    threads,
  );
}

/**
 * The floor of the texts in `file` (JSON of `ParsedText`s) on `threads`
 * threads (1: this one), in this process, which should be fresh. `weights`:
 * time per character of each language (`msPerChar`), for the split between
 * threads (`shareTexts`).
 */
export async function floorProcess(file: string, threads = 1, weights: Partial<Record<LanguageId, number>> = {}, whole = false): Promise<FloorResult> {
  const charsByLanguage = { rust: 0, python: 0, toml: 0 };
  if (threads <= 1) {
    const inputs = inputsOf(readLog(file), undefined, whole);
    for (const { language, input } of inputs) charsByLanguage[language] += parsedLength(input);
    const parsers = await Parsers.load();
    gc();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const byLanguage = parseAll(parsers, inputs);
    const ms = performance.now() - t;
    return { threads: 1, ms, cpuMs: cpuMs(process.cpuUsage(cpu)), byLanguage, charsByLanguage, textsByThread: [inputs.length], msByThread: [ms] };
  }
  if (whole) throw new Error('the floor of the texts whole is taken on one thread only');
  const inputs = inputsOf(readLog(file));
  for (const { language, input } of inputs) charsByLanguage[language] += parsedLength(input);
  const shares = shareInputs(inputs, threads, weights);
  const workers = shares.map((share) => startFloorWorker({ floorWorker: true, file, share }));
  try {
    // Every thread has its grammars loaded and its inputs ready before the clock starts.
    await Promise.all(workers.map((w) => nextMessage(w)));
    gc();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const done = workers.map((w) => nextMessage(w) as Promise<{ byLanguage: Record<LanguageId, number>; ms: number }>);
    for (const w of workers) w.postMessage('go');
    const parts = await Promise.all(done);
    const ms = performance.now() - t;
    const cpu1 = cpuMs(process.cpuUsage(cpu));
    const byLanguage = { rust: 0, python: 0, toml: 0 };
    for (const part of parts) for (const l of Object.keys(byLanguage) as LanguageId[]) byLanguage[l] += part.byLanguage[l];
    return { threads: workers.length, ms, cpuMs: cpu1, byLanguage, charsByLanguage, textsByThread: shares.map((s) => s.length), msByThread: parts.map((p) => p.ms) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    const onExit = (code: number) => reject(new Error(`a floor thread exited with code ${code}`));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', (m) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(m);
    });
  });
}

/** A thread running `floorWorker`: this file's bundle (the benchmark's), or this source through tsx (the tests). */
function startFloorWorker(data: FloorWorkerData): Worker {
  if (__filename.endsWith('.ts')) {
    const resolve = require.resolve;
    const source = `require(${JSON.stringify(resolve('tsx/cjs'))}); require(${JSON.stringify(__filename)}).floorWorker(require('worker_threads').workerData);`;
    return new Worker(source, { eval: true, workerData: data });
  }
  return new Worker(__filename, { workerData: data });
}

/** Whether this thread was started as a floor thread (the bundle's entry then runs `floorWorker` instead of its main). */
export function isFloorWorker(): boolean {
  return !isMainThread && (workerData as Partial<FloorWorkerData> | undefined)?.floorWorker === true;
}

/** A floor thread: gets ready, then parses its share on 'go' and answers with its time, in all and per language. */
export async function floorWorker(data: FloorWorkerData = workerData as FloorWorkerData): Promise<void> {
  const inputs = inputsOf(readLog(data.file), data.share);
  const parsers = await Parsers.load();
  gc();
  parentPort!.once('message', () => {
    const t = performance.now();
    const byLanguage = parseAll(parsers, inputs);
    parentPort!.postMessage({ byLanguage, ms: performance.now() - t });
  });
  parentPort!.postMessage('ready');
}

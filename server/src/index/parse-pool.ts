import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { Worker } from 'worker_threads';
import type { FileFacts } from '../facts/types';
import type { LanguageId } from '../parsing/parsers';
import type { DiskFileRef, DiskRead } from './disk-read';
import { JobMessage, PARSE_WORKER_DATA_ENV, ParseWorkerData, WorkerMessage } from './parse-worker';

/**
 * The parse worker's bundle as text, put in by the build (scripts/build.mjs),
 * so that the CLI's, the server's and the benchmark's bundles each carry it and
 * need no other file in dist/. Undefined when the sources run as they are (tests).
 */
declare const __PARSE_WORKER_SOURCE__: string | undefined;

/** Environment variable: how many parse workers (0: parse on the main thread only). */
export const WORKERS_ENV = 'BINDINGS_CHECKLIST_PARSE_WORKERS';

/**
 * Text (UTF-16 code units) a worker may have queued besides the job it is on,
 * so that it seldom waits for the main thread: that thread hands out jobs only
 * between its own tasks, and taking in the facts of a big file (a generated
 * dispatcher or wrapper) keeps it busy for a few hundred milliseconds.
 */
export const QUEUED_TEXT = 1024 * 1024;

export interface ParseJob {
  language: LanguageId;
  text: string;
}

export interface ParseOutcome {
  facts: FileFacts;
  /** Time the worker spent on the job. */
  ms: number;
}

/** Weight of one Rust file to read (its size is not known before): about the mean size of a source file. */
const READ_FILE_WEIGHT = 4096;

type Task = {
  id: number;
  /** Urgent jobs go first, then the biggest. */
  urgent: boolean;
  /** Text length (UTF-16 code units) the job stands for: biggest first; a worker's load. */
  weight: number;
} & (
  | { kind: 'parse'; job: ParseJob; resolve(outcome: ParseOutcome | undefined): void }
  | { kind: 'read'; files: DiskFileRef[]; resolve(outcome: DiskRead[] | undefined): void }
);

/** A worker as the pool sees it: a thread or a child process. */
interface Endpoint {
  post(message: JobMessage): void;
  /** Whether the worker keeps this process alive. */
  ref(): void;
  unref(): void;
  terminate(): Promise<unknown>;
}

/**
 * Where the workers run. Threads start fastest and hand over facts without a
 * copy through a pipe; child processes give all their memory back to the
 * system when they end (a thread leaves some behind in the process's
 * allocator), which matters for a long-running language server.
 */
export type PoolMode = 'thread' | 'process';

interface Slot {
  worker: Endpoint;
  ready: boolean;
  dead: boolean;
  inFlight: Map<number, Task>;
  /** Text length of the tasks in flight. */
  load: number;
}

/** Workers by default: one per CPU the process may use, at least one; the environment variable overrides it. */
export function defaultPoolSize(): number {
  const env = process.env[WORKERS_ENV];
  if (env !== undefined && env.trim() !== '' && Number.isInteger(Number(env))) return Math.max(0, Number(env));
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, cpus);
}

function workerSource(): string {
  if (typeof __PARSE_WORKER_SOURCE__ === 'string') return __PARSE_WORKER_SOURCE__;
  // Sources run through tsx (the tests): the worker loads the TypeScript entry the same way.
  const ts = path.join(__dirname, 'parse-worker-main.ts');
  if (fs.existsSync(ts)) {
    const resolve = require.resolve;
    return `require(${JSON.stringify(resolve('tsx/cjs'))}); require(${JSON.stringify(ts)});`;
  }
  return `require(${JSON.stringify(path.join(__dirname, 'parse-worker-main.js'))});`;
}

/**
 * A few workers (threads or child processes, see `PoolMode`), each with its own
 * grammars, that compute the facts of texts or read Rust files. Jobs go out
 * urgent ones first, then biggest first, each worker taking the next as it
 * frees up; while Rust files wait, Python files go to the first (`nextJobFor`). A worker that
 * cannot start or dies leaves its jobs to the others; with none left, jobs end
 * without facts (the caller then parses them itself). Workers never keep the
 * process alive while idle; `close()` ends them.
 */
export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;
  /** Why workers failed or ended before `close()`, one entry each (a check then parses on its own thread). */
  readonly failures: string[] = [];
  /** Jobs answered with facts, and the workers' time on them. */
  jobsDone = 0;
  workerMs = 0;

  private constructor(grammarsDir: string, size: number, mode: PoolMode) {
    if (size <= 0) return;
    let source: string;
    try {
      source = workerSource();
    } catch {
      return;
    }
    for (let i = 0; i < size; i++) {
      const slot = { ready: false, dead: false, inFlight: new Map(), load: 0 } as Omit<Slot, 'worker'> as Slot;
      const events: WorkerEvents = { message: (m) => this.onMessage(slot, m), gone: (why) => this.retire(slot, why) };
      try {
        slot.worker = mode === 'process' ? startProcess(source, { grammarsDir }, events) : startThread(source, { grammarsDir }, events);
      } catch {
        break;
      }
      slot.worker.unref();
      this.slots.push(slot);
    }
  }

  /**
   * Starts `size` workers (default `defaultPoolSize()`) as threads or child
   * processes; they load the grammars from `grammarsDir` in the background.
   */
  static start(grammarsDir: string, size: number = defaultPoolSize(), mode: PoolMode = 'thread'): ParsePool {
    return new ParsePool(grammarsDir, size, mode);
  }

  /** Jobs not handed out to a worker yet. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Workers alive (starting or ready). */
  get size(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  /** Facts of each job, in order; undefined where no worker could compute them. */
  run(jobs: ParseJob[]): Promise<(ParseOutcome | undefined)[]> {
    const all = jobs.map(
      (job) =>
        new Promise<ParseOutcome | undefined>((resolve) => {
          this.queue.push({ kind: 'parse', id: this.nextId++, urgent: false, weight: job.text.length, job, resolve });
        }),
    );
    this.enqueued();
    return Promise.all(all);
  }

  /**
   * Rust files read, decoded and scanned or parsed by a worker (`readRustFile`),
   * in order; undefined when no worker could read them. `urgent`: before any
   * job queued that is not.
   */
  read(files: DiskFileRef[], urgent = false): Promise<DiskRead[] | undefined> {
    const done = new Promise<DiskRead[] | undefined>((resolve) => {
      this.queue.push({ kind: 'read', id: this.nextId++, urgent, weight: files.length * READ_FILE_WEIGHT, files, resolve });
    });
    this.enqueued();
    return done;
  }

  private enqueued(): void {
    // Urgent, then biggest first over everything queued (a run may join another's queue).
    this.queue.sort((a, b) => Number(b.urgent) - Number(a.urgent) || b.weight - a.weight);
    this.dispatch();
  }

  /** Ends the workers; jobs not answered yet end without facts. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.filter((s) => !s.dead);
    for (const s of slots) this.retire(s);
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  /**
   * Hands every queued job out now, however much the workers then hold (the
   * least loaded taking the next, as always): for when this thread is about
   * to be busy a while and could not hand out more as answers come.
   */
  handOutAll(): void {
    this.dispatch(Infinity);
  }

  private dispatch(queuedText = QUEUED_TEXT): void {
    const live = this.slots.filter((s) => !s.dead);
    if (this.closed || !live.length) {
      for (const task of this.queue.splice(0)) task.resolve(undefined);
      return;
    }
    for (;;) {
      // The least loaded worker takes its next job (`nextJobFor`), of those that have not enough queued besides the
      // job they are on (their oldest in flight: a worker answers in order).
      const open = live.filter((s) => queuedBesidesCurrent(s) < queuedText).sort((a, b) => a.load - b.load);
      const slot = open.find((s) => nextJobFor(this.queue, s === live[0]) >= 0);
      if (!slot) return;
      const [task] = this.queue.splice(nextJobFor(this.queue, slot === live[0]), 1);
      slot.inFlight.set(task.id, task);
      slot.load += task.weight;
      if (slot.inFlight.size === 1) slot.worker.ref();
      const message: JobMessage =
        task.kind === 'read'
          ? { kind: 'read', id: task.id, files: task.files }
          : { kind: 'parse', id: task.id, language: task.job.language, text: task.job.text };
      slot.worker.post(message);
    }
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    if (m.type === 'ready') {
      slot.ready = true;
      return;
    }
    if (m.type === 'failed') {
      this.retire(slot, m.error.split('\n')[0]);
      void slot.worker.terminate().catch(() => undefined);
      return;
    }
    const task = slot.inFlight.get(m.id);
    if (!task) return;
    slot.inFlight.delete(m.id);
    slot.load -= task.weight;
    if (!slot.inFlight.size) slot.worker.unref();
    if (m.type === 'done' && task.kind === 'parse') {
      this.jobsDone++;
      this.workerMs += m.ms;
      task.resolve({ facts: m.facts, ms: m.ms });
    } else if (m.type === 'read' && task.kind === 'read') {
      this.jobsDone += m.files.filter((f) => 'facts' in f).length;
      this.workerMs += m.ms;
      task.resolve(m.files);
    } else {
      task.resolve(undefined);
    }
    this.dispatch();
  }

  /** A worker that failed, exited or was closed: its jobs go back to the queue. */
  private retire(slot: Slot, why?: string): void {
    if (slot.dead) return;
    slot.dead = true;
    if (!this.closed) this.failures.push(why ?? 'it ended');
    const tasks = [...slot.inFlight.values()];
    slot.inFlight.clear();
    slot.load = 0;
    slot.worker.unref();
    this.queue.unshift(...tasks);
    this.enqueued();
  }
}

/** What `nextJobFor` needs to know of a queued job. */
export interface QueuedJob {
  kind: 'parse' | 'read';
  urgent: boolean;
  job?: { language: LanguageId };
}

/**
 * The index in `queue` (urgent jobs first, then biggest first) of the job a
 * worker takes next, or -1 for none. The first worker takes the next job, as
 * ever; the others take a Python file only when no Rust files wait to be
 * read. So the big Python files (a generated dispatcher or wrapper, which go
 * out first of all) are read by the first worker alone, whose thread alone
 * then compiles the code they run most (each thread compiles the code it
 * runs, and those compiles compete with the parsing for the cores); the many
 * small ones (tests), which sort after the Rust files, are shared at the end,
 * while the main thread works out the layout and the Rust part of the chains.
 */
export function nextJobFor(queue: readonly QueuedJob[], firstWorker: boolean): number {
  if (!queue.length) return -1;
  if (firstWorker || queue[0].urgent) return 0;
  const python = (t: QueuedJob) => t.kind === 'parse' && t.job?.language === 'python';
  return queue.some((t) => t.kind === 'read') ? queue.findIndex((t) => !python(t)) : 0;
}

/** Text a worker has queued besides the job it is on (its oldest in flight: a worker answers in order). */
function queuedBesidesCurrent(slot: Slot): number {
  const current = slot.inFlight.values().next().value as Task | undefined;
  return current ? slot.load - current.weight : 0;
}

interface WorkerEvents {
  message(m: WorkerMessage): void;
  /** The worker failed or ended, and why. */
  gone(why: string): void;
}

const exitReason = (code: number | null, signal?: NodeJS.Signals | null) => (signal ? `it was ended by ${signal}` : `it exited with code ${code}`);

function startThread(source: string, data: ParseWorkerData, events: WorkerEvents): Endpoint {
  const worker = new Worker(source, { eval: true, workerData: data, stdout: false, stderr: false });
  worker.on('message', events.message);
  worker.on('error', (e) => events.gone(String(e?.message ?? e).split('\n')[0]));
  worker.on('exit', (code) => events.gone(exitReason(code)));
  return {
    post: (m) => worker.postMessage(m),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: () => worker.terminate(),
  };
}

/** The worker's source runs in a child process of this Node.js (`node -` reads it from standard input), with structured-clone messages. */
function startProcess(source: string, data: ParseWorkerData, events: WorkerEvents): Endpoint {
  const child = spawn(process.execPath, ['-'], {
    stdio: ['pipe', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
    // Under an editor built on Electron, `process.execPath` is Electron: run it as Node.js.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', [PARSE_WORKER_DATA_ENV]: JSON.stringify(data) },
  });
  child.on('message', (m) => events.message(m as WorkerMessage));
  child.on('error', (e) => events.gone(e.message));
  child.on('exit', (code, signal) => events.gone(exitReason(code, signal)));
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(source);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    post: (m) => {
      if (child.connected) child.send(m);
    },
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
    terminate: () => {
      // Held until it is gone, so that whoever waits for it is told.
      child.ref();
      child.kill();
      return exited;
    },
  };
}

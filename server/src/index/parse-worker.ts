/**
 * The parse pool's worker thread: loads its own grammars, then answers each
 * job with the facts of its text, or reads Rust files from disk and answers
 * with what the index needs of them (`readRustFile`). Bundled on its own (see
 * scripts/build.mjs) and started from that bundle's source, so it needs no
 * file next to the CLI's or the server's bundle.
 */
import { parentPort, workerData } from 'worker_threads';
import type { FileFacts } from '../facts/types';
import { LanguageId, Parsers } from '../parsing/parsers';
import { DiskFileRef, DiskRead, readRustFile } from './disk-read';
import { extractFacts, parseInputOf } from './extract';

export interface ParseJobMessage {
  kind: 'parse';
  id: number;
  language: LanguageId;
  /** The file's (projected) text; `parseInputOf` runs here. */
  text: string;
}

/** Rust files to read from disk and scan or parse (`readRustFile`). */
export interface ReadJobMessage {
  kind: 'read';
  id: number;
  files: DiskFileRef[];
}

export type JobMessage = ParseJobMessage | ReadJobMessage;

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'done'; id: number; facts: FileFacts; ms: number }
  | { type: 'read'; id: number; files: DiskRead[]; ms: number }
  | { type: 'error'; id: number; error: string };

export interface ParseWorkerData {
  grammarsDir: string;
}

/** Environment variable that gives a parse worker started as a child process its `ParseWorkerData` (JSON). */
export const PARSE_WORKER_DATA_ENV = 'BINDINGS_CHECKLIST_PARSE_WORKER';

/** Runs the worker in a worker thread, or in a child process with an IPC channel (see `ParsePool`). */
export function runParseWorker(): void {
  const thread = parentPort;
  let data: ParseWorkerData;
  let post: (m: WorkerMessage) => void;
  let listen: (handle: (job: JobMessage) => void) => void;
  if (thread) {
    data = workerData as ParseWorkerData;
    post = (m) => thread.postMessage(m);
    listen = (handle) => thread.on('message', handle);
  } else if (process.send && process.env[PARSE_WORKER_DATA_ENV]) {
    data = JSON.parse(process.env[PARSE_WORKER_DATA_ENV]!) as ParseWorkerData;
    post = (m) => process.send!(m);
    listen = (handle) => process.on('message', (m) => handle(m as JobMessage));
    // The pool is gone: nothing more will come.
    process.on('disconnect', () => process.exit(0));
  } else {
    throw new Error('the parse worker must run in a worker thread or a child process of the parse pool');
  }
  const { grammarsDir } = data;
  const queue: JobMessage[] = [];
  let parsers: Parsers | undefined;
  const work = () => {
    for (let job = queue.shift(); job && parsers; job = queue.shift()) {
      const started = performance.now();
      try {
        if (job.kind === 'read') {
          const files = job.files.map((ref) => readRustFile(parsers!, ref));
          post({ type: 'read', id: job.id, files, ms: performance.now() - started });
          continue;
        }
        const input = parseInputOf(job.language, job.text);
        const facts = extractFacts(parsers, job.language, input);
        post({ type: 'done', id: job.id, facts, ms: performance.now() - started });
      } catch (e) {
        post({ type: 'error', id: job.id, error: String((e as Error).stack ?? e) });
      }
    }
  };
  listen((job) => {
    queue.push(job);
    if (parsers) work();
  });
  Parsers.load(grammarsDir).then(
    (loaded) => {
      parsers = loaded;
      post({ type: 'ready' });
      work();
    },
    (e) => post({ type: 'failed', error: String((e as Error).stack ?? e) }),
  );
}

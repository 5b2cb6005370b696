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
import { extractFacts, parseInputOf, parseRecordOf } from './extract';
import type { ParseRecord } from './workspace-index';

export interface ParseJobMessage {
  kind: 'parse';
  id: number;
  language: LanguageId;
  /** The file's (projected) text; `parseInputOf` runs here. */
  text: string;
  /** Send what was parsed back (the index records it for the benchmark's floor). */
  keepParsed: boolean;
}

/** Rust files to read from disk and scan or parse (`readRustFile`). */
export interface ReadJobMessage {
  kind: 'read';
  id: number;
  files: DiskFileRef[];
  keepParsed: boolean;
}

export type JobMessage = ParseJobMessage | ReadJobMessage;

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'done'; id: number; facts: FileFacts; parsed?: ParseRecord; ms: number }
  | { type: 'read'; id: number; files: DiskRead[]; ms: number }
  | { type: 'error'; id: number; error: string };

export interface ParseWorkerData {
  grammarsDir: string;
}

export function runParseWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('the parse worker must run in a worker thread');
  const { grammarsDir } = workerData as ParseWorkerData;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const queue: JobMessage[] = [];
  let parsers: Parsers | undefined;
  const work = () => {
    for (let job = queue.shift(); job && parsers; job = queue.shift()) {
      const started = performance.now();
      try {
        if (job.kind === 'read') {
          const files = job.files.map((ref) => readRustFile(parsers!, ref, job!.keepParsed));
          post({ type: 'read', id: job.id, files, ms: performance.now() - started });
          continue;
        }
        const input = parseInputOf(job.language, job.text);
        const facts = extractFacts(parsers, job.language, input);
        const parsed = job.keepParsed ? parseRecordOf(job.language, input) : undefined;
        post({ type: 'done', id: job.id, facts, parsed, ms: performance.now() - started });
      } catch (e) {
        post({ type: 'error', id: job.id, error: String((e as Error).stack ?? e) });
      }
    }
  };
  port.on('message', (job: JobMessage) => {
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

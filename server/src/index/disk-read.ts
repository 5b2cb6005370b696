import * as fs from 'fs';
import type { FileFacts, ModDecl } from '../facts/types';
import type { Parsers } from '../parsing/parsers';
import { extractFacts, parseInputOf } from './extract';
import { mayHoldBindings, scanModDeclarations } from './mod-scan';
import { decodeFile, digestOf, isSkipped, MAX_FILE_BYTES, ReleasedText } from './source';
import type { ParseRecord } from './workspace-index';

/** A Rust file to read: workspace-relative and absolute. */
export interface DiskFileRef {
  rel: string;
  absolute: string;
}

/** A Rust file read off the main thread: everything the checks ask of it, without its text (see `WorkspaceIndex.setRead`). */
export type RustFileRead = { rel: string; released: ReleasedText; readonlyReason?: string } & (
  /** Cannot hold bindings: its `mod` lines are all the checks read. */
  | { mods: ModDecl[] }
  /** May hold bindings: its facts. */
  | { facts: FileFacts }
);

export type DiskRead =
  | RustFileRead
  /** Not indexed (`decodeFile`'s reason, or why it could not be read). */
  | { rel: string; skipped: string }
  /** Reading its facts failed there: the main thread reads the file itself. */
  | { rel: string; failed: string };

/** One buffer the files are read into, one after the other (grown when a file does not fit). */
let readBuffer = new Uint8Array(256 * 1024);

/** A file's bytes, in `readBuffer` (valid until the next call); up to one byte more than MAX_FILE_BYTES. */
function readIntoBuffer(absolute: string): Uint8Array {
  const fd = fs.openSync(absolute, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === readBuffer.length) {
        if (length > MAX_FILE_BYTES) break;
        const bigger = new Uint8Array(readBuffer.length * 2);
        bigger.set(readBuffer.subarray(0, length));
        readBuffer = bigger;
      }
      const n = fs.readSync(fd, readBuffer, length, readBuffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return readBuffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The text of a parse record (`WorkspaceIndex.parseLog`): its own, or its
 * file's read and decoded as a parse worker reads it. Throws when the file
 * can no longer be read as text.
 */
export function parsedText(record: ParseRecord): string {
  if ('text' in record) return record.text;
  const decoded = decodeFile(record.file, readIntoBuffer(record.file));
  if (isSkipped(decoded)) throw new Error(`${record.file}: ${decoded.reason}`);
  return decoded.text;
}

/** Reads, decodes and scans or parses one Rust file, as the index would on the main thread. */
export function readRustFile(parsers: Parsers, ref: DiskFileRef): DiskRead {
  const { rel } = ref;
  let bytes: Uint8Array;
  try {
    bytes = readIntoBuffer(ref.absolute);
  } catch (e) {
    return { rel, skipped: `skipped: ${(e as Error).message}` };
  }
  const decoded = decodeFile(rel, bytes);
  if (isSkipped(decoded)) return { rel, skipped: decoded.reason };
  const { text, readonlyReason } = decoded;
  const released = { length: text.length, digest: digestOf(text) };
  if (!mayHoldBindings(text)) return { rel, released, readonlyReason, mods: scanModDeclarations(text) };
  try {
    const input = parseInputOf('rust', text);
    const facts = extractFacts(parsers, 'rust', input);
    return { rel, released, readonlyReason, facts };
  } catch (e) {
    return { rel, failed: String((e as Error).stack ?? e) };
  }
}

import * as fs from 'fs';
import type { FileFacts, ModDecl } from '../facts/types';
import type { Parsers } from '../parsing/parsers';
import { extractFacts, parseInputOf, parseRecordOf } from './extract';
import { mayHoldBindings, scanModDeclarations } from './mod-scan';
import { decodeFile, digestOf, isSkipped, ReleasedText } from './source';
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
  /** May hold bindings: its facts (and, when asked for, what was parsed). */
  | { facts: FileFacts; parsed?: ParseRecord }
);

export type DiskRead =
  | RustFileRead
  /** Not indexed (`decodeFile`'s reason, or why it could not be read). */
  | { rel: string; skipped: string }
  /** Reading its facts failed there: the main thread reads the file itself. */
  | { rel: string; failed: string };

/** Reads, decodes and scans or parses one Rust file, as the index would on the main thread. */
export function readRustFile(parsers: Parsers, ref: DiskFileRef, keepParsed: boolean): DiskRead {
  const { rel } = ref;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(ref.absolute);
  } catch (e) {
    return { rel, skipped: `skipped: ${(e as Error).message}` };
  }
  const decoded = decodeFile(rel, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (isSkipped(decoded)) return { rel, skipped: decoded.reason };
  const { text, readonlyReason } = decoded;
  const released = { length: text.length, digest: digestOf(text) };
  if (!mayHoldBindings(text)) return { rel, released, readonlyReason, mods: scanModDeclarations(text) };
  try {
    const input = parseInputOf('rust', text);
    const facts = extractFacts(parsers, 'rust', input);
    return { rel, released, readonlyReason, facts, parsed: keepParsed ? parseRecordOf('rust', input) : undefined };
  } catch (e) {
    return { rel, failed: String((e as Error).stack ?? e) };
  }
}

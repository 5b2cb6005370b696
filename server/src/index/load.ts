import * as fs from 'fs';
import * as path from 'path';
import type { Parsers } from '../parsing/parsers';
import { discoverFiles } from './discover';
import { decodeFile, isSkipped, SkippedFile, SourceFile } from './source';
import { WorkspaceIndex } from './workspace-index';

/** Files read between two turns of the event loop when reading asynchronously (`loadWorkspacePrepared`). */
export const YIELD_EVERY = 200;

/** Every candidate file under root, read and decoded, or why it was skipped; in path order. */
export function* readWorkspaceFiles(root: string, exclude: string[]): Generator<SourceFile | SkippedFile> {
  for (const rel of discoverFiles(root, { exclude })) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(root, rel));
    } catch (e) {
      yield { path: rel, reason: `skipped: ${(e as Error).message}` };
      continue;
    }
    yield decodeFile(rel, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
}

/** Reads every candidate file under root into a fresh index. */
export function loadWorkspace(root: string, parsers: Parsers, exclude: string[]): { index: WorkspaceIndex; skipped: SkippedFile[] } {
  const index = new WorkspaceIndex(parsers);
  const skipped: SkippedFile[] = [];
  for (const file of readWorkspaceFiles(root, exclude)) {
    if (isSkipped(file)) skipped.push(file);
    else index.set(file);
  }
  return { index, skipped };
}

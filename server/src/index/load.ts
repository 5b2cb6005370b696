import * as fs from 'fs';
import * as path from 'path';
import type { Parsers } from '../parsing/parsers';
import { discoverFiles } from './discover';
import { decodeFile, isSkipped, SkippedFile, SourceFile } from './source';
import { WorkspaceIndex } from './workspace-index';

/**
 * One file under root, read and decoded, or why it was skipped. `releasable`:
 * the file may let go of its text and read it back (`SourceFile.release`).
 */
export function readSourceFile(root: string, rel: string, releasable = false): SourceFile | SkippedFile {
  const absolute = path.join(root, rel);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absolute);
  } catch (e) {
    return { path: rel, reason: `skipped: ${(e as Error).message}` };
  }
  return decodeFile(rel, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), releasable ? absolute : undefined);
}

/** Every candidate file under root, read and decoded, or why it was skipped; in path order. */
export function* readWorkspaceFiles(root: string, exclude: string[]): Generator<SourceFile | SkippedFile> {
  for (const rel of discoverFiles(root, { exclude })) yield readSourceFile(root, rel);
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

import * as fs from 'fs';
import * as path from 'path';
import type { Parsers } from '../parsing/parsers';
import { discoverFiles } from './discover';
import { decodeFile, isSkipped, SkippedFile } from './source';
import { WorkspaceIndex } from './workspace-index';

/** Reads every candidate file under root into a fresh index. */
export function loadWorkspace(root: string, parsers: Parsers, exclude: string[]): { index: WorkspaceIndex; skipped: SkippedFile[] } {
  const index = new WorkspaceIndex(parsers);
  const skipped: SkippedFile[] = [];
  for (const rel of discoverFiles(root, { exclude })) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(root, rel));
    } catch (e) {
      skipped.push({ path: rel, reason: `skipped: ${(e as Error).message}` });
      continue;
    }
    const decoded = decodeFile(rel, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (isSkipped(decoded)) skipped.push(decoded);
    else index.set(decoded);
  }
  return { index, skipped };
}

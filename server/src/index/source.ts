import { LanguageId } from '../parsing/parsers';
import { LineIndex } from '../parsing/text';
import { isTemplatePath, stripTemplateExtension } from '../parsing/template';

/** Files above this size are not checked (a generated file, a data dump). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface SourceFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  text: string;
  /** Document version for open editor buffers; null for files read from disk. */
  version: number | null;
  language: LanguageId;
  template: boolean;
  /** Why fixes must not edit this file (not UTF-8, ...), if so. */
  readonlyReason?: string;
  lines(): LineIndex;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export function languageOf(filePath: string): LanguageId | undefined {
  const name = stripTemplateExtension(filePath).toLowerCase();
  if (name.endsWith('.rs')) return 'rust';
  if (name.endsWith('.py') || name.endsWith('.pyi')) return 'python';
  if (name.endsWith('.toml')) return 'toml';
  return undefined;
}

export function makeSourceFile(path: string, text: string, version: number | null = null, readonlyReason?: string): SourceFile | undefined {
  const language = languageOf(path);
  if (!language) return undefined;
  let lines: LineIndex | undefined;
  return {
    path,
    text,
    version,
    language,
    template: isTemplatePath(path),
    readonlyReason,
    lines: () => (lines ??= new LineIndex(text)),
  };
}

/**
 * Decodes file bytes: UTF-8 (a BOM is kept in the text), or, for anything
 * else, Latin-1 so that positions stay meaningful while fixes stay off the
 * file. Binary and oversized files are skipped with a reason.
 */
export function decodeFile(path: string, bytes: Uint8Array): SourceFile | SkippedFile {
  if (bytes.length > MAX_FILE_BYTES) return { path, reason: `skipped: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { path, reason: 'skipped: binary file' };
  let text: string;
  let readonlyReason: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('latin1').decode(bytes);
    readonlyReason = 'not valid UTF-8: checked as Latin-1, never edited';
  }
  return makeSourceFile(path, text, null, readonlyReason) ?? { path, reason: 'skipped: not a Rust, Python or TOML file' };
}

export function isSkipped(x: SourceFile | SkippedFile): x is SkippedFile {
  return 'reason' in x;
}

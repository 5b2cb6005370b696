import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
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
  /**
   * Files read from disk only (`decodeFile` with `origin`): lets go of the
   * text until it is asked for again, when it is read back from disk and must
   * be the text let go, or `text` throws `StaleFileError`. `readBack` is
   * called when it was read back. False when there was nothing to let go.
   */
  release?(readBack?: () => void): boolean;
  /** False while the text is let go (see `release`). */
  readonly holdsText?: boolean;
}

/**
 * A file's text was let go (`SourceFile.release`) and the file no longer holds
 * that text on disk: whatever is being computed from the index mixes old and
 * new text, and must start over with the file read again.
 */
export class StaleFileError extends Error {
  constructor(readonly path: string, why: string) {
    super(`${path} ${why} since it was read`);
    this.name = 'StaleFileError';
  }
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

/** Node.js's one-shot hash (from 20.12), where there is one: no hash object per file. */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;

export function digestOf(text: string): string {
  return oneShotHash ? oneShotHash('sha1', text, 'base64') : nodeCrypto.createHash('sha1').update(text).digest('base64');
}

/** What is kept of a text let go: enough to tell the text read back for the same. */
export interface ReleasedText {
  length: number;
  /** `digestOf` the text. */
  digest: string;
}

/**
 * A file read and decoded elsewhere (a parse worker), held from the start
 * without its text (see `SourceFile.release`); `readBack` is called when the
 * text is read back from `origin`.
 */
export function releasedDiskFile(
  path: string,
  language: LanguageId,
  readonlyReason: string | undefined,
  origin: string,
  released: ReleasedText,
  readBack?: () => void,
): SourceFile {
  const file = new DiskFile(path, undefined, language, readonlyReason, origin);
  file.setReleased(released, readBack);
  return file;
}

/** A file read from disk that can let go of its text and read it back (see `SourceFile.release`). */
class DiskFile implements SourceFile {
  readonly version = null;
  readonly template: boolean;
  private body: string | undefined;
  private lineIndex?: LineIndex;
  /** Length and SHA-1 of the text, once it was let go. */
  private length = 0;
  private digest?: string;
  private readBackListener?: () => void;

  constructor(
    readonly path: string,
    text: string | undefined,
    readonly language: LanguageId,
    readonly readonlyReason: string | undefined,
    /** Where the text is read back from. */
    private readonly origin: string,
  ) {
    this.body = text;
    this.template = isTemplatePath(path);
  }

  get text(): string {
    if (this.body === undefined) {
      this.body = this.readBack();
      const listener = this.readBackListener;
      this.readBackListener = undefined;
      listener?.();
    }
    return this.body;
  }

  get holdsText(): boolean {
    return this.body !== undefined;
  }

  lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  release(readBack?: () => void): boolean {
    if (this.body === undefined) return false;
    this.setReleased({ length: this.body.length, digest: this.digest ?? digestOf(this.body) }, readBack);
    return true;
  }

  /** Holds the file without its text from now on (see `releasedDiskFile`). */
  setReleased(released: ReleasedText, readBack?: () => void): void {
    this.length = released.length;
    this.digest = released.digest;
    this.body = undefined;
    this.lineIndex = undefined;
    this.readBackListener = readBack;
  }

  private readBack(): string {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.origin);
    } catch {
      throw new StaleFileError(this.path, 'is gone');
    }
    const decoded = decodeFile(this.path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (isSkipped(decoded) || decoded.readonlyReason !== this.readonlyReason || decoded.text.length !== this.length || digestOf(decoded.text) !== this.digest) {
      throw new StaleFileError(this.path, 'changed on disk');
    }
    return decoded.text;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LATIN1 = new TextDecoder('latin1');

/**
 * Decodes file bytes: UTF-8 (a BOM is kept in the text), or, for anything
 * else, Latin-1 so that positions stay meaningful while fixes stay off the
 * file. Binary and oversized files are skipped with a reason. With `origin`
 * (the file's absolute path) the file can let go of its text and read it
 * back from there (`SourceFile.release`).
 */
export function decodeFile(path: string, bytes: Uint8Array, origin?: string): SourceFile | SkippedFile {
  if (bytes.length > MAX_FILE_BYTES) return { path, reason: `skipped: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { path, reason: 'skipped: binary file' };
  let text: string;
  let readonlyReason: string | undefined;
  try {
    text = UTF8.decode(bytes);
  } catch {
    text = LATIN1.decode(bytes);
    readonlyReason = 'not valid UTF-8: checked as Latin-1, never edited';
  }
  const language = languageOf(path);
  if (!language) return { path, reason: 'skipped: not a Rust, Python or TOML file' };
  return origin === undefined ? makeSourceFile(path, text, null, readonlyReason)! : new DiskFile(path, text, language, readonlyReason, origin);
}

export function isSkipped(x: SourceFile | SkippedFile): x is SkippedFile {
  return 'reason' in x;
}

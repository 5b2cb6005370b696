/**
 * The edge between engine offsets and LSP positions. Every conversion goes
 * through LineIndex (UTF-16 offsets = LSP characters, CRLF as one break).
 */
import { CreateFile, Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { Span } from '../facts/types';
import { LineIndex } from '../parsing/text';

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function toSpan(lines: LineIndex, range: Range): Span {
  return { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
}

/**
 * The smallest single edit turning `before` into `after`: common prefix and
 * suffix kept, the middle replaced. Never splits a surrogate pair or a CRLF.
 */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Do not cut between the halves of a surrogate pair or of a CRLF.
  while (prefix > 0 && splits(before, prefix)) prefix--;
  while (suffix > 0 && splits(before, before.length - suffix)) suffix--;
  const lines = new LineIndex(before);
  return {
    range: { start: lines.positionAt(prefix), end: lines.positionAt(before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}

function splits(text: string, offset: number): boolean {
  const prev = text.charCodeAt(offset - 1);
  const next = text.charCodeAt(offset);
  return (prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) || (prev === 13 && next === 10);
}

export interface FileChange {
  uri: string;
  before: string;
  after: string;
  /** The file does not exist yet. */
  create?: boolean;
  /** The open document's version; null for files not open. */
  version: number | null;
}

/**
 * One workspace edit for changes to several files. With `documentChanges`:
 * versioned edits for open documents, plain ones for the rest, and a
 * CreateFile before a new file's content. Without: the `changes` map.
 */
export function toWorkspaceEdit(changes: FileChange[], documentChanges: boolean): WorkspaceEdit {
  if (!documentChanges) {
    const map: Record<string, TextEdit[]> = {};
    for (const c of changes) {
      const edit = minimalEdit(c.before, c.after);
      if (edit) map[c.uri] = [edit];
    }
    return { changes: map };
  }
  const out: (TextDocumentEdit | CreateFile)[] = [];
  for (const c of changes) {
    const edit = minimalEdit(c.before, c.after);
    if (c.create) out.push(CreateFile.create(c.uri, { ignoreIfExists: true }));
    if (edit) out.push(TextDocumentEdit.create({ uri: c.uri, version: c.version }, [edit]));
  }
  return { documentChanges: out };
}

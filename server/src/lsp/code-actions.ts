import * as fs from 'fs';
import * as path from 'path';
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits, editsByFile } from '../fixes/apply';
import { preferredEdits } from '../fixes/fix-all';
import { materialize } from '../fixes/materialize';
import type { TextEdit } from '../fixes/types';
import type { Finding } from '../rules/types';
import { FileChange, toSpan, toWorkspaceEdit } from './convert';
import { DiagnosticData, SOURCE } from './diagnostics';
import { chainOf } from '../engine';
import { FolderState } from './folder-state';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.bindingsChecklist`;

/** What a fix-all action carries until it is resolved. */
export interface FixAllData {
  fixAll: true;
  uri: string;
  version: number | null;
}

export interface ActionOptions {
  /** The client takes `documentChanges` (versioned edits, file creation). */
  documentChanges: boolean;
  /** The client resolves a code action's edit lazily. */
  resolveEdit: boolean;
}

/** Whether an action of `kind` is wanted by `only` (absent: everything). */
export function kindWanted(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
}

/** The current document version of a file, null when it is not open. */
function versionOf(folder: FolderState, rel: string): number | null {
  return folder.open.get(rel)?.version ?? null;
}

export function codeActions(folder: FolderState, rel: string, params: CodeActionParams, options: ActionOptions): CodeAction[] {
  const only = params.context.only;
  const file = folder.index.get(rel);
  const result = folder.check();
  if (!file || !result) return [];
  const version = versionOf(folder, rel);
  const actions: CodeAction[] = [];
  if (kindWanted(only, CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      const finding = currentFinding(folder, rel, diagnostic, version, result.findings);
      if (!finding) continue;
      const chain = chainOf(result, finding);
      if (!chain) continue;
      finding.fixes.forEach((intent, i) => {
        const fix = materialize(intent, chain, folder.index);
        if (!fix) return;
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: i === 0, edit: workspaceEdit(folder, fix.edits, options) });
      });
    }
  }
  const fixable = result.findings.some((f) => f.file === rel && f.rule !== 'incomplete-binding' && f.fixes.length);
  if (fixable && (only ? kindWanted(only, FIX_ALL_KIND) : true)) {
    const data: FixAllData = { fixAll: true, uri: params.textDocument.uri, version };
    const action: CodeAction = { title: 'Fix all bindings-checklist problems in this file', kind: FIX_ALL_KIND, data };
    actions.push(options.resolveEdit ? action : resolveFixAll(folder, rel, action, options));
  }
  return actions;
}

/** The finding a diagnostic stands for in the current result; undefined when the diagnostic is from an older document version. */
function currentFinding(folder: FolderState, rel: string, diagnostic: Diagnostic, version: number | null, findings: Finding[]): Finding | undefined {
  const data = diagnostic.data as DiagnosticData | undefined;
  if (diagnostic.source !== SOURCE || !data || data.version !== version) return undefined;
  const span = toSpan(folder.index.get(rel)!.lines(), diagnostic.range);
  return findings.find((f) => f.file === rel && f.rule === data.rule && f.symbol === data.symbol && f.span.start === span.start && f.span.end === span.end);
}

/** Fills in a fix-all action's edit: every preferred fix of the file's findings, against the current texts. */
export function resolveFixAll(folder: FolderState, rel: string, action: CodeAction, options: ActionOptions): CodeAction {
  const data = action.data as FixAllData;
  const result = folder.check();
  if (!result || data.version !== versionOf(folder, rel)) return action;
  const edits = preferredEdits(result.findings, result, folder.index, (f) => f.file === rel);
  return { ...action, edit: workspaceEdit(folder, edits, options) };
}

/** Engine edits as one workspace edit, versioned for open documents. */
export function workspaceEdit(folder: FolderState, edits: TextEdit[], options: ActionOptions): WorkspaceEdit {
  const changes: FileChange[] = [];
  for (const [rel, fileEdits] of editsByFile(edits)) {
    const before = folder.index.get(rel)?.text ?? '';
    changes.push(fileChange(folder, rel, before, applyEdits(before, fileEdits).text));
  }
  return toWorkspaceEdit(changes, options.documentChanges);
}

export function fileChange(folder: FolderState, rel: string, before: string, after: string): FileChange {
  const create = !folder.index.has(rel) && !fs.existsSync(path.join(folder.root, rel));
  return { uri: folder.uriOf(rel), before, after, create, version: folder.open.get(rel)?.version ?? null };
}

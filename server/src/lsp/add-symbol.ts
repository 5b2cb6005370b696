import type { Connection } from 'vscode-languageserver/node';
import { addBindingSymbol, addSymbolChoices, validatePythonName } from '../fixes/add-symbol';
import { LineIndex } from '../parsing/text';
import { AddSymbolChoicesRequest, AddSymbolRequest, ValidateNameRequest } from '../protocol';
import { fileChange } from './code-actions';
import { toWorkspaceEdit } from './convert';
import type { FolderState } from './folder-state';

interface Folders {
  folders: Map<string, FolderState>;
  folderOf(uri: string): { folder: FolderState; rel: string } | undefined;
  actionOptions(): { documentChanges: boolean };
}

/** The "Add binding symbol" requests: choices, live name validation, and the edit itself. */
export function registerAddSymbol(connection: Connection, server: Folders): void {
  connection.onRequest(AddSymbolChoicesRequest.type, ({ uri }) => {
    const hit = uri ? server.folderOf(uri) : undefined;
    const candidates = hit ? [hit.folder] : [...server.folders.values()];
    for (const folder of candidates) {
      if (folder.state !== 'ready') continue;
      const choices = folder.fresh(() => addSymbolChoices(folder.index, folder.config));
      if (!choices.rustFiles.length) continue;
      const active = hit && choices.rustFiles.includes(hit.rel) ? hit.rel : undefined;
      return { folderUri: folder.uri, ...choices, defaultRustFile: active ?? choices.defaultRustFile };
    }
    return { rustFiles: [], variants: [] };
  });

  connection.onRequest(ValidateNameRequest.type, ({ folderUri, name }) => {
    const folder = server.folders.get(folderUri);
    if (!folder) return { error: 'the workspace folder is gone' };
    return { error: folder.fresh(() => validatePythonName(folder.index, folder.config, name)) };
  });

  connection.onRequest(AddSymbolRequest.type, (params) => {
    const folder = server.folders.get(params.folderUri);
    if (!folder) return { error: 'the workspace folder is gone' };
    return folder.fresh(() => {
      const result = addBindingSymbol(folder.index, folder.config, { kind: params.kind, pythonName: params.pythonName, rustFile: params.rustFile, variants: params.variants });
      if ('error' in result) return { error: result.error };
      const changes = [...result.changes].map(([rel, c]) => fileChange(folder, rel, c.before, c.after));
      const edit = toWorkspaceEdit(changes, server.actionOptions().documentChanges);
      const declared = result.changes.get(result.declaration.file)?.after ?? folder.index.get(result.declaration.file)?.text ?? '';
      const at = new LineIndex(declared).positionAt(result.declaration.offset);
      return { edit, declaration: { uri: folder.uriOf(result.declaration.file), range: { start: at, end: { line: at.line, character: at.character + params.pythonName.length } } } };
    });
  });
}

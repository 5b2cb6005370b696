import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification } from '../../server/src/protocol';

/** A language status item for Rust and Python files: indexing, symbols checked, problems. */
export function createStatus(client: LanguageClient): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('bindingsChecklist.status', [{ language: 'rust' }, { language: 'python' }]);
  item.name = 'PyO3 Bindings Checklist';
  item.text = '$(sync~spin) Bindings: starting';
  item.command = { title: 'Re-index', command: 'bindingsChecklist.reindex' };
  const listener = client.onNotification(StatusNotification.type, (status) => {
    item.busy = status.state === 'indexing';
    item.severity = status.error ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    if (status.error) item.text = 'Bindings: configuration error';
    else if (status.state === 'indexing') item.text = `Bindings: indexing (${status.files} files)`;
    else if (status.state === 'disabled') item.text = 'Bindings: disabled';
    else item.text = `Bindings: ${status.symbols} symbols, ${status.problems} problem${status.problems === 1 ? '' : 's'}`;
    item.detail = status.error ?? `${status.files} files indexed`;
  });
  return vscode.Disposable.from(item, listener);
}

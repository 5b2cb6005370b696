import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AddSymbolChoicesRequest, AddSymbolRequest, BindingKind, ReindexRequest, ValidateNameRequest } from '../../server/src/protocol';

const KINDS: { label: string; value: BindingKind; description: string }[] = [
  { label: 'Class', value: 'class', description: '#[pyclass] struct with #[pymethods] and #[new]' },
  { label: 'Function', value: 'function', description: '#[pyfunction]' },
  { label: 'Enum', value: 'enum', description: '#[pyclass] enum' },
  { label: 'Constant', value: 'constant', description: 'const registered with m.add' },
];

export function registerCommands(client: LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('bindingsChecklist.addSymbol', () => addSymbol(client, log)),
    vscode.commands.registerCommand('bindingsChecklist.reindex', () => client.sendRequest(ReindexRequest.type)),
  ];
}

/** Asks kind, name, Rust file and variants; any step cancelled changes nothing. */
async function addSymbol(client: LanguageClient, log: vscode.LogOutputChannel): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  const choices = await client.sendRequest(AddSymbolChoicesRequest.type, { uri: active });
  const folderUri = choices.folderUri;
  if (!folderUri) {
    void vscode.window.showWarningMessage('No crate with a #[pymodule] was found in this workspace (it may still be indexing).');
    return;
  }
  const kind = await vscode.window.showQuickPick(KINDS, { title: 'Add binding symbol (1/4): kind', placeHolder: 'What to add' });
  if (!kind) return;
  const pythonName = await vscode.window.showInputBox({
    title: 'Add binding symbol (2/4): Python name',
    prompt: 'The name Python users import',
    validateInput: async (name) => (name ? (await client.sendRequest(ValidateNameRequest.type, { folderUri, name })).error : 'a name is needed'),
  });
  if (!pythonName) return;
  const files = choices.rustFiles.map((f) => ({ label: f, picked: f === choices.defaultRustFile }));
  files.sort((a, b) => Number(b.picked) - Number(a.picked));
  const rustFile = await vscode.window.showQuickPick(files, { title: 'Add binding symbol (3/4): Rust file', placeHolder: choices.defaultRustFile });
  if (!rustFile) return;
  let variants: string[] | null = null;
  if (choices.variants.length > 1) {
    const picked = await vscode.window.showQuickPick(choices.variants.map((v) => ({ label: v, picked: true })), { title: 'Add binding symbol (4/4): variants', canPickMany: true });
    if (!picked || !picked.length) return;
    variants = picked.length === choices.variants.length ? null : picked.map((p) => p.label);
  }
  const result = await client.sendRequest(AddSymbolRequest.type, { folderUri, kind: kind.value, pythonName, rustFile: rustFile.label, variants });
  if (result.error || !result.edit) {
    void vscode.window.showErrorMessage(`Add binding symbol: ${result.error ?? 'nothing to add'}`);
    return;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (!(await vscode.workspace.applyEdit(edit))) {
    log.error(`the edit adding ${pythonName} was not applied`);
    return;
  }
  if (result.declaration) {
    const location = client.protocol2CodeConverter.asLocation(result.declaration);
    await vscode.window.showTextDocument(location.uri, { selection: location.range });
  }
}

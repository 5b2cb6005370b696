import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AddSymbolChoicesRequest, AddSymbolRequest, BindingKind, ReindexRequest, ValidateNameRequest } from '../../server/src/protocol';

const KINDS: { label: string; value: BindingKind; description: string }[] = [
  { label: 'Class', value: 'class', description: '#[pyclass] struct with #[pymethods] and #[new]' },
  { label: 'Function', value: 'function', description: '#[pyfunction]' },
  { label: 'Enum', value: 'enum', description: '#[pyclass] enum' },
  { label: 'Constant', value: 'constant', description: 'const registered with m.add' },
];

/**
 * Answers to the "Add binding symbol" prompts, passed as the command's argument
 * (e.g. by a keybinding's `args` or by `executeCommand`): each answer given skips
 * its prompt. `variants` absent: every variant.
 */
export interface AddSymbolAnswers {
  kind?: BindingKind;
  pythonName?: string;
  rustFile?: string;
  variants?: string[];
}

export function registerCommands(client: LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('bindingsChecklist.addSymbol', (arg?: unknown) => addSymbol(client, log, answersOf(arg))),
    vscode.commands.registerCommand('bindingsChecklist.reindex', () => client.sendRequest(ReindexRequest.type)),
  ];
}

/** The answers in a command argument; the editor context menu passes the document's URI instead, which answers nothing. */
function answersOf(arg: unknown): AddSymbolAnswers {
  if (!arg || typeof arg !== 'object' || arg instanceof vscode.Uri) return {};
  const a = arg as Record<string, unknown>;
  return {
    kind: KINDS.find((k) => k.value === a.kind)?.value,
    pythonName: typeof a.pythonName === 'string' ? a.pythonName : undefined,
    rustFile: typeof a.rustFile === 'string' ? a.rustFile : undefined,
    variants: Array.isArray(a.variants) ? a.variants.filter((v): v is string => typeof v === 'string') : undefined,
  };
}

/** Asks kind, name, Rust file and variants (those not answered by `answers`); any step cancelled changes nothing. */
async function addSymbol(client: LanguageClient, log: vscode.LogOutputChannel, answers: AddSymbolAnswers = {}): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  const choices = await client.sendRequest(AddSymbolChoicesRequest.type, { uri: active });
  const folderUri = choices.folderUri;
  if (!folderUri) {
    void vscode.window.showWarningMessage('No crate with a #[pymodule] was found in this workspace (it may still be indexing).');
    return;
  }
  const kind = KINDS.find((k) => k.value === answers.kind)
    ?? await vscode.window.showQuickPick(KINDS, { title: 'Add binding symbol (1/4): kind', placeHolder: 'What to add' });
  if (!kind) return;
  if (answers.pythonName !== undefined) {
    const invalid = answers.pythonName ? (await client.sendRequest(ValidateNameRequest.type, { folderUri, name: answers.pythonName })).error : 'a name is needed';
    if (invalid) {
      void vscode.window.showErrorMessage(`Add binding symbol: ${invalid}`);
      return;
    }
  }
  const pythonName = answers.pythonName ?? await vscode.window.showInputBox({
    title: 'Add binding symbol (2/4): Python name',
    prompt: 'The name Python users import',
    validateInput: async (name) => (name ? (await client.sendRequest(ValidateNameRequest.type, { folderUri, name })).error : 'a name is needed'),
  });
  if (!pythonName) return;
  const files = choices.rustFiles.map((f) => ({ label: f, picked: f === choices.defaultRustFile }));
  files.sort((a, b) => Number(b.picked) - Number(a.picked));
  if (answers.rustFile !== undefined && !choices.rustFiles.includes(answers.rustFile)) {
    void vscode.window.showErrorMessage(`Add binding symbol: ${answers.rustFile} is not a Rust file of the crate`);
    return;
  }
  const rustFile = answers.rustFile !== undefined ? { label: answers.rustFile }
    : await vscode.window.showQuickPick(files, { title: 'Add binding symbol (3/4): Rust file', placeHolder: choices.defaultRustFile });
  if (!rustFile) return;
  let variants: string[] | null = null;
  if (answers.variants) {
    const unknown = answers.variants.filter((v) => !choices.variants.includes(v));
    if (unknown.length || !answers.variants.length) {
      void vscode.window.showErrorMessage(`Add binding symbol: variants must be some of ${choices.variants.join(', ')}`);
      return;
    }
    variants = choices.variants.every((v) => answers.variants!.includes(v)) ? null : choices.variants.filter((v) => answers.variants!.includes(v));
  } else if (choices.variants.length > 1) {
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

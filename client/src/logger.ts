import * as vscode from 'vscode';

/**
 * The extension's log output channel. The server's messages arrive through
 * it; which of them the server sends is set by `bindingsChecklist.logLevel`.
 */
export function createLogger(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel('PyO3 Bindings Checklist', { log: true });
  context.subscriptions.push(channel);
  return channel;
}

import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_ENVIRONMENT, SERVER_NODE_OPTIONS } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { createLogger } from './logger';
import { createStatus } from './status';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const logger = createLogger(context);
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_NODE_OPTIONS, env: SERVER_ENVIRONMENT } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6010'], env: SERVER_ENVIRONMENT } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'rust' },
      { scheme: 'file', language: 'python' },
      { scheme: 'file', language: 'toml' },
      { scheme: 'file', pattern: '**/*.{j2,jinja,jinja2,tera,tmpl}' },
    ],
    synchronize: { configurationSection: 'bindingsChecklist' },
    outputChannel: logger,
  };
  client = new LanguageClient('bindingsChecklist', 'PyO3 Bindings Checklist', serverOptions, clientOptions);
  context.subscriptions.push(createStatus(client), ...registerCommands(client, logger));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

// The language server's entry point: over IPC when started by the VS Code
// extension, over stdio with `--stdio` (other editors); the transport comes
// from the command line.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LanguageServer } from './lsp/language-server';

const connection = createConnection(ProposedFeatures.all);
new LanguageServer().register(connection);
connection.listen();

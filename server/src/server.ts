// The language server's entry point: over IPC when started by the VS Code
// extension, over stdio with `--stdio` (other editors); the transport comes
// from the command line.
import * as v8 from 'v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LanguageServer } from './lsp/language-server';

// The server works in bursts (indexing; a full check for an edit that changes
// the bindings, which rebuilds every chain) and then idles. Between full
// collections V8 lets the old generation grow up to four times what is live
// on a machine with plenty of memory, so the garbage of a few bursts piles up
// to hundreds of MB that an idle process then keeps. Growing it by 30% at most
// keeps the heap near what is live, for a few more (mostly concurrent)
// collections. A plain heuristic, read at each collection: the parse workers,
// started later, follow it too.
v8.setFlagsFromString('--heap-growing-percent=30');

const connection = createConnection(ProposedFeatures.all);
new LanguageServer().register(connection);
connection.listen();

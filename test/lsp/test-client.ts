import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  CreateFile, createProtocolConnection, Diagnostic, InitializeRequest, ProtocolConnection, PublishDiagnosticsNotification,
  StreamMessageReader, StreamMessageWriter, TextDocumentEdit, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../../server/src/parsing/text';
import { StatusNotification } from '../../server/src/protocol';

const SERVER = path.resolve(__dirname, '../../dist/server.js');

/** Applies LSP text edits to a text (edits do not overlap; positions are against the original). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  spans.sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

/**
 * A minimal editor on the other end of the server's stdio: it keeps open
 * buffers, answers the server's requests, records published diagnostics and
 * applies workspace edits to buffers and disk.
 */
export class TestClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  readonly buffers = new Map<string, { text: string; version: number }>();
  /** Every publication, in order of arrival. */
  readonly history: { uri: string; version?: number; count: number }[] = [];
  status?: StatusNotification.Params;
  settings: Record<string, unknown> = {};
  private readonly child: ChildProcess;
  private readonly waiters: (() => void)[] = [];
  stderr = '';

  constructor(readonly root: string) {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
      this.history.push({ uri: p.uri, version: p.version, count: p.diagnostics.length });
      this.wake();
    });
    this.connection.onNotification(StatusNotification.type, (p) => {
      this.status = p;
      this.wake();
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.listen();
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).toString();
  }

  rel(uri: string): string {
    return path.relative(this.root, fileURLToPath(uri)).split(path.sep).join('/');
  }

  async initialize(): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(this.root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(this.root).toString(), name: 'test' }],
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
        },
        window: { workDoneProgress: true },
        textDocument: {
          publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { resolveSupport: { properties: ['edit'] }, dataSupport: true, isPreferredSupport: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `condition` holds, re-testing on every notification; fails after `timeoutMs`. */
  async waitFor<T>(what: string, condition: () => T | undefined | false, timeoutMs = 15000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every published diagnostic, as `rule file line:column`. */
  summary(): string[] {
    const out: string[] = [];
    for (const [uri, { diagnostics }] of this.diagnostics) for (const d of diagnostics) out.push(`${d.code} ${this.rel(uri)} ${d.range.start.line + 1}:${d.range.start.character + 1}`);
    return out.sort();
  }

  diagnosticsOf(rel: string): Diagnostic[] {
    return this.diagnostics.get(this.uri(rel))?.diagnostics ?? [];
  }

  open(rel: string): void {
    const text = fs.readFileSync(path.join(this.root, rel), 'utf8');
    this.buffers.set(this.uri(rel), { text, version: 1 });
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri(rel), languageId: rel.endsWith('.rs') ? 'rust' : 'python', version: 1, text } });
  }

  /** Types an edit into an open buffer (incremental change). */
  change(rel: string, edits: TextEdit[]): void {
    const uri = this.uri(rel);
    const buffer = this.buffers.get(uri)!;
    buffer.text = applyTextEdits(buffer.text, edits);
    buffer.version++;
    const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: buffer.version }, contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })) });
  }

  close(rel: string): void {
    this.buffers.delete(this.uri(rel));
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: this.uri(rel) } });
  }

  /** Reports file events as an editor's file watcher would. */
  filesChanged(changes: { rel: string; type: 1 | 2 | 3 }[]): void {
    void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: this.uri(c.rel), type: c.type })) });
  }

  /**
   * Applies a workspace edit: open buffers through didChange (refusing a
   * version mismatch), other files on disk followed by a watched-file event.
   * Returns the workspace-relative paths touched.
   */
  applyEdit(edit: WorkspaceEdit): string[] {
    const touched: string[] = [];
    const events: { rel: string; type: 1 | 2 | 3 }[] = [];
    const ops = edit.documentChanges ?? Object.entries(edit.changes ?? {}).map(([uri, edits]) => TextDocumentEdit.create({ uri, version: null }, edits));
    for (const op of ops) {
      if (CreateFile.is(op)) {
        const file = fileURLToPath(op.uri);
        if (!fs.existsSync(file)) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, '');
          events.push({ rel: this.rel(op.uri), type: 1 });
        }
        continue;
      }
      if (!TextDocumentEdit.is(op)) throw new Error(`unexpected operation ${JSON.stringify(op)}`);
      const rel = this.rel(op.textDocument.uri);
      touched.push(rel);
      const buffer = this.buffers.get(op.textDocument.uri);
      const edits = op.edits as TextEdit[];
      if (buffer) {
        if (op.textDocument.version !== null && op.textDocument.version !== buffer.version) throw new Error(`edit for version ${op.textDocument.version} of ${rel}, buffer is at ${buffer.version}`);
        this.change(rel, edits);
        fs.writeFileSync(path.join(this.root, rel), buffer.text);
      } else {
        const file = path.join(this.root, rel);
        fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), edits));
        if (!events.some((e) => e.rel === rel)) events.push({ rel, type: 2 });
      }
    }
    if (events.length) this.filesChanged(events);
    return touched;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // the process may be gone already
    }
    this.connection.dispose();
    this.child.kill();
  }
}

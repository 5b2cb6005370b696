import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ClientCapabilities, CodeAction, CodeActionKind, Connection, DiagnosticSeverity, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification,
  FileChangeType, InitializeParams, InitializeResult, ServerCapabilities, TextDocuments, TextDocumentSyncKind, WorkspaceFolder,
} from 'vscode-languageserver/node';
import type { CheckResult } from '../engine';
import { Parsers } from '../parsing/parsers';
import { ReindexRequest, StatusNotification } from '../protocol';
import { ActionOptions, codeActions, FIX_ALL_KIND, FixAllData, resolveFixAll } from './code-actions';
import { diagnosticsByFile } from './diagnostics';
import { FolderHost, FolderState } from './folder-state';
import { registerAddSymbol } from './add-symbol';
import { DEFAULT_SETTINGS, logEnabled, parseSettings, Settings } from './settings';
import { percentProgress } from './progress';

const WATCHED = '**/*.{rs,py,pyi,toml,j2,jinja,jinja2,tera,tmpl}';

/**
 * The language server: one FolderState per workspace folder, documents kept
 * in sync, diagnostics published per folder check, code actions and the
 * custom requests. `server.ts` only creates the connection and calls
 * `register`.
 */
export class LanguageServer {
  private connection!: Connection;
  private readonly documents = new TextDocuments(TextDocument);
  private capabilities: ClientCapabilities = {};
  private workspaceFolders: WorkspaceFolder[] = [];
  readonly folders = new Map<string, FolderState>();
  private parsers?: Parsers;
  /** Settings pushed by clients that do not answer `workspace/configuration`. */
  private pushedSettings: Settings = DEFAULT_SETTINGS;
  /** Per folder: files with published diagnostics and the generation they came from. */
  private readonly published = new Map<FolderState, { files: Set<string>; generation: number }>();

  serverCapabilities(): ServerCapabilities {
    return {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
  }

  register(connection: Connection): void {
    this.connection = connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.start().catch((e) => this.log('error', `start-up failed: ${(e as Error).stack ?? e}`)));
    this.documents.onDidChangeContent(({ document }) => this.withFolder(document.uri, (f, rel) => f.setBuffer(rel, document.uri, document.getText(), document.version)));
    this.documents.onDidClose(({ document }) => this.withFolder(document.uri, (f, rel) => f.closeBuffer(rel)));
    this.documents.listen(connection);
    connection.onDidChangeWatchedFiles(({ changes }) => {
      for (const change of changes) {
        this.withFolder(change.uri, (folder, rel) => {
          const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
          if (folder.isConfigFile(rel) && folder.reloadConfig()) void this.indexFolder(folder);
          folder.fileChanged(rel, kind);
          if (folder.isConfigFile(rel)) folder.publishNow();
        });
      }
    });
    connection.onDidChangeConfiguration((params) => {
      const pushed = (params.settings as { bindingsChecklist?: unknown } | undefined)?.bindingsChecklist;
      if (pushed !== undefined) this.pushedSettings = parseSettings(pushed);
      void this.applySettings();
    });
    connection.onCodeAction((params) => this.withFolder(params.textDocument.uri, (f, rel) => f.fresh(() => codeActions(f, rel, params, this.actionOptions()))) ?? []);
    connection.onCodeActionResolve((action) => {
      const data = action.data as FixAllData | undefined;
      if (!data?.fixAll) return action;
      return this.withFolder(data.uri, (f, rel) => f.fresh(() => resolveFixAll(f, rel, action as CodeAction, this.actionOptions()))) ?? action;
    });
    connection.onRequest(ReindexRequest.type, async () => {
      await Promise.all([...this.folders.values()].map(async (f) => {
        f.reloadConfig(await this.settingsFor(f));
        await this.indexFolder(f);
      }));
    });
    registerAddSymbol(connection, this);
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities;
    this.workspaceFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    return { capabilities: this.serverCapabilities(), serverInfo: { name: 'bindings-checklist', version: '0.1.0' } };
  }

  /** After `initialized`: load the grammars, then index every folder in the background. */
  private async start(): Promise<void> {
    const dynamic = this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    if (dynamic) void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED }] });
    if (this.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'bindingsChecklist' });
    if (this.capabilities.workspace?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        for (const r of removed) this.removeFolder(r.uri);
        for (const a of added) void this.addFolder(a.uri);
      });
    }
    this.parsers = await Parsers.load();
    await Promise.all(this.workspaceFolders.map((f) => this.addFolder(f.uri)));
  }

  private async addFolder(uri: string): Promise<void> {
    if (!this.parsers || this.folders.has(uri)) return;
    const folder = new FolderState(uri, this.host());
    this.folders.set(uri, folder);
    folder.reloadConfig(await this.settingsFor(folder));
    for (const doc of this.documents.all()) {
      const rel = folder.relative(doc.uri);
      if (rel) folder.setBuffer(rel, doc.uri, doc.getText(), doc.version);
    }
    await this.indexFolder(folder);
  }

  private removeFolder(uri: string): void {
    const folder = this.folders.get(uri);
    if (!folder) return;
    folder.dispose();
    this.folders.delete(uri);
    for (const rel of this.published.get(folder)?.files ?? []) void this.connection.sendDiagnostics({ uri: folder.uriOf(rel), diagnostics: [] });
    this.published.delete(folder);
    this.sendStatus();
  }

  private async indexFolder(folder: FolderState): Promise<void> {
    const progress = this.capabilities.window?.workDoneProgress ? await this.connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Bindings checklist: indexing', 0, folder.root, false);
    const started = Date.now();
    await folder.indexAll(percentProgress((percent, message) => progress?.report(percent, message)));
    progress?.done();
    this.log('info', `${folder.root}: indexed ${[...folder.index.paths()].length} files in ${Date.now() - started} ms`);
  }

  private async settingsFor(folder: FolderState): Promise<Settings> {
    if (!this.capabilities.workspace?.configuration) return this.pushedSettings;
    try {
      return parseSettings(await this.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'bindingsChecklist' }));
    } catch {
      return this.pushedSettings;
    }
  }

  private async applySettings(): Promise<void> {
    for (const folder of this.folders.values()) {
      const reindex = folder.reloadConfig(await this.settingsFor(folder));
      if (reindex || folder.state !== 'ready') await this.indexFolder(folder);
      else folder.publishNow();
    }
  }

  private host(): FolderHost {
    return {
      parsers: this.parsers!,
      checked: (folder, result) => this.publish(folder, result),
      changed: () => this.sendStatus(),
      log: (level, message) => this.log(level, message),
    };
  }

  /** Publishes a folder's result: every file with findings, and empty lists for files that no longer have any. */
  private publish(folder: FolderState, result: CheckResult): void {
    if (this.folders.get(folder.uri) !== folder) return;
    const previous = this.published.get(folder);
    if (previous && previous.generation > result.generation) return;
    const byFile = diagnosticsByFile(folder, result.findings);
    const problem = folder.configProblem;
    if (problem) {
      const at = { line: problem.line - 1, character: problem.column - 1 };
      const list = byFile.get(problem.rel) ?? [];
      list.push({ range: { start: at, end: { line: at.line, character: at.character + 1 } }, severity: DiagnosticSeverity.Error, source: 'bindings-checklist', code: 'configuration', message: problem.message });
      byFile.set(problem.rel, list);
    }
    for (const [rel, diagnostics] of byFile) void this.connection.sendDiagnostics({ uri: folder.uriOf(rel), version: folder.open.get(rel)?.version, diagnostics });
    for (const rel of previous?.files ?? []) if (!byFile.has(rel)) void this.connection.sendDiagnostics({ uri: folder.uriOf(rel), version: folder.open.get(rel)?.version, diagnostics: [] });
    this.published.set(folder, { files: new Set(byFile.keys()), generation: result.generation });
    this.sendStatus();
  }

  private sendStatus(): void {
    const folders = [...this.folders.values()];
    const states = folders.map((f) => f.state);
    const state = states.includes('indexing') || states.includes('starting') ? 'indexing' : folders.length && states.every((s) => s === 'disabled') ? 'disabled' : 'ready';
    void this.connection.sendNotification(StatusNotification.type, {
      state,
      files: folders.reduce((n, f) => n + [...f.index.paths()].length, 0),
      symbols: folders.reduce((n, f) => n + (f.result?.symbols ?? 0), 0),
      problems: folders.reduce((n, f) => n + (f.result?.findings.length ?? 0), 0),
      error: folders.find((f) => f.configError)?.configError,
    });
  }

  /** The folder holding a URI (the innermost one) and the path inside it. */
  folderOf(uri: string): { folder: FolderState; rel: string } | undefined {
    let best: { folder: FolderState; rel: string } | undefined;
    for (const folder of this.folders.values()) {
      const rel = folder.relative(uri);
      if (rel !== undefined && (!best || folder.root.length > best.folder.root.length)) best = { folder, rel };
    }
    return best;
  }

  private withFolder<T>(uri: string, fn: (folder: FolderState, rel: string) => T): T | undefined {
    const hit = this.folderOf(uri);
    return hit ? fn(hit.folder, hit.rel) : undefined;
  }

  actionOptions(): ActionOptions {
    const ws = this.capabilities.workspace?.workspaceEdit;
    return {
      documentChanges: !!ws?.documentChanges && !!ws.resourceOperations?.includes('create'),
      resolveEdit: !!this.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit'),
    };
  }

  log(level: 'error' | 'warn' | 'info' | 'debug', message: string): void {
    const settings = this.folders.values().next().value?.settings ?? this.pushedSettings;
    if (!logEnabled(settings, level)) return;
    const console = this.connection.console;
    if (level === 'error') console.error(message);
    else if (level === 'warn') console.warn(message);
    else if (level === 'info') console.info(message);
    else console.log(message);
  }
}

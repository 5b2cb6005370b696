import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { CheckResult } from '../engine';
import { IncrementalChecker } from '../incremental';
import { discoverFiles, makeExcluder } from '../index/discover';
import { ParsePool } from '../index/parse-pool';
import { FactsPrefetch } from '../index/prepare';
import { decodeFile, isSkipped, languageOf, makeSourceFile, StaleFileError } from '../index/source';
import { WorkspaceIndex } from '../index/workspace-index';
import { Config, ConfigError, defaultConfig } from '../layout/config';
import { loadConfig } from '../layout/load-config';
import type { Parsers } from '../parsing/parsers';
import { applySettings, DEFAULT_SETTINGS, Settings } from './settings';

/** What a folder needs from the server around it. */
export interface FolderHost {
  parsers: Parsers;
  /** Called with a folder's newest check result. */
  checked(folder: FolderState, result: CheckResult): void;
  /** Called when the folder's files or state changed (for the status). */
  changed(folder: FolderState): void;
  log(level: 'error' | 'warn' | 'info' | 'debug', message: string): void;
}

/**
 * A change is checked at once (on the next turn of the event loop) when every
 * change before it was checked already; one that comes while another still
 * waits for its check (a burst: a fast typist, changes that queued up during a
 * long check) pushes that check to this long after it, so that a burst is
 * checked once, after its last change.
 */
export const CHECK_DELAY_MS = 10;
/** How long to wait before checking a change; `waiting`: an earlier change is still waiting for its check. */
export function checkDelay(waiting: boolean): number {
  return waiting ? CHECK_DELAY_MS : 0;
}
/** How many times one file may turn out to have changed on disk during one check before the check gives up for now. */
const STALE_RETRIES = 3;
/** Delay before checking again after giving up on a file that keeps changing. */
const STALE_DELAY_MS = 1000;

/**
 * One workspace folder: its index, its configuration (file + settings), its
 * open documents and its checks. Results carry the index generation they were
 * computed from; an older result never replaces a newer one.
 */
export class FolderState {
  readonly root: string;
  readonly index: WorkspaceIndex;
  settings: Settings = DEFAULT_SETTINGS;
  config: Config = defaultConfig();
  configError?: string;
  /** Where the configuration error is, to show it on the file itself. */
  configProblem?: { rel: string; line: number; column: number; message: string };
  state: 'starting' | 'indexing' | 'ready' | 'disabled' = 'starting';
  /** The newest result, and the generation it was computed from. */
  result?: CheckResult;
  /** Open documents by workspace-relative path: the URI the client uses and its version. */
  readonly open = new Map<string, { uri: string; version: number }>();
  private timer?: NodeJS.Timeout;
  /** The file URI of each path diagnostics were published for (see `uriOf`). */
  private readonly diskUris = new Map<string, string>();
  /** When `scheduleCheck` was last called (`performance.now()`). */
  /** A change waits for its check (`scheduleCheck` set the timer, `publishNow` has not run since). */
  private checkWaiting = false;
  /** Re-checks only what a change affects. */
  private readonly checker = new IncrementalChecker();
  /** Increments on every (re)indexing; an indexing run that is no longer current stops. */
  private indexRun = 0;

  constructor(readonly uri: string, private readonly host: FolderHost) {
    this.root = fileURLToPath(uri);
    this.index = new WorkspaceIndex(host.parsers);
  }

  /** Workspace-relative path of a file URI inside this folder, or undefined. */
  relative(uri: string): string | undefined {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    const rel = path.relative(this.root, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  uriOf(rel: string): string {
    const open = this.open.get(rel)?.uri;
    if (open) return open;
    let uri = this.diskUris.get(rel);
    if (uri === undefined) {
      uri = pathToFileURL(path.join(this.root, rel)).toString();
      this.diskUris.set(rel, uri);
    }
    return uri;
  }

  /** Reads the configuration file and applies the settings. True when something that decides which files are indexed changed. */
  reloadConfig(settings: Settings = this.settings): boolean {
    const before = JSON.stringify([this.config.exclude, this.settings.enable]);
    this.settings = settings;
    // A result checked under the old configuration is no longer current.
    this.result = undefined;
    try {
      this.config = applySettings(loadConfig(this.host.parsers, this.root, settings.configFile ? path.resolve(this.root, settings.configFile) : undefined), settings);
      this.configError = undefined;
      this.configProblem = undefined;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.configError = `configuration error: ${e.message}`;
      const rel = e.path ? this.relative(pathToFileURL(e.path).toString()) : undefined;
      this.configProblem = rel ? { rel, line: e.line, column: e.column, message: `configuration error: ${e.detail}; the defaults apply until it is fixed` } : undefined;
      this.host.log('error', `${this.root}: ${this.configError}`);
      this.config = applySettings(defaultConfig(), settings);
    }
    return before !== JSON.stringify([this.config.exclude, this.settings.enable]);
  }

  /** Whether a workspace-relative path is one of the configuration files. */
  isConfigFile(rel: string): boolean {
    if (this.settings.configFile) return path.resolve(this.root, this.settings.configFile) === path.join(this.root, rel);
    return rel === 'bindings-checklist.toml' || rel === 'pyproject.toml';
  }

  /** (Re)reads every file from disk in batches, open documents keeping their buffer text. */
  async indexAll(report: (done: number, total: number) => void): Promise<void> {
    const run = ++this.indexRun;
    if (!this.settings.enable) {
      for (const p of [...this.index.paths()]) this.index.delete(p);
      this.state = 'disabled';
      this.publishNow();
      return;
    }
    this.state = 'indexing';
    this.host.changed(this);
    // The workers read the Rust files and compute their facts; after reading, the facts of the rest the first check needs.
    const pool = ParsePool.start(this.host.parsers.dir, undefined, 'process');
    try {
      const paths = discoverFiles(this.root, { exclude: this.config.exclude });
      const wanted = new Set(paths);
      for (const p of [...this.index.paths()]) if (!wanted.has(p) && !this.open.has(p)) this.index.delete(p);
      // Files read again may have let go of their texts: the next check cannot tell what changed, it checks everything.
      this.checker.reset();
      const prefetch = new FactsPrefetch(this.index, { pool });
      await prefetch.read(this.root, paths, {
        // Open documents keep their buffers; a file changed or deleted meanwhile (a watcher event) is never overwritten.
        accept: (rel) => run === this.indexRun && !this.open.has(rel),
        releasable: true,
        skipped: (s) => this.host.log('debug', `${s.path}: ${s.reason}`),
        progress: report,
      });
      if (run !== this.indexRun) return;
      try {
        await prefetch.finish(this.config);
      } catch (e) {
        this.host.log('warn', `${this.root}: parsing on worker threads failed, parsing on the main thread: ${(e as Error).message}`);
      }
      if (run !== this.indexRun) return;
      // Facts from the workers hold a copy of every name per occurrence: one copy each, before the check builds its chains from them.
      this.index.internFacts();
      // The Rust files whose facts the workers computed need their texts no more.
      this.index.releaseTexts((p) => this.open.has(p));
    } finally {
      await pool.close();
      for (const why of new Set(pool.failures)) this.host.log('warn', `${this.root}: a parse worker failed (${why}); its files were parsed on the main thread`);
    }
    if (run !== this.indexRun) return;
    this.state = 'ready';
    this.publishNow();
  }

  /**
   * Reads one file from disk into the index (or drops it when it is gone or
   * skipped). The file may let go of its text later (`releaseTexts`).
   */
  readFromDisk(rel: string): void {
    // The text this file had was let go: the next check cannot tell what changed, it checks everything.
    if (this.index.get(rel)?.holdsText === false) this.checker.reset();
    let bytes: Buffer;
    const absolute = path.join(this.root, rel);
    try {
      bytes = fs.readFileSync(absolute);
    } catch {
      this.index.delete(rel);
      return;
    }
    const decoded = decodeFile(rel, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), absolute);
    if (isSkipped(decoded)) {
      this.index.delete(rel);
      this.host.log('debug', `${rel}: ${decoded.reason}`);
    } else {
      this.index.set(decoded);
      // A Rust file that cannot hold bindings is only ever asked for its `mod` lines: scanned now, its text goes at once.
      this.index.releaseText(rel);
    }
  }

  /**
   * Runs `compute` against the index. A file whose text was let go may turn
   * out to have changed on disk before the watcher said so (`StaleFileError`):
   * then that file is read again and `compute` starts over, from a full check,
   * so that nothing it returns mixes the old text with the new. A file that
   * keeps changing under it (STALE_RETRIES times) ends in the error.
   */
  fresh<T>(compute: () => T): T {
    const reread = new Map<string, number>();
    for (;;) {
      try {
        return compute();
      } catch (e) {
        if (!(e instanceof StaleFileError)) throw e;
        const times = (reread.get(e.path) ?? 0) + 1;
        if (times > STALE_RETRIES) throw e;
        reread.set(e.path, times);
        this.host.log('info', `${this.root}: ${e.message}; reading it again`);
        const current = this.index.get(e.path);
        if (current && current.version === null && !this.open.has(e.path)) this.readFromDisk(e.path);
        this.checker.reset();
        // The file's diagnostics may change with its new text.
        this.scheduleCheck();
      }
    }
  }

  /**
   * Lets go of the texts of Rust files the current result does not point into
   * (see `WorkspaceIndex.releaseTexts`); open documents keep theirs.
   */
  private releaseTexts(result: CheckResult): void {
    const keep = new Set<string>();
    for (const f of result.findings) {
      keep.add(f.file);
      for (const r of f.related) keep.add(r.file);
    }
    this.index.releaseTexts((p) => keep.has(p) || this.open.has(p));
  }

  /** Whether a path belongs in the index at all. */
  wants(rel: string): boolean {
    return this.settings.enable && !!languageOf(rel) && !makeExcluder(this.config.exclude)(rel) && !rel.split('/').some((s) => s === 'node_modules' || s === 'target' || s === '.git');
  }

  /** An editor buffer's text replaces the file's. */
  setBuffer(rel: string, uri: string, text: string, version: number): void {
    this.open.set(rel, { uri, version });
    if (!this.wants(rel)) return;
    const file = makeSourceFile(rel, text, version);
    if (file) this.index.set(file);
    this.scheduleCheck();
  }

  /** A closed buffer: the file on disk counts again. */
  closeBuffer(rel: string): void {
    this.open.delete(rel);
    if (this.wants(rel)) this.readFromDisk(rel);
    this.scheduleCheck();
  }

  /** A file (or folder) created, changed or deleted on disk. */
  fileChanged(rel: string, kind: 'created' | 'changed' | 'deleted'): void {
    if (kind === 'deleted') {
      if (!this.index.delete(rel)) {
        const prefix = rel + '/';
        for (const p of [...this.index.paths()]) if (p.startsWith(prefix) && !this.open.has(p)) this.index.delete(p);
      }
    } else if (this.open.has(rel)) {
      // The buffer owns the text until it is closed.
    } else if (this.wants(rel)) {
      this.readFromDisk(rel);
    } else if (kind === 'created') {
      let isDir = false;
      try {
        isDir = fs.statSync(path.join(this.root, rel)).isDirectory();
      } catch {
        // gone again
      }
      if (isDir) for (const p of discoverFiles(path.join(this.root, rel), { exclude: [] })) if (this.wants(`${rel}/${p}`)) this.readFromDisk(`${rel}/${p}`);
    }
    this.scheduleCheck();
  }

  scheduleCheck(): void {
    if (this.state !== 'ready') return;
    clearTimeout(this.timer);
    const delay = checkDelay(this.checkWaiting);
    this.checkWaiting = true;
    this.timer = setTimeout(() => this.publishNow(), delay);
  }

  /** Checks now and hands the result on, unless a newer one is already out. */
  publishNow(): void {
    clearTimeout(this.timer);
    this.checkWaiting = false;
    if (this.state === 'disabled') {
      this.result = undefined;
      this.host.checked(this, { findings: [], chains: [], symbols: 0, variants: 0, generation: this.index.generation } as unknown as CheckResult);
      return;
    }
    let result: CheckResult;
    try {
      result = this.fresh(() => {
        const current = this.result && this.result.generation === this.index.generation ? this.result : this.checker.check(this.index, this.config);
        // Diagnostics convert offsets in every file the findings point into: their texts are read back here, where a stale one starts over.
        for (const f of current.findings) {
          this.index.get(f.file)?.lines();
          for (const r of f.related) this.index.get(r.file)?.lines();
        }
        return current;
      });
    } catch (e) {
      if (!(e instanceof StaleFileError)) throw e;
      // A file that keeps changing: try again once it settles.
      this.host.log('warn', `${this.root}: ${e.message}, again; checking later`);
      clearTimeout(this.timer);
      if (this.state === 'ready') this.timer = setTimeout(() => this.publishNow(), STALE_DELAY_MS);
      return;
    }
    clearTimeout(this.timer);
    if (result !== this.result) {
      if (this.result && this.result.generation > result.generation) return;
      this.result = result;
    }
    this.host.checked(this, result);
    this.releaseTexts(result);
  }

  /**
   * A result for the current index whose chains describe the current text,
   * as fixes need: the cached one when nothing changed since. Undefined when
   * a newer result is out.
   */
  check(): CheckResult | undefined {
    const result = this.fresh(() => this.checker.fresh(this.index, this.config));
    if (this.result && this.result.generation > result.generation) return undefined;
    this.result = result;
    return result;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.indexRun++;
  }
}

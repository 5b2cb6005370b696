import type { Config } from '../layout/config';
import { detectLayout, TEST_FILE } from '../layout/detect';
import type { LanguageId, Parsers } from '../parsing/parsers';
import type { TemplateVars } from '../parsing/template';
import { readWorkspaceFiles, YIELD_EVERY } from './load';
import { ParsePool } from './parse-pool';
import type { SkippedFile } from './source';
import { isSkipped } from './source';
import { ParseRecord, PendingParse, WorkspaceIndex } from './workspace-index';

export interface PrepareOptions {
  /** A pool to use (and leave running); by default one is started and closed. */
  pool?: ParsePool;
  /** Workers of the pool started by default (default: `defaultPoolSize()`). */
  workers?: number;
}

export interface PrepareStats {
  /** Workers the pool had; 0: nothing was prepared, the check parses everything itself. */
  workers: number;
  /** Texts whose facts the workers computed. */
  prefetched: number;
  ms: number;
}

/** Rust files without bindings whose `mod` lines are scanned per turn of the event loop while the workers parse. */
const MOD_SCAN_SLICE = 250;

type Wanted = [path: string, language: LanguageId, vars: TemplateVars];

/**
 * Computes, on a pool of worker threads, the facts the coming `runChecks` will
 * ask for, and hands them to the index (`prefetch`), so the synchronous check
 * finds them there. They count as parsed when the check first asks for them,
 * so `parseCount` and `parseLog` end up exactly as without this step.
 *
 * 1. As files are offered (while they are read, see `loadWorkspacePrepared`):
 *    the Rust files that may hold bindings (their facts also give the `mod`
 *    tree), the likely dispatcher, the likely test files and the likely
 *    wrapper templates (when they have no `{% %}` tags, so that their
 *    projection is the same for every variant) go out at once.
 * 2. `finish`: meanwhile the main thread scans the `mod` lines of the other
 *    Rust files; then, as soon as the Rust files are done, a layout pass (which
 *    finds the Rust facts ready) tells which Python and TOML files the chains
 *    read: wrappers (per variant, projected), dispatcher, tests, build scripts,
 *    Cargo and pyproject files. Those not done or under way yet go out while
 *    the workers may still be on the guessed ones.
 *
 * The time `finish` spends waiting for the workers is added to `index.parseMs`.
 * Without workers (none could start) nothing happens here.
 */
export class FactsPrefetch {
  private readonly pool: ParsePool;
  private readonly ownPool: boolean;
  private readonly keepParsed: boolean;
  private readonly jobsBefore: number;
  private readonly started = performance.now();
  private readonly batch: Wanted[] = [];
  /** Runs of Rust files (the layout waits for these) and of other files (guessed ahead). */
  private readonly rustRuns: Promise<void>[] = [];
  private readonly otherRuns: Promise<void>[] = [];
  /** Rust files without bindings, for the `mod` scan. */
  private readonly others: string[] = [];
  /** Texts sent, by path, so that none goes out twice. */
  private readonly sent = new Map<string, Set<string>>();

  constructor(
    private readonly index: WorkspaceIndex,
    options: PrepareOptions = {},
  ) {
    this.pool = options.pool ?? ParsePool.start(index.parsers.dir, options.workers);
    this.ownPool = !options.pool;
    this.keepParsed = !!index.parseLog;
    this.jobsBefore = this.pool.jobsDone;
  }

  /** A file of the index (just read, or already there): what surely or likely will be asked for goes into the next batch. */
  offer(path: string): void {
    if (!this.pool.size) return;
    const file = this.index.get(path);
    if (!file) return;
    if (file.language === 'rust') {
      if (this.index.mayHoldBindings(path)) this.batch.push([path, 'rust', {}]);
      else this.others.push(path);
    } else if (file.language === 'python' && isLikelyRead(path, file.text, file.template)) {
      // Guessed before the layout is known: a wrong guess is never asked for and never counts as parsed.
      this.batch.push([path, 'python', {}]);
    }
  }

  /** Sends the batch of offered files to the workers (biggest first). */
  flush(): void {
    const batch = this.batch.splice(0);
    const rust = batch.filter((w) => w[1] === 'rust');
    const others = batch.filter((w) => w[1] !== 'rust');
    if (rust.length) this.rustRuns.push(this.run(rust));
    if (others.length) this.otherRuns.push(this.run(others));
  }

  /** Waits for everything offered, then computes what the layout says the chains read; closes a pool it started. */
  async finish(config: Config): Promise<PrepareStats> {
    const { index, pool } = this;
    const finishStarted = performance.now();
    let notParsing = 0;
    const generation = index.generation;
    try {
      if (!pool.size) return this.stats();
      this.flush();
      const scanStarted = performance.now();
      for (let i = 0; i < this.others.length; i++) {
        index.modDeclarations(this.others[i]);
        if ((i + 1) % MOD_SCAN_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      notParsing += performance.now() - scanStarted;
      await Promise.all(this.rustRuns);
      // The index changed while the workers parsed (an editor): the next check reads what it needs itself.
      if (index.generation !== generation) {
        await Promise.all(this.otherRuns);
        return this.stats();
      }

      const layoutStarted = performance.now();
      const parseMsBefore = index.parseMs;
      const layout = detectLayout(index, config);
      notParsing += performance.now() - layoutStarted - (index.parseMs - parseMsBefore);

      const wanted: Wanted[] = [];
      for (const project of layout.projects) {
        for (const wrapper of project.wrappers) for (const l of wrapper.variants) wanted.push([wrapper.path, 'python', l.variant.vars]);
        if (project.dispatcher) wanted.push([project.dispatcher, 'python', {}]);
        for (const p of [...project.tests, ...project.buildScripts]) wanted.push([p, 'python', {}]);
        for (const p of [...project.cargoFiles, ...project.pyprojectFiles]) {
          wanted.push([p, 'toml', {}]);
          for (const l of project.variants) wanted.push([p, 'toml', l.variant.vars]);
        }
      }
      // The Python files guessed ahead may still be parsing: what the layout wants goes out meanwhile (biggest first).
      await Promise.all([this.run(wanted), ...this.otherRuns]);
      return this.stats();
    } finally {
      if (this.ownPool) await pool.close();
      index.parseMs += performance.now() - finishStarted - notParsing;
    }
  }

  private stats(): PrepareStats {
    return { workers: this.pool.size, prefetched: this.pool.jobsDone - this.jobsBefore, ms: performance.now() - this.started };
  }

  /** Sends the texts not parsed or sent yet to the pool (each distinct text once) and hands the facts to the index. */
  private async run(wanted: Wanted[]): Promise<void> {
    const { index } = this;
    const pending: PendingParse[] = [];
    for (const [path, language, vars] of wanted) {
      const p = index.pendingParse(path, language, vars);
      if (!p) continue;
      const texts = this.sent.get(path) ?? new Set<string>();
      this.sent.set(path, texts);
      if (texts.has(p.text)) continue;
      texts.add(p.text);
      pending.push(p);
    }
    if (!pending.length) return;
    const outcomes = await this.pool.run(pending.map((p) => ({ language: p.language, text: p.text })), this.keepParsed);
    outcomes.forEach((o, i) => {
      if (o) index.prefetch(pending[i].file, pending[i].text, { facts: o.facts, parsed: o.parsed });
    });
  }
}

/** Prepares the facts of every file of an index already loaded (see `FactsPrefetch`). */
export async function prepareFacts(index: WorkspaceIndex, config: Config, options: PrepareOptions = {}): Promise<PrepareStats> {
  const prefetch = new FactsPrefetch(index, options);
  for (const p of index.paths()) prefetch.offer(p);
  return prefetch.finish(config);
}

/**
 * Reads every candidate file under root into a fresh index, as `loadWorkspace`
 * does, and prepares their facts (`prepareFacts`) while reading: the files the
 * workers can start on go out every `YIELD_EVERY` files. `parseLog`: given to
 * the index (see `WorkspaceIndex.parseLog`) before anything is parsed.
 */
export async function loadWorkspacePrepared(
  root: string,
  parsers: Parsers,
  config: Config,
  pool: ParsePool,
  parseLog?: ParseRecord[],
): Promise<{ index: WorkspaceIndex; skipped: SkippedFile[]; readMs: number; stats: PrepareStats }> {
  const index = new WorkspaceIndex(parsers);
  index.parseLog = parseLog;
  const skipped: SkippedFile[] = [];
  const prefetch = new FactsPrefetch(index, { pool });
  const started = performance.now();
  let count = 0;
  for (const file of readWorkspaceFiles(root, config.exclude)) {
    if (isSkipped(file)) {
      skipped.push(file);
      continue;
    }
    index.set(file);
    prefetch.offer(file.path);
    if (++count % YIELD_EVERY === 0) {
      prefetch.flush();
      // Let the pool hear back from the workers and hand out more work.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const readMs = performance.now() - started;
  const stats = await prefetch.finish(config);
  return { index, skipped, readMs, stats };
}

/**
 * A Python file the chains will most likely read, and whose facts need no
 * layout: a non-template `__init__.py` that re-exports a backend module (the
 * likely dispatcher), a file pytest collects by its name (`TEST_FILE`), or a
 * template `__init__.py` without `{% %}` tags (a likely wrapper, whose
 * projection is the same text for every variant).
 */
function isLikelyRead(path: string, text: string, template: boolean): boolean {
  const packageInit = path === '__init__.py' || path.endsWith('/__init__.py');
  if (template) return packageInit && !text.includes('{%');
  return (packageInit && text.includes('_backend_module')) || TEST_FILE.test(path);
}

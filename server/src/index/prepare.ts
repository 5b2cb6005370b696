import * as path from 'path';
import type { Config } from '../layout/config';
import { detectLayout, Layout, TEST_FILE } from '../layout/detect';
import type { LanguageId, Parsers } from '../parsing/parsers';
import { isTemplatePath, TemplateVars } from '../parsing/template';
import { walkFiles } from './discover';
import { internStrings } from './intern';
import { readSourceFile } from './load';
import { ParsePool } from './parse-pool';
import type { SkippedFile } from './source';
import { isSkipped, languageOf } from './source';
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

export interface ReadOptions {
  /** Whether a file read is still wanted (default: every one). A file set or deleted in the index meanwhile is never overwritten. */
  accept?(rel: string): boolean;
  /** Files read on the main thread may let go of their texts and read them back (`SourceFile.release`). */
  releasable?: boolean;
  /** A file that is not indexed, and why (it is deleted from the index). */
  skipped?(file: SkippedFile): void;
  /** Files read so far, of all. */
  progress?(done: number, total: number): void;
}

/** Rust files a worker reads per job. */
const READ_BATCH = 32;

/**
 * Longest stretch (ms) the main thread works between two turns of the event
 * loop while the workers parse: a worker's answer waits that long at most to be
 * taken, and the jobs it makes room for to be handed out.
 */
const SLICE_MS = 4;

/** Time slices of the main thread's own work while the workers run: `due()` after `SLICE_MS`, then `yield()`. */
class Slices {
  private started = performance.now();
  due(): boolean {
    return performance.now() - this.started >= SLICE_MS;
  }
  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }
}

type Wanted = [path: string, language: LanguageId, vars: TemplateVars];

/**
 * Computes, on a pool of worker threads, the facts the coming `runChecks` will
 * ask for, and hands them to the index (`prefetch`), so the synchronous check
 * finds them there. They count as parsed when the check first asks for them,
 * so `parseCount` and `parseLog` end up exactly as without this step.
 *
 * 1. `read`: the workers read the plain Rust files themselves, and compute
 *    the facts of those that may hold bindings (their facts also give the
 *    `mod` tree) or scan the `mod` lines of the others. The other files are
 *    read on the main thread and `offer`ed: the likely dispatcher, the likely
 *    test files and the likely wrapper templates (when they have no `{% %}`
 *    tags, so that their projection is the same for every variant) go out at
 *    once. (Files already in the index can be offered too: `prepareFacts`.)
 *    Rust files go out as the listing finds them (`paths` may be the walk
 *    itself, `walkFiles`), so the workers start before it ends; the likely
 *    crate roots (`src/lib.rs`) go out on their own, before anything else.
 *    The main thread works in slices of `SLICE_MS` so that answers are taken
 *    and jobs handed out while it reads.
 * 2. `finish`: meanwhile the main thread scans the `mod` lines of the Rust
 *    files it read itself. Once the crate roots are in, a first layout pass
 *    on what is read so far (the #[pymodule]s, and so the variants, are most
 *    often in the root) names the wrappers: their projections per variant
 *    (templates with `{% %}` tags included) go out while the workers still
 *    read Rust files. As soon as the Rust files are done, the layout pass
 *    (which finds the Rust facts ready) tells which Python and TOML files the
 *    chains read: wrappers (per variant, projected), dispatcher, tests, build
 *    scripts, Cargo and pyproject files. Those not done or under way yet go
 *    out while the workers may still be on the guessed ones. Meanwhile the
 *    main thread computes what it can of the check (`finish`'s `ahead`):
 *    the Rust part of the chains at once, the rest but for the tests once
 *    the texts other than tests are in.
 *
 * The time `finish` spends waiting for the workers is added to `index.parseMs`.
 * Without workers (none could start) nothing happens here.
 */
export class FactsPrefetch {
  private readonly pool: ParsePool;
  private readonly ownPool: boolean;
  private readonly jobsBefore: number;
  private readonly started = performance.now();
  private readonly batch: Wanted[] = [];
  /** Runs of Rust files (the layout waits for these) and of other files (guessed ahead). */
  private readonly rustRuns: Promise<void>[] = [];
  private readonly otherRuns: Promise<void>[] = [];
  /** The runs of Rust files that hold the likely crate roots. */
  private readonly rootRuns: Promise<void>[] = [];
  /** Rust files without bindings, for the `mod` scan. */
  private readonly others: string[] = [];
  /** Texts sent, by path, so that none goes out twice, and the runs that hand their facts to the index. */
  private readonly sent = new Map<string, Map<string, Promise<void>>>();
  /**
   * One string per value for the facts that come from the workers, which
   * hold a copy of every name per occurrence (a structured clone copies every
   * string): interned as they come, the copies die young, and only one of each
   * is kept (see `internStrings`).
   */
  private readonly strings = new Map<string, string>();

  constructor(
    private readonly index: WorkspaceIndex,
    options: PrepareOptions = {},
  ) {
    this.pool = options.pool ?? ParsePool.start(index.parsers.dir, options.workers);
    this.ownPool = !options.pool;
    this.jobsBefore = this.pool.jobsDone;
  }

  /**
   * Reads files under root into the index: plain Rust files on the workers,
   * which read, decode and scan them or compute their facts (see
   * `WorkspaceIndex.setRead`), the rest here (and `offer`s them). Without
   * workers, everything is read here. The workers' part is done when
   * `finish` returns.
   */
  async read(root: string, paths: Iterable<string>, options: ReadOptions = {}): Promise<void> {
    const { index } = this;
    const since = index.changeCount;
    const wanted = (rel: string) => (options.accept?.(rel) ?? true) && !index.changedSince(rel, since);
    let done = 0;
    let total = 0;
    const report = (n: number) => {
      done += n;
      options.progress?.(done, total);
    };
    const skipped = (rel: string, reason: string) => {
      index.delete(rel);
      options.skipped?.({ path: rel, reason });
    };
    const here = (rel: string) => {
      if (!wanted(rel)) return;
      const file = readSourceFile(root, rel, options.releasable);
      if (isSkipped(file)) return skipped(rel, file.reason);
      index.set(file);
      this.offer(rel);
    };
    const onWorkers = (rels: string[], urgent = false) => {
      const run = this.pool.read(rels.map((rel) => ({ rel, absolute: path.join(root, rel) })), urgent).then((reads) => {
        rels.forEach((rel, j) => {
          const r = reads?.[j];
          if (!r || 'failed' in r) here(rel);
          else if (!wanted(rel)) return;
          else if ('skipped' in r) skipped(rel, r.skipped);
          else {
            if ('facts' in r) internStrings(r.facts, this.strings);
            index.setRead(r, path.join(root, rel));
          }
        });
        report(rels.length);
      });
      this.rustRuns.push(run);
      if (urgent) this.rootRuns.push(run);
    };
    // Plain Rust files go to the workers as they are listed, the likely crate
    // roots each on its own and first, so that `finish` can guess the layout early.
    const onMain: string[] = [];
    let rust: string[] = [];
    for (const rel of paths) {
      total++;
      if (!this.pool.size || languageOf(rel) !== 'rust' || isTemplatePath(rel)) onMain.push(rel);
      else if (isLikelyCrateRoot(rel)) onWorkers([rel], true);
      else if (rust.push(rel) === READ_BATCH) {
        onWorkers(rust);
        rust = [];
      }
    }
    if (rust.length) onWorkers(rust);
    const slices = new Slices();
    let unreported = 0;
    for (const rel of onMain) {
      here(rel);
      unreported++;
      if (slices.due()) {
        report(unreported);
        unreported = 0;
        this.flush();
        // Let the pool hear back from the workers and hand out more work.
        await slices.yield();
      }
    }
    report(unreported);
    this.flush();
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

  /**
   * Waits for everything offered, then computes what the layout says the
   * chains read; closes a pool it started. `ahead`: work for this thread,
   * given that layout, while the workers are still at work (see `checkAhead`):
   * `rust` once the Rust files are in and the layout's last texts have gone
   * out (the workers are then on Python files); `beforeTests` once the texts
   * other than tests are in too.
   */
  async finish(config: Config, ahead?: AheadWork): Promise<PrepareStats> {
    const { index, pool } = this;
    const finishStarted = performance.now();
    let notParsing = 0;
    try {
      if (!pool.size) {
        // Files handed to workers that have all gone since are read here (`read`): wait for that.
        await Promise.all(this.rustRuns);
        index.sortPaths();
        return this.stats();
      }
      this.flush();
      const scanStarted = performance.now();
      const slices = new Slices();
      for (const rel of this.others) {
        index.modDeclarations(rel);
        if (slices.due()) await slices.yield();
      }
      notParsing += performance.now() - scanStarted;
      // A first layout from the crate roots and the files read so far: the
      // wrappers it names, projected per variant, are the biggest texts the
      // chains read after the Rust files, so they go out now, not after them.
      await Promise.all(this.rootRuns);
      notParsing += this.layoutWants(config, (wanted) => this.otherRuns.push(this.run(wanted.filter((w) => w[1] === 'python')))).ms;
      await Promise.all(this.rustRuns);
      // Files read on the workers came in as they were done.
      index.sortPaths();
      // The Python files guessed ahead may still be parsing: what the layout wants goes out meanwhile (biggest first).
      let last: Promise<void> = Promise.resolve();
      let wantedLast: Wanted[] = [];
      const final = this.layoutWants(config, (wanted) => {
        last = this.run(wanted);
        wantedLast = wanted;
      });
      notParsing += final.ms;
      if (ahead) {
        let started = performance.now();
        // Answers are not taken while this thread is busy: the workers get all that is left first.
        this.pool.handOutAll();
        ahead.rust(index, final.layout);
        notParsing += performance.now() - started;
        const tests = new Set(final.layout.projects.flatMap((p) => p.tests));
        await this.whenDone(wantedLast.filter(([path]) => !tests.has(path)));
        started = performance.now();
        this.pool.handOutAll();
        ahead.beforeTests(index, final.layout);
        notParsing += performance.now() - started;
      }
      await Promise.all([last, ...this.otherRuns]);
      return this.stats();
    } finally {
      if (this.ownPool) await pool.close();
      index.parseMs += performance.now() - finishStarted - notParsing;
    }
  }

  /**
   * Detects the layout of the index as it is and hands `send` the texts its
   * chains read: wrappers (per variant, projected), dispatcher, tests, build
   * scripts, Cargo and pyproject files. Returns the layout, and the time
   * spent other than parsing (the layout parses the TOML files it reads).
   */
  private layoutWants(config: Config, send: (wanted: Wanted[]) => void): { layout: Layout; ms: number } {
    const { index } = this;
    const started = performance.now();
    const parseMsBefore = index.parseMs;
    const layout = detectLayout(index, config);
    const ms = performance.now() - started - (index.parseMs - parseMsBefore);
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
    send(wanted);
    return { layout, ms };
  }

  private stats(): PrepareStats {
    return { workers: this.pool.size, prefetched: this.pool.jobsDone - this.jobsBefore, ms: performance.now() - this.started };
  }

  /** Sends the texts not parsed or sent yet to the pool (each distinct text once) and hands the facts to the index. */
  private run(wanted: Wanted[]): Promise<void> {
    const { index } = this;
    const pending: PendingParse[] = [];
    const runs: Map<string, Promise<void>>[] = [];
    for (const [path, language, vars] of wanted) {
      const p = index.pendingParse(path, language, vars);
      if (!p) continue;
      const texts = this.sent.get(path) ?? new Map<string, Promise<void>>();
      this.sent.set(path, texts);
      if (texts.has(p.text)) continue;
      pending.push(p);
      runs.push(texts);
    }
    if (!pending.length) return Promise.resolve();
    const done = this.pool.run(pending.map((p) => ({ language: p.language, text: p.text }))).then((outcomes) => {
      outcomes.forEach((o, i) => {
        if (o) index.prefetch(pending[i].file, pending[i].text, { facts: internStrings(o.facts, this.strings) });
      });
    });
    pending.forEach((p, i) => runs[i].set(p.text, done));
    return done;
  }

  /** Resolves once the facts of these texts are in the index (or will never come from the workers). */
  private async whenDone(wanted: Wanted[]): Promise<void> {
    const runs = new Set<Promise<void>>();
    for (const [path, language, vars] of wanted) {
      const p = this.index.pendingParse(path, language, vars);
      const run = p && this.sent.get(path)?.get(p.text);
      if (run) runs.add(run);
    }
    await Promise.all(runs);
  }
}

/** Work for the main thread while the workers are still at work (see `FactsPrefetch.finish`, and `checkAhead` in engine.ts). */
export interface AheadWork {
  rust(index: WorkspaceIndex, layout: Layout): void;
  beforeTests(index: WorkspaceIndex, layout: Layout): void;
}

/** Prepares the facts of every file of an index already loaded (see `FactsPrefetch`). */
export async function prepareFacts(index: WorkspaceIndex, config: Config, options: PrepareOptions = {}): Promise<PrepareStats> {
  const prefetch = new FactsPrefetch(index, options);
  for (const p of index.paths()) prefetch.offer(p);
  return prefetch.finish(config);
}

/**
 * Reads every candidate file under root into a fresh index, as `loadWorkspace`
 * does, and prepares their facts (`prepareFacts`) while reading: the workers
 * read the Rust files themselves (`FactsPrefetch.read`). `parseLog`: given to
 * the index (see `WorkspaceIndex.parseLog`) before anything is parsed.
 * `ahead`: see `FactsPrefetch.finish` (`checkAhead`).
 */
export async function loadWorkspacePrepared(
  root: string,
  parsers: Parsers,
  config: Config,
  pool: ParsePool,
  parseLog?: ParseRecord[],
  ahead?: AheadWork,
): Promise<{ index: WorkspaceIndex; skipped: SkippedFile[]; readMs: number; stats: PrepareStats }> {
  const index = new WorkspaceIndex(parsers);
  index.parseLog = parseLog;
  const skipped: SkippedFile[] = [];
  const prefetch = new FactsPrefetch(index, { pool });
  const started = performance.now();
  await prefetch.read(root, walkFiles(root, { exclude: config.exclude }), { skipped: (s) => skipped.push(s) });
  const readMs = performance.now() - started;
  const stats = await prefetch.finish(config, ahead);
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { index, skipped, readMs, stats };
}

/** `src/lib.rs` of a crate: where the layout finds the crate and, most often, its #[pymodule]s. */
function isLikelyCrateRoot(rel: string): boolean {
  return rel === 'src/lib.rs' || rel.endsWith('/src/lib.rs');
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

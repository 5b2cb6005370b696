import type { Config } from '../layout/config';
import { detectLayout } from '../layout/detect';
import type { LanguageId } from '../parsing/parsers';
import type { TemplateVars } from '../parsing/template';
import { ParsePool } from './parse-pool';
import type { PendingParse, WorkspaceIndex } from './workspace-index';

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

/**
 * Computes, on a pool of worker threads, the facts the coming `runChecks` will
 * ask for, and hands them to the index (`prefetch`), so the synchronous check
 * finds them there. They count as parsed when the check first asks for them,
 * so `parseCount` and `parseLog` end up exactly as without this step.
 *
 * 1. The Rust files that may hold bindings (their facts also give the `mod`
 *    tree); meanwhile the main thread scans the `mod` lines of the others.
 * 2. After a layout pass (which then finds the Rust facts ready), the Python
 *    and TOML files the chains read: wrappers (per variant, projected),
 *    dispatcher, tests, build scripts, Cargo and pyproject files.
 *
 * The time spent waiting for the workers is added to `index.parseMs`.
 * Without workers (none could start) nothing happens here.
 */
export async function prepareFacts(index: WorkspaceIndex, config: Config, options: PrepareOptions = {}): Promise<PrepareStats> {
  const started = performance.now();
  let notParsing = 0;
  const pool = options.pool ?? ParsePool.start(index.parsers.dir, options.workers);
  const jobsBefore = pool.jobsDone;
  const keepParsed = !!index.parseLog;
  const generation = index.generation;
  try {
    if (!pool.size) return { workers: 0, prefetched: 0, ms: performance.now() - started };

    const first: [string, LanguageId, TemplateVars][] = [];
    const others: string[] = [];
    for (const p of index.paths()) {
      const file = index.get(p)!;
      if (file.language === 'rust') {
        if (index.mayHoldBindings(p)) first.push([p, 'rust', {}]);
        else others.push(p);
      } else if (isLikelyDispatcher(p, file.text, file.template)) {
        // The dispatcher is the biggest Python file by far: started now, it does not hold up the second phase.
        first.push([p, 'python', {}]);
      }
    }
    const phase1 = run(index, pool, first, keepParsed);
    const scanStarted = performance.now();
    for (let i = 0; i < others.length; i++) {
      index.modDeclarations(others[i]);
      if ((i + 1) % MOD_SCAN_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    notParsing += performance.now() - scanStarted;
    await phase1;
    // The index changed while the workers parsed (an editor): the next check reads what it needs itself.
    if (index.generation !== generation) return stats();

    const layoutStarted = performance.now();
    const parseMsBefore = index.parseMs;
    const layout = detectLayout(index, config);
    notParsing += performance.now() - layoutStarted - (index.parseMs - parseMsBefore);

    const wanted: [string, LanguageId, TemplateVars][] = [];
    for (const project of layout.projects) {
      for (const wrapper of project.wrappers) for (const l of wrapper.variants) wanted.push([wrapper.path, 'python', l.variant.vars]);
      if (project.dispatcher) wanted.push([project.dispatcher, 'python', {}]);
      for (const p of [...project.tests, ...project.buildScripts]) wanted.push([p, 'python', {}]);
      for (const p of [...project.cargoFiles, ...project.pyprojectFiles]) {
        wanted.push([p, 'toml', {}]);
        for (const l of project.variants) wanted.push([p, 'toml', l.variant.vars]);
      }
    }
    await run(index, pool, wanted, keepParsed);
    return stats();
  } finally {
    if (!options.pool) await pool.close();
    index.parseMs += performance.now() - started - notParsing;
  }

  function stats(): PrepareStats {
    return { workers: pool.size, prefetched: pool.jobsDone - jobsBefore, ms: performance.now() - started };
  }
}

/**
 * A non-template `__init__.py` that re-exports a backend module: what layout
 * detection will most likely pick as the dispatcher. Its facts are computed
 * ahead; if the guess is wrong, they are never asked for and never count as parsed.
 */
function isLikelyDispatcher(path: string, text: string, template: boolean): boolean {
  return !template && (path === '__init__.py' || path.endsWith('/__init__.py')) && text.includes('_backend_module');
}

/** Sends the texts not parsed yet to the pool (each distinct text once) and hands the facts to the index. */
async function run(index: WorkspaceIndex, pool: ParsePool, wanted: [string, LanguageId, TemplateVars][], keepParsed: boolean): Promise<void> {
  const pending: PendingParse[] = [];
  const seen = new Map<string, Set<string>>();
  for (const [path, language, vars] of wanted) {
    const p = index.pendingParse(path, language, vars);
    if (!p) continue;
    const texts = seen.get(path) ?? new Set<string>();
    seen.set(path, texts);
    if (texts.has(p.text)) continue;
    texts.add(p.text);
    pending.push(p);
  }
  if (!pending.length) return;
  const outcomes = await pool.run(pending.map((p) => ({ language: p.language, text: p.text })), keepParsed);
  outcomes.forEach((o, i) => {
    if (o) index.prefetch(pending[i].file, pending[i].text, { facts: o.facts, parsed: o.parsed });
  });
}

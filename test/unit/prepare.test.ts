import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { addTests, buildChain, Chain } from '../../server/src/chain/build';
import { checkAhead, checkWorkspace, prepareCheck, runChecks } from '../../server/src/engine';
import { RULES } from '../../server/src/rules/registry';
import { detectLayout } from '../../server/src/layout/detect';
import { loadWorkspace } from '../../server/src/index/load';
import { parsedText } from '../../server/src/index/disk-read';
import { nextJobFor, ParsePool, QueuedJob, QUEUED_TEXT } from '../../server/src/index/parse-pool';
import { FactsPrefetch, loadWorkspacePrepared, prepareFacts } from '../../server/src/index/prepare';
import { makeSourceFile } from '../../server/src/index/source';
import type { ParseRecord, WorkspaceIndex } from '../../server/src/index/workspace-index';
import { loadConfig } from '../../server/src/layout/load-config';
import { Parsers } from '../../server/src/parsing/parsers';
import { projectTemplate } from '../../server/src/parsing/template';
import { indexFiles, readFixture, REPO, temporaryFolders, writeFixture } from './helpers/workspace';

const WORKSPACES = ['examples/cloaca', 'test/fixtures/realbuild'];

function load(parsers: Parsers, dir: string): { index: WorkspaceIndex; config: ReturnType<typeof loadConfig>; log: ParseRecord[] } {
  const root = path.join(REPO, dir);
  const config = loadConfig(parsers, root);
  const { index } = loadWorkspace(root, parsers, config.exclude);
  const log: ParseRecord[] = [];
  index.parseLog = log;
  return { index, config, log };
}

const sorted = (log: ParseRecord[]) => log.map((r) => `${r.language}\u0000${parsedText(r)}`).sort();

/** Facts of every file the check read, as the check sees them. */
function factsOf(index: WorkspaceIndex): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of [...index.paths()].sort()) {
    if (index.get(p)!.template) continue;
    const view = index.rust(p) ?? index.python(p) ?? index.toml(p);
    out[p] = view?.facts;
  }
  return out;
}

describe('prepareFacts: facts computed on worker threads before the check', function () {
  this.timeout(60000);
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  for (const dir of WORKSPACES) {
    it(`${dir}: the same findings, texts and facts as the synchronous check, nothing parsed twice`, async () => {
      const sync = load(parsers, dir);
      const expected = runChecks(sync.index, sync.config);

      const par = load(parsers, dir);
      const stats = await prepareFacts(par.index, par.config, { workers: 2 });
      assert.equal(stats.workers, 2);
      assert.ok(stats.prefetched > 0, 'the workers computed facts');
      const actual = runChecks(par.index, par.config);

      assert.deepEqual(JSON.parse(JSON.stringify(actual.findings)), JSON.parse(JSON.stringify(expected.findings)));
      if (dir === 'examples/cloaca') assert.ok(actual.findings.length > 0);
      // The same texts as the synchronous check, each once.
      assert.deepEqual(sorted(par.log), sorted(sync.log));
      assert.equal(par.index.parseCount, new Set(sorted(par.log)).size);
      assert.equal(par.index.parseCount, sync.index.parseCount);
      // Every text a worker parsed was used by the check (the guessed dispatcher included).
      assert.ok(stats.prefetched <= par.index.parseCount);
      // Facts from the workers are the same plain data as the main thread's.
      assert.deepStrictEqual(factsOf(par.index), factsOf(sync.index));
    });
  }

  for (const [dir, mode] of [...WORKSPACES.map((d) => [d, 'thread'] as const), [WORKSPACES[0], 'process'] as const]) {
    it(`${dir}: reading and preparing at once gives the same findings, texts and facts (workers: ${mode === "thread" ? "threads" : "processes"})`, async () => {
      const sync = load(parsers, dir);
      const expected = runChecks(sync.index, sync.config);

      const pool = ParsePool.start(parsers.dir, 2, mode);
      try {
        const log: ParseRecord[] = [];
        const loaded = await loadWorkspacePrepared(path.join(REPO, dir), parsers, sync.config, pool, log);
        assert.ok(loaded.stats.prefetched > 0, 'the workers computed facts');
        assert.deepEqual([...loaded.index.paths()].sort(), [...sync.index.paths()].sort());
        const actual = runChecks(loaded.index, sync.config);
        assert.deepEqual(JSON.parse(JSON.stringify(actual.findings)), JSON.parse(JSON.stringify(expected.findings)));
        assert.deepEqual(sorted(log), sorted(sync.log));
        assert.equal(loaded.index.parseCount, sync.index.parseCount);
        assert.ok(loaded.stats.prefetched <= loaded.index.parseCount, 'every text a worker parsed was used');
        assert.deepStrictEqual(factsOf(loaded.index), factsOf(sync.index));
      } finally {
        await pool.close();
      }
    });
  }

  it('a wrapper template without tags is parsed with the first files, once for every variant', async () => {
    const files = readFixture('examples/cloaca');
    const wrapper = Object.keys(files).find((p) => p.endsWith('{{backend}}/__init__.py'))!;
    // Without its {% if %} blocks the wrapper projects to the same text for every variant.
    files[wrapper] = files[wrapper].replace(/^\{%.*%\}\n/gm, '');
    assert.ok(!files[wrapper].includes('{%'));
    const config = loadConfig(parsers, path.join(REPO, 'examples/cloaca'));
    const sync = indexFiles(parsers, files);
    const syncLog: ParseRecord[] = [];
    sync.parseLog = syncLog;
    const expected = runChecks(sync, config);

    const index = indexFiles(parsers, files);
    const log: ParseRecord[] = [];
    index.parseLog = log;
    const pool = ParsePool.start(parsers.dir, 1);
    try {
      const prefetch = new FactsPrefetch(index, { pool });
      prefetch.offer(wrapper);
      prefetch.flush();
      // The wrapper went out before the layout was known, and its facts serve every variant.
      const pending = () => ['postgres', 'sqlite'].filter((backend) => index.pendingParse(wrapper, 'python', { backend }));
      assert.deepEqual(pending(), ['postgres', 'sqlite']);
      for (let i = 0; i < 2000 && pending().length; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(pending(), []);
      const stats = await prefetch.finish(config);
      assert.ok(stats.prefetched > 0);
      const actual = runChecks(index, config);
      assert.deepEqual(JSON.parse(JSON.stringify(actual.findings)), JSON.parse(JSON.stringify(expected.findings)));
      assert.deepEqual(sorted(log), sorted(syncLog));
      const projected = projectTemplate(files[wrapper], { backend: 'postgres' }).text;
      assert.equal(projectTemplate(files[wrapper], { backend: 'sqlite' }).text, projected);
      assert.equal(log.filter((r) => parsedText(r) === projected).length, 1, 'the wrapper was parsed once');
      assert.ok(stats.prefetched <= index.parseCount, 'every text a worker parsed was used');
    } finally {
      await pool.close();
    }
  });

  it('a wrapper template with {% if %} blocks goes out, per variant, once the crate root is read, before the other Rust files', async () => {
    const root = temporaryFolders('bindings-checklist-prepare-')();
    const files = writeFixture(root, 'examples/cloaca');
    const wrapper = Object.keys(files).find((p) => p.endsWith('{{backend}}/__init__.py'))!;
    assert.match(files[wrapper], /\{% if /);
    // Enough plain Rust files for several read jobs; the crate root sorts after them.
    const lib = Object.keys(files).find((p) => p.endsWith('src/lib.rs'))!;
    fs.writeFileSync(path.join(root, lib), files[lib] + '\nmod aaa;\n');
    fs.mkdirSync(path.join(root, path.dirname(lib), 'aaa'));
    let modLines = '';
    for (let i = 0; i < 100; i++) {
      fs.writeFileSync(path.join(root, path.dirname(lib), 'aaa', `m${i}.rs`), `pub fn helper_${i}() -> u32 {\n    ${i}\n}\n`);
      modLines += `mod m${i};\n`;
    }
    fs.writeFileSync(path.join(root, path.dirname(lib), 'aaa.rs'), modLines);
    const config = loadConfig(parsers, root);
    const sync = loadWorkspace(root, parsers, config.exclude);
    const syncLog: ParseRecord[] = [];
    sync.index.parseLog = syncLog;
    const expected = runChecks(sync.index, config);

    const projections = new Set(['postgres', 'sqlite'].map((backend) => projectTemplate(files[wrapper], { backend }).text));
    assert.equal(projections.size, 2, 'the variants project the wrapper differently');
    const events: string[] = [];
    const pool = ParsePool.start(parsers.dir, 1);
    const run = pool.run.bind(pool);
    const read = pool.read.bind(pool);
    // The other Rust files are answered once the wrappers went out (or after a while, when they do not), however fast the worker.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => release(), 3000);
    pool.run = (jobs) => {
      const wrappers = jobs.filter((j) => projections.has(j.text)).length;
      if (wrappers) {
        events.push(`wrapper x${wrappers}`);
        release();
      }
      return run(jobs);
    };
    pool.read = (refs, urgent) => {
      const rels = refs.map((r) => r.rel);
      if (rels.includes(lib)) events.push('read: crate root');
      return read(refs, urgent).then(async (answer) => {
        if (!rels.includes(lib)) await gate;
        events.push(rels.includes(lib) ? 'answered: crate root' : 'answered: other Rust files');
        return answer;
      });
    };
    try {
      const log: ParseRecord[] = [];
      const loaded = await loadWorkspacePrepared(root, parsers, config, pool, log);
      const answers = events.filter((e) => e.startsWith('answered'));
      assert.ok(answers.length >= 4, `several read jobs: ${events.join(', ')}`);
      assert.equal(answers[0], 'answered: crate root', events.join(', '));
      assert.equal(events[0], 'read: crate root');
      // Both projections went out with the first guess, before the last Rust files came back.
      const sent = events.indexOf('wrapper x2');
      assert.ok(sent > events.indexOf('answered: crate root') && sent < events.lastIndexOf('answered: other Rust files'), events.join(', '));
      const actual = runChecks(loaded.index, config);
      assert.deepEqual(JSON.parse(JSON.stringify(actual.findings)), JSON.parse(JSON.stringify(expected.findings)));
      assert.deepEqual(sorted(log), sorted(syncLog));
      assert.ok(loaded.stats.prefetched <= loaded.index.parseCount, 'every text a worker parsed was used');
    } finally {
      clearTimeout(timer);
      await pool.close();
    }
  });

  it('the Rust part of the chains computed ahead serves the next check once, with the same findings, and not after a change', () => {
    const plain = load(parsers, 'examples/cloaca');
    const expected = runChecks(plain.index, plain.config);
    const { index, config } = load(parsers, 'examples/cloaca');
    const ahead = prepareCheck(index, detectLayout(index, config));
    assert.equal(ahead.length, 1);
    const result = runChecks(index, config);
    // The chain is built on what was computed ahead: its resolver, symbols and variants.
    assert.equal(result.chains[0].resolver, ahead[0].resolver);
    assert.equal(result.chains[0].symbols, ahead[0].symbols);
    assert.equal(result.chains[0].variants[0], ahead[0].variants[0]);
    assert.ok(result.chains[0].variants.every((v) => v.wrappers.length > 0), 'the wrappers were added');
    assert.deepEqual(JSON.parse(JSON.stringify(result.findings)), JSON.parse(JSON.stringify(expected.findings)));
    assert.ok(expected.findings.length > 0);
    // Used once: the next check builds its own.
    assert.notEqual(runChecks(index, config).chains[0].resolver, ahead[0].resolver);

    // Computed, then the index changed: not used, and the check sees the change.
    const lib = [...index.paths()].find((p) => p.endsWith('src/lib.rs'))!;
    const stale = prepareCheck(index, detectLayout(index, config));
    const text = index.get(lib)!.text;
    const edited = text.replace(/^\s*m\.add_class::<[^>]+>\(\)\?;\n/m, '');
    assert.notEqual(edited, text);
    index.set(makeSourceFile(lib, edited)!);
    const after = runChecks(index, config);
    assert.notEqual(after.chains[0].resolver, stale[0].resolver);
    const fresh = load(parsers, 'examples/cloaca');
    fresh.index.set(makeSourceFile(lib, edited)!);
    const expectedAfter = runChecks(fresh.index, fresh.config);
    assert.deepEqual(JSON.parse(JSON.stringify(after.findings)), JSON.parse(JSON.stringify(expectedAfter.findings)));
    assert.notDeepEqual(JSON.parse(JSON.stringify(after.findings)), JSON.parse(JSON.stringify(expected.findings)));
  });

  it('reading and preparing at once computes the Rust part of the check while the workers are on the Python files', async () => {
    const sync = load(parsers, 'examples/cloaca');
    const expected = runChecks(sync.index, sync.config);
    const pool = ParsePool.start(parsers.dir, 2);
    try {
      let ahead: ReturnType<typeof prepareCheck> | undefined;
      const loaded = await loadWorkspacePrepared(path.join(REPO, 'examples/cloaca'), parsers, sync.config, pool, undefined, {
        rust: (index, layout) => (ahead = prepareCheck(index, layout)),
        beforeTests: () => undefined,
      });
      assert.ok(ahead, 'called');
      // Given the layout the check then uses, and nothing changed since.
      const result = runChecks(loaded.index, sync.config);
      assert.equal(result.chains[0].resolver, ahead[0].resolver);
      assert.deepEqual(JSON.parse(JSON.stringify(result.findings)), JSON.parse(JSON.stringify(expected.findings)));
    } finally {
      await pool.close();
    }
  });

  it('a shared pool serves several prepares, and a second prepare finds nothing left to parse', async () => {
    const pool = ParsePool.start(parsers.dir, 1);
    try {
      const par = load(parsers, 'examples/cloaca');
      const first = await prepareFacts(par.index, par.config, { pool });
      assert.ok(first.prefetched > 0);
      runChecks(par.index, par.config);
      const count = par.index.parseCount;
      const second = await prepareFacts(par.index, par.config, { pool });
      assert.equal(second.prefetched, 0);
      runChecks(par.index, par.config);
      assert.equal(par.index.parseCount, count);
    } finally {
      await pool.close();
    }
  });

  it('without workers nothing is prepared and the check parses as before', async () => {
    const sync = load(parsers, 'examples/cloaca');
    const expected = runChecks(sync.index, sync.config);
    const par = load(parsers, 'examples/cloaca');
    const stats = await prepareFacts(par.index, par.config, { workers: 0 });
    assert.deepEqual(stats.workers, 0);
    assert.equal(par.index.parseCount, 0);
    const actual = runChecks(par.index, par.config);
    assert.deepEqual(JSON.parse(JSON.stringify(actual.findings)), JSON.parse(JSON.stringify(expected.findings)));
    assert.equal(par.index.parseCount, sync.index.parseCount);
  });

  it('facts of a file that changed meanwhile are not kept', async () => {
    const { index, config } = load(parsers, 'examples/cloaca');
    const lib = [...index.paths()].find((p) => p.endsWith('src/lib.rs'))!;
    const old = index.get(lib)!;
    const pending = index.pendingParse(lib, 'rust')!;
    assert.equal(pending.text, old.text);
    index.set(makeSourceFile(lib, old.text + '\n// edited\n')!);
    const pool = ParsePool.start(parsers.dir, 1);
    try {
      const [outcome] = await pool.run([{ language: 'rust', text: pending.text }]);
      assert.ok(outcome);
      assert.equal(index.prefetch(old, pending.text, { facts: outcome.facts }), false);
      assert.ok(index.pendingParse(lib, 'rust'), 'the new text is still to parse');
    } finally {
      await pool.close();
    }
    const result = runChecks(index, config);
    assert.ok(result.chains.length > 0);
  });

  for (const mode of ['thread', 'process'] as const) {
    it(`a pool whose workers cannot start ends its jobs without facts (${mode === "thread" ? "threads" : "processes"})`, async () => {
      const pool = ParsePool.start(path.join(REPO, 'no-such-grammars-folder'), 2, mode);
      try {
        const outcomes = await pool.run([{ language: 'python', text: 'x = 1\n' }]);
        assert.deepEqual(outcomes, [undefined]);
        assert.equal(pool.size, 0);
        // Each failure is told, with what went wrong (a check then says so).
        assert.equal(pool.failures.length, 2);
        for (const why of pool.failures) assert.match(why, /no-such-grammars-folder/);
      } finally {
        await pool.close();
      }
    });
  }

  it('a worker on a big job gets jobs queued besides it, up to a limit; the rest wait until handed out', async () => {
    const pool = ParsePool.start(parsers.dir, 1);
    try {
      // One string literal: long, but quick to parse.
      const text = (chars: number) => `"""${'a'.repeat(chars)}"""\n`;
      const small = QUEUED_TEXT / 8;
      const jobs = [{ language: 'python' as const, text: text(3 * QUEUED_TEXT) }, ...Array.from({ length: 20 }, () => ({ language: 'python' as const, text: text(small) }))];
      const done = pool.run(jobs);
      // The big job does not count against what may be queued besides it: about 8 small jobs go out with it.
      const handedOut = jobs.length - pool.waiting;
      assert.ok(handedOut >= 8 && handedOut <= 10, `handed out ${handedOut}`);
      pool.handOutAll();
      assert.equal(pool.waiting, 0);
      const outcomes = await done;
      assert.equal(outcomes.length, jobs.length);
      assert.ok(outcomes.every((o) => o?.facts.language === 'python'));
    } finally {
      await pool.close();
    }
  });

  it('worker processes answer parse and read jobs, and are gone once the pool is closed', async () => {
    const pool = ParsePool.start(parsers.dir, 2, 'process');
    // Child processes of this one that run a script from standard input (`node -`): the pool's.
    const children = () => {
      let pids: string[];
      try {
        pids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
      } catch {
        return 0; // pgrep exits 1 when there is none
      }
      return pids.filter((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1).join(' ') === '-';
        } catch {
          return false;
        }
      }).length;
    };
    try {
      assert.equal(children(), 2);
      const [toml] = await pool.run([{ language: 'toml', text: '[lib]\nname = "x"\n' }]);
      assert.ok(toml && toml.facts.language === 'toml' && toml.facts.root instanceof Map, 'structured clone keeps Maps');
      const lib = path.join(REPO, 'examples/cloaca/cloaca-backend/src/lib.rs');
      const reads = await pool.read([{ rel: 'lib.rs', absolute: lib }, { rel: 'gone.rs', absolute: lib + '.gone' }]);
      assert.ok(reads && 'facts' in reads[0] && reads[0].facts.language === 'rust' && reads[0].facts.modules.length > 0);
      assert.ok(reads && 'skipped' in reads[1]);
    } finally {
      await pool.close();
    }
    assert.equal(children(), 0);
  });
});

describe('nextJobFor: which queued job a worker takes next', () => {
  const read = (urgent = false): QueuedJob => ({ kind: 'read', urgent });
  const parse = (language: 'rust' | 'python' | 'toml'): QueuedJob => ({ kind: 'parse', urgent: false, job: { language } });

  it('an urgent job goes to whichever worker asks first', () => {
    assert.equal(nextJobFor([read(true), parse('python'), read()], true), 0);
    assert.equal(nextJobFor([read(true), parse('python'), read()], false), 0);
  });

  it('the first worker takes the next job, whatever it is', () => {
    assert.equal(nextJobFor([parse('python'), read(), parse('python')], true), 0);
    assert.equal(nextJobFor([read(), parse('python')], true), 0);
  });

  it('the other workers leave Python files alone while Rust files wait to be read', () => {
    assert.equal(nextJobFor([parse('python'), parse('python'), read(), parse('toml')], false), 2);
    assert.equal(nextJobFor([parse('python'), parse('toml'), read()], false), 1);
    assert.equal(nextJobFor([parse('python'), parse('rust')], false), 0);
    assert.equal(nextJobFor([parse('python'), parse('python')], false), 0);
  });

  it('nothing queued, nothing to take', () => {
    assert.equal(nextJobFor([], true), -1);
    assert.equal(nextJobFor([], false), -1);
  });
});

describe('checkAhead: a check computed in stages while the workers parse', function () {
  this.timeout(60000);
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });
  const plain = (findings: unknown) => JSON.parse(JSON.stringify(findings));

  for (const dir of [...WORKSPACES, 'test/fixtures/maturin-basic']) {
    it(`${dir}: the rules that do not read tests find the same without the chain's tests; the others do read them`, () => {
      const { index, config } = load(parsers, dir);
      const layout = detectLayout(index, config);
      const internal = new Set(config.internal);
      const context = { enabled: () => true };
      for (const project of layout.projects) {
        const full = buildChain(index, project, internal);
        const withoutTests = buildChain(index, project, internal, undefined, false);
        assert.equal(withoutTests.tests.length, 0);
        for (const rule of RULES.filter((r) => !r.readsTests)) {
          assert.deepEqual(plain(rule.check(withoutTests, [], context)), plain(rule.check(full, [], context)), rule.id);
        }
        if (dir === 'examples/cloaca') {
          // The example has tests, and a symbol no test references: without the tests, every public symbol lacks one.
          assert.ok(full.tests.length > 0);
          const missingTest = RULES.find((r) => r.id === 'missing-test')!;
          assert.notDeepEqual(plain(missingTest.check(withoutTests, [], context)), plain(missingTest.check(full, [], context)));
        }
        addTests(withoutTests, index);
        assert.deepEqual(withoutTests.tests.map((t) => t.path), full.tests.map((t) => t.path));
        assert.deepEqual([...withoutTests.testReferences].sort(), [...full.testReferences].sort());
      }
    });

    it(`${dir}: the staged check finds what the plain one finds, in the same order`, () => {
      const expected = load(parsers, dir);
      const expectedResult = checkWorkspace(expected.index, expected.config);
      const { index, config } = load(parsers, dir);
      const layout = detectLayout(index, config);
      const ahead = checkAhead(config);
      ahead.rust(index, layout);
      const chains = ahead.beforeTests(index, layout);
      const staged = checkWorkspace(index, config);
      assert.equal(staged.result.chains[0], chains[0], 'the check went on from the staged chains');
      assert.deepEqual(plain(staged.result.findings), plain(expectedResult.result.findings));
      assert.deepEqual(plain(staged.byChain), plain(expectedResult.byChain));
      assert.deepEqual(staged.result.chains.map((c) => c.tests.length), expectedResult.result.chains.map((c) => c.tests.length));
    });
  }

  it('the stages serve one check, and none after a change or with another configuration', () => {
    const { index, config } = load(parsers, 'examples/cloaca');
    const layout = detectLayout(index, config);
    const stage = (c = config) => {
      const ahead = checkAhead(c);
      ahead.rust(index, layout);
      ahead.beforeTests(index, layout);
    };
    stage();
    const first = runChecks(index, config);
    assert.ok(first.findings.length > 0);
    const second = runChecks(index, config);
    assert.deepEqual(plain(second.findings), plain(first.findings));
    assert.notEqual(second.chains[0], first.chains[0]);

    // Computed with another configuration (missing-test off): not used.
    stage({ ...config, rules: { ...config.rules, 'missing-test': 'off' } });
    const other = runChecks(index, config);
    assert.ok(other.findings.some((f) => f.rule === 'missing-test'));
    assert.deepEqual(plain(other.findings), plain(first.findings));

    // Computed, then a test changed: the check sees the change.
    stage();
    const test = [...index.paths()].find((p) => /(^|\/)test_[^/]*\.py$/.test(p) && index.get(p)!.text.includes('cloaca.'))!;
    const text = index.get(test)!.text;
    index.set(makeSourceFile(test, `${text}\n\ndef test_more():\n    assert cloaca.MAX_RETRIES\n`)!);
    const after = runChecks(index, config);
    assert.ok(first.findings.some((f) => f.rule === 'missing-test' && f.symbol === 'MAX_RETRIES'));
    assert.ok(!after.findings.some((f) => f.rule === 'missing-test' && f.symbol === 'MAX_RETRIES'));
  });

  it('read with workers, the staged check finds what the synchronous check finds', async () => {
    for (const dir of WORKSPACES) {
      const sync = load(parsers, dir);
      const expected = runChecks(sync.index, sync.config);
      const pool = ParsePool.start(parsers.dir, 2);
      try {
        let stages = 0;
        let staged: readonly Chain[] = [];
        const ahead = checkAhead(sync.config);
        const loaded = await loadWorkspacePrepared(path.join(REPO, dir), parsers, sync.config, pool, undefined, {
          rust: (index, layout) => {
            stages++;
            ahead.rust(index, layout);
          },
          beforeTests: (index, layout) => {
            stages++;
            staged = ahead.beforeTests(index, layout);
          },
        });
        assert.equal(stages, 2);
        const result = runChecks(loaded.index, sync.config);
        assert.ok(staged.length > 0);
        assert.deepEqual(result.chains, staged, 'the check went on from the staged chains');
        assert.equal(result.chains[0], staged[0]);
        assert.deepEqual(plain(result.findings), plain(expected.findings));
      } finally {
        await pool.close();
      }
    }
  });
});

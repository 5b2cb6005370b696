import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { CheckResult } from '../../server/src/engine';
import { SourceFile, StaleFileError } from '../../server/src/index/source';
import { CHECK_DELAY_MS, checkDelay, FolderState } from '../../server/src/lsp/folder-state';
import { Parsers } from '../../server/src/parsing/parsers';
import { REPO } from './helpers/workspace';

const TASKS = 'cloaca-backend/src/tasks.rs';

describe('a folder whose Rust texts were let go', function () {
  this.timeout(60000);
  let parsers: Parsers;
  let root: string;
  let folder: FolderState;
  const results: CheckResult[] = [];
  const logs: string[] = [];

  before(async () => {
    parsers = await Parsers.load();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-folder-'));
    fs.cpSync(path.join(REPO, 'test/fixtures/realbuild'), root, { recursive: true });
    folder = new FolderState(pathToFileURL(root).toString(), {
      parsers,
      checked: (_f, r) => results.push(r),
      changed: () => undefined,
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    folder.reloadConfig();
    await folder.indexAll(() => undefined);
  });

  after(() => {
    folder.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('checks a change at once when nothing waits for a check, and a burst of changes once', async () => {
    assert.equal(checkDelay(false), 0);
    assert.equal(checkDelay(true), CHECK_DELAY_MS);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // A change when every earlier one was checked: checked on the next turn of the event loop,
    // however soon after the one before it comes.
    await sleep(2 * CHECK_DELAY_MS);
    const before = results.length;
    folder.scheduleCheck();
    await sleep(0);
    assert.equal(results.length, before + 1, 'checked at once');
    folder.scheduleCheck();
    await sleep(0);
    assert.equal(results.length, before + 2, 'checked at once right after the check before');
    // Five changes in a row: the first would be checked at once, but the others come while it waits,
    // so the check waits for them to stop, and runs once.
    for (let i = 0; i < 5; i++) folder.scheduleCheck();
    await sleep(0);
    assert.equal(results.length, before + 2, 'a burst is not checked while it lasts');
    await sleep(5 * CHECK_DELAY_MS);
    assert.equal(results.length, before + 3, 'five changes in a row, one check');
  });

  it('lets go of the Rust texts no finding points into once indexed', () => {
    assert.equal(results.at(-1)!.findings.length, 0);
    for (const p of folder.index.paths()) {
      const file = folder.index.get(p)!;
      assert.equal(file.holdsText, file.language === 'rust' ? false : true, p);
    }
  });

  it('reads a file that changed on disk unannounced again, and starts over', () => {
    const text = fs.readFileSync(path.join(root, TASKS), 'utf8');
    fs.writeFileSync(path.join(root, TASKS), `// header\n${text}`);
    let runs = 0;
    const seen = folder.fresh(() => {
      runs++;
      return folder.index.get(TASKS)!.text;
    });
    assert.equal(runs, 2);
    assert.equal(seen, `// header\n${text}`);
    assert.ok(logs.some((l) => /tasks\.rs changed on disk since it was read; reading it again/.test(l)), logs.join('\n'));
    fs.writeFileSync(path.join(root, TASKS), text);
    folder.fileChanged(TASKS, 'changed');
  });

  it('gives up on a file that keeps changing, with the error', () => {
    const stale = { path: TASKS, language: 'rust', template: false, version: null, holdsText: false, lines: () => { throw new StaleFileError(TASKS, 'changed on disk'); } } as unknown as SourceFile;
    Object.defineProperty(stale, 'text', { get: () => { throw new StaleFileError(TASKS, 'changed on disk'); } });
    const keep = folder.index.get(TASKS)!;
    let runs = 0;
    assert.throws(() => folder.fresh(() => {
      runs++;
      folder.index.set(stale);
      return folder.index.get(TASKS)!.text;
    }), StaleFileError);
    assert.equal(runs, 4, 'three times read again, then the error');
    folder.index.set(keep);
  });
});

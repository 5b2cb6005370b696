import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runChecks } from '../../server/src/engine';
import { parsedText, readRustFile, RustFileRead } from '../../server/src/index/disk-read';
import { extractFacts, parseInputOf } from '../../server/src/index/extract';
import { scanModDeclarations } from '../../server/src/index/mod-scan';
import type { RustFacts } from '../../server/src/facts/types';
import { ParsePool } from '../../server/src/index/parse-pool';
import { FactsPrefetch } from '../../server/src/index/prepare';
import { digestOf, makeSourceFile, MAX_FILE_BYTES, StaleFileError } from '../../server/src/index/source';
import { WorkspaceIndex } from '../../server/src/index/workspace-index';
import { loadConfig } from '../../server/src/layout/load-config';
import { Parsers } from '../../server/src/parsing/parsers';
import { indexFiles, readFixture, temporaryFolders, writeFixture } from './helpers/workspace';

const LIB = 'cloaca-backend/src/lib.rs';
const TASKS = 'cloaca-backend/src/tasks.rs';

function write(root: string, rel: string, data: string | number[]): string {
  const absolute = path.join(root, rel);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, typeof data === 'string' ? data : new Uint8Array(data));
  return absolute;
}

const ref = (root: string, rel: string) => ({ rel, absolute: path.join(root, rel) });

describe('Rust files read off the main thread', function () {
  this.timeout(60000);
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });
  const folder = temporaryFolders('bindings-disk-read-');
  /** The example workspace copied to a temporary folder. */
  const copyExample = () => {
    const root = folder();
    writeFixture(root, 'examples/cloaca');
    return root;
  };

  describe('readRustFile', () => {
    it('gives the facts of a file that may hold bindings, as the main thread computes them', () => {
      const root = copyExample();
      const text = fs.readFileSync(path.join(root, TASKS), 'utf8');
      const read = readRustFile(parsers, ref(root, TASKS));
      assert.ok('facts' in read, JSON.stringify(read).slice(0, 200));
      assert.deepStrictEqual(read.facts, extractFacts(parsers, 'rust', parseInputOf('rust', text)));
      assert.ok((read.facts as RustFacts).items.length > 0);
      assert.deepEqual(read.released, { length: text.length, digest: digestOf(text) });
      assert.equal(read.readonlyReason, undefined);
    });

    it('gives only the `mod` lines of a file that cannot hold bindings', () => {
      const root = folder();
      const text = '//! Plain Rust.\n#[cfg(feature = "postgres")]\npub mod store;\nmod util;\n// mod commented;\nfn f() -> u32 { 1 }\n';
      write(root, 'src/plain.rs', text);
      const read = readRustFile(parsers, ref(root, 'src/plain.rs'));
      assert.ok('mods' in read && !('facts' in read));
      assert.deepStrictEqual(read.mods, scanModDeclarations(text));
      assert.deepEqual(
        read.mods.map((m) => [m.name, m.cfg]),
        [
          ['store', [{ kind: 'feature', name: 'postgres' }]],
          ['util', []],
        ],
      );
      assert.deepEqual(read.released, { length: text.length, digest: digestOf(text) });
    });

    it('skips binary and unreadable files with a reason, and reads other encodings as Latin-1, never to be edited', () => {
      const root = folder();
      write(root, 'src/blob.rs', [0x23, 0x5b, 0x00, 0x01, 0x70, 0x79]);
      write(root, 'src/latin.rs', [...Buffer.from('// caf\xe9\n#[pyfunction]\nfn caf\xe9_count() -> u32 { 1 }\n', 'latin1')]);
      assert.deepEqual(readRustFile(parsers, ref(root, 'src/blob.rs')), { rel: 'src/blob.rs', skipped: 'skipped: binary file' });
      const gone = readRustFile(parsers, ref(root, 'src/gone.rs'));
      assert.ok('skipped' in gone && /^skipped: ENOENT/.test(gone.skipped), JSON.stringify(gone));
      const latin = readRustFile(parsers, ref(root, 'src/latin.rs'));
      assert.ok('facts' in latin);
      assert.match(latin.readonlyReason ?? '', /not valid UTF-8/);
      assert.deepEqual(
        (latin.facts as RustFacts).items.map((i) => i.rustName),
        ['caf\xe9_count'],
      );
    });

    it('reads files of any size whole, one after the other, and skips one larger than the limit', () => {
      const root = folder();
      const sizes = [0, 1, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 700 * 1024, 3];
      const texts = sizes.map((n, i) => `mod m${i};\n`.concat('/'.repeat(Math.max(0, n - 8))).slice(0, Math.max(n, 0)));
      texts.forEach((t, i) => write(root, `src/f${i}.rs`, t));
      texts.forEach((t, i) => {
        const read = readRustFile(parsers, ref(root, `src/f${i}.rs`));
        assert.ok('released' in read, JSON.stringify(read).slice(0, 100));
        assert.deepEqual(read.released, { length: t.length, digest: digestOf(t) }, `file of ${t.length} bytes`);
      });
      write(root, 'src/huge.rs', '// x\n'.repeat(Math.ceil((MAX_FILE_BYTES + 10) / 5)));
      assert.deepEqual(readRustFile(parsers, ref(root, 'src/huge.rs')), { rel: 'src/huge.rs', skipped: `skipped: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` });
      // The next file after a huge one is read whole again.
      const again = readRustFile(parsers, ref(root, 'src/f3.rs'));
      assert.ok('released' in again && again.released.length === texts[3].length);
    });
  });

  describe('parsedText', () => {
    it("gives a record's own text, or its file's decoded as a worker decodes it; throws when the file is gone", () => {
      const root = folder();
      const latin = write(root, 'src/latin.rs', [...Buffer.from('// caf\xe9\n#[pyfunction]\nfn f() {}\n', 'latin1')]);
      const bom = write(root, 'src/bom.rs', '\ufeff#[pyfunction]\nfn g() {}\n');
      assert.equal(parsedText({ language: 'python', text: 'x = 1\n' }), 'x = 1\n');
      assert.equal(parsedText({ language: 'rust', file: latin }), '// caf\xe9\n#[pyfunction]\nfn f() {}\n');
      // As the index reads a file: a UTF-8 BOM is not part of the text.
      assert.equal(parsedText({ language: 'rust', file: bom }), '#[pyfunction]\nfn g() {}\n');
      assert.throws(() => parsedText({ language: 'rust', file: path.join(root, 'src/gone.rs') }), /ENOENT/);
    });
  });

  describe('WorkspaceIndex.setRead', () => {
    it('holds the file without its text, reads it back when asked, and lets it go again', () => {
      const root = copyExample();
      const index = new WorkspaceIndex(parsers);
      const read = readRustFile(parsers, ref(root, TASKS)) as RustFileRead;
      index.setRead(read, path.join(root, TASKS));
      const file = index.get(TASKS)!;
      assert.equal(file.holdsText, false);
      assert.ok(index.mayHoldBindings(TASKS));
      // Its facts are there without the text.
      assert.ok(index.rust(TASKS)!.facts.items.length > 0);
      assert.equal(file.holdsText, false);
      assert.equal(index.parseCount, 1, 'the facts count as parsed when first asked for');
      assert.equal(file.text, fs.readFileSync(path.join(root, TASKS), 'utf8'));
      assert.equal(file.holdsText, true);
      assert.equal(index.releaseTexts(), 1);
      assert.equal(file.holdsText, false);
      // Changed on disk unannounced: reading it back tells.
      fs.appendFileSync(path.join(root, TASKS), '\n// changed\n');
      assert.throws(() => file.text, StaleFileError);
    });

    it('a file that cannot hold bindings gives its `mod` lines without its text', () => {
      const root = copyExample();
      const index = new WorkspaceIndex(parsers);
      write(root, 'cloaca-backend/src/plain.rs', 'mod inner;\n');
      index.setRead(readRustFile(parsers, ref(root, 'cloaca-backend/src/plain.rs')) as RustFileRead, path.join(root, 'cloaca-backend/src/plain.rs'));
      assert.equal(index.mayHoldBindings('cloaca-backend/src/plain.rs'), false);
      assert.deepEqual(
        index.modDeclarations('cloaca-backend/src/plain.rs').map((m) => m.name),
        ['inner'],
      );
      assert.equal(index.get('cloaca-backend/src/plain.rs')!.holdsText, false);
    });
  });

  describe('FactsPrefetch.read', () => {
    it('gives the synchronous check\'s findings, with the files in path order', async () => {
      const root = copyExample();
      const config = loadConfig(parsers, root);
      const expected = runChecks(indexFiles(parsers, readFixture('examples/cloaca')), config);
      const index = new WorkspaceIndex(parsers);
      const pool = ParsePool.start(parsers.dir, 2);
      try {
        const prefetch = new FactsPrefetch(index, { pool });
        const paths = Object.keys(readFixture('examples/cloaca')).sort();
        const progress: number[] = [];
        await prefetch.read(root, paths, { progress: (done, total) => (assert.equal(total, paths.length), progress.push(done)) });
        await prefetch.finish(config);
        assert.deepEqual([...index.paths()], paths);
        assert.equal(progress.at(-1), paths.length);
        assert.ok(
          paths.filter((p) => p.endsWith('.rs')).every((p) => index.get(p)!.holdsText === false),
          'the Rust files were read on the workers',
        );
      } finally {
        await pool.close();
      }
      const actual = runChecks(index, config);
      assert.ok(expected.findings.length > 0);
      assert.deepEqual(JSON.parse(JSON.stringify(actual.findings)), JSON.parse(JSON.stringify(expected.findings)));
    });

    it('never overwrites a file set or deleted while the workers read it, nor one not accepted', async () => {
      const root = copyExample();
      const config = loadConfig(parsers, root);
      const index = new WorkspaceIndex(parsers);
      const pool = ParsePool.start(parsers.dir, 1);
      const buffer = fs.readFileSync(path.join(root, LIB), 'utf8') + '\n// typed in the editor\n';
      const paths = Object.keys(readFixture('examples/cloaca')).sort();
      const rejected = paths.find((p) => p.endsWith('.rs') && p !== LIB && p !== TASKS)!;
      const skipped: string[] = [];
      try {
        const prefetch = new FactsPrefetch(index, { pool });
        const reading = prefetch.read(root, paths, { accept: (rel) => rel !== rejected, skipped: (s) => skipped.push(s.path) });
        // Meanwhile (the workers have not answered yet): an editor buffer, a deletion.
        index.set(makeSourceFile(LIB, buffer, 3)!);
        index.delete(TASKS);
        await reading;
        await prefetch.finish(config);
      } finally {
        await pool.close();
      }
      assert.equal(index.get(LIB)!.text, buffer);
      assert.equal(index.get(LIB)!.version, 3);
      assert.equal(index.has(TASKS), false);
      assert.equal(index.has(rejected), false);
      assert.deepEqual(skipped, []);
      assert.ok(index.has(paths.find((p) => p.endsWith('.py'))!));
    });

    it('without workers reads every file on the main thread', async () => {
      const root = copyExample();
      const index = new WorkspaceIndex(parsers);
      const pool = ParsePool.start(parsers.dir, 0);
      try {
        const prefetch = new FactsPrefetch(index, { pool });
        const paths = Object.keys(readFixture('examples/cloaca')).sort();
        await prefetch.read(root, paths);
        await prefetch.finish(loadConfig(parsers, root));
        assert.deepEqual([...index.paths()], paths);
        assert.equal(index.get(LIB)!.text, fs.readFileSync(path.join(root, LIB), 'utf8'));
        assert.notEqual(index.get(LIB)!.holdsText, false);
        assert.equal(index.parseCount, 0);
      } finally {
        await pool.close();
      }
    });
  });
});

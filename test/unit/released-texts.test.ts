import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runChecks } from '../../server/src/engine';
import { decodeFile, isSkipped, makeSourceFile, SourceFile, StaleFileError } from '../../server/src/index/source';
import { WorkspaceIndex } from '../../server/src/index/workspace-index';
import { defaultConfig } from '../../server/src/layout/config';
import { locate } from '../../server/src/output/format';
import { Parsers } from '../../server/src/parsing/parsers';
import { indexFiles, readFixture, temporaryFolders, writeFixture } from './helpers/workspace';

/** The fixture copied to a temporary folder, read into an index as the language server reads files from disk. */
function diskIndex(parsers: Parsers, root: string, fixture: string): WorkspaceIndex {
  const index = new WorkspaceIndex(parsers);
  for (const rel of Object.keys(writeFixture(root, fixture))) {
    const file = read(root, rel);
    if (file) index.set(file);
  }
  return index;
}

function read(root: string, rel: string): SourceFile | undefined {
  const absolute = path.join(root, rel);
  const bytes = fs.readFileSync(absolute);
  const decoded = decodeFile(rel, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), absolute);
  return isSkipped(decoded) ? undefined : decoded;
}

const LIB = 'cloaca-backend/src/lib.rs';
const TASKS = 'cloaca-backend/src/tasks.rs';

describe('texts of files read from disk, let go and read back', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });
  const folder = temporaryFolders('bindings-released-');

  it('a released text reads back from disk the same, and lines work again', () => {
    const root = folder();
    const text = '\ufeffmod a;\r\nmod b; // é 😀\n';
    fs.writeFileSync(path.join(root, 'lib.rs'), text);
    const file = read(root, 'lib.rs')!;
    const decoded = file.text;
    assert.equal(decoded.replace(/^\ufeff/, ''), text.slice(1));
    assert.equal(file.holdsText, true);
    assert.equal(file.release!(), true);
    assert.equal(file.holdsText, false);
    assert.equal(file.release!(), false, 'nothing left to let go');
    assert.equal(file.text, decoded);
    assert.equal(file.holdsText, true, 'read back, the text is held again');
    file.release!();
    assert.deepEqual(file.lines().positionAt(decoded.indexOf('b;')), { line: 1, character: 4 });
  });

  it('a released text that changed on disk, or went away, is stale and says which file', () => {
    const root = folder();
    const absolute = path.join(root, 'm.rs');
    fs.writeFileSync(absolute, 'pub fn a() {}\n');
    const file = read(root, 'm.rs')!;
    file.release!();
    // Same length, different text.
    fs.writeFileSync(absolute, 'pub fn b() {}\n');
    assert.throws(() => file.text, (e: unknown) => e instanceof StaleFileError && e.path === 'm.rs' && /changed on disk/.test(e.message));
    assert.throws(() => file.lines(), StaleFileError);
    fs.writeFileSync(absolute, 'pub fn a() {}\n');
    assert.equal(file.text, 'pub fn a() {}\n', 'back to what was let go: readable again');
    file.release!();
    fs.rmSync(absolute);
    assert.throws(() => file.text, (e: unknown) => e instanceof StaleFileError && /is gone/.test(e.message));
    // A file read from disk that is not UTF-8 must come back as the same Latin-1 text.
    fs.writeFileSync(absolute, new Uint8Array([0x2f, 0x2f, 0xe9, 0x0a]));
    const latin = read(root, 'm.rs')!;
    assert.ok(latin.readonlyReason);
    latin.release!();
    assert.equal(latin.text, '//é\n');
  });

  it('files made from a text (the CLI, open buffers) never let go of it', () => {
    const file = makeSourceFile('src/lib.rs', 'mod a;\n')!;
    assert.equal(file.release, undefined);
    const index = new WorkspaceIndex(parsers);
    index.set(file);
    assert.equal(index.releaseText('src/lib.rs'), false);
    assert.equal(index.get('src/lib.rs')!.text, 'mod a;\n');
  });

  it('the index lets go of Rust texts only once what the checks read from them is cached, and keeps serving it without the text', () => {
    const root = folder();
    const index = diskIndex(parsers, root, 'examples/cloaca');
    const config = defaultConfig();
    const expected = runChecks(indexFiles(parsers, readFixture('examples/cloaca')), config).findings.map((f) => locate(index, f));
    // A Rust file that may hold bindings keeps its text until its facts are computed.
    assert.ok(index.mayHoldBindings(TASKS));
    assert.equal(index.releaseText(TASKS), false);
    // Python, TOML and template files keep theirs.
    const python = [...index.paths()].find((p) => p.endsWith('.py'))!;
    const template = [...index.paths()].find((p) => index.get(p)!.template)!;
    assert.equal(index.releaseText(python), false);
    assert.equal(index.releaseText(template), false);
    // A Rust file that cannot hold bindings: its `mod` lines are scanned, then the text goes.
    const plain = 'cloaca-backend/src/plain.rs';
    fs.writeFileSync(path.join(root, plain), 'mod inner;\n\npub fn f() -> u32 { 1 }\n');
    index.set(read(root, plain)!);
    assert.equal(index.releaseText(plain), true);
    assert.equal(index.get(plain)!.holdsText, false);

    const first = runChecks(index, config);
    assert.deepEqual(first.findings.map((f) => locate(index, f)), expected);
    const released = index.releaseTexts((p) => p === LIB);
    assert.ok(released >= 1, `released ${released}`);
    assert.equal(index.get(LIB)!.holdsText, true, 'kept where asked');
    assert.equal(index.get(TASKS)!.holdsText, false);
    assert.equal(index.get(python)!.holdsText, true);

    // With the Rust files gone from disk, nothing the check reads comes from their texts.
    for (const p of index.paths()) if (p.endsWith('.rs') && p !== LIB) fs.renameSync(path.join(root, p), path.join(root, `${p}.away`));
    const parses = index.parseCount;
    const second = runChecks(index, config);
    assert.equal(index.parseCount, parses, 'nothing parsed again');
    assert.deepEqual(JSON.parse(JSON.stringify(second.findings)), JSON.parse(JSON.stringify(first.findings)));
    assert.deepEqual(index.modDeclarations(plain).map((m) => m.name), ['inner']);
    assert.throws(() => index.get(TASKS)!.text, StaleFileError, 'the text itself is gone with the file');
    for (const p of index.paths()) if (p.endsWith('.rs') && p !== LIB) fs.renameSync(path.join(root, `${p}.away`), path.join(root, p));
    assert.match(index.get(TASKS)!.text, /register_tasks/);
    // Read back, the text is let go again by the next round; a file kept holds on to its text.
    assert.equal(index.get(TASKS)!.holdsText, true);
    assert.equal(index.releaseTexts((p) => p === LIB), 1);
    assert.equal(index.get(TASKS)!.holdsText, false);
    assert.equal(index.releaseTexts((p) => p === LIB), 0);
    assert.equal(index.releaseTexts(), 1, 'lib.rs, once nothing keeps it');
  });

  it('a file whose facts are only prefetched may let go of its text; the facts are found without it', () => {
    const root = folder();
    const index = diskIndex(parsers, root, 'examples/cloaca');
    const other = indexFiles(parsers, { [TASKS]: index.get(TASKS)!.text });
    const file = index.get(TASKS)!;
    const pending = index.pendingParse(TASKS, 'rust')!;
    assert.equal(index.prefetch(file, pending.text, { facts: other.rust(TASKS)!.facts }), true);
    assert.equal(index.pendingParse(TASKS, 'rust'), undefined);
    assert.equal(index.releaseText(TASKS), true);
    fs.rmSync(path.join(root, TASKS));
    assert.deepEqual(index.rust(TASKS)!.facts, other.rust(TASKS)!.facts);
    assert.equal(index.parseCount, 1);
  });
});

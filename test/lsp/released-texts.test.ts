import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AddSymbolRequest } from '../../server/src/protocol';
import { TestClient } from './test-client';

const FIXTURE = path.resolve(__dirname, '../fixtures/realbuild');
const TASKS = 'cloaca-backend/src/tasks.rs';
const REGISTRATION = '    m.add_class::<TaskStatus>()?;\n';

/**
 * The server lets go of the texts of Rust files read from disk once their
 * facts are known (no finding points into them here: the fixture is
 * complete), and reads them back when they are needed again.
 */
describe('language server: Rust files whose texts were let go', function () {
  this.timeout(60000);
  let root: string;
  let client: TestClient;
  let tasks: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-lsp-released-'));
    fs.cpSync(FIXTURE, root, { recursive: true });
    tasks = fs.readFileSync(path.join(root, TASKS), 'utf8');
    assert.ok(tasks.includes(REGISTRATION));
    client = new TestClient(root);
    await client.initialize();
    await client.waitFor('the first diagnostics', () => client.status?.state === 'ready');
    assert.deepStrictEqual(client.summary(), []);
  });

  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const unregistered = () => client.summary().some((s) => s.startsWith('unknown-import'));

  it('follows the file once opened and edited, and after it is closed', async () => {
    client.open(TASKS);
    const text = client.buffers.get(client.uri(TASKS))!.text;
    const line = text.slice(0, text.indexOf(REGISTRATION)).split('\n').length - 1;
    client.change(TASKS, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }]);
    await client.waitFor('TaskStatus to be unregistered', unregistered);
    client.change(TASKS, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: REGISTRATION }]);
    await client.waitFor('TaskStatus to be registered again', () => client.status?.state === 'ready' && !client.summary().length);
    client.close(TASKS);
    fs.writeFileSync(path.join(root, TASKS), tasks.replace(REGISTRATION, ''));
    client.filesChanged([{ rel: TASKS, type: 2 }]);
    await client.waitFor('the file on disk to count once closed', unregistered);
    fs.writeFileSync(path.join(root, TASKS), tasks);
    client.filesChanged([{ rel: TASKS, type: 2 }]);
    await client.waitFor('the file on disk to be complete again', () => !client.summary().length);
  });

  it('computes an edit against the text on disk when the file changed there unannounced', async () => {
    // Let the server finish (and let go of the text again) after the last change.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const header = '//! Tasks.\n//! Written while no watcher was looking.\n\n';
    fs.writeFileSync(path.join(root, TASKS), header + tasks);
    const choices = await client.connection.sendRequest('bindingsChecklist/addSymbolChoices', { uri: client.uri(TASKS) });
    const folderUri = (choices as { folderUri: string }).folderUri;
    const result = await client.connection.sendRequest(AddSymbolRequest.type, { folderUri, kind: 'class', pythonName: 'TaskLog', rustFile: TASKS, variants: null });
    assert.strictEqual(result.error, undefined);
    const touched = client.applyEdit(result.edit!);
    assert.ok(touched.includes(TASKS), touched.join(', '));
    const after = fs.readFileSync(path.join(root, TASKS), 'utf8');
    // The registration goes next to the helper's other one, the class at the end: around the text on disk, header included.
    const added = '    m.add_class::<TaskLog>()?;\n';
    assert.ok(after.includes(REGISTRATION + added), after);
    const item = after.indexOf('\n\n#[pyclass]\npub struct TaskLog {}');
    assert.ok(item > 0, after);
    assert.strictEqual(after.slice(0, item).replace(added, '') + '\n', header + tasks);
    const declared = result.declaration!;
    assert.strictEqual(after.split('\n')[declared.range.start.line].slice(declared.range.start.character, declared.range.end.character), 'TaskLog');
    await client.waitFor('the new symbol to be complete', () => client.status?.state === 'ready' && !client.summary().length && fs.readFileSync(path.join(root, TASKS), 'utf8').includes('TaskLog'));
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'path';
import { runChecks } from '../../server/src/engine';
import { internStrings, ownCopy } from '../../server/src/index/intern';
import { loadWorkspace } from '../../server/src/index/load';
import { prepareFacts } from '../../server/src/index/prepare';
import { loadConfig } from '../../server/src/layout/load-config';
import { Parsers } from '../../server/src/parsing/parsers';
import { REPO } from './helpers/workspace';

describe('interning the strings of facts', () => {
  it('keeps every value, in objects, arrays and Map values, and records each distinct string once', () => {
    const value = {
      name: 'cloaca',
      count: 3,
      flag: true,
      none: null,
      list: ['cloaca', 'x', { deep: ['x', 'cloaca'] }],
      table: new Map<string, unknown>([['k', 'x'], ['t', { name: 'y' }]]),
    };
    const copy = structuredClone(value);
    const table = new Map<string, string>();
    assert.equal(internStrings(value, table), value);
    assert.deepEqual(value, copy);
    assert.deepEqual([...table.keys()].sort(), ['cloaca', 'x', 'y']);
  });

  it('stops at a cycle instead of walking forever', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    const table = new Map<string, string>();
    internStrings(a, table);
    assert.deepEqual([...table.keys()], ['a']);
  });

  it('facts from the workers, interned, give the same findings', async function () {
    this.timeout(60000);
    const parsers = await Parsers.load();
    const root = path.join(REPO, 'examples/cloaca');
    const config = loadConfig(parsers, root);
    const plain = loadWorkspace(root, parsers, config.exclude).index;
    const expected = runChecks(plain, config).findings;
    const { index } = loadWorkspace(root, parsers, config.exclude);
    await prepareFacts(index, config, { workers: 1 });
    index.internFacts();
    assert.deepEqual(JSON.parse(JSON.stringify(runChecks(index, config).findings)), JSON.parse(JSON.stringify(expected)));
  });
});

describe('own copies of strings cut out of a larger text', () => {
  it('are equal to the original', () => {
    const text = 'x'.repeat(1000) + 'a_name_long_enough_to_be_a_view' + 'y'.repeat(1000);
    const cut = text.slice(1000, 1000 + 31);
    assert.equal(ownCopy(cut), cut);
    assert.equal(ownCopy('short'), 'short');
    assert.equal(ownCopy('quote " and \\ backslash and é 😀 and \n line'), 'quote " and \\ backslash and é 😀 and \n line');
  });
});

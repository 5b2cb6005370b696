import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { minimalEdit, toRange, toSpan, toWorkspaceEdit } from '../../server/src/lsp/convert';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/lsp/settings';
import { LineIndex } from '../../server/src/parsing/text';
import { applyTextEdits } from './test-client';

describe('LSP position and edit conversion', () => {
  it('counts columns in UTF-16 code units (non-ASCII, astral characters)', () => {
    const text = 'é = "😀"; x\nnext';
    const lines = new LineIndex(text);
    const x = text.indexOf('x');
    assert.deepStrictEqual(toRange(lines, { start: x, end: x + 1 }), { start: { line: 0, character: 10 }, end: { line: 0, character: 11 } });
    assert.deepStrictEqual(toSpan(lines, { start: { line: 0, character: 10 }, end: { line: 1, character: 2 } }), { start: x, end: text.indexOf('next') + 2 });
  });

  it('treats CRLF as one line break and never lands between CR and LF', () => {
    const text = 'a\r\nbé\r\nc';
    const lines = new LineIndex(text);
    assert.deepStrictEqual(toRange(lines, { start: 3, end: 5 }), { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });
    assert.deepStrictEqual(lines.positionAt(2), { line: 0, character: 1 });
    assert.strictEqual(lines.offsetAt({ line: 1, character: 99 }), 5);
  });

  it('turns a before/after pair into the smallest edit that reproduces after', () => {
    const cases: [string, string][] = [
      ['from .x import (\r\n    A,\r\n)\r\n', 'from .x import (\r\n    A,\r\n    Bé,\r\n)\r\n'],
      ['s = "😀"\n', 's = "😁"\n'],
      ['one\r\ntwo', 'one\ntwo'],
      ['', 'new file\n'],
      ['abc', 'abc'],
      ['x = 1\n', ''],
    ];
    for (const [before, after] of cases) {
      const edit = minimalEdit(before, after);
      if (before === after) {
        assert.strictEqual(edit, undefined);
        continue;
      }
      assert.strictEqual(applyTextEdits(before, [edit!]), after, JSON.stringify([before, after]));
    }
    // Only the inserted line is replaced.
    assert.deepStrictEqual(minimalEdit('a\nc\n', 'a\nb\nc\n'), { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'b\n' });
    // Never half of a surrogate pair.
    assert.strictEqual(minimalEdit('😀', '😁')!.newText, '😁');
  });

  it('versions edits of open documents and creates new files first', () => {
    const edit = toWorkspaceEdit(
      [
        { uri: 'file:///w/open.py', before: 'a\n', after: 'a\nb\n', version: 7 },
        { uri: 'file:///w/new_test.py', before: '', after: 'def test(): pass\n', version: null, create: true },
      ],
      true,
    );
    assert.deepStrictEqual(edit.documentChanges, [
      { textDocument: { uri: 'file:///w/open.py', version: 7 }, edits: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'b\n' }] },
      { kind: 'create', uri: 'file:///w/new_test.py', options: { ignoreIfExists: true } },
      { textDocument: { uri: 'file:///w/new_test.py', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'def test(): pass\n' }] },
    ]);
    assert.deepStrictEqual(Object.keys(toWorkspaceEdit([{ uri: 'file:///w/a.py', before: 'a', after: 'b', version: 1 }], false).changes!), ['file:///w/a.py']);
  });
});

describe('settings', () => {
  it('mirror contributes.configuration in package.json, defaults included', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    const properties = pkg.contributes.configuration.properties as Record<string, { default: unknown }>;
    const fromManifest = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k.replace('bindingsChecklist.', ''), v.default]));
    assert.deepStrictEqual(fromManifest, DEFAULT_SETTINGS);
    assert.deepStrictEqual(parseSettings(undefined), DEFAULT_SETTINGS);
  });

  it('keep only well-formed values', () => {
    const s = parseSettings({ enable: 'yes', rules: { 'missing-test': 'off', 'missing-stub': 'loud' }, exclude: ['a/**', 3], logLevel: 'debug' });
    assert.deepStrictEqual(s, { ...DEFAULT_SETTINGS, rules: { 'missing-test': 'off' }, exclude: ['a/**'], logLevel: 'debug' });
  });
});

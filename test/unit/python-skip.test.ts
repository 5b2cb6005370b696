import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractPythonFacts } from '../../server/src/facts/python';
import { extractFacts, parseInputOf } from '../../server/src/index/extract';
import type { PythonFacts } from '../../server/src/facts/types';
import type { Parsers as ParsersType } from '../../server/src/parsing/parsers';

/** Facts of a Python text as the index reads them (parsed skipping its plain hasattr blocks). */
function pythonFactsOf(parsers: ParsersType, text: string): PythonFacts {
  return extractFacts(parsers, 'python', parseInputOf('python', text)) as PythonFacts;
}
import { Parsers } from '../../server/src/parsing/parsers';
import { plainHasattrBlocks } from '../../server/src/parsing/python-skip';
import { blankSpans } from './helpers/skip';

const ROOT = path.resolve(__dirname, '../..');
const L = (...lines: string[]) => lines.join('\n');

function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'target' && !entry.name.startsWith('.git')) pythonFiles(full, out);
    } else if (entry.name.endsWith('.py') || entry.name.endsWith('.pyi')) out.push(full);
  }
  return out;
}

/** The names of the blocks the parse skips. */
function skippedNames(text: string): string[] {
  return (plainHasattrBlocks(text) ?? []).map((b) => b.name);
}

describe('Python pre-pass: plain hasattr blocks the parse skips', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  function assertSameFacts(text: string, label: string): void {
    const input = parseInputOf('python', text);
    assert.strictEqual(input.parseText, text, label);
    const skipped = extractFacts(parsers, 'python', input) as PythonFacts;
    assert.deepStrictEqual(skipped, extractPythonFacts(parsers, text), label);
  }

  it('the facts with the blocks skipped equal the facts from a full parse, for every Python file of examples/ and test/fixtures/', () => {
    const files = [...pythonFiles(path.join(ROOT, 'examples')), ...pythonFiles(path.join(ROOT, 'test/fixtures'))];
    assert.ok(files.length > 0);
    let skippedFiles = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (skippedNames(text).length > 0) skippedFiles++;
      assertSameFacts(text, path.relative(ROOT, file));
    }
    assert.ok(skippedFiles > 0, 'some fixture has blocks to skip');
  });

  it('skips whole top-level blocks only', () => {
    const text = L(
      'import importlib',
      '_backend_module = importlib.import_module("x")',
      '# Expose',
      'if hasattr(_backend_module, "A"):',
      '    A = _backend_module.A',
      'if hasattr(_backend_module, \'B\'):  # b',
      '',
      '    # between',
      '    B = _backend_module.B  # bb',
      '',
      'if hasattr(importlib, "C"):\r\n    C = importlib.C\r\n',
      'x = 1',
      '',
    );
    assert.deepStrictEqual(skippedNames(text), ['A', 'B', 'C']);
    const parsed = blankSpans(text, parseInputOf('python', text).skip);
    assert.ok(!parsed.includes('hasattr'));
    assert.ok(parsed.includes('# Expose') && parsed.includes('x = 1'));
    assertSameFacts(text, 'plain blocks');
    const facts = pythonFactsOf(parsers, text);
    assert.deepStrictEqual(facts.references.map((r) => [r.module, r.name, text.slice(r.span.start, r.span.end)]), [
      ['importlib', 'import_module', 'import_module'], ['importlib', 'C', '"C"'], ['importlib', 'C', 'C'],
    ]);
  });

  it('keeps blocks that are not whole top-level statements, or that the scan cannot vouch for', () => {
    const keep: [string, string][] = [
      ['else clause', L('if hasattr(m, "A"):', '    A = m.A', 'else:', '    A = None', '')],
      ['elif clause', L('if hasattr(m, "A"):', '    A = m.A', 'elif x:', '    pass', '')],
      ['comment after', L('if hasattr(m, "A"):', '    A = m.A', '# trailing', 'x = 1', '')],
      ['indented comment after', L('if hasattr(m, "A"):', '    A = m.A', '    # more', 'x = 1', '')],
      ['nested', L('try:', '    x = 1', 'except ImportError:', '    pass', 'def f():', '    if hasattr(m, "A"):', '        A = m.A', '')],
      ['after a header', L('if x:', 'if hasattr(m, "A"):', '    A = m.A', '')],
      ['after a decorator', L('@dec', 'if hasattr(m, "A"):', '    A = m.A', '')],
      ['after a continuation', L('x = 1 + \\', 'if hasattr(m, "A"):', '    A = m.A', '')],
      ['in brackets', L('x = (', 'if hasattr(m, "A"):', '    A = m.A', ')', '')],
      ['in a triple-quoted string', L('x = """', 'if hasattr(m, "A"):', '    A = m.A', '"""', '')],
      ['in a raw bytes string', L("x = rb'''\\'''", 'if hasattr(m, "A"):', '    A = m.A', "'''", '')],
      ['in an f-string', L('x = f"""{y}', 'if hasattr(m, "A"):', '    A = m.A', '"""', '')],
      ['f-string field the scan cannot follow', L('x = f"{d["k"]}"', 'if hasattr(m, "A"):', '    A = m.A', '')],
      ['keyword name', L('if hasattr(m, "class"):', '    class = m.class', '')],
      ['other body', L('if hasattr(m, "A"):', '    A = m.B', '')],
      ['two statements', L('if hasattr(m, "A"):', '    A = m.A', '    B = 1', '')],
    ];
    for (const [label, text] of keep) {
      assert.deepStrictEqual(skippedNames(text), [], label);
      assertSameFacts(text, label);
    }
    const strings = L('x = "if hasattr(m, \\"A\\"):"', "y = r'\\'' # '", 'if hasattr(m, "A"):', '    A = m.A', '');
    assert.deepStrictEqual(skippedNames(strings), ['A']);
    assertSameFacts(strings, 'after strings');
  });

  it('reads skipped blocks between other statements in source order', () => {
    const text = L(
      'import cloaca_backend as _backend_module',
      'def f():',
      '    pass',
      'if hasattr(_backend_module, "A"):',
      '    A = _backend_module.A',
      'B = _backend_module.B',
      'if hasattr(_backend_module, "C"):',
      '    C = _backend_module.C',
      'class D:',
      '    def test_x(self):',
      '        y = _backend_module.D',
      'if hasattr(_backend_module, "E"):',
      '    E = _backend_module.E',
    );
    assert.deepStrictEqual(skippedNames(text), ['A', 'C', 'E']);
    assertSameFacts(text, 'interleaved');
    const facts = pythonFactsOf(parsers, text);
    assert.deepStrictEqual(facts.definedNames, ['f', 'A', 'B', 'C', 'D', 'E']);
    assert.deepStrictEqual(facts.reexports.map((r) => [r.name, r.style]), [['A', 'hasattr'], ['B', 'assign'], ['C', 'hasattr'], ['E', 'hasattr']]);
  });

  it('syntax errors outside the skipped blocks are reported as before; after an unclosed bracket nothing is skipped', () => {
    const after = L('if hasattr(m, "A"):', '    A = m.A', 'x = (', '');
    assert.deepStrictEqual(skippedNames(after), ['A']);
    assertSameFacts(after, 'error after');
    assert.strictEqual(pythonFactsOf(parsers, after).problems.length, 1);
    const before = L('def f(:', '    pass', 'if hasattr(m, "A"):', '    A = m.A', 'y = ]', '');
    assert.deepStrictEqual(skippedNames(before), []);
    assertSameFacts(before, 'error before');
  });
});

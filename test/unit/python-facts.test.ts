import * as assert from 'node:assert';
import { extractPythonFacts } from '../../server/src/facts/python';
import { PythonFacts } from '../../server/src/facts/types';
import { Parsers } from '../../server/src/parsing/parsers';
import { extractFacts, parseInputOf } from '../../server/src/index/extract';
import { TopLevel } from '../../server/src/facts/python/toplevel';

/** Facts of a Python text as the index reads them (parsed with its plain hasattr blocks blanked). */
function pythonFactsOf(parsers: Parsers, text: string): PythonFacts {
  return extractFacts(parsers, 'python', parseInputOf('python', text)) as PythonFacts;
}

/**
 * The facts of `text` as the index reads them (from its parse text, with the
 * plain hasattr blocks blanked), checked equal to the facts read from the text
 * as it is, every span included.
 */
function extractBoth(parsers: Parsers, text: string): PythonFacts {
  const facts = pythonFactsOf(parsers, text);
  assert.deepStrictEqual(facts, extractPythonFacts(parsers, text), 'facts from the blanked parse text');
  return facts;
}

/** Replaces every span ({start, end}) by the text it covers, so expectations read like the source. */
function view(text: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => view(text, v));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 2 && typeof record.start === 'number' && typeof record.end === 'number') {
      return text.slice(record.start, record.end as number);
    }
    return Object.fromEntries(keys.map((k) => [k, view(text, record[k])]));
  }
  return value;
}

type Field = Exclude<keyof PythonFacts, 'language'>;

interface Case {
  name: string;
  text: string;
  expect: Partial<Record<Field, unknown>>;
}

const L = (...lines: string[]) => lines.join('\n');

const cases: Case[] = [
  {
    name: 'from-imports: one line, parenthesized, aliases, star, relative and absolute',
    text: L(
      'from .cloaca_sqlite import hello_world, get_backend as gb',
      'from .cloaca_sqlite import (',
      '    A,',
      '    B as C,  # comment',
      ')',
      'from ..pkg import (X, Y)',
      'from . import _core',
      'from cloaca._core import *',
      '',
    ),
    expect: {
      imports: [
        {
          module: '.cloaca_sqlite',
          names: [{ name: 'hello_world', span: 'hello_world' }, { name: 'get_backend', alias: 'gb', span: 'get_backend as gb' }],
          star: false, parenthesized: false, span: 'from .cloaca_sqlite import hello_world, get_backend as gb', indent: '', topLevel: true,
        },
        {
          module: '.cloaca_sqlite',
          names: [{ name: 'A', span: 'A' }, { name: 'B', alias: 'C', span: 'B as C' }],
          star: false, parenthesized: true, span: 'from .cloaca_sqlite import (\n    A,\n    B as C,  # comment\n)', indent: '', topLevel: true,
        },
        {
          module: '..pkg', names: [{ name: 'X', span: 'X' }, { name: 'Y', span: 'Y' }],
          star: false, parenthesized: true, span: 'from ..pkg import (X, Y)', indent: '', topLevel: true,
        },
        { module: '.', names: [{ name: '_core', span: '_core' }], star: false, parenthesized: false, span: 'from . import _core', indent: '', topLevel: true },
        { module: 'cloaca._core', names: [], star: true, parenthesized: false, span: 'from cloaca._core import *', indent: '', topLevel: true },
      ],
      definedNames: [],
    },
  },
  {
    name: 'nested from-imports are reported with topLevel false and their indent',
    text: L(
      'try:',
      '    from .cloaca_postgres import A',
      'except ImportError:',
      '    from .cloaca_sqlite import A',
      'def f():',
      '    from .x import (B,',
      '                    C)',
      '',
    ),
    expect: {
      imports: [
        { module: '.cloaca_postgres', names: [{ name: 'A', span: 'A' }], star: false, parenthesized: false, span: 'from .cloaca_postgres import A', indent: '    ', topLevel: false },
        { module: '.cloaca_sqlite', names: [{ name: 'A', span: 'A' }], star: false, parenthesized: false, span: 'from .cloaca_sqlite import A', indent: '    ', topLevel: false },
        { module: '.x', names: [{ name: 'B', span: 'B' }, { name: 'C', span: 'C' }], star: false, parenthesized: true, span: 'from .x import (B,\n                    C)', indent: '    ', topLevel: false },
      ],
      definedNames: ['f'],
    },
  },
  {
    name: 'module imports',
    text: L('import cloaca', 'import cloaca as c, os', 'import importlib.util', 'x = "import nothing"', ''),
    expect: {
      moduleImports: [
        { module: 'cloaca', alias: 'cloaca', span: 'cloaca' },
        { module: 'cloaca', alias: 'c', span: 'cloaca as c' },
        { module: 'os', alias: 'os', span: 'os' },
        { module: 'importlib.util', alias: 'importlib', span: 'importlib.util' },
      ],
      definedNames: ['x'],
    },
  },
  {
    name: '__all__ list with +=, extend and append',
    text: L('__all__ = [', '    "A",', "    'B',  # b", ']', '__all__ += ["C"]', '__all__.extend(("D",))', '__all__.append("E")', ''),
    expect: {
      dunderAll: {
        span: '__all__ = [\n    "A",\n    \'B\',  # b\n]',
        literal: { span: '[\n    "A",\n    \'B\',  # b\n]', kind: 'list' },
        entries: [{ value: 'A', span: '"A"' }, { value: 'B', span: "'B'" }, { value: 'C', span: '"C"' }, { value: 'D', span: '"D"' }, { value: 'E', span: '"E"' }],
        literalEntries: [{ value: 'A', span: '"A"' }, { value: 'B', span: "'B'" }],
        dynamic: false,
      },
    },
  },
  {
    name: '__all__ tuple',
    text: '__all__ = ("A", "B")\n',
    expect: {
      dunderAll: {
        span: '__all__ = ("A", "B")', literal: { span: '("A", "B")', kind: 'tuple' },
        entries: [{ value: 'A', span: '"A"' }, { value: 'B', span: '"B"' }],
        literalEntries: [{ value: 'A', span: '"A"' }, { value: 'B', span: '"B"' }], dynamic: false,
      },
    },
  },
  {
    name: '__all__ literal plus a computed part is dynamic, literal kept',
    text: '__all__ = ["A"] + _backend.__all__\n',
    expect: {
      dunderAll: {
        span: '__all__ = ["A"] + _backend.__all__', literal: { span: '["A"]', kind: 'list' },
        entries: [{ value: 'A', span: '"A"' }], literalEntries: [{ value: 'A', span: '"A"' }], dynamic: true,
      },
    },
  },
  {
    name: '__all__ not a literal',
    text: '__all__ = _backend.__all__\n__all__.extend(names)\n',
    expect: { dunderAll: { span: '__all__ = _backend.__all__', literal: null, entries: [], literalEntries: [], dynamic: true } },
  },
  {
    name: 'defined names: def, class, tuple targets, if/try blocks; not imports',
    text: L(
      'import os',
      'from .x import Imported',
      'def f(): pass',
      '@decorator',
      'class K: pass',
      'a, (b, *c) = 1, (2, 3)',
      'd = e = 4',
      'n: int = 5',
      'only_annotated: int',
      'if os.name == "nt":',
      '    g = 1',
      'elif True:',
      '    h = 2',
      'else:',
      '    i = 3',
      'try:',
      '    j = 4',
      'except Exception:',
      '    k = 5',
      'finally:',
      '    m = 6',
      'def outer():',
      '    local = 7',
      '',
    ),
    expect: { definedNames: ['f', 'K', 'a', 'b', 'c', 'd', 'e', 'n', 'g', 'h', 'i', 'j', 'k', 'm', 'outer'] },
  },
  {
    name: 'hasattr re-exports: plain, with else, with comments, nested in try; assign style',
    text: L(
      'import importlib',
      '_backend_module = importlib.import_module("cloaca_sqlite")',
      'if hasattr(_backend_module, "A"):',
      '    A = _backend_module.A',
      'if hasattr(_backend_module, \'B\'):  # b',
      '    B = _backend_module.B  # bb',
      'if hasattr(_backend_module, "C"):',
      '    C = _backend_module.C',
      'else:',
      '    C = None',
      'try:',
      '    if hasattr(_backend_module, "D"):',
      '        D = _backend_module.D',
      'except AttributeError:',
      '    pass',
      'E = _backend_module.E',
      'F = other.F',
      'if hasattr(sys, "frozen"):',
      '    print("frozen")',
      '',
    ),
    expect: {
      reexports: [
        { name: 'A', source: '_backend_module', span: 'if hasattr(_backend_module, "A"):\n    A = _backend_module.A', nameSpan: '"A"', style: 'hasattr', indent: '' },
        { name: 'B', source: '_backend_module', span: 'if hasattr(_backend_module, \'B\'):  # b\n    B = _backend_module.B  # bb', nameSpan: "'B'", style: 'hasattr', indent: '' },
        { name: 'C', source: '_backend_module', span: 'if hasattr(_backend_module, "C"):\n    C = _backend_module.C\nelse:\n    C = None', nameSpan: '"C"', style: 'hasattr', indent: '' },
        { name: 'D', source: '_backend_module', span: '    if hasattr(_backend_module, "D"):\n        D = _backend_module.D', nameSpan: '"D"', style: 'hasattr', indent: '    ' },
        { name: 'E', source: '_backend_module', span: 'E = _backend_module.E', nameSpan: 'E', style: 'assign', indent: '' },
      ],
      definedNames: ['_backend_module', 'A', 'B', 'C', 'D', 'E', 'F'],
      dynamicReexport: null,
    },
  },
  {
    name: 'assign re-exports from an imported backend module',
    text: L('try:', '    import cloaca_postgres as _b', 'except ImportError:', '    import cloaca_sqlite as _b', 'A = _b.A', 'B = _b.B', ''),
    expect: {
      reexports: [
        { name: 'A', source: '_b', span: 'A = _b.A', nameSpan: 'A', style: 'assign', indent: '' },
        { name: 'B', source: '_b', span: 'B = _b.B', nameSpan: 'B', style: 'assign', indent: '' },
      ],
    },
  },
  {
    name: 'dynamic re-export loop with globals()',
    text: L('for attr in __all__:', '    globals()[attr] = getattr(_backend_module, attr)', ''),
    expect: { dynamicReexport: { source: '_backend_module', span: 'for attr in __all__:\n    globals()[attr] = getattr(_backend_module, attr)' } },
  },
  {
    name: 'dynamic re-export loop with setattr over dir()',
    text: L('for name in dir(_mod):', '    if not name.startswith("_"):', '        setattr(sys.modules[__name__], name, getattr(_mod, name))', ''),
    expect: { dynamicReexport: { source: '_mod', span: 'for name in dir(_mod):\n    if not name.startswith("_"):\n        setattr(sys.modules[__name__], name, getattr(_mod, name))' } },
  },
  {
    name: 'references: attributes, from-imports, hasattr/getattr; not in strings or comments',
    text: L(
      'import cloaca as c',
      'from cloaca import Context, Runner as R',
      'from .local import Skip',
      'def test_x():',
      '    import cloaca',
      '    assert cloaca.Workflow.build() is not None',
      '    assert hasattr(cloaca, "task")',
      '    getattr(c, \'TaskStatus\')',
      '    s = "cloaca.NotThis"  # cloaca.NorThis',
      '    x.cloaca.Nope',
      '',
    ),
    expect: {
      references: [
        { module: 'cloaca', name: 'Context', span: 'Context' },
        { module: 'cloaca', name: 'Runner', span: 'Runner' },
        { module: 'cloaca', name: 'Workflow', span: 'Workflow' },
        { module: 'cloaca', name: 'task', span: '"task"' },
        { module: 'cloaca', name: 'TaskStatus', span: "'TaskStatus'" },
      ],
    },
  },
  {
    name: 'references through a dotted import: the attribute of the top module, and of the module imported',
    text: 'import cloaca.sub\nimport shop\ncloaca.sub.X\nshop.bindings.Y\n',
    expect: {
      references: [
        { module: 'cloaca', name: 'sub', span: 'sub' },
        { module: 'cloaca.sub', name: 'X', span: 'X' },
        { module: 'shop', name: 'bindings', span: 'bindings' },
      ],
    },
  },
  {
    name: 'path expressions and assigned names (inside functions too)',
    text: L(
      'import os',
      'def _build(project_root, backend_name):',
      '    backend_dir = project_root / "cloaca-backend"',
      '    wheel_pattern = f"cloaca_{backend_name}-*.whl"',
      '    wheel_dir = project_root / "target" / "wheels"',
      '    other = os.path.join(project_root, "target", "wheels")',
      '    count += 1',
      '',
    ),
    expect: {
      pathExpressions: [
        { target: 'backend_dir', parts: [{ text: 'project_root', span: 'project_root' }, { text: '"cloaca-backend"', span: '"cloaca-backend"' }], span: 'project_root / "cloaca-backend"' },
        {
          target: 'wheel_dir',
          parts: [{ text: 'project_root', span: 'project_root' }, { text: '"target"', span: '"target"' }, { text: '"wheels"', span: '"wheels"' }],
          span: 'project_root / "target" / "wheels"',
        },
        {
          target: 'other',
          parts: [{ text: 'project_root', span: 'project_root' }, { text: '"target"', span: '"target"' }, { text: '"wheels"', span: '"wheels"' }],
          span: 'os.path.join(project_root, "target", "wheels")',
        },
      ],
      assignedNames: [
        { name: 'backend_dir', span: 'backend_dir' }, { name: 'wheel_pattern', span: 'wheel_pattern' },
        { name: 'wheel_dir', span: 'wheel_dir' }, { name: 'other', span: 'other' }, { name: 'count', span: 'count' },
      ],
      definedNames: ['_build'],
    },
  },
  {
    name: 'syntax problems are reported and the rest still yields facts',
    text: L('x = 1', 'def broken(:', '    pass', 'y = 2', ''),
    expect: { definedNames: ['x', 'broken', 'y'], problems: [{ span: '', message: 'syntax error: missing ")"' }] },
  },
];

describe('python facts', () => {
  let parsers: Parsers;
  before(async () => {
    parsers = await Parsers.load();
  });

  for (const c of cases) {
    it(c.name, () => {
      const facts = extractBoth(parsers, c.text);
      for (const [field, expected] of Object.entries(c.expect)) {
        assert.deepStrictEqual(view(c.text, facts[field as Field]), expected, field);
      }
    });
  }

  it('classes: test counts, spans and insertion points', () => {
    const text = L(
      'import cloaca',
      '',
      'class TestBackendFunctionality:',
      '    """Docs."""',
      '',
      '    def test_hello(self):',
      '        assert cloaca.hello_world()',
      '',
      '    @pytest.mark.slow',
      '    def test_backend(self):',
      '        assert cloaca.get_backend()',
      '',
      '    def helper(self):',
      '        pass',
      '',
      'class Other: pass',
    );
    const facts = extractBoth(parsers, text);
    assert.deepStrictEqual(facts.classes.map((c) => [c.name, text.slice(c.nameSpan.start, c.nameSpan.end), c.testCount, c.insert.indent]), [
      ['TestBackendFunctionality', 'TestBackendFunctionality', 2, '    '],
      ['Other', 'Other', 0, '    '],
    ]);
    const [first, second] = facts.classes;
    assert.ok(text.slice(0, first.insert.offset).endsWith('        pass\n'));
    assert.ok(text.slice(first.insert.offset).startsWith('\nclass Other'));
    assert.strictEqual(text.slice(first.span.start, first.span.end).split('\n').pop(), '        pass');
    assert.strictEqual(second.insert.offset, text.length);
    assert.deepStrictEqual(facts.endInsert, { offset: text.length, indent: '' });
  });

  it('nested bodies: assignments found next to bodies without any, async and decorated tests counted', () => {
    const text = L(
      'class TestA:',
      '    def test_plain(self):',
      '        import cloaca',
      '        assert cloaca.X is not None',
      '',
      '    async def test_async(self):',
      '        assert True',
      '',
      '    @mark',
      '    def test_marked(self):',
      '        pass',
      '',
      '    def test_assigns(self):',
      '        out = tmp / "wheels"',
      '        n += 1',
      '',
      'def helper():',
      '    assert 1 == 1',
    );
    const facts = extractBoth(parsers, text);
    assert.deepStrictEqual(facts.classes.map((c) => [c.name, c.testCount]), [['TestA', 4]]);
    assert.deepStrictEqual(view(text, facts.assignedNames), [{ name: 'out', span: 'out' }, { name: 'n', span: 'n' }]);
    assert.deepStrictEqual(facts.pathExpressions.map((p) => p.parts.map((part) => part.text)), [['tmp', '"wheels"']]);
    // A loop without `=` in its function still counts as a dynamic re-export.
    const loader = L('def loader():', '    for n in names:', '        setattr(sys.modules[__name__], n, getattr(_mod, n))');
    assert.strictEqual(extractBoth(parsers, loader).dynamicReexport?.source, '_mod');
  });

  it('assigned names leave out the targets of hasattr re-export blocks, which the re-exports hold', () => {
    const text = L(
      'import importlib',
      '_backend_module = importlib.import_module("cloaca_sqlite")',
      'if hasattr(_backend_module, "Ctx"):',
      '    Ctx = _backend_module.Ctx',
      'if hasattr(_backend_module, "run"):',
      '    run = _backend_module.run',
      'backend_dir = 1',
      'Task = _backend_module.Task',
      '',
    );
    const facts = extractBoth(parsers, text);
    assert.deepStrictEqual(facts.reexports.map((r) => [r.name, r.style]), [['Ctx', 'hasattr'], ['run', 'hasattr'], ['Task', 'assign']]);
    assert.deepStrictEqual(facts.assignedNames.map((a) => a.name), ['_backend_module', 'backend_dir', 'Task']);
  });

  it('CRLF line endings and non-ASCII text before the statements', () => {
    const text = '# Résumé 🐍 ünïcödé\r\n"""Doc é 🎉."""\r\nfrom .cloaca_sqlite import (\r\n    Café,\r\n    B,\r\n)\r\n__all__ = ["Café", "B"]\r\nif hasattr(_backend_module, "Café"):\r\n    Café = _backend_module.Café\r\nclass TestX:\r\n    def test_a(self):\r\n        pass\r\n';
    const facts = extractBoth(parsers, text);
    const v = view(text, facts) as Record<string, any>;
    assert.deepStrictEqual(v.imports[0].names, [{ name: 'Café', span: 'Café' }, { name: 'B', span: 'B' }]);
    assert.strictEqual(v.imports[0].span, 'from .cloaca_sqlite import (\r\n    Café,\r\n    B,\r\n)');
    assert.deepStrictEqual(v.dunderAll.entries, [{ value: 'Café', span: '"Café"' }, { value: 'B', span: '"B"' }]);
    assert.deepStrictEqual(v.reexports, [
      { name: 'Café', source: '_backend_module', span: 'if hasattr(_backend_module, "Café"):\r\n    Café = _backend_module.Café', nameSpan: '"Café"', style: 'hasattr', indent: '' },
    ]);
    const cls = facts.classes[0];
    assert.strictEqual(cls.insert.offset, text.length);
    assert.strictEqual(cls.insert.indent, '    ');
    assert.deepStrictEqual(facts.problems, []);
  });

  it('half-typed import list keeps the names typed so far', () => {
    const text = L('from .cloaca_sqlite import (A, B', '', '__all__ = ["A", "B"]', 'x = 1', '');
    const facts = extractBoth(parsers, text);
    const v = view(text, facts) as Record<string, any>;
    assert.deepStrictEqual(v.imports, [{
      module: '.cloaca_sqlite', names: [{ name: 'A', span: 'A' }, { name: 'B', span: 'B' }],
      star: false, parenthesized: true, span: 'from .cloaca_sqlite import (A, B', indent: '', topLevel: true,
    }]);
    assert.ok(facts.problems.length > 0);
    assert.ok(facts.problems.every((p) => p.message.startsWith('syntax error')));
    assert.ok(facts.definedNames.includes('x'));
  });

  it('half-typed hasattr block without a body is still a re-export', () => {
    const text = L('if hasattr(_backend_module, "A"):', '    A = _backend_module.A', 'if hasattr(_backend_module, "B"):', '');
    const facts = extractBoth(parsers, text);
    assert.deepStrictEqual(facts.reexports.map((r) => [r.name, text.slice(r.nameSpan.start, r.nameSpan.end)]), [['A', '"A"'], ['B', '"B"']]);
  });

  it('caps problems at 20', () => {
    const text = Array.from({ length: 40 }, (_, i) => `def f${i}(:\n    pass\nx${i} = 1\n`).join('');
    assert.strictEqual(extractBoth(parsers, text).problems.length, 20);
  });

  it("the seed's wrapper template (projected)", () => {
    const text = L(
      '"""cloaca____________: the ___________ build of the cloaca extension."""',
      '',
      '# Import from the extension module built by maturin',
      'from .cloaca___________ import (',
      '    hello_world, ',
      '    get_backend, ',
      '    Context,',
      '    __backend__',
      ')',
      '                                        ',
      'from .cloaca___________ import PostgresOnly',
      '           ',
      '',
      '__all__ = [',
      '    "hello_world",',
      '    "get_backend", ',
      '    "Context",',
      '    "__backend__",',
      ']',
      '',
    );
    const facts = extractBoth(parsers, text);
    assert.deepStrictEqual(facts.imports.map((i) => [i.module, i.names.map((n) => n.name), i.parenthesized, i.topLevel]), [
      ['.cloaca___________', ['hello_world', 'get_backend', 'Context', '__backend__'], true, true],
      ['.cloaca___________', ['PostgresOnly'], false, true],
    ]);
    assert.deepStrictEqual(facts.dunderAll?.literalEntries.map((e) => e.value), ['hello_world', 'get_backend', 'Context', '__backend__']);
    assert.strictEqual(facts.dunderAll?.dynamic, false);
    assert.deepStrictEqual(facts.definedNames, ['__all__']);
    assert.deepStrictEqual(facts.problems, []);
  });

  it('a realistic dispatcher', () => {
    const text = L(
      '"""cloaca: picks the installed backend and re-exports its public API."""',
      '',
      'import importlib',
      'import importlib.util',
      'import os',
      '',
      '_BACKENDS = ("postgres", "sqlite")',
      '',
      '',
      'def _select_backend():',
      '    preferred = os.environ.get("CLOACA_BACKEND")',
      '    for name in ([preferred] if preferred else list(_BACKENDS)):',
      '        if importlib.util.find_spec(f"cloaca_{name}") is not None:',
      '            return name',
      '    raise ImportError("no cloaca backend is installed")',
      '',
      '',
      '_backend_name = _select_backend()',
      '_backend_module = importlib.import_module(f"cloaca_{_backend_name}")',
      '',
      '# Expose the backend\'s symbols directly',
      'if hasattr(_backend_module, "hello_world"):',
      '    hello_world = _backend_module.hello_world',
      'if hasattr(_backend_module, "get_backend"):',
      '    get_backend = _backend_module.get_backend',
      'if hasattr(_backend_module, "Context"):',
      '    Context = _backend_module.Context',
      '',
      '__backend__ = _backend_name',
      '',
      '__all__ = [',
      '    "hello_world",',
      '    "get_backend",',
      '    "Context",',
      '    "__backend__",',
      ']',
      '',
    );
    const facts = extractBoth(parsers, text);
    assert.deepStrictEqual(facts.reexports.map((r) => [r.name, r.source, r.style]), [
      ['hello_world', '_backend_module', 'hasattr'], ['get_backend', '_backend_module', 'hasattr'], ['Context', '_backend_module', 'hasattr'],
    ]);
    assert.deepStrictEqual(facts.definedNames, ['_BACKENDS', '_select_backend', '_backend_name', '_backend_module', 'hello_world', 'get_backend', 'Context', '__backend__', '__all__']);
    assert.deepStrictEqual(facts.dunderAll?.entries.map((e) => e.value), ['hello_world', 'get_backend', 'Context', '__backend__']);
    assert.deepStrictEqual(facts.moduleImports.map((m) => m.alias), ['importlib', 'importlib', 'os']);
    assert.deepStrictEqual(facts.references.map((r) => `${r.module}.${r.name}`), ['os.environ', 'importlib.util', 'importlib.util.find_spec', 'importlib.import_module']);
    assert.strictEqual(facts.dynamicReexport, null);
    assert.deepStrictEqual(facts.problems, []);
  });

  it('a realistic pytest file', () => {
    const text = L(
      '"""Basic tests for the cloaca package."""',
      'import pytest',
      '',
      '',
      'class TestImports:',
      '    def test_import(self):',
      '        import cloaca',
      '        assert cloaca is not None',
      '',
      '',
      'class TestBackendFunctionality:',
      '    """Backend-specific behaviour."""',
      '',
      '    def test_hello_world(self):',
      '        import cloaca',
      '        assert cloaca.hello_world() == "Hello from cloaca!"',
      '',
      '    def test_backend(self):',
      '        from cloaca import get_backend',
      '        assert get_backend() in ("postgres", "sqlite")',
      '',
      '    @pytest.mark.parametrize("name", ["Context"])',
      '    def test_exports(self, name):',
      '        import cloaca',
      '        assert hasattr(cloaca, "Context")',
      '',
    );
    const facts = extractBoth(parsers, text);
    assert.deepStrictEqual(facts.classes.map((c) => [c.name, c.testCount]), [['TestImports', 1], ['TestBackendFunctionality', 3]]);
    assert.deepStrictEqual(facts.references.filter((r) => r.module === 'cloaca').map((r) => r.name), ['hello_world', 'get_backend', 'Context']);
    const last = facts.classes[1];
    assert.strictEqual(last.insert.offset, text.length);
    assert.strictEqual(last.insert.indent, '    ');
  });

  it('a class of many test methods: every import and reference found, each node the one tree-sitter finds from the root', () => {
    const methods = (n: number, indent: string) =>
      Array.from({ length: n }, (_, i) => [
        `${indent}def test_symbol_${i}(self):`,
        `${indent}    import cloaca`,
        i % 7 === 0 ? `${indent}    from cloaca import Name${i}` : `${indent}    assert cloaca.Name${i} is not None`,
        i % 11 === 0 ? `${indent}    assert hasattr(cloaca, "Name${i}")` : `${indent}    pass`,
        '',
      ]).flat();
    const text = L(
      'import pytest',
      '',
      'class TestMany:',
      '    """Smoke tests."""',
      '',
      ...methods(300, '    '),
      '@pytest.mark.slow',
      'class TestDecorated:',
      ...methods(40, '    '),
      '    class TestNested:',
      ...methods(40, '        '),
      'def test_plain():',
      '    import cloaca',
      '    assert cloaca.Plain',
    );
    const facts = extractBoth(parsers, text);
    const names = facts.references.filter((r) => r.module === 'cloaca').map((r) => r.name);
    const expected: string[] = [];
    for (const n of [300, 40, 40]) for (let i = 0; i < n; i++) expected.push(`Name${i}`, ...(i % 11 === 0 ? [`Name${i}`] : []));
    expected.push('Plain');
    assert.deepStrictEqual([...names].sort(), expected.sort());
    assert.strictEqual(facts.moduleImports.filter((m) => m.module === 'cloaca').length, 381);
    // The lookups through the nested statement indexes give the nodes tree-sitter gives from the root.
    const tree = parsers.parse('python', text);
    try {
      const top = new TopLevel(tree.rootNode);
      let checked = 0;
      for (const m of text.matchAll(/\b(?:import|from|cloaca\.\w+|hasattr\(|def|pass)/g)) {
        const [start, end] = [m.index!, m.index! + m[0].length];
        const ours = top.namedNodeAt(start, end);
        const theirs = tree.rootNode.namedDescendantForIndex(start, end);
        assert.deepStrictEqual(ours && [ours.type, ours.startIndex, ours.endIndex], theirs && [theirs.type, theirs.startIndex, theirs.endIndex], `at ${start}`);
        checked++;
      }
      assert.ok(checked > 1500, `${checked}`);
    } finally {
      tree.delete();
    }
  });
});

import type { Chain } from '../chain/build';
import type { SymbolKind } from '../facts/types';
import type { WorkspaceIndex } from '../index/workspace-index';
import { testHome } from '../rules/missing-test';
import type { TextEdit } from './types';
import { eolOf, snakeCase } from './text-utils';

function assertion(pkg: string, name: string, kind: SymbolKind): string[] {
  const ref = `${pkg}.${name}`;
  switch (kind) {
    case 'class':
    case 'enum':
      return [`assert isinstance(${ref}, type)`];
    case 'exception':
      return [`assert isinstance(${ref}, type)`, `assert issubclass(${ref}, BaseException)`];
    case 'function':
      return [`assert callable(${ref})`];
    case 'constant':
      return [`assert hasattr(${pkg}, "${name}")`, `assert ${ref} is not None`];
  }
}

/** A test in the seed's style: imports the package, asserts the name exists and has the right kind. */
export function testEdits(chain: Chain, index: WorkspaceIndex, name: string, kind: SymbolKind): TextEdit[] {
  const home = testHome(chain);
  if (!home) return [];
  const test = chain.tests.find((t) => t.path === home.path)!;
  const text = index.get(home.path)!.text;
  const eol = eolOf(text);
  const pkg = chain.project.package;
  const cls = home.className ? test.facts.classes.find((c) => c.name === home.className) : undefined;
  const indent = cls ? cls.insert.indent : '';
  const inner = indent + (indent.includes('\t') ? '\t' : '    ');
  const offset = cls ? cls.insert.offset : text.length;
  const lines = [
    `${indent}def test_${snakeCase(name)}_is_exposed(${cls ? 'self' : ''}):`,
    `${inner}"""\`${pkg}.${name}\` is reachable from the public package."""`,
    `${inner}import ${pkg}`,
    '',
    ...assertion(pkg, name, kind).map((a) => `${inner}${a}`),
  ];
  const before = text.slice(0, offset);
  const lead = before.length === 0 || before.endsWith('\n') || before.endsWith('\r') ? '' : eol;
  const blank = /(\r?\n|\r)[ \t]*(\r?\n|\r)$/.test(before) ? '' : eol;
  return [{ file: home.path, start: offset, end: offset, newText: `${lead}${cls ? blank : blank + eol}${lines.join(eol)}${eol}` }];
}

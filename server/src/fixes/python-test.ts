import type { Chain } from '../chain/build';
import type { SymbolKind } from '../facts/types';
import type { WorkspaceIndex } from '../index/workspace-index';
import { testHome } from '../rules/missing-test';
import type { TextEdit } from './types';
import { eolOf, lineStartOf, snakeCase } from './text-utils';

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

/** For a symbol only some variants have: skip the test on the others (by `__backend__` where the package has it). */
function skipLines(chain: Chain, pkg: string, name: string, variants: string[]): string[] {
  const list = variants.map((v) => `"${v}"`).join(', ');
  const only = variants.length === 1 ? `the ${variants[0]} backend` : `the ${variants.join(', ')} backends`;
  const hasBackend = chain.variants.every((v) => v.registered.has('__backend__'));
  const cond = hasBackend ? `${pkg}.__backend__ not in (${list}${variants.length === 1 ? ',' : ''})` : `not hasattr(${pkg}, "${name}")`;
  return [`if ${cond}:`, `    pytest.skip("${name} exists only in ${only}")`];
}

/** A test in the seed's style: imports the package, asserts the name exists and has the right kind. */
export function testEdits(chain: Chain, index: WorkspaceIndex, name: string, kind: SymbolKind, variants?: string[]): TextEdit[] {
  const home = testHome(chain);
  if (!home) return [];
  const test = chain.tests.find((t) => t.path === home.path)!;
  const text = index.get(home.path)!.text;
  const eol = eolOf(text);
  const pkg = chain.project.package;
  const cls = home.className ? test.facts.classes.find((c) => c.name === home.className) : undefined;
  const indent = cls ? cls.insert.indent : '';
  const unit = indent.includes('\t') ? '\t' : '    ';
  const inner = indent + unit;
  const offset = cls ? cls.insert.offset : text.length;
  const body = [...(variants?.length ? skipLines(chain, pkg, name, variants) : []), ...assertion(pkg, name, kind)];
  const lines = [
    `${indent}def test_${snakeCase(name)}_is_exposed(${cls ? 'self' : ''}):`,
    `${inner}"""\`${pkg}.${name}\` is reachable from the public package."""`,
    `${inner}import ${pkg}`,
    '',
    ...body.map((a) => `${inner}${a.replace(/^    /, unit)}`),
  ];
  const before = text.slice(0, offset);
  const lead = before.length === 0 || before.endsWith('\n') || before.endsWith('\r') ? '' : eol;
  const blank = /(\r?\n|\r)[ \t]*(\r?\n|\r)$/.test(before) ? '' : eol;
  const edits: TextEdit[] = [{ file: home.path, start: offset, end: offset, newText: `${lead}${cls ? blank : blank + eol}${lines.join(eol)}${eol}` }];
  if (variants?.length && !test.facts.moduleImports.some((m) => m.module === 'pytest')) {
    const first = [...test.facts.moduleImports.map((m) => m.span.start), ...test.facts.imports.filter((i) => i.topLevel).map((i) => i.span.start)].sort((a, b) => a - b)[0];
    const at = first === undefined ? 0 : lineStartOf(text, first);
    edits.push({ file: home.path, start: at, end: at, newText: `import pytest${eol}` });
  }
  return edits;
}

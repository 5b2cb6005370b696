import * as assert from 'node:assert/strict';
import { evaluate, isTemplatePath, projectTemplate, renderString, stripTemplateExtension } from '../../server/src/parsing/template';

describe('template projection', () => {
  const wrapper = [
    'from .cloaca_{{backend}} import (',
    '    hello_world,',
    '{% if backend == "postgres" %}',
    '    pg_only,',
    '{% else %}',
    '    lite_only,',
    '{% endif %}',
    '    __backend__',
    ')',
    '{# a comment #}',
  ].join('\n');

  it('keeps the length and the line breaks of the original', () => {
    for (const backend of ['postgres', 'sqlite']) {
      const p = projectTemplate(wrapper, { backend });
      assert.equal(p.text.length, wrapper.length);
      assert.deepEqual([...p.text.matchAll(/\n/g)].map((m) => m.index), [...wrapper.matchAll(/\n/g)].map((m) => m.index));
    }
  });

  it('blanks the inactive branch and the tags, per variant', () => {
    const pg = projectTemplate(wrapper, { backend: 'postgres' }).text;
    const lite = projectTemplate(wrapper, { backend: 'sqlite' }).text;
    assert.match(pg, /pg_only/);
    assert.doesNotMatch(pg, /lite_only|\{%|\{#/);
    assert.match(lite, /lite_only/);
    assert.doesNotMatch(lite, /pg_only|\{%/);
    assert.ok(pg.startsWith('from .cloaca_' + '_'.repeat('{{backend}}'.length) + ' import ('));
  });

  it('renders placeholders back in a span of the original', () => {
    const p = projectTemplate(wrapper, { backend: 'sqlite' });
    const start = wrapper.indexOf('.cloaca_');
    const end = wrapper.indexOf(' import');
    assert.equal(p.render({ start, end }), '.cloaca_sqlite');
    assert.ok(p.touchesTemplate({ start, end }));
    assert.ok(!p.touchesTemplate({ start: wrapper.indexOf('hello'), end: wrapper.indexOf('hello') + 5 }));
    assert.ok(!p.isActive(wrapper.indexOf('pg_only')));
    assert.ok(p.isActive(wrapper.indexOf('lite_only')));
  });

  it('handles elif chains, nesting and whitespace control', () => {
    const t = '{%- if a == "1" -%}one{% elif a == "2" %}two{% if b %}B{% endif %}{% else %}other{% endif %}';
    const text = (vars: Record<string, string>) => projectTemplate(t, vars).text.replace(/ /g, '');
    assert.equal(text({ a: '1' }), 'one');
    assert.equal(text({ a: '2', b: 'x' }), 'twoB');
    assert.equal(text({ a: '2' }), 'two');
    assert.equal(text({ a: '3', b: 'x' }), 'other');
  });

  it('evaluates conditions', () => {
    const vars = { backend: 'sqlite' };
    assert.equal(evaluate('backend == "sqlite"', vars), true);
    assert.equal(evaluate("backend != 'sqlite'", vars), false);
    assert.equal(evaluate('backend in ["postgres", "sqlite"]', vars), true);
    assert.equal(evaluate('backend not in ("postgres",)', vars), true);
    assert.equal(evaluate('not (backend == "postgres") and backend', vars), true);
    assert.equal(evaluate('missing or backend == "x"', vars), false);
    assert.equal(evaluate('%%% unreadable', vars), true);
  });

  it('renders paths and names file kinds', () => {
    assert.equal(renderString('python/cloaca_{{backend}}/__init__.py', { backend: 'sqlite' }), 'python/cloaca_sqlite/__init__.py');
    assert.equal(renderString('{{ backend | upper }}_X', { backend: 'pg' }), 'PG_X');
    assert.equal(stripTemplateExtension('.angreal/templates/backend_cargo.toml.j2'), '.angreal/templates/backend_cargo.toml');
    assert.ok(isTemplatePath('python/cloaca_{{backend}}/__init__.py'));
    assert.ok(isTemplatePath('x.toml.tera'));
    assert.ok(!isTemplatePath('python/cloaca/__init__.py'));
  });

  it('leaves an unterminated tag as text', () => {
    const p = projectTemplate('a = "{{ backend"\n', { backend: 'x' });
    assert.equal(p.text, 'a = "{{ backend"\n');
  });
});

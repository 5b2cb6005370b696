import type { Chain } from '../chain/build';
import type { WorkspaceIndex } from '../index/workspace-index';
import type { FixIntent } from '../rules/types';
import { addListItem, removeLines, removeListItem } from './python-list';
import { registrationEdits } from './registration';
import { testEdits } from './python-test';
import { eolOf, nextLineStart } from './text-utils';
import { expectedIn } from '../rules/common';
import type { Fix, TextEdit } from './types';

/** Turns a fix intent into text edits on the current texts. Undefined when nothing sensible can be written. */
export function materialize(intent: FixIntent, chain: Chain, index: WorkspaceIndex): Fix | undefined {
  const edits = editsFor(intent, chain, index);
  if (!edits?.length) return undefined;
  if (edits.some((e) => index.get(e.file)?.readonlyReason)) return undefined;
  return { title: titleOf(intent, chain), edits };
}

export function titleOf(intent: FixIntent, chain: Chain): string {
  switch (intent.kind) {
    case 'add-registration': {
      const symbol = chain.symbols.find((s) => s.id === intent.symbolId);
      const module = chain.variants.find((v) => v.name === intent.variant)?.module?.decl.pythonName;
      return `Register \`${symbol?.pythonName}\` in #[pymodule] \`${module}\``;
    }
    case 'add-import':
      return `Import \`${intent.name}\` in the wrapper`;
    case 'add-dunder-all':
      return `Add \`${intent.name}\` to \`__all__\``;
    case 'add-reexport':
      return `Re-export \`${intent.name}\` from \`${chain.project.package}\``;
    case 'add-test':
      return `Add a test for \`${chain.project.package}.${intent.name}\``;
    case 'remove-list-item':
    case 'remove-statement':
      return `Remove ${intent.what}`;
    case 'replace':
      return intent.title;
    case 'all':
      return `Complete the binding chain for \`${intent.symbol}\``;
  }
}

function editsFor(intent: FixIntent, chain: Chain, index: WorkspaceIndex): TextEdit[] | undefined {
  switch (intent.kind) {
    case 'add-registration': {
      const variant = chain.variants.find((v) => v.name === intent.variant);
      const symbol = chain.symbols.find((s) => s.id === intent.symbolId);
      return variant && symbol ? registrationEdits(chain, index, variant, symbol) : undefined;
    }
    case 'add-import':
      return addImport(chain, intent.file, intent.variant, intent.name);
    case 'add-dunder-all': {
      const wrapper = chain.variants.find((v) => v.name === intent.variant)?.wrappers.find((w) => w.path === intent.file);
      const all = wrapper?.view.facts.dunderAll;
      if (!wrapper || !all?.literal) return undefined;
      const quote = all.literalEntries.length ? wrapper.view.file.text[all.literalEntries[all.literalEntries.length - 1].span.start] : '"';
      const q = quote === "'" ? "'" : '"';
      const edit = addListItem({ file: intent.file, text: wrapper.view.file.text, items: all.literalEntries.map((e) => e.span), from: all.span.start, emptyInsertAt: all.literal.span.start + 1 }, `${q}${intent.name}${q}`, templateCondition(chain, intent.file, intent.name));
      return edit && [edit];
    }
    case 'add-reexport':
      return addReexport(chain, intent.name);
    case 'add-test':
      return testEdits(chain, index, intent.name, intent.symbolKind, intent.variants);
    case 'remove-list-item': {
      const text = index.get(intent.file)?.text;
      if (text === undefined) return undefined;
      const edit = removeListItem(intent.file, text, intent.span);
      if (edit) return [edit];
      const statement = index.python(intent.file)?.facts.imports.find((i) => i.span.start <= intent.span.start && intent.span.end <= i.span.end);
      return statement ? [removeLines(intent.file, text, statement.span)] : undefined;
    }
    case 'remove-statement': {
      const text = index.get(intent.file)?.text;
      return text === undefined ? undefined : [removeLines(intent.file, text, intent.span)];
    }
    case 'replace':
      return [{ file: intent.file, start: intent.span.start, end: intent.span.end, newText: intent.text }];
    case 'all':
      return intent.intents.flatMap((i) => editsFor(i, chain, index) ?? []);
  }
}

function addImport(chain: Chain, file: string, variantName: string | null, name: string): TextEdit[] | undefined {
  const variant = chain.variants.find((v) => v.name === variantName);
  const wrapper = variant?.wrappers.find((w) => w.path === file);
  if (!variant || !wrapper) return undefined;
  const text = wrapper.view.file.text;
  const statement = [...wrapper.extImports].reverse().find((s) => !s.star);
  if (statement) {
    const edit = addListItem({ file, text, items: statement.names.map((n) => n.span), from: statement.span.start }, name, templateCondition(chain, file, name));
    return edit && [edit];
  }
  const eol = eolOf(text);
  const imports = wrapper.view.facts.imports.filter((i) => i.topLevel);
  const at = imports.length ? nextLineStart(text, imports[imports.length - 1].span.end - 1) : 0;
  const lead = at > 0 && !/[\r\n]$/.test(text.slice(0, at)) ? eol : '';
  return [{ file, start: at, end: at, newText: `${lead}from .${variant.layout.ext} import ${name}${eol}` }];
}

/**
 * For a template wrapper serving several variants of which only some carry
 * `name`: the `{% if %}` condition naming those variants. Undefined when all do.
 */
function templateCondition(chain: Chain, file: string, name: string): string | undefined {
  const wrapper = chain.project.wrappers.find((w) => w.path === file);
  if (!wrapper || !chain.variants.find((v) => v.wrappers.some((w) => w.path === file))?.wrappers.find((w) => w.path === file)?.view.projection) return undefined;
  const symbol = chain.symbols.find((s) => s.pythonName === name);
  const carrying = chain.variants.filter((v) => wrapper.variants.includes(v.layout) && (v.registered.has(name) || (!!symbol && symbol.kind !== 'constant' && expectedIn(symbol, v))));
  if (!carrying.length || carrying.length === wrapper.variants.length) return undefined;
  const names = carrying.map((v) => `"${v.name}"`);
  const variable = chain.project.variable;
  return names.length === 1 ? `${variable} == ${names[0]}` : `${variable} in [${names.join(', ')}]`;
}

function addReexport(chain: Chain, name: string): TextEdit[] | undefined {
  const d = chain.dispatcher;
  if (!d) return undefined;
  const text = d.file.text;
  const eol = eolOf(text);
  // Copy the last plain `if hasattr(...): X = mod.X` block (not a block that does more).
  const blocks = d.facts.reexports.filter((r) => r.style === 'hasattr');
  const last = blocks[blocks.length - 1] ?? d.facts.reexports[d.facts.reexports.length - 1];
  if (last) {
    const block = text.slice(last.span.start, last.span.end);
    const renamed = block.replace(new RegExp(`\\b${last.name.replace(/[$]/g, '\\$')}\\b`, 'g'), name);
    return [{ file: d.path, start: last.span.end, end: last.span.end, newText: `${eol}${renamed}` }];
  }
  const source = d.facts.dynamicReexport?.source ?? '_backend_module';
  const lead = text.length && !/[\r\n]$/.test(text) ? eol : '';
  return [{ file: d.path, start: text.length, end: text.length, newText: `${lead}${eol}if hasattr(${source}, "${name}"):${eol}    ${name} = ${source}.${name}${eol}` }];
}

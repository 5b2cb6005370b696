import type { BindingSymbol, BodyRef, Chain, RegistrationSite, VariantChain } from '../chain/build';
import type { WorkspaceIndex } from '../index/workspace-index';
import { requiredFeatures } from '../layout/crate-tree';
import type { TextEdit } from './types';
import { eolOf } from './text-utils';

/**
 * The edits that register `symbol` in `variant`'s #[pymodule]: a statement in
 * the body that should carry it (a helper living in the symbol's own Rust
 * module when the #[pymodule] calls one, else the #[pymodule] itself; inside a
 * matching `#[cfg]` block when the symbol is feature-gated), copied from the
 * registration another variant already has when there is one, plus a `use`
 * line when the name is not in scope there.
 */
export function registrationEdits(chain: Chain, index: WorkspaceIndex, variant: VariantChain, symbol: BindingSymbol): TextEdit[] {
  const module = variant.module;
  if (!module) return [];
  const sibling = siblingSite(chain, variant, symbol);
  if (module.decl.style === 'declarative' && module.decl.exportInsert && symbol.item) {
    const text = index.get(module.file)!.text;
    const eol = eolOf(text);
    const { offset, indent } = module.decl.exportInsert;
    const path = ['crate', ...symbol.module, symbol.rustName].join('::');
    return [{ file: module.file, start: offset, end: offset, newText: `${indent}#[pymodule_export]${eol}${indent}use ${path};${eol}` }];
  }
  const body = chooseBody(variant, symbol);
  if (!body) return [];
  const file = index.get(body.file)!;
  const eol = eolOf(file.text);
  const edits: TextEdit[] = [];
  let statement: string | undefined;
  if (sibling?.body && sameList(sibling.body.module, body.module)) {
    statement = copyStatement(index.get(sibling.file)!.text, sibling, body.body.moduleParam);
  }
  if (!statement) {
    const name = nameInScope(chain, index, body, symbol, edits, eol);
    statement = generateStatement(symbol, name, body.body.moduleParam, sibling);
  }
  if (!statement) return [];
  const moduleFeatures = new Set(requiredFeatures([...chain.project.files.get(module.file)!.cfg, ...module.decl.cfg]));
  const needed = requiredFeatures(symbol.cfg).filter((f) => !moduleFeatures.has(f) && !statement!.includes(`feature = "${f}"`));
  let insert = body.body.insert;
  if (needed.length) {
    const block = body.body.cfgBlocks.find((b) => b.cfg.kind === 'feature' && needed.length === 1 && b.cfg.name === needed[0]);
    if (block) insert = block.insert;
    else statement = `#[cfg(${cfgText(needed)})]${eol}${body.body.insert.indent}${statement}`;
  }
  edits.push({ file: body.file, start: insert.offset, end: insert.offset, newText: `${insert.indent}${statement}${eol}` });
  return edits;
}

function cfgText(features: string[]): string {
  const parts = features.map((f) => `feature = "${f}"`);
  return parts.length === 1 ? parts[0] : `all(${parts.join(', ')})`;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A registration of the same symbol in another variant, to copy its style. */
function siblingSite(chain: Chain, variant: VariantChain, symbol: BindingSymbol): RegistrationSite | undefined {
  for (const v of chain.variants) {
    if (v === variant) continue;
    const site = v.registered.get(symbol.pythonName)?.find((s) => s.symbol === symbol && s.body);
    if (site) return site;
  }
  return undefined;
}

/** A helper of this variant living in the symbol's own module, else the #[pymodule] body. */
function chooseBody(variant: VariantChain, symbol: BindingSymbol): BodyRef | undefined {
  const helper = variant.bodies.find((b) => b.helper && sameList(b.module, symbol.module));
  return helper ?? variant.bodies.find((b) => !b.helper) ?? variant.bodies[0];
}

/** The sibling's statement text with its receiver renamed (attributes before it dropped: cfgs are recomputed). */
function copyStatement(text: string, site: RegistrationSite, receiver: string): string | undefined {
  let statement = text.slice(site.registration.span.start, site.registration.span.end);
  statement = statement.replace(/^(\s*#\s*\[[^\]]*\]\s*)+/, '').trim();
  const from = site.body!.body.moduleParam;
  if (from !== receiver) statement = statement.replace(new RegExp(`\\b${from}\\b`, 'g'), receiver);
  return statement.endsWith(';') ? statement : `${statement};`;
}

/** How the body can name the symbol; adds a `use` edit when it has to. */
function nameInScope(chain: Chain, index: WorkspaceIndex, body: BodyRef, symbol: BindingSymbol, edits: TextEdit[], eol: string): string {
  if (symbol.kind === 'constant') return symbol.rustName;
  const bound = chain.resolver.bindsName(body.module, symbol.rustName);
  if (bound && bound !== 'other' && bound.item === symbol.item) return symbol.rustName;
  const full = ['crate', ...symbol.module, symbol.rustName].join('::');
  if (bound) return full; // the short name means something else here
  const facts = index.rust(body.file)?.facts;
  if (!facts) return full;
  const cfg = requiredFeatures(symbol.cfg);
  const attr = cfg.length ? `#[cfg(${cfgText(cfg)})]${eol}` : '';
  edits.push({ file: body.file, start: facts.useInsert.offset, end: facts.useInsert.offset, newText: `${facts.useInsert.indent}${attr}use ${full};${eol}` });
  return symbol.rustName;
}

function generateStatement(symbol: BindingSymbol, name: string, m: string, sibling?: RegistrationSite): string | undefined {
  switch (symbol.kind) {
    case 'class':
    case 'enum':
      return `${m}.add_class::<${name}>()?;`;
    case 'function':
      return `${m}.add_function(wrap_pyfunction!(${name}, ${m})?)?;`;
    case 'exception':
      return `${m}.add("${symbol.pythonName}", ${m}.py().get_type::<${name}>())?;`;
    case 'constant':
      return sibling?.registration.valueText ? `${m}.add("${symbol.pythonName}", ${sibling.registration.valueText})?;` : undefined;
  }
}

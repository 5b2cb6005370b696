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
  const viaHelper = sibling && helperCallReaching(chain, sibling);
  const own = variant.bodies.find((b) => !b.helper);
  if (viaHelper && own && sameList(viaHelper.body.module, own.module) && !variant.bodies.some((b) => b.helper === sibling!.body!.helper && b.file === sibling!.body!.file)) {
    // The other variant gets the symbol from a helper: call the same helper here.
    const text = index.get(own.file)!.text;
    const statement = copyText(index.get(viaHelper.body.file)!.text, viaHelper.span, viaHelper.body.body.moduleParam, own.body.moduleParam);
    return [{ file: own.file, start: own.body.insert.offset, end: own.body.insert.offset, newText: `${own.body.insert.indent}${statement}${eolOf(text)}` }];
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
  // A helper may be shared by every variant: only the body's own cfgs are given.
  const moduleFeatures = new Set(requiredFeatures(body.cfg));
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
  return copyText(text, site.registration.span, site.body!.body.moduleParam, receiver);
}

function copyText(text: string, span: { start: number; end: number }, from: string, receiver: string): string {
  let statement = text.slice(span.start, span.end);
  statement = statement.replace(/^(\s*#\s*\[[^\]]*\]\s*)+/, '').trim();
  if (from !== receiver) statement = statement.replace(new RegExp(`\\b${from}\\b`, 'g'), receiver);
  return statement.endsWith(';') ? statement : `${statement};`;
}

/** In the sibling's variant, the call in the #[pymodule] body that leads to the helper holding the sibling registration. */
function helperCallReaching(chain: Chain, site: RegistrationSite): { body: BodyRef; span: { start: number; end: number } } | undefined {
  if (!site.body?.helper) return undefined;
  for (const v of chain.variants) {
    if (!v.bodies.includes(site.body)) continue;
    const own = v.bodies.find((b) => !b.helper);
    if (!own) continue;
    for (const call of own.body.helperCalls) {
      const target = chain.resolver.resolve(call.target, own.module);
      if (target && target.file === site.body.file && target.item.rustName === site.body.helper) return { body: own, span: call.span };
    }
  }
  return undefined;
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

import type { Chain } from '../chain/build';
import { firstLine, importAnchor, reexportAnchor, starImportsWrapper } from './common';
import { testHome } from './missing-test';

/** One thing the rules read that no single Python name owns, with the file its positions are in ('' for none). */
export interface SharedInput {
  file: string;
  what: string;
  data: unknown;
}

/**
 * Everything the rules that report about symbols read besides each name's
 * own part of the chain: the #[pymodule]s, the wrappers' extension import and
 * `__all__` (where and of what form), the dispatcher's form and the place
 * missing-reexport squiggles, the test that new tests go into. While these
 * stay the same (their positions moved along with an edit), a name's
 * findings depend on that name's part of the chain alone.
 */
export function sharedInputs(chain: Chain): SharedInput[] {
  const out: SharedInput[] = [];
  const d = chain.dispatcher;
  out.push({ file: '', what: 'chain', data: { package: chain.project.package, variants: chain.variants.map((v) => v.name), tests: chain.tests.length, dispatcher: d?.path ?? null } });
  chain.variants.forEach((v, k) => {
    const m = v.module;
    out.push({ file: m?.file ?? '', what: `module ${k}`, data: m ? { pythonName: m.decl.pythonName, nameSpan: m.decl.nameSpan } : null });
    for (const w of v.wrappers) {
      const all = w.view.facts.dunderAll;
      out.push({ file: w.path, what: `wrapper ${k}`, data: { star: w.star, anchor: importAnchor(w), all: all && { span: firstLine(w.view.file.text, all.span), literal: !!all.literal } } });
    }
  });
  if (d) {
    const f = d.facts;
    out.push({ file: d.path, what: 'dispatcher', data: { all: starImportsWrapper(chain, f), star: f.imports.some((i) => i.star), dynamic: !!f.dynamicReexport, dunderAll: !!f.dunderAll, anchor: reexportAnchor(d) } });
  }
  const home = testHome(chain) ?? null;
  out.push({ file: home?.path ?? '', what: 'test home', data: home });
  return out;
}

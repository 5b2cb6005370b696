import type { CfgExpr, ModDecl } from '../facts/types';
import { CodeLevel } from '../parsing/rust-lexer';

/** Text markers without which a Rust file cannot hold a binding, a module or a registration helper. */
const RUST_BINDING_MARKERS = /#\s*\[\s*(?:pyo3\s*::\s*)?py|PyModule|create_exception|pymodule/;

/** True when a Rust text may declare or register bindings (a cheap test; false means its facts are never needed). */
export function mayHoldBindings(text: string): boolean {
  return RUST_BINDING_MARKERS.test(text);
}

/** `#[...]` attributes, visibility, `mod name;` (groups: attributes, `mod` keyword, name). */
const MOD_DECL = /((?:#\[[^\]]*\]\s*)*)(?:pub(?:\s*\([^)]*\))?\s+)?\b(mod)\s+([A-Za-z_]\w*)\s*;/dg;
const ATTRIBUTE = /#\[[^\]]*\]/g;

/**
 * The `mod x;` declarations of a Rust file that holds no bindings, found
 * without parsing it: the checker only needs them to know which files the
 * crate's module tree reaches. Matches are taken from the raw text; a `mod`
 * inside a comment or a string literal does not count, nor does an attribute
 * inside one (one forward scan, done only as far as the last match).
 */
export function scanModDeclarations(text: string): ModDecl[] {
  const mods: ModDecl[] = [];
  if (!text.includes('mod')) return mods;
  const code = new CodeLevel(text);
  MOD_DECL.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MOD_DECL.exec(text))) {
    const [attrStart, attrEnd] = m.indices![1];
    const keyword = m.indices![2][0];
    const attrs: string[] = [];
    let start = attrEnd;
    if (attrEnd > attrStart) {
      ATTRIBUTE.lastIndex = 0;
      const source = m[1];
      for (let a: RegExpExecArray | null; (a = ATTRIBUTE.exec(source));) {
        if (!code.isCode(attrStart + a.index)) continue;
        if (!attrs.length) start = attrStart + a.index;
        attrs.push(a[0]);
      }
    }
    if (!code.isCode(keyword)) continue;
    const end = m.index + m[0].length;
    let pathAttr: string | undefined;
    const cfg: CfgExpr[] = [];
    for (const attr of attrs) {
      pathAttr ??= /^#\[\s*path\s*=\s*"([^"]*)"\s*\]$/.exec(attr)?.[1];
      const feature = /^#\[\s*cfg\s*\(\s*feature\s*=\s*"([^"]*)"\s*\)\s*\]$/.exec(attr);
      if (feature) cfg.push({ kind: 'feature', name: feature[1] });
    }
    mods.push({ name: m[3], scope: [], inline: false, pathAttr, cfg, span: { start, end } });
  }
  return mods;
}

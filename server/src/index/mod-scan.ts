import type { CfgExpr, ModDecl } from '../facts/types';

/**
 * The `mod x;` declarations of a Rust file that holds no bindings, found
 * without parsing it: the checker only needs them to know which files the
 * crate's module tree reaches. Comments and string literals are blanked first
 * so a `mod` inside them does not count.
 */
export function scanModDeclarations(text: string): ModDecl[] {
  const clean = blankCommentsAndStrings(text);
  const mods: ModDecl[] = [];
  const re = /((?:#\[[^\]]*\]\s*)*)(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+([A-Za-z_]\w*)\s*;/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(clean))) {
    const attrs = text.slice(m.index, m.index + m[1].length);
    const pathAttr = /#\[\s*path\s*=\s*"([^"]*)"\s*\]/.exec(attrs)?.[1];
    const cfg: CfgExpr[] = [];
    for (const c of attrs.matchAll(/#\[\s*cfg\s*\(\s*feature\s*=\s*"([^"]*)"\s*\)\s*\]/g)) cfg.push({ kind: 'feature', name: c[1] });
    mods.push({ name: m[2], scope: [], inline: false, pathAttr, cfg, span: { start: m.index, end: m.index + m[0].length } });
  }
  return mods;
}

/** Same length as `text`; comments and string contents replaced by spaces. */
export function blankCommentsAndStrings(text: string): string {
  const out = text.split('');
  const n = text.length;
  let i = 0;
  const blankTo = (end: number) => {
    for (let k = i; k < end && k < n; k++) if (out[k] !== '\n') out[k] = ' ';
    i = end;
  };
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      blankTo(end < 0 ? n : end);
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 0;
      let k = i;
      while (k < n) {
        if (text[k] === '/' && text[k + 1] === '*') { depth++; k += 2; } else if (text[k] === '*' && text[k + 1] === '/') { depth--; k += 2; if (depth === 0) break; } else k++;
      }
      blankTo(k);
    } else if (c === "'" && (text[i + 2] === "'" || (text[i + 1] === '\\' && /^'\\.[^']{0,8}'/.test(text.slice(i, i + 12))))) {
      blankTo(text.indexOf("'", i + 2) + 1);
    } else if (c === '"') {
      let k = i + 1;
      while (k < n && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
      blankTo(k + 1);
    } else if (c === 'r' && /^r#*"/.test(text.slice(i, i + 10)) && !/\w/.test(text[i - 1] ?? '')) {
      const hashes = /^r(#*)"/.exec(text.slice(i, i + 10))![1];
      const end = text.indexOf(`"${hashes}`, i + hashes.length + 2);
      blankTo(end < 0 ? n : end + hashes.length + 1);
    } else i++;
  }
  return out.join('');
}

import { ModuleReference } from '../types';
import { ImportScan } from './imports';
import { TopLevel } from './toplevel';
import { PlainHasattrBlock } from './hasattr-block';
import { stringValue } from './text';

const IDENT = '[\\p{L}_][\\p{L}\\p{N}_]*';

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Uses of imported modules: `alias.X` (first attribute only), names imported by
 * absolute `from M import X`, and `hasattr(alias, "X")` / `getattr(alias, "X")`.
 * Candidates are found in the text and confirmed in the tree, so strings and
 * comments never count; nothing is walked when no alias occurs in the text.
 * Candidates inside `skipped` blocks (not in the tree) are confirmed by the
 * block's own reading: its `hasattr(V, "X")` call and its `V.X` attribute.
 */
export function findReferences(text: string, top: TopLevel, scan: ImportScan, skipped: readonly PlainHasattrBlock[] = []): ModuleReference[] {
  const references: ModuleReference[] = [];
  scan.imports.forEach((statement, i) => {
    if (statement.module.startsWith('.') || statement.star) return;
    statement.names.forEach((name, j) => {
      references.push({ module: statement.module, name: name.name, span: scan.nameSpans[i][j] });
    });
  });
  const aliases = new Map<string, string>();
  for (const imported of scan.moduleImports) {
    const dotted = imported.module.includes('.') && imported.alias === imported.module.split('.')[0];
    aliases.set(imported.alias, dotted ? imported.alias : imported.module);
  }
  const present = [...aliases.keys()].filter((alias) => text.includes(alias));
  if (present.length > 0) {
    const blocks = new BlockLookup(skipped);
    const dotted = new Set(scan.moduleImports.filter((i) => i.module.includes('.') && i.alias === i.module.split('.')[0]).map((i) => i.module));
    attributeReferences(text, top, present, aliases, references, blocks, dotted);
    hasattrReferences(text, top, aliases, references, blocks);
  }
  return references.sort((a, b) => a.span.start - b.span.start);
}

/** The skipped block holding an offset (binary search over blocks in order). */
class BlockLookup {
  constructor(private readonly blocks: readonly PlainHasattrBlock[]) {}

  at(offset: number): PlainHasattrBlock | null {
    const blocks = this.blocks;
    let low = 0;
    let high = blocks.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const block = blocks[mid];
      if (offset < block.start) high = mid - 1;
      else if (offset >= block.end) low = mid + 1;
      else return block;
    }
    return null;
  }
}

/** `.name` after an attribute (sticky). */
const NEXT_ATTRIBUTE = new RegExp(`\\s*\\.\\s*(${IDENT})`, 'uy');

/**
 * `alias.X`; with `import a.b` (`dotted`: the modules imported so), `a.b.X`
 * also names X on `a.b` (as well as b on `a`).
 */
function attributeReferences(
  text: string, top: TopLevel, present: string[], aliases: Map<string, string>, out: ModuleReference[], blocks: BlockLookup, dotted: ReadonlySet<string>,
): void {
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_.])(${present.map(escape).join('|')})\\s*\\.\\s*(${IDENT})`, 'gu');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    let end = m.index + m[0].length;
    let module = aliases.get(m[1])!;
    let name = m[2];
    const block = blocks.at(m.index);
    if (block) {
      if (block.attribute.start === m.index && block.attribute.end === end) {
        out.push({ module, name, span: { start: end - name.length, end } });
      }
      continue;
    }
    for (;;) {
      const node = top.namedNodeAt(m.index, end);
      // The offset first: it is a plain field, type and endIndex are calls into WASM.
      if (!node || node.startIndex !== m.index || node.type !== 'attribute' || node.endIndex !== end) break;
      out.push({ module, name, span: { start: end - name.length, end } });
      if (!dotted.has(`${module}.${name}`)) break;
      NEXT_ATTRIBUTE.lastIndex = end;
      const next = NEXT_ATTRIBUTE.exec(text);
      if (!next) break;
      module = `${module}.${name}`;
      name = next[1];
      end = NEXT_ATTRIBUTE.lastIndex;
    }
  }
}

function hasattrReferences(text: string, top: TopLevel, aliases: Map<string, string>, out: ModuleReference[], blocks: BlockLookup): void {
  const pattern = new RegExp(`\\b(?:hasattr|getattr)\\s*\\(\\s*(${IDENT})\\s*,`, 'gu');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const module = aliases.get(m[1]);
    if (!module) continue;
    const block = blocks.at(m.index);
    if (block) {
      if (block.hasattrStart === m.index) out.push({ module, name: block.name, span: { ...block.nameSpan } });
      continue;
    }
    const call = top.namedNodeAt(m.index, text.indexOf('(', m.index) + 1);
    if (!call || call.type !== 'call' || call.startIndex !== m.index) continue;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const nameNode = args[1];
    const name = nameNode ? stringValue(text, nameNode) : null;
    if (!nameNode || name === null || args[0]?.type !== 'identifier') continue;
    out.push({ module, name, span: { start: nameNode.startIndex, end: nameNode.endIndex } });
  }
}

/**
 * Flattening of `use` trees: `use crate::a::{B, c::D as E, f::*};` ->
 * crate::a::B as B, crate::a::c::D as E, crate::a::f as *.
 */
import type { Node } from 'web-tree-sitter';
import type { RustPath } from '../types';
import { kids, pathOf, textOf } from './util';

export interface UsedName {
  path: RustPath;
  alias: string;
}

export function flattenUse(text: string, declaration: Node): UsedName[] {
  const out: UsedName[] = [];
  const argument = declaration.childForFieldName('argument');
  if (argument) flatten(text, argument, [], out);
  return out;
}

function flatten(text: string, node: Node, prefix: RustPath, out: UsedName[]): void {
  switch (node.type) {
    case 'use_as_clause': {
      const path = node.childForFieldName('path');
      const alias = node.childForFieldName('alias');
      if (path && alias) out.push({ path: [...prefix, ...pathOf(textOf(text, path))], alias: textOf(text, alias) });
      return;
    }
    case 'use_wildcard': {
      const path = kids(node)[0];
      out.push({ path: path ? [...prefix, ...pathOf(textOf(text, path))] : prefix, alias: '*' });
      return;
    }
    case 'scoped_use_list': {
      const path = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      const inner = path ? [...prefix, ...pathOf(textOf(text, path))] : prefix;
      if (list) flatten(text, list, inner, out);
      return;
    }
    case 'use_list':
      for (const child of kids(node)) flatten(text, child, prefix, out);
      return;
    case 'self':
      if (prefix.length) {
        out.push({ path: prefix, alias: prefix[prefix.length - 1] });
        return;
      }
      break;
    case 'line_comment':
    case 'block_comment':
    case 'attribute_item':
      return;
  }
  const path = [...prefix, ...pathOf(textOf(text, node))];
  if (path.length) out.push({ path, alias: path[path.length - 1] });
}

import type { Tree } from 'web-tree-sitter';

/** Every node of a tree: type, offsets, positions, missing flag. */
export function dumpTree(tree: Tree): string[] {
  const out: string[] = [];
  const cursor = tree.walk();
  for (;;) {
    const n = cursor.currentNode;
    out.push(`${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}${n.isMissing ? ' missing' : ''}`);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return out;
  }
}

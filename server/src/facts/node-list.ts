/**
 * Lists of tree-sitter nodes with one hidden class. V8 compiles the code that
 * reads a list for the kinds of list it has seen: an empty `[]` and a list of
 * nodes are two kinds, and meeting the second throws the compiled code away
 * to compile it again (in every parse worker). Lists made here are all the
 * kind a list of objects is, the empty ones included.
 */
import type { Node } from 'web-tree-sitter';

/** An empty list of the kind a list of objects is (it held one once), to share: never to be changed. */
export function emptyObjectList<T extends object>(): readonly T[] {
  const list: object[] = [{}];
  list.pop();
  return list as T[];
}

export const NO_NODES: readonly Node[] = emptyObjectList<Node>();

/** The nodes of a web-tree-sitter list (`namedChildren`, `children`) without its nulls. */
export function nodeList(list: readonly (Node | null)[]): readonly Node[] {
  const nodes: Node[] = [];
  for (const node of list) if (node !== null) nodes.push(node);
  return nodes.length ? nodes : NO_NODES;
}

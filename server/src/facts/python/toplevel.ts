import { Node } from 'web-tree-sitter';
import { nodeList } from '../node-list';

/**
 * The module's top-level statements, sorted by offset, for finding the
 * statement that holds a text offset without scanning the root's children
 * (tree-sitter's own lookups from the root are linear in their number).
 */
export class TopLevel {
  readonly nodes: readonly Node[];

  constructor(root: Node) {
    this.nodes = nodeList(root.namedChildren);
  }

  /** The top-level statement whose span holds [start, end): a binary search on start offsets (plain fields, no tree calls). */
  statementAt(start: number, end: number): Node | null {
    let low = 0;
    let high = this.nodes.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.nodes[mid].startIndex <= start) low = mid;
      else high = mid - 1;
    }
    const node = this.nodes[low];
    return node && node.startIndex <= start && node.endIndex >= end ? node : null;
  }

  /** The smallest named node covering [start, end). */
  namedNodeAt(start: number, end: number): Node | null {
    const statement = this.statementAt(start, end);
    return statement ? statement.namedDescendantForIndex(start, end) : null;
  }

  /** True when `node` is itself one of the top-level statements. */
  isTopLevel(node: Node): boolean {
    const statement = this.statementAt(node.startIndex, node.endIndex);
    return !!statement && statement.startIndex === node.startIndex && statement.endIndex === node.endIndex && statement.type === node.type;
  }
}

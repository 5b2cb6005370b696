import { Node } from 'web-tree-sitter';
import { nodeList } from '../node-list';

/**
 * Below this length a statement is searched by tree-sitter itself; from it on,
 * a class or function body of many statements gets an index of its own.
 */
const NEST_MIN_LENGTH = 4096;
const NEST_MIN_STATEMENTS = 16;

/**
 * Statements of one level (the module's, or a large class or function body),
 * sorted by offset, for finding the statement that holds a text offset
 * without scanning their parent's children: tree-sitter's own lookups are
 * linear in the number of children at every level, which makes one lookup
 * per method of a class of a thousand test methods quadratic.
 */
class Level {
  /** Nested levels by statement, built when first needed (null: the statement is searched by tree-sitter). */
  private readonly nested = new Map<number, Level | null>();

  constructor(readonly nodes: readonly Node[]) {}

  /** The index of the statement whose span holds [start, end), or -1: a binary search on start offsets (plain fields, no tree calls). */
  indexAt(start: number, end: number): number {
    let low = 0;
    let high = this.nodes.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.nodes[mid].startIndex <= start) low = mid;
      else high = mid - 1;
    }
    const node = this.nodes[low];
    return node && node.startIndex <= start && node.endIndex >= end ? low : -1;
  }

  namedNodeAt(start: number, end: number): Node | null {
    const i = this.indexAt(start, end);
    if (i < 0) return null;
    // Within one statement of a large body, the smallest named node covering the span is the same from that statement.
    const found = this.nestedAt(i)?.namedNodeAt(start, end);
    return found ?? this.nodes[i].namedDescendantForIndex(start, end);
  }

  private nestedAt(i: number): Level | null {
    let level = this.nested.get(i);
    if (level === undefined) {
      const node = this.nodes[i];
      const body = node.endIndex - node.startIndex >= NEST_MIN_LENGTH ? bodyOf(node) : null;
      const statements = body ? nodeList(body.namedChildren) : [];
      level = statements.length >= NEST_MIN_STATEMENTS ? new Level(statements) : null;
      this.nested.set(i, level);
    }
    return level;
  }
}

/** The block of a class or function definition (decorated or not). */
function bodyOf(node: Node): Node | null {
  const type = node.type;
  if (type === 'decorated_definition') {
    const definition = node.childForFieldName('definition');
    return definition ? bodyOf(definition) : null;
  }
  return type === 'class_definition' || type === 'function_definition' ? node.childForFieldName('body') : null;
}

/**
 * The module's top-level statements, sorted by offset, for finding the
 * statement, and the smallest named node, that holds a text offset (see `Level`).
 */
export class TopLevel {
  private readonly level: Level;

  constructor(root: Node) {
    this.level = new Level(nodeList(root.namedChildren));
  }

  get nodes(): readonly Node[] {
    return this.level.nodes;
  }

  /** The top-level statement whose span holds [start, end). */
  statementAt(start: number, end: number): Node | null {
    const i = this.level.indexAt(start, end);
    return i < 0 ? null : this.level.nodes[i];
  }

  /** The smallest named node covering [start, end) (as tree-sitter's `namedDescendantForIndex` from the root finds it). */
  namedNodeAt(start: number, end: number): Node | null {
    return this.level.namedNodeAt(start, end);
  }

  /** True when `node` is itself one of the top-level statements. */
  isTopLevel(node: Node): boolean {
    const statement = this.statementAt(node.startIndex, node.endIndex);
    return !!statement && statement.startIndex === node.startIndex && statement.endIndex === node.endIndex && statement.type === node.type;
  }
}

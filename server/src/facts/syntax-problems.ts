import { Query, Tree } from 'web-tree-sitter';
import { ParseProblem } from './types';

const MAX_PROBLEMS = 20;

/**
 * ERROR and MISSING nodes as problems (outermost errors only, at most 20).
 * `query` captures `@error` and `@missing`; nothing runs for an error-free tree.
 */
export function syntaxProblems(tree: Tree, query: Query, message: string): ParseProblem[] {
  const problems: ParseProblem[] = [];
  if (!tree.rootNode.hasError) return problems;
  let coveredUntil = -1;
  for (const capture of query.captures(tree.rootNode)) {
    const node = capture.node;
    if (node.startIndex < coveredUntil) continue;
    const span = { start: node.startIndex, end: node.endIndex };
    if (capture.name === 'missing') {
      problems.push({ span, message: `${message}: missing "${node.type}"` });
    } else {
      problems.push({ span, message });
      coveredUntil = node.endIndex;
    }
    if (problems.length >= MAX_PROBLEMS) break;
  }
  return problems;
}

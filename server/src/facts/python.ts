import type { Parsers, TreeReuse } from '../parsing/parsers';
import { PythonFacts } from './types';
import { scanImports } from './python/imports';
import { syntaxProblems } from './syntax-problems';
import { findReferences } from './python/references';
import { StatementWalker } from './python/statements';
import { TopLevel } from './python/toplevel';
import type { PlainHasattrBlock } from './python/hasattr-block';
import type { SkipRange } from '../parsing/parsers';

/**
 * Extracts the facts of one Python file (wrapper, dispatcher, test, build
 * script or stub) from its text (`parseInputOf`). `blocks`: plain hasattr
 * blocks the parse skips (`skip` holds their spans); the facts read them from
 * the text in place of the statements the tree does not have. `problems` come
 * from the tree: a syntax error inside a skipped block would not be reported
 * (the blocks skipped are read by a strict pattern that admits no syntax error
 * but keyword names, and those are never skipped).
 */
export function extractPythonFacts(
  parsers: Parsers,
  text: string,
  reuse?: TreeReuse,
  blocks: readonly PlainHasattrBlock[] = [],
  skip?: readonly SkipRange[],
): PythonFacts {
  const tree = parsers.parse('python', text, reuse?.previous, skip);
  try {
    const top = new TopLevel(tree.rootNode);
    const scan = scanImports(text, top);
    const walker = new StatementWalker(text);
    walker.walkModule(top.nodes, blocks);
    for (const statement of scan.imports) {
      if (statement.topLevel) for (const name of statement.names) walker.backendVars.add(name.alias ?? name.name);
    }
    for (const imported of scan.moduleImports) walker.backendVars.add(imported.alias);
    return {
      language: 'python',
      imports: scan.imports,
      moduleImports: scan.moduleImports,
      dunderAll: walker.dunderAll.build(),
      definedNames: [...walker.defined],
      reexports: walker.reexports(),
      dynamicReexport: walker.dynamicReexport,
      references: findReferences(text, top, scan, blocks),
      classes: walker.classes,
      pathExpressions: walker.pathExpressions,
      assignedNames: walker.assignedNames,
      endInsert: { offset: text.length, indent: '' },
      problems: syntaxProblems(tree, parsers.query('python', 'python-facts'), 'syntax error'),
    };
  } finally {
    if (reuse) reuse.keep(tree);
    else tree.delete();
  }
}

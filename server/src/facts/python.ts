import type { Parsers, TreeReuse } from '../parsing/parsers';
import { PythonFacts } from './types';
import { scanImports } from './python/imports';
import { syntaxProblems } from './syntax-problems';
import { findReferences } from './python/references';
import { StatementWalker } from './python/statements';
import { TopLevel } from './python/toplevel';

/** Extracts the facts of one Python file (wrapper, dispatcher, test, build script or stub). */
export function extractPythonFacts(parsers: Parsers, text: string, reuse?: TreeReuse): PythonFacts {
  const tree = parsers.parse('python', text, reuse?.previous);
  try {
    const top = new TopLevel(tree.rootNode);
    const scan = scanImports(text, top);
    const walker = new StatementWalker(text);
    walker.walkModule(top.nodes);
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
      references: findReferences(text, top, scan),
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

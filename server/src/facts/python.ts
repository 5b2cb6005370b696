import type { Parsers, TreeReuse } from '../parsing/parsers';
import { PythonFacts } from './types';
import { scanImports } from './python/imports';
import { syntaxProblems } from './syntax-problems';
import { findReferences } from './python/references';
import { StatementWalker } from './python/statements';
import { TopLevel } from './python/toplevel';
import type { BlankedPython } from '../parsing/python-blank';

/**
 * Extracts the facts of one Python file (wrapper, dispatcher, test, build
 * script or stub) from its parse text (`parseTextOf`). When plain hasattr
 * blocks were blanked out of it, the tree is parsed from the blanked text and
 * the facts read the original text, with the blanked blocks in place of the
 * statements the tree does not have. `problems` come from that tree: a syntax
 * error inside a blanked block would not be reported (the blocks blanked are
 * read by a strict pattern that admits no syntax error but keyword names, and
 * those are never blanked).
 */
export function extractPythonFacts(parsers: Parsers, parseText: string, reuse?: TreeReuse, blanked: BlankedPython | null = null): PythonFacts {
  const tree = parsers.parse('python', parseText, reuse?.previous);
  const text = blanked ? blanked.original : parseText;
  const blocks = blanked ? blanked.blocks : [];
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

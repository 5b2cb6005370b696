import type { Chain } from '../chain/build';
import type { Span } from '../facts/types';
import type { Rule, Finding } from './types';
import { allPublicNames, carryingVariants, chainLinks, symbolByName } from './common';

type Home = { path: string; span: Span; className?: string } | undefined;

const homes = new WeakMap<Chain['tests'], { publicModules: ReadonlySet<string>; home: Home }>();

/** The test file and class a new test goes into: the class with the most tests in the file referencing the package most. */
export function testHome(chain: Chain): Home {
  const cached = homes.get(chain.tests);
  if (cached?.publicModules === chain.publicModules) return cached.home;
  const home = findTestHome(chain);
  homes.set(chain.tests, { publicModules: chain.publicModules, home });
  return home;
}

function findTestHome(chain: Chain): Home {
  let best: { path: string; refs: number } | undefined;
  for (const t of chain.tests) {
    const refs = t.facts.references.filter((r) => chain.publicModules.has(r.module)).length;
    if (!best || refs > best.refs) best = { path: t.path, refs };
  }
  if (!best) return undefined;
  const test = chain.tests.find((t) => t.path === best!.path)!;
  const cls = [...test.facts.classes].filter((c) => c.testCount > 0).sort((a, b) => b.testCount - a.testCount)[0];
  return cls ? { path: test.path, span: cls.nameSpan, className: cls.name } : { path: test.path, span: { start: 0, end: 0 } };
}

export const missingTest: Rule = {
  id: 'missing-test',
  description: 'No collected test references the public name, so nothing notices when the chain breaks.',
  defaultSeverity: 'info',
  fixable: true,
  readsTests: true,
  check(chain, _earlier, _context, scope) {
    const home = testHome(chain);
    if (!home) return [];
    const findings: Finding[] = [];
    for (const name of allPublicNames(chain, scope)) {
      if (chain.testReferences.has(name)) continue;
      const symbol = symbolByName(chain, name);
      findings.push({
        rule: 'missing-test',
        severity: 'info',
        file: home.path,
        span: home.span,
        symbol: name,
        symbolId: symbol?.id,
        variant: null,
        message: `no test references \`${chain.project.package}.${name}\``,
        related: chainLinks(chain, name),
        fixes: [{ kind: 'add-test', name, symbolKind: symbol?.kind ?? 'constant', variants: carryingVariants(chain, name, symbol) }],
      });
    }
    return findings;
  },
};

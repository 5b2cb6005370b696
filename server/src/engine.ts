import { addTests, buildChain, buildRustChain, Chain, RustChain } from './chain/build';
import type { Span } from './facts/types';
import type { WorkspaceIndex } from './index/workspace-index';
import type { Config } from './layout/config';
import { detectLayout, Layout } from './layout/detect';
import { RULES } from './rules/registry';
import type { Finding, Rule } from './rules/types';

export interface CheckResult {
  findings: Finding[];
  layout: Layout;
  chains: Chain[];
  symbols: number;
  variants: number;
  /** Index generation the result was computed from. */
  generation: number;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2, hint: 3 } as const;

/** Runs every enabled rule on the workspace. Pure with respect to the index: nothing is written. */
export function runChecks(index: WorkspaceIndex, config: Config): CheckResult {
  return checkWorkspace(index, config).result;
}

/**
 * Parts of the coming check computed ahead, and the index generation they were
 * computed at: the Rust parts of the chains (`prepareCheck`), then maybe the
 * chains without their tests and the findings of the rules that do not read
 * tests (`CheckAhead.beforeTests`), for one configuration.
 */
const prepared = new WeakMap<WorkspaceIndex, { generation: number; chains: RustChain[]; beforeTests?: { config: Config; layout: Layout; chains: Chain[]; findings: Finding[][][] } }>();

/** Parts of the coming check computed while the parse workers are still at work (see `FactsPrefetch.finish`). */
export interface CheckAhead {
  /** Once the Rust files are in: `prepareCheck`. */
  rust(index: WorkspaceIndex, layout: Layout): void;
  /** Then, once the texts other than tests are in too: the chains without their tests (returned), and the rules that do not read them. */
  beforeTests(index: WorkspaceIndex, layout: Layout): readonly Chain[];
}

/**
 * The parts of the coming check with `config` that can be computed while the
 * tests are still being parsed; the check (`runChecks`) then adds the tests
 * and runs the rules that read them (`Rule.readsTests`). As with
 * `prepareCheck`: used once, and only if nothing in the index changed since.
 */
export function checkAhead(config: Config): CheckAhead {
  return {
    rust: (index, layout) => prepareCheck(index, layout),
    beforeTests: (index, layout) => {
      const ahead = prepared.get(index);
      if (ahead?.generation !== index.generation) return [];
      const internal = new Set(config.internal);
      const chains = layout.projects.map((p) => buildChain(index, p, internal, ahead.chains.find((r) => r.project === p), false));
      ahead.beforeTests = { config, layout, chains, findings: chains.map((chain) => ruleFindings(chain, config, (rule) => !rule.readsTests)) };
      return chains;
    },
  };
}

/**
 * Computes ahead the part of the coming check that only the Rust files give
 * (`buildRustChain`), for the projects of `layout` (the index's layout for
 * `config`, as `detectLayout` gives it): while the parse workers are still on
 * the Python files, the check then has only their part left. Used by the next
 * check of this index, if nothing in the index changed meanwhile. Returns
 * what it computed.
 */
export function prepareCheck(index: WorkspaceIndex, layout: Layout): readonly RustChain[] {
  const chains = layout.projects.map((p) => buildRustChain(index, p));
  prepared.set(index, { generation: index.generation, chains });
  return chains;
}

/** `runChecks`, with the findings of each chain apart as well (what `IncrementalChecker` keeps). */
export function checkWorkspace(index: WorkspaceIndex, config: Config): { result: CheckResult; byChain: Finding[][] } {
  const generation = index.generation;
  const layout = detectLayout(index, config);
  const internal = new Set(config.internal);
  // Computed ahead for this very layout (the same project objects), and used once.
  const ahead = prepared.get(index);
  prepared.delete(index);
  const fresh = ahead?.generation === generation ? ahead : undefined;
  const staged = fresh?.beforeTests;
  if (staged && staged.config === config && staged.layout === layout) {
    // The rest of a check computed in stages: the tests, and the rules that read them.
    const byChain = staged.chains.map((chain, i) => {
      addTests(chain, index);
      const late = ruleFindings(chain, config, (rule) => !!rule.readsTests, undefined, staged.findings[i].flat());
      return mergeVariants(staged.findings[i].map((early, r) => early.concat(late[r])).flat(), chain.variants.length);
    });
    return { result: resultOf(layout, staged.chains, byChain, generation), byChain };
  }
  // Rust parts that went into staged chains (given their wrappers) serve no other chain.
  const rustChains = (!staged && fresh?.chains) || [];
  const chains = layout.projects.map((p) => buildChain(index, p, internal, rustChains.find((r) => r.project === p)));
  const byChain = chains.map((chain) => checkChain(chain, config));
  return { result: resultOf(layout, chains, byChain, generation), byChain };
}

/** A result from chains and their findings (each chain's from `checkChain`). */
export function resultOf(layout: Layout, chains: Chain[], byChain: Finding[][], generation: number): CheckResult {
  return {
    findings: sortFindings(byChain.flat()),
    layout,
    chains,
    symbols: chains.reduce((n, c) => n + c.symbols.length, 0),
    variants: chains.reduce((n, c) => n + c.variants.length, 0),
    generation,
  };
}

/**
 * The findings of one chain, variants merged. With `scope`, the rules that
 * report about symbols report only about those names; the rules about the
 * whole chain still run in full.
 */
export function checkChain(chain: Chain, config: Config, scope?: ReadonlySet<string>): Finding[] {
  return mergeVariants(ruleFindings(chain, config, () => true, scope).flat(), chain.variants.length);
}

/**
 * The findings of the enabled rules that `which` picks, by rule (in `RULES`
 * order; empty for the others), variants not merged. `earlier`: findings of
 * rules that ran before these (a check in stages).
 */
function ruleFindings(chain: Chain, config: Config, which: (rule: Rule) => boolean, scope?: ReadonlySet<string>, earlier: readonly Finding[] = []): Finding[][] {
  const own: Finding[] = [...earlier];
  const context = { enabled: (rule: string) => config.rules[rule] !== 'off' };
  return RULES.map((rule) => {
    const setting = config.rules[rule.id];
    if (setting === 'off' || !which(rule)) return [];
    const found = rule.check(chain, own, context, rule.global ? undefined : scope).map((f) => (setting ? { ...f, severity: setting } : f));
    for (const f of found) own.push(f);
    return found;
  });
}

/**
 * Sorts findings in place, in the order results give them: by file, place,
 * severity, rule, symbol. The sort is stable, and two findings only tie when
 * they are in one file and about one symbol (strings the collation holds equal
 * are told apart by their code units), which incremental checks rely on.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => byText(a.file, b.file) || a.span.start - b.span.start || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule) || byText(a.symbol ?? '', b.symbol ?? ''));
}

const byText = (a: string, b: string) => a.localeCompare(b) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * One finding per place: the same finding for every variant of a template
 * becomes one finding without a variant; findings for some variants only
 * keep their variant, named in the message.
 */
function mergeVariants(findings: Finding[], variantCount: number): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = [f.rule, f.file, spanKey(f.span), f.symbol, f.message].join('\u0000');
    const list = groups.get(k) ?? [];
    list.push(f);
    groups.set(k, list);
  }
  const out: Finding[] = [];
  for (const list of groups.values()) {
    const variants = new Set(list.map((f) => f.variant));
    if (variants.has(null) || (variantCount > 1 && variants.size === variantCount)) {
      out.push({ ...list[0], variant: null });
    } else {
      for (const f of list) out.push(f.variant === null ? f : { ...f, message: `${f.message} [${f.variant}]` });
    }
  }
  return out;
}

function spanKey(s: Span): string {
  return `${s.start}-${s.end}`;
}

/** The chain a finding belongs to (the one whose files hold it). */
export function chainOf(result: CheckResult, finding: Finding): Chain | undefined {
  const file = finding.file;
  return (
    result.chains.find(
      (c) =>
        c.variants.some((v) => v.wrappers.some((w) => w.path === file)) ||
        c.project.files.has(file) ||
        c.dispatcher?.path === file ||
        c.tests.some((t) => t.path === file) ||
        c.scripts.has(file) ||
        c.project.cargoFiles.includes(file) ||
        c.project.pyprojectFiles.includes(file),
    ) ??
    result.chains.find((c) => c.symbols.some((s) => s.id === finding.symbolId)) ??
    result.chains[0]
  );
}

import { buildChain, buildRustChain, Chain, RustChain } from './chain/build';
import type { Span } from './facts/types';
import type { WorkspaceIndex } from './index/workspace-index';
import type { Config } from './layout/config';
import { detectLayout, Layout } from './layout/detect';
import { RULES } from './rules/registry';
import type { Finding } from './rules/types';

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

/** Rust parts of chains computed ahead (`prepareCheck`), and the index generation they were computed at. */
const prepared = new WeakMap<WorkspaceIndex, { generation: number; chains: RustChain[] }>();

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
  const rustChains = ahead?.generation === generation ? ahead.chains : [];
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
  const own: Finding[] = [];
  const context = { enabled: (rule: string) => config.rules[rule] !== 'off' };
  for (const rule of RULES) {
    const setting = config.rules[rule.id];
    if (setting === 'off') continue;
    for (const f of rule.check(chain, own, context, rule.global ? undefined : scope)) own.push(setting ? { ...f, severity: setting } : f);
  }
  return mergeVariants(own, chain.variants.length);
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

import type { BindingSymbol, Chain } from '../chain/build';
import type { Span, SymbolKind } from '../facts/types';
import type { Severity } from '../layout/config';

export type RuleId =
  | 'missing-registration' | 'missing-wrapper-import' | 'missing-dunder-all' | 'missing-reexport' | 'missing-test'
  | 'unknown-import' | 'undefined-dunder-all' | 'stale-reexport' | 'duplicate-python-name'
  | 'module-name-mismatch' | 'wheel-dir' | 'incomplete-binding';

export interface Related {
  file: string;
  span: Span;
  message: string;
}

/** What a fix should do, in terms of the chain; `fixes/` turns it into text edits. */
export type FixIntent =
  | { kind: 'add-registration'; variant: string | null; symbolId: string }
  | { kind: 'add-import'; file: string; variant: string | null; name: string }
  | { kind: 'add-dunder-all'; file: string; variant: string | null; name: string }
  | { kind: 'add-reexport'; name: string }
  | { kind: 'add-test'; name: string; symbolKind: SymbolKind; /** Only these variants have it (the test skips the others). */ variants?: string[] }
  | { kind: 'remove-list-item'; file: string; span: Span; what: string }
  | { kind: 'remove-statement'; file: string; span: Span; what: string }
  | { kind: 'replace'; file: string; span: Span; text: string; title: string }
  | { kind: 'all'; symbol: string; intents: FixIntent[] };

export interface Finding {
  rule: RuleId;
  severity: Severity;
  file: string;
  span: Span;
  /** Python name of the symbol concerned, if any. */
  symbol: string | null;
  /** Variant (backend) the finding is about, or null when it holds for all. */
  variant: string | null;
  message: string;
  related: Related[];
  /** Fixes, the first being the preferred one. */
  fixes: FixIntent[];
  /** Stable id of the Rust symbol concerned (for grouping). */
  symbolId?: string;
}

export interface RuleContext {
  /** Whether a rule is turned on (summary rules leave out the links of rules that are off). */
  enabled(rule: RuleId): boolean;
}

export interface Rule {
  id: RuleId;
  description: string;
  defaultSeverity: Severity;
  fixable: boolean;
  /**
   * Pure: the chain in, findings out. `earlier` holds the findings of the rules that ran before (for summary rules).
   * Every finding of a rule that is not `global` names a symbol; given `scope`, such a rule returns only the
   * findings whose `symbol` is in it (those of one symbol in the order the whole run gives them), reading only
   * what those names need.
   */
  check(chain: Chain, earlier: readonly Finding[], context: RuleContext, scope?: ReadonlySet<string>): Finding[];
  /** Findings about the whole chain (module names, build scripts), none naming a symbol: always checked in full. */
  global?: boolean;
  /**
   * Reads the chain's tests (`tests`, `testReferences`). The others never do:
   * a check computed in stages runs them before the tests are read (`checkAhead`).
   */
  readsTests?: boolean;
}

export const variantText = (v: string | null) => (v === null ? '' : ` (${v})`);

/** Names starting with an underscore are private: nothing downstream is required for them. */
export function isPublicName(name: string): boolean {
  return !name.startsWith('_');
}

/**
 * A symbol whose links down the chain are required: public, not internal,
 * and not registered in a submodule only (`ext.sub.Name`: it is registered,
 * and nothing further down is asked of it).
 */
export function wantsChain(chain: Chain, symbol: BindingSymbol): boolean {
  return isPublicName(symbol.pythonName) && !chain.isInternal(symbol) && !inSubmoduleOnly(chain, symbol);
}

/** Whether some variant's submodules register the symbol and no variant's extension module registers it itself. */
function inSubmoduleOnly(chain: Chain, symbol: BindingSymbol): boolean {
  if (!chain.variants.some((v) => v.inSubmodule.has(symbol))) return false;
  return !chain.variants.some((v) => v.registered.get(symbol.pythonName)?.some((s) => s.symbol === symbol));
}

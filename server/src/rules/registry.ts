import { duplicatePythonName } from './duplicate-python-name';
import { incompleteBinding } from './incomplete-binding';
import { missingDunderAll } from './missing-dunder-all';
import { missingRegistration } from './missing-registration';
import { missingReexport } from './missing-reexport';
import { missingTest } from './missing-test';
import { missingWrapperImport } from './missing-wrapper-import';
import { moduleNameMismatch } from './module-name-mismatch';
import { staleReexport } from './stale-reexport';
import { undefinedDunderAll } from './undefined-dunder-all';
import { unknownImport } from './unknown-import';
import { wheelDir } from './wheel-dir';
import type { Rule } from './types';

/** Every rule, in the order they run; summary rules (which read earlier findings) come last. */
export const RULES: readonly Rule[] = [
  missingRegistration,
  missingWrapperImport,
  missingDunderAll,
  missingReexport,
  missingTest,
  unknownImport,
  undefinedDunderAll,
  staleReexport,
  duplicatePythonName,
  moduleNameMismatch,
  wheelDir,
  incompleteBinding,
];

// The checks' vitest config as mutation testing runs it (stryker.config.mjs): the
// same tree (`@impl/…` → solutions/ of the tree vitest runs in, which under Stryker
// is the sandbox holding the mutated modules) and the same checks, with modules kept
// loaded from one mutant's run to the next. Stryker switches mutants at run time,
// so only the check file is evaluated again per run, not the whole model.
import { mergeConfig } from 'vitest/config'
import checks from '../vitest.config.ts'

export default mergeConfig(checks, { test: { isolate: false } })

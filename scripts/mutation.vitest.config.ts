// The checks' vitest config as mutation testing runs it (stryker.config.mjs): the
// same tree (`@impl/…` → solutions/ of the tree vitest runs in, which under Stryker
// is the sandbox holding the mutated modules) and the same checks, with modules kept
// loaded from one mutant's run to the next. Stryker switches most mutants at run
// time, so only the check file is evaluated again per run, not the whole model;
// mutation.setup.ts loads the modules again where a mutant acts only at load time.
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vitest/config'
import checks from '../vitest.config.ts'

const setup = fileURLToPath(new URL('./mutation.setup.ts', import.meta.url))
const config = mergeConfig(checks, { test: { isolate: false, setupFiles: [setup] } })
// The kata's check files (scripts/mutation.mjs): only they run, not the tool tests.
const include = process.env.KATAS_MUTATION_CHECKS?.split(',')
if (include) config.test = { ...config.test, include }

export default config

// The checks' vitest config as mutation testing runs it (stryker.config.mjs): the
// same tree (`@impl/…` → solutions/ of the tree vitest runs in, which under Stryker
// is the sandbox holding the mutated modules) and the same checks, in one worker that
// is kept from run to run (isolate: false); mutation.setup.ts loads the model's modules
// again for each mutant, so a mutant in code that runs at load time acts too.
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vitest/config'
import checks from '../vitest.config.ts'

const setup = fileURLToPath(new URL('./mutation.setup.ts', import.meta.url))
const config = mergeConfig(checks, { test: { isolate: false, setupFiles: [setup] } })
// The kata's check files (scripts/mutation.mjs): only they run, not the tool tests.
const include = process.env.KATAS_MUTATION_CHECKS?.split(',')
if (include) config.test = { ...config.test, include }

export default config

// The checks' vitest config as mutation testing runs it (stryker.config.mjs): the
// same tree (`@impl/…` → solutions/ of the tree vitest runs in, which under Stryker
// is the sandbox holding the mutated modules) and the same checks. Each run loads the
// model afresh (vitest's default isolation): Stryker switches mutants at run time, so
// a module kept loaded from an earlier run would keep what it computed then — a
// top-level constant evaluated under another mutant, a memo such as
// computeProbability's printed probabilities — and its mutants would look survived.
import checks from '../vitest.config.ts'

export default checks

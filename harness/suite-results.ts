// The check suite's own verdicts, as the self-test's first vitest run found them.
//
// Two tool tests need every check of every kata run on a whole tree: the check
// titles (harness/titles.test.ts) and the checker's parity with vitest
// (cli/checker/parity.test.ts). The self-test (scripts/proofs.mjs) has just run
// all of them on the reference and on the core stubs, so it writes what it saw
// to a file and runs those two tests after, pointing KATAS_SUITE_RESULTS at it.
// Run on their own, the tests start vitest themselves, as before.
import { readFileSync } from 'node:fs'

/** One check as vitest ran it. */
export interface SuiteCheck {
  /** The check file, relative to the course root (`checks/NN-slug.check.ts`). */
  file: string
  /** `describe > … > title`, as vitest's `fullName`. */
  fullName: string
  pass: boolean
  /** The first error's message of a check that did not pass. */
  message?: string
}

/** The trees the self-test's first run covers whole: the reference and the core stubs. */
export interface SuiteResults {
  solutions: SuiteCheck[]
  stubs: SuiteCheck[]
}

/** The self-test's results, when this test runs inside it; otherwise undefined. */
export function suiteResults(): SuiteResults | undefined {
  const file = process.env.KATAS_SUITE_RESULTS
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as SuiteResults) : undefined
}

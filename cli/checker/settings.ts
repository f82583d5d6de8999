// The settings of vitest.config.ts that change a verdict, for the checker's runner.
// cli/checker/parity.test.ts proves they equal the config's.
export const RUNNER_SETTINGS = {
  /** A check is a small pure computation; a slow one is a hung learner module. */
  testTimeout: 5000,
  hookTimeout: 10_000,
  /** Test names built from table rows are kept whole: misconceptions name them. */
  truncateThreshold: 0,
} as const

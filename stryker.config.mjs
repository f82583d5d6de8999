// StrykerJS settings shared by every run of `npm run mutation` (scripts/mutation.mjs),
// which adds per kata what to mutate, which checks to run and where the reports go.
// Used alone (`npx stryker run`) it mutates nothing: always go through the script.
/** StrykerJS's PartialStrykerOptions (scripts/stryker/node_modules/@stryker-mutator/api/core). */
export default {
  testRunner: 'vitest',
  // The checks' own config: `@impl/…` points at solutions/ of the tree vitest runs in,
  // which under Stryker is the sandbox copy holding the mutated modules.
  vitest: { configFile: 'scripts/mutation.vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // Two cores are shared with other work; one kata runs at a time.
  concurrency: 2,
  incremental: true,
  mutate: [],
  reporters: ['html', 'json'],
  // The sandbox holds what the checks import: solutions/, checks/, harness/, lib/, katas/.
  ignorePatterns: ['/dist', '/build', '/site', '/bench', '/docs', '/lessons', '/stubs', '/deep-stubs', '/misconceptions', '/workspace*', '/.katas'],
  tempDirName: 'build/.stryker-tmp',
  cleanTempDir: 'always',
  // A slow check on a busy machine is not an endless loop.
  timeoutMS: 10000,
  logLevel: 'warn',
  fileLogLevel: 'off',
  allowConsoleColors: false,
}

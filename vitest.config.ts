// Checks run against one implementation tree, chosen with KATAS_IMPL
// (solutions | stubs | workspace | a path); see harness/impl-plugin.ts.
//
// KATAS_SELFTEST=1 (scripts/selftest.mjs) instead defines one project per
// tree: the solutions, the pristine stubs and every misconception, so a single
// run proves what each must pass and fail.
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'
import { implRoot } from './harness/impl-plugin.ts'
import { implDir, SOLUTIONS_DIR, STUBS_DIR } from './harness/paths.ts'
import { loadMisconceptions } from './harness/misconceptions.ts'

const CHECKS = ['checks/**/*.check.ts']

function project(name: string, include: string[], root: string, overlay?: string): TestProjectInlineConfiguration {
  return { extends: true, plugins: [implRoot({ root, overlay })], test: { name, include } }
}

function selftestProjects(): TestProjectInlineConfiguration[] {
  return [
    project('solutions', [...CHECKS, 'harness/**/*.test.ts'], SOLUTIONS_DIR),
    project('stubs', CHECKS, STUBS_DIR),
    ...loadMisconceptions().map((m) =>
      project(`misconception:${m.slug}`, [`checks/${m.kata}.check.ts`], SOLUTIONS_DIR, m.dir),
    ),
  ]
}

const selftest = process.env.KATAS_SELFTEST === '1'

export default defineConfig({
  plugins: selftest ? [] : [implRoot({ root: implDir(process.env.KATAS_IMPL) })],
  test: {
    include: [...CHECKS, 'harness/**/*.test.ts'],
    ...(selftest ? { projects: selftestProjects() } : {}),
    // A check is a small pure computation; a slow one is a hung learner module.
    testTimeout: 5000,
  },
})

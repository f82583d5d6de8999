// Checks run against one implementation tree, chosen with KATAS_IMPL
// (solutions | stubs | deep-stubs | workspace | a path); see harness/impl-plugin.ts.
//
// KATAS_SELFTEST=1 (scripts/selftest.mjs) instead defines one project per
// tree: the solutions, the core stubs, the deep stubs, every misconception, and
// for every core task a tree where only that task is written (harness/standalone.ts),
// so a single run proves what each must pass and fail.
import os from 'node:os'
import path from 'node:path'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { implRoot } from './harness/impl-plugin.ts'
import { DEEP_STUBS_DIR, implDir, SOLUTIONS_DIR, STUBS_DIR } from './harness/paths.ts'
import { loadMisconceptions } from './harness/misconceptions.ts'
import { loadCourse } from './harness/course.ts'
import { standaloneProject, standaloneTrees } from './harness/standalone.ts'

const CHECKS = ['checks/**/*.check.ts']
// The course's own tooling: catalogue integrity, lessons, the katas command,
// the simulator, the grader and the site generator (browser tests run apart), and
// the given model's own behaviour where no kata's checks reach it (lib/).
const TOOL_TESTS = [
  'harness/**/*.test.ts',
  'lib/**/*.test.ts',
  'cli/**/*.test.ts',
  'simulator/**/*.test.ts',
  'grader/**/*.test.ts',
  'site/**/*.test.ts',
]

// Tool tests that need every check of every kata run on a whole tree: in the self-test
// they run after the trees and read that run's verdicts (harness/suite-results.ts).
const SUITE_TESTS = ['harness/titles.test.ts', 'cli/checker/parity.test.ts']

const TEST_OPTIONS = {
  // A check is a small pure computation; a slow one is a hung learner module.
  testTimeout: 5000,
  // Test names built from table rows (`test.each(...)('$name')`) are kept whole:
  // misconceptions name the checks that catch them.
  chaiConfig: { truncateThreshold: 0 },
}

// Each project repeats the shared options rather than `extends: true`, which would
// load this file again for every project (and rewrite every standalone tree each time).
// `tasks`: run only these tasks' checks (KATAS_TASKS, checks/support/task.ts) where the
// others' verdicts prove nothing — and each run of a whole kata costs seconds.
interface ProjectOptions {
  /** A folder laid over `root` (harness/impl-plugin.ts). */
  overlay?: string | undefined
  relocate?: boolean
  /** Only these tasks' checks run. */
  tasks?: string[] | undefined
  exclude?: string[]
}

function project(name: string, include: string[], root: string, { overlay, relocate = false, tasks, exclude }: ProjectOptions = {}): TestProjectInlineConfiguration {
  const env = tasks ? { KATAS_TASKS: tasks.join(',') } : undefined
  // A tree that runs checks only starts its files in worker threads, cheaper to start than
  // processes (the learner loop's checker runs checks in threads too); the tool tests keep forks.
  const pool = include.every((f) => f.startsWith('checks/')) ? { pool: 'threads' as const } : {}
  return { plugins: [implRoot({ root, overlay, relocate })], test: { name, include, ...(exclude ? { exclude } : {}), ...pool, ...TEST_OPTIONS, ...(env ? { env } : {}) } }
}

// Where the self-test writes the trees that prove each core task stands alone.
const STANDALONE_ROOT = 'build/.cache/standalone'

const misconceptionTasks = JSON.parse(process.env.KATAS_MISCONCEPTION_TASKS ?? '{}') as Record<string, string[] | undefined>

function selftestProjects(): TestProjectInlineConfiguration[] {
  return [
    project('solutions', CHECKS, SOLUTIONS_DIR),
    project('tools', TOOL_TESTS, SOLUTIONS_DIR, { exclude: SUITE_TESTS }),
    project('suite', SUITE_TESTS, SOLUTIONS_DIR),
    project('stubs', CHECKS, STUBS_DIR),
    project('deep-stubs', CHECKS, DEEP_STUBS_DIR),
    // A misconception runs the tasks that hold the checks it names, when the self-test has
    // found them (scripts/proofs.mjs, KATAS_MISCONCEPTION_TASKS); otherwise the whole kata.
    ...loadMisconceptions().map((m) =>
      project(`misconception:${m.slug}`, [`checks/${m.kata}.check.ts`], SOLUTIONS_DIR, { overlay: m.dir, tasks: misconceptionTasks[m.slug] }),
    ),
    ...standaloneTrees(loadCourse(), STANDALONE_ROOT).map((t) =>
      // A task stands alone when its own checks pass: the other tasks' checks are left out.
      project(standaloneProject(t), [`checks/${t.kata.name}.check.ts`], SOLUTIONS_DIR, { overlay: path.resolve(t.dir), relocate: true, tasks: [t.task.slug] }),
    ),
  ]
}

/**
 * vitest queues projects by name, so the tool tests (`tools`, `suite`) would start
 * last; they hold the long files (the grader's and the command's, which run real
 * processes), and a long file started late runs on alone at the end while the other
 * core idles. They go first, the many short check files fill in after them.
 */
class ToolTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const tool = (f: TestSpecification) => f.project.name === 'tools' || f.project.name === 'suite'
    return [...sorted.filter(tool), ...sorted.filter((f) => !tool(f))]
  }
}

const selftest = process.env.KATAS_SELFTEST === '1'

export default defineConfig({
  plugins: selftest ? [] : [implRoot({ root: implDir(process.env.KATAS_IMPL) })],
  test: {
    // In self-test mode the root names no files: each project names its own.
    ...(selftest ? { projects: selftestProjects() } : { include: [...CHECKS, ...TOOL_TESTS] }),
    // vitest keeps one core for itself by default (cores − 1 workers); the self-test's
    // main process only collects results, so every core runs test files.
    ...(selftest ? { maxWorkers: os.availableParallelism(), sequence: { sequencer: ToolTestsFirst } } : {}),
    ...TEST_OPTIONS,
  },
})

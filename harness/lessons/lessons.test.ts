// The lessons gate in `npm test`: every lesson in lessons/ passes every check of
// docs/lesson-format.md against the reference model. `npm run lessons` runs
// this file (LESSONS_ONLY, LESSONS_UPDATE, LESSONS_REPORT set by scripts/lessons.mjs).
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { assert, beforeAll, describe, test } from 'vitest'
import { loadCourse } from '../course.ts'
import { checkLessons, selects, simulatorOpener, type Report } from './check.ts'
import { lessonFiles } from './frontmatter.ts'
import { formatProblem } from './problem.ts'

const only = (process.env.LESSONS_ONLY ?? '').split(',').filter(Boolean)
const files = lessonFiles().filter((f) => only.length === 0 || only.some((q) => selects(q, f)))

describe('lessons', () => {
  let report: Report
  beforeAll(async () => {
    report = await checkLessons({ only, update: process.env.LESSONS_UPDATE === '1', openSimulator: await simulatorOpener() })
    if (process.env.LESSONS_REPORT) writeFileSync(process.env.LESSONS_REPORT, JSON.stringify(report))
  }, 300_000)

  test('lessons/ holds a lesson for every kata', () => {
    if (only.length === 0) assert.deepEqual(files.map((f) => path.basename(f, '.md')), loadCourse().map((k) => k.name))
  })

  test.each(files)('%s passes every lesson check', (file) => {
    const problems = report.lessons.find((l) => l.file === file)?.problems
    assert(problems, `${file} was not checked`)
    // The first line names the first problem (the self-test prints only that); `npm run lessons` prints them all.
    if (problems.length) assert.fail(`${problems.map(formatProblem).join('\n')}\n(${problems.length} problems; \`npm run lessons -- ${path.basename(file).slice(0, 2)}\` prints them)`)
  })

  // Every lesson has try-it blocks, and each of them ran in the simulator.
  test('try-it blocks run in the simulator', () => {
    assert(report.lessons.length > 0, 'no lesson was checked')
    for (const l of report.lessons) assert(l.ran > 0 || l.problems.length > 0, `${l.file}: no try-it block ran`)
  })
})

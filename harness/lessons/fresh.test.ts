// The first hour of a fresh clone: after the README's `npm install && npm start` the
// workspace is the core stubs and no kata is done, and every try-it block of the first
// lessons still runs, in order, with the output the lesson shows — the cluster takes
// the reference for every kata that is not green yet (simulator/composition.ts).
import { cpSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { PACKAGE_ROOT, STUBS_DIR } from '../paths.ts'
import { forgetModel } from '../../simulator/model.ts'
import { Simulator } from '../../simulator/simulator.ts'
import { extractBlocks, lessonMarkdown } from './blocks.ts'
import { selects } from './check.ts'
import { lessonFiles, readFrontMatter } from './frontmatter.ts'
import { formatProblem } from './problem.ts'
import { runTryIts } from './tryit.ts'

const FIRST_LESSONS = ['00', '01', '02', '03']

// Beside solutions/, where `npm start` puts the learner's workspace/.
const workspace = path.join(PACKAGE_ROOT, `workspace-fresh-${process.pid}`)
cpSync(STUBS_DIR, workspace, { recursive: true })
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
  forgetModel(workspace)
})

const files = lessonFiles().filter((f) => FIRST_LESSONS.some((q) => selects(q, f)))

test('lessons 00–03 are all there', () => {
  expect(files.map((f) => path.basename(f).slice(0, 2))).toEqual(FIRST_LESSONS)
})

test.each(files)('every try-it block of %s runs on a fresh workspace with no kata done', async (file) => {
  const text = readFileSync(path.join(PACKAGE_ROOT, file), 'utf8')
  const fm = readFrontMatter(file, text)
  const blocks = extractBlocks(fm.body, fm.bodyLine, lessonMarkdown())
  // No `impl`: the cluster as a learner's first command gets it (the progress file decides, and there is none).
  const open = () => Simulator.open({ workspace, clock: 'fixed', seed: 42 })
  const { problems, ran } = await runTryIts({ file, name: path.basename(file, '.md') }, blocks.code, open, PACKAGE_ROOT)
  expect(problems.map(formatProblem).join('\n')).toBe('')
  expect(ran).toBeGreaterThan(0)
}, 120_000)

// Checks lessons end to end: front matter, every block, links, diagrams, hints,
// module mentions, `ts` blocks (one program for all lessons) and the try-it
// sessions (one fresh simulator per lesson). With `update`, rewrites the
// outputs that differ from the model and leaves every other byte alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { findKata, loadCourse, type Kata } from '../course.ts'
import { PACKAGE_ROOT } from '../paths.ts'
import { extractBlocks, lessonMarkdown, type LessonBlocks } from './blocks.ts'
import { applyEdits, type BlockEdit } from './edit.ts'
import { crossCheck, lessonFiles, readFrontMatter, type Lesson } from './frontmatter.ts'
import { sortProblems, type Problem } from './problem.ts'
import { isTryIt, runTryIts, type OpenSimulator } from './tryit.ts'
import { checkTypeScript, type TsBlock } from './typecheck.ts'
import { checkConsolePaths, checkHints, checkInfoStrings, checkKataSection, checkLinks, checkModules, checkShape, checkSteps, checkYamlBlocks } from './verify.ts'

export interface CheckOptions {
  /** The project root (default: this package). */
  root?: string
  /** The folder of the lessons (default: `root/lessons`). */
  lessonsDir?: string
  /** Lessons to check, by kata number or slug (`03`, `3`, `endpoints`); all when empty. */
  only?: readonly string[]
  /** Rewrite try-it outputs and `yaml invalid` error lines from the model. */
  update?: boolean
  /** Opens a fresh simulator; without one, try-it blocks are not run and a note says so. */
  openSimulator?: OpenSimulator | undefined
  katas?: readonly Kata[]
}

export interface LessonReport {
  file: string
  problems: Problem[]
  /** Try-it blocks run. */
  ran: number
  /** Blocks rewritten by `update`. */
  updated: number
}

export interface Report {
  lessons: LessonReport[]
  /** Every problem, sorted by file and line. */
  problems: Problem[]
  /** Things not checked, one line each (e.g. no simulator yet). */
  notes: string[]
}

/** The simulator of `simulator/simulator.ts` on the reference model, or undefined while it does not exist. */
export async function simulatorOpener(root = PACKAGE_ROOT): Promise<OpenSimulator | undefined> {
  const file = path.join(root, 'simulator', 'simulator.ts')
  if (!existsSync(file)) return undefined
  const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
    Simulator: { open(o: { impl: string; clock: 'fixed'; seed: number }): Promise<Awaited<ReturnType<OpenSimulator>>> }
  }
  return () => mod.Simulator.open({ impl: 'solutions', clock: 'fixed', seed: 42 })
}

/** Whether `query` (`03`, `3`, `endpoints`, `03-endpoints`) names the lesson file `lessons/NN-slug.md`. */
export function selects(query: string, file: string): boolean {
  const name = path.basename(file, '.md')
  const [id, ...slug] = name.split('-')
  const q = query.trim().toLowerCase()
  return q === name || q === id || q.padStart(2, '0') === id || q === slug.join('-')
}

export async function checkLessons(options: CheckOptions = {}): Promise<Report> {
  const root = options.root ?? PACKAGE_ROOT
  const katas = options.katas ?? loadCourse(path.join(root, 'katas'))
  const md = lessonMarkdown()
  const all = lessonFiles(root, options.lessonsDir).map((file) => {
    const text = readFileSync(path.join(root, file), 'utf8')
    const fm = readFrontMatter(file, text)
    return { file, text, fm, blocks: extractBlocks(fm.body, fm.bodyLine, md) }
  })
  const anchors = new Map(all.map((l) => [path.basename(l.file), new Set(l.blocks.headings.map((h) => h.anchor))]))
  const only = options.only ?? []
  const chosen = only.length ? all.filter((l) => only.some((q) => selects(q, l.file))) : all
  const notes: string[] = []
  for (const q of only) if (!all.some((l) => selects(q, l.file))) notes.push(`no lesson matches "${q}"`)

  const reports: LessonReport[] = []
  const tsBlocks: TsBlock[] = []
  const pending: { report: LessonReport; lesson: Pick<Lesson, 'file' | 'name' | 'text'>; blocks: LessonBlocks; edits: BlockEdit[] }[] = []
  for (const l of chosen) {
    const name = path.basename(l.file, '.md')
    const lesson: Lesson = { file: l.file, path: path.join(root, l.file), name, meta: l.fm.meta!, body: l.fm.body, bodyLine: l.fm.bodyLine, text: l.text }
    const problems: Problem[] = [...l.fm.problems]
    if (l.fm.meta) problems.push(...crossCheck(l.file, l.text, l.fm.meta, katas))
    const code = l.blocks.code
    problems.push(...checkInfoStrings(l.file, code))
    const yaml = checkYamlBlocks(l.file, code, root)
    problems.push(...yaml.problems)
    problems.push(...checkConsolePaths(l.file, code, root))
    problems.push(...checkLinks(lesson, l.blocks, anchors, root))
    problems.push(...checkSteps(lesson, l.blocks, root))
    problems.push(...checkHints(l.file, l.blocks, katas))
    problems.push(...checkModules(l.file, l.blocks, root))
    problems.push(...checkShape(l.file, l.blocks))
    if (l.fm.meta) problems.push(...checkKataSection(l.file, l.blocks, findKata(l.fm.meta.kata, [...katas]), l.text))
    for (const block of code) if (block.lang === 'ts') tsBlocks.push({ file: l.file, block })
    const report: LessonReport = { file: l.file, problems, ran: 0, updated: 0 }
    reports.push(report)
    pending.push({ report, lesson, blocks: l.blocks, edits: yaml.edits })
  }

  const tsProblems = checkTypeScript(tsBlocks, root)
  for (const r of reports) r.problems.push(...tsProblems.filter((p) => p.file === r.file))

  const open = options.openSimulator
  const withTryIts = pending.filter((p) => p.blocks.code.some(isTryIt))
  if (!open && withTryIts.length) {
    notes.push(`try-it blocks not run: simulator/simulator.ts does not exist yet (${withTryIts.length} lesson${withTryIts.length === 1 ? ' has' : 's have'} some)`)
  }
  for (const p of pending) {
    if (open) {
      const t = await runTryIts(p.lesson, p.blocks.code, open, root)
      p.report.ran = t.ran
      p.report.problems.push(...t.problems)
      p.edits.push(...t.edits)
    }
    if (options.update && p.edits.length) {
      const abs = path.join(root, p.lesson.file)
      // Written only if nobody changed the lesson since it was read: an edit in progress is never lost.
      if (readFileSync(abs, 'utf8') === p.lesson.text) {
        writeFileSync(abs, applyEdits(p.lesson.text, p.edits))
        const fixed = new Set(p.edits.map((e) => e.fixes))
        p.report.problems = p.report.problems.filter((q) => !fixed.has(q))
        p.report.updated = p.edits.length
      } else {
        p.report.problems.push({ file: p.lesson.file, line: 1, message: 'not updated: the lesson changed while it was being checked; run again' })
      }
    }
    p.report.problems = sortProblems(p.report.problems)
  }
  return { lessons: reports, problems: reports.flatMap((r) => r.problems), notes }
}

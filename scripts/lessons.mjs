#!/usr/bin/env node
/**
 * Checks the lessons: `npm run lessons [-- --update] [NN…]`.
 *
 * Runs harness/lessons/lessons.test.ts (the same gate `npm test` runs) through
 * vitest, which loads the TypeScript checker, the model and the simulator with
 * no build step, then prints each problem as `file:line: message` and a
 * summary. `--update` rewrites try-it outputs and `yaml invalid` error lines
 * from the model. Exit code 0 when every lesson is clean, 1 on problems, 2 on a
 * usage error.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const USAGE = 'usage: npm run lessons [-- --update] [NN|slug …]'

const args = process.argv.slice(2)
const update = args.includes('--update')
const unknown = args.filter((a) => a.startsWith('-') && a !== '--update')
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
if (unknown.length) {
  process.stderr.write(`lessons: unknown option ${unknown[0]}\n${USAGE}\n`)
  process.exit(2)
}
const only = args.filter((a) => !a.startsWith('-'))

const dir = mkdtempSync(path.join(os.tmpdir(), 'lessons-'))
const reportFile = path.join(dir, 'report.json')
process.env.LESSONS_REPORT = reportFile
process.env.LESSONS_ONLY = only.join(',')
process.env.LESSONS_UPDATE = update ? '1' : ''

/** @type {string[]} */
const crashes = []
const { startVitest } = await import('vitest/node')
const quiet = {
  /** @param {ReadonlyArray<import('vitest/node').TestModule>} modules @param {ReadonlyArray<unknown>} errors */
  onTestRunEnd(modules, errors) {
    for (const m of modules) for (const e of m.errors()) crashes.push(e.message ?? String(e))
    for (const e of errors) crashes.push(/** @type {Error} */ (e).message ?? String(e))
  },
}
const vitest = await startVitest('test', ['harness/lessons/lessons.test.ts'], { root: ROOT, watch: false, reporters: [quiet], passWithNoTests: true })
await vitest.close()

if (!existsSync(reportFile)) {
  process.stderr.write(`lessons: the checker did not run: ${crashes[0] ?? 'no report written'}\n`)
  rmSync(dir, { recursive: true, force: true })
  process.exit(1)
}
/** @type {{lessons: {file: string, problems: {file: string, line: number, message: string}[], ran: number, updated: number}[], problems: unknown[], notes: string[]}} */
const report = JSON.parse(readFileSync(reportFile, 'utf8'))
rmSync(dir, { recursive: true, force: true })

const unmatched = report.notes.filter((n) => n.startsWith('no lesson matches'))
if (unmatched.length) {
  process.stderr.write(`lessons: ${unmatched[0]}\nrun \`npm run lessons\` for all lessons, or name one by number or slug (03, endpoints)\n`)
  process.exit(2)
}
for (const l of report.lessons) {
  for (const p of l.problems) process.stdout.write(`${p.file}:${p.line}: ${p.message.replace(/\n/g, '\n    ')}\n`)
  if (l.updated) process.stdout.write(`${l.file}: rewrote ${l.updated} block${l.updated === 1 ? '' : 's'} from the model\n`)
}
for (const n of report.notes) process.stdout.write(`note: ${n}\n`)
const count = report.problems.length
const ran = report.lessons.reduce((n, l) => n + l.ran, 0)
process.stdout.write(`lessons: ${report.lessons.length} checked, ${count} problem${count === 1 ? '' : 's'} (${ran} try-it block${ran === 1 ? '' : 's'} run)\n`)
process.exit(count ? 1 : 0)

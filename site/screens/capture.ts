// The pictures of the course that the site's front page and the README show, made
// from the real thing rather than drawn: `katas check` run on a workspace where one
// kata holds a plausible mistake (a misconception the checks catch), its coloured
// output kept as ANSI text (site/screens/watch.ansi), which the front page renders
// as HTML and the browser suite photographs for the README.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadCourse } from '../../harness/course.ts'
import { filesUnder } from '../../harness/files.ts'
import { loadMisconceptions } from '../../harness/misconceptions.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR } from '../../harness/paths.ts'
import { WATCH_KATA } from './watch-screen.ts'


/**
 * `katas check` on a throwaway workspace (beside solutions/, as every workspace is):
 * the reference model, with one misconception of the kata laid over its modules, so
 * the screen shows green tasks and a red one explained in Kubernetes terms.
 */
export function captureWatchScreen(kataId = WATCH_KATA, columns = 100): string {
  const kata = loadCourse().find((k) => k.id === kataId)
  if (!kata) throw new Error(`no kata ${kataId}`)
  const mistake = loadMisconceptions().find((m) => m.kata === kata.name)
  const ws = path.join(PACKAGE_ROOT, 'workspace-screens')
  rmSync(ws, { recursive: true, force: true })
  try {
    cpSync(SOLUTIONS_DIR, ws, { recursive: true })
    for (const f of mistake ? filesUnder(mistake.dir).filter((f) => f.endsWith('.ts')) : []) {
      // A misconception imports the reference it changes through `../…/solutions/`: kept pointing there from its new place.
      const target = path.join(ws, f)
      const solutions = path.relative(path.dirname(target), SOLUTIONS_DIR).split(path.sep).join('/')
      writeFileSync(target, readFileSync(path.join(mistake!.dir, f), 'utf8').replace(/(['"])(?:\.\.\/)+solutions\//g, `$1${solutions}/`))
    }
    mkdirSync(path.join(ws, '.katas'), { recursive: true })
    const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'katas.mjs'), 'check', kataId], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      env: { ...process.env, KATAS_WORKSPACE: ws, FORCE_COLOR: '1', NO_COLOR: '', COLUMNS: String(columns), KATAS_SITE: '0' },
    })
    if (r.error) throw r.error
    if (!r.stdout.trim()) throw new Error(`katas check ${kataId} printed nothing: ${r.stderr.trim().split('\n')[0] ?? ''}`)
    // The run time varies from run to run; the picture should not.
    return r.stdout.replace(/checks ran in \d+(\.\d+)? s/, 'checks ran in 0.74 s').replaceAll('workspace-screens/', 'workspace/')
  } finally {
    if (existsSync(ws)) rmSync(ws, { recursive: true, force: true })
  }
}

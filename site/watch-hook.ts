// The lessons site beside watch mode (`npm start`): built in a child process when
// stale, so the learner loop never waits for it, then served with live status.
// Anything that goes wrong here becomes one line on the screen, never a crash.
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { Kata } from '../harness/course.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { siteIsStale } from './stale.ts'
import { defaultOptions } from './config.ts'
import { DEFAULT_PORT, lessonUrl, siteSources, startSite } from './serve.ts'
import type { SiteServer } from './server.ts'

export interface LessonSite {
  /** One line for the watch screen: where the lessons are, or why they are not. */
  line(): string
  close(): Promise<void>
}

/** On by default on a terminal; `KATAS_SITE=0` turns it off, `KATAS_SITE=1` forces it on. */
export function siteWanted(env = process.env, tty = !!process.stdout.isTTY): boolean {
  return env.KATAS_SITE === '1' || (env.KATAS_SITE !== '0' && tty)
}

export function startLessonSite(katas: readonly Kata[], ws: string, changed: () => void): LessonSite {
  const options = defaultOptions()
  let line = 'lessons: building the site…'
  let server: SiteServer | undefined
  let closed = false
  const set = (text: string) => {
    line = text
    changed()
  }
  const serve = async () => {
    try {
      const started = await startSite(katas, ws, DEFAULT_PORT, true, options)
      if (closed) return void (await started.close())
      server = started
      set(`lessons: ${lessonUrl(started.url, katas, ws, options)}`)
    } catch (err) {
      set(`lessons: not served (${(err as Error).message})`)
    }
  }
  if (siteIsStale(options, siteSources(options))) {
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'site', 'run.mjs')], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', (err) => set(`lessons: could not build the site (${err.message})`))
    child.on('exit', (code) => {
      if (closed) return
      if (code === 0) void serve()
      else set(`lessons: could not build the site — ${stderr.trim().split('\n')[0] ?? `exit ${code}`} (run \`npm run build:site\`)`)
    })
    const stop = () => child.exitCode === null && child.kill()
    return { line: () => line, close: async () => void ((closed = true), stop(), await server?.close()) }
  }
  line = 'lessons: starting the server…'
  void serve()
  return { line: () => line, close: async () => void ((closed = true), await server?.close()) }
}

// The measurements of bench/browser.mjs (which bundles and runs this file). It lives
// beside the browser suite to use its driver (site/e2e/node_modules/playwright-core).
// Its page.evaluate callbacks run in the page, so the DOM types apply to them.
/// <reference lib="dom" />
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { loadCourse } from '../../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../../harness/paths.ts'
import { serveSite } from '../server.ts'
import { weight, workspaceLoad, WORKSPACE_FIRST_LOAD_MAX } from './weight.ts'

const args = process.argv.slice(2)
/** A whole-number option, at least `min`; anything else is a one-line error. */
const opt = (name: string, dflt: number, min: number) => {
  const i = args.indexOf(`--${name}`)
  if (i < 0) return dflt
  const n = Number(args[i + 1])
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench browser: --${name}: expected a whole number ≥ ${min}, got ${args[i + 1] ?? 'nothing'}`)
    process.exit(2)
  }
  return n
}
const SAVES = opt('saves', 20, 1)
/** Builds per row; 0 builds the site once for the browser rows and prints no build rows. */
const RUNS = opt('runs', 3, 0)
const KATA = '02-label-selectors'
const MODULE = 'labels/selector.ts'
const WITH = path.join(PACKAGE_ROOT, 'build', 'bench-browser', 'with')
const WITHOUT = path.join(PACKAGE_ROOT, 'build', 'bench-browser', 'without')
const CHROMIUM = process.env.KATAS_CHROMIUM ?? '/usr/bin/chromium'

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const stats = (xs: number[]) => `median ${median(xs).toFixed(3)} s (min ${Math.min(...xs).toFixed(3)}, max ${Math.max(...xs).toFixed(3)}, n=${xs.length})`
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const row = (label: string, text: string) => console.log(`${label.padEnd(52)} ${text}`)

function buildOnce(out: string, extra: string[]): number {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'site', 'run.mjs'), '--no-api', '--out', out, ...extra], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`build:site ${extra.join(' ')} failed: ${r.stderr.slice(-1500)}`)
  return Number(process.hrtime.bigint() - t0) / 1e9
}

/** Build times with and without the workspace pages, from scratch, alternated; then with a warm cache. */
function buildTimes(): void {
  if (RUNS === 0) {
    buildOnce(WITH, [])
    row('site build', 'not timed (--runs 0)')
    return
  }
  const withTimes: number[] = []
  const withoutTimes: number[] = []
  buildOnce(WITHOUT, ['--no-cache', '--no-workspace'])
  buildOnce(WITH, ['--no-cache'])
  for (let i = 0; i < RUNS; i++) {
    withoutTimes.push(buildOnce(WITHOUT, ['--no-cache', '--no-workspace']))
    withTimes.push(buildOnce(WITH, ['--no-cache']))
  }
  const warm = [buildOnce(WITH, []), ...Array.from({ length: RUNS }, () => buildOnce(WITH, []))].slice(1)
  row('site build, no API pages, no cache: without workspaces', stats(withoutTimes))
  row('site build, no API pages, no cache: with workspaces', stats(withTimes))
  row('', `→ the workspace pages add ${(median(withTimes) - median(withoutTimes)).toFixed(3)} s from scratch`)
  row('site build with workspaces, caches warm', stats(warm))
}

/** Replaces the learner's file with `text`, presses Ctrl-S, and returns seconds until the new verdict is painted. */
async function saveToVerdict(page: Page, text: string): Promise<{ seconds: number; green: boolean }> {
  await page.locator('.cm-content').click()
  await page.keyboard.press('Control+a')
  await page.keyboard.insertText(text)
  // Set up in the page before the key is pressed: the moment of Ctrl-S, and the next verdict painted.
  await page.evaluate(() => {
    const target = document.querySelector<HTMLElement>('.ws-verdict')!
    const before = Number(target.dataset.run)
    const w = window as unknown as { saveAt?: number; painted?: Promise<{ ms: number; green: boolean }> }
    w.saveAt = undefined
    // Not `once`: Ctrl's own keydown comes first.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 's' || !e.ctrlKey) return
      w.saveAt = performance.now()
      removeEventListener('keydown', onKey, { capture: true })
    }
    addEventListener('keydown', onKey, { capture: true })
    w.painted = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (Number(target.dataset.run) <= before || w.saveAt === undefined) return
        obs.disconnect()
        requestAnimationFrame(() => resolve({ ms: performance.now() - w.saveAt!, green: target.dataset.green === 'true' }))
      })
      obs.observe(target, { attributes: true })
    })
  })
  await page.keyboard.press('Control+s')
  const r = await page.evaluate(() => (window as unknown as { painted: Promise<{ ms: number; green: boolean }> }).painted)
  await page.waitForTimeout(150)
  return { seconds: r.ms / 1000, green: r.green }
}

async function browserRows(): Promise<number> {
  const server = await serveSite(WITH, 0, () => ({ served: false }))
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    // Every kata's workspace page in a browser context of its own: nothing cached.
    const weights: string[] = []
    for (const kata of loadCourse()) {
      const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } })
      const { first, after } = await workspaceLoad(await fresh.newPage(), WITH, `${server.url}${kata.name}.workspace.html`)
      weights.push(`${kata.name.padEnd(20)} ${kb(first.gz).padStart(9)} gzip, ${first.files.length} files; then ${kb(after.gz)} (${after.files.length} files)`)
      await fresh.close()
    }
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    const lesson = await weight(page, WITH, async () => {
      await page.goto(`${server.url}${KATA}.html`, { waitUntil: 'load' })
    })
    await page.goto(`${server.url}${KATA}.workspace.html`)
    await page.waitForSelector('article.workspace[data-loaded="all"]', { timeout: 60_000 })
    const solution = readFileSync(path.join(SOLUTIONS_DIR, MODULE), 'utf8')
    const stub = readFileSync(path.join(STUBS_DIR, MODULE), 'utf8')
    const times: number[] = []
    let wrong = 0
    for (let i = 0; i < SAVES + 1; i++) {
      const green = i % 2 === 0
      const r = await saveToVerdict(page, green ? solution : stub)
      if (r.green !== green) wrong++
      if (i > 0) times.push(r.seconds) // the first is a warm-up
    }
    console.log(`browser workspace, kata ${KATA.slice(0, 2)} (Chromium headless, ${SAVES} saves after one warm-up)`)
    row('browser: save → verdicts shown', `${stats(times)}${wrong ? `  [${wrong} verdicts not as expected]` : ''}`)
    console.log(`workspace page first load, until the first verdict (target ≤ ${kb(WORKSPACE_FIRST_LOAD_MAX)} gzip); then what it fetches after it:`)
    for (const w of weights) console.log(`  ${w}`)
    row('lesson page (unchanged by the workspace)', `${kb(lesson.gz)} gzip, ${lesson.files.length} files; workspace files loaded: ${lesson.files.filter((f) => f.includes('workspace') || f.includes('worker')).length}`)
    return median(times)
  } finally {
    await browser.close()
    await server.close()
  }
}

function terminalRow(): number | undefined {
  const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bench', 'watch-latency.mjs'), '--saves', String(SAVES), '--kata', KATA.slice(0, 2)], { cwd: PACKAGE_ROOT, encoding: 'utf8' })
  try {
    const w = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as { median: number; min: number; max: number; saves: number }
    row('terminal watch: save → verdict printed (same kata)', `median ${w.median.toFixed(3)} s (min ${w.min.toFixed(3)}, max ${w.max.toFixed(3)}, n=${w.saves})`)
    return w.median
  } catch {
    row('terminal watch: save → verdict printed (same kata)', `could not measure (${(r.stderr || r.stdout).trim().slice(-300)})`)
    process.exitCode = 1
    return undefined
  }
}

if (!existsSync(CHROMIUM)) {
  console.log(`browser: SKIPPED — ${CHROMIUM} is missing (apt-get install chromium)`)
} else {
  buildTimes()
  console.log('')
  const browserMedian = await browserRows()
  const terminalMedian = terminalRow()
  if (terminalMedian !== undefined) row('', `→ terminal / browser = ${(terminalMedian / browserMedian).toFixed(2)}×`)
  rmSync(WITHOUT, { recursive: true, force: true })
}

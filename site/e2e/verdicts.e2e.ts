// One truth: every kata's checks, run in headless Chromium by the workspace's check
// worker (the built site's bundle, the browser runtime, sucrase on the TypeScript),
// give the same verdict for every check as vitest gives in the terminal — on the
// reference solutions and on the core stubs — and the same failure messages. And
// the model the checks bundle holds compiled (what a first run uses) gives what
// its text gives.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadCourse } from '../../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../../harness/paths.ts'
import type { Page } from 'playwright-core'
import { type KataData, type KataTexts, type RunResult, type RunTree, START_PLACEHOLDER } from '../workspace/protocol.ts'
import { useSite } from './harness.ts'
import { SITES } from './sites.ts'

interface VitestKata {
  loadError?: string
  checks: { fullName: string; passed: boolean; message?: string }[]
}

/** vitest's verdicts for every kata on one tree (site/e2e/vitest-verdicts.mjs, in a process of its own). */
function vitestVerdicts(impl: 'solutions' | 'stubs'): Record<string, VitestKata> {
  const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'site', 'e2e', 'vitest-verdicts.mjs'), impl], { cwd: PACKAGE_ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`vitest-verdicts ${impl} exited ${r.status}: ${r.stderr.slice(-2000)}`)
  return JSON.parse(r.stdout) as Record<string, VitestKata>
}

// eslint-disable-next-line no-control-regex
const plain = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '')

const site = useSite(SITES.course)
const katas = loadCourse()
const read = <T>(file: string) => JSON.parse(readFileSync(path.join(SITES.course, 'workspace', file), 'utf8')) as T

/** One run of the check worker, as the page makes it: the bundle, the compiler when there is text to compile, the run. */
function runInWorker(page: Page, bundle: string, run: RunTree): Promise<RunResult> {
  return page.evaluate(
    async ({ bundle, run }) => {
      const code = await (await fetch(`workspace/${bundle}`)).text()
      const worker = new Worker('assets/check-worker.js')
      return new Promise<RunResult>((resolve) => {
        worker.onmessage = async (e: MessageEvent<{ type: string; result?: RunResult }>) => {
          if (e.data.type === 'ready') {
            if (Object.keys(run.tree).length) worker.postMessage({ type: 'compiler', code: await (await fetch('assets/sucrase.js')).text() })
            worker.postMessage({ type: 'run', id: 1, ...run })
          }
          if (e.data.type === 'result') {
            worker.terminate()
            resolve(e.data.result!)
          }
        }
        worker.postMessage({ type: 'bundle', name: bundle, code })
      })
    },
    { bundle, run },
  )
}

describe.each(['solutions', 'stubs'] as const)('on the %s', (impl) => {
  let expected: Record<string, VitestKata>
  test('vitest gives its verdicts', () => {
    expected = vitestVerdicts(impl)
    expect(Object.keys(expected).sort()).toEqual(katas.map((k) => k.name))
  }, 600_000)

  test.each(katas.map((k) => k.name))('%s: the browser runtime gives vitest\'s verdict for every check', async (name) => {
    const want = expected[name]!
    const data = read<KataData>(`${name}.json`)
    const dir = impl === 'solutions' ? SOLUTIONS_DIR : STUBS_DIR
    const tree = Object.fromEntries([...data.modules, ...Object.keys(data.given)].map((m) => [m, readFileSync(path.join(dir, m), 'utf8')]))
    const page = await site.open('index.html')
    // The whole bundle, deep tasks included: what the page runs once the core is green.
    const result = await runInWorker(page, data.deepBundle ?? data.bundle, { tree, prebuilt: [] })
    expect(result.loadError?.message, 'the check file loads as it does under vitest').toBe(want.loadError)
    const got = result.checks.map((c) => ({ fullName: [...c.suite, c.name].join(' > '), passed: c.passed, ...(c.passed ? {} : { message: plain(c.message) }) }))
    // Under Node a thrown error also names the check's line that made the call (checks/support/thrown.ts reads
    // the check file); the browser runs a bundle with no check source to read, so that one line is left out there.
    const wanted = want.checks.map((c) => ({ ...c, ...(c.passed ? {} : { message: plain(c.message)?.replace(/\ncall: .*\(checks\/[^)]+\.check\.ts:\d+\)$/, '') }) }))
    expect(got.map((c) => c.fullName), 'the same checks, in the same order').toEqual(wanted.map((c) => c.fullName))
    const verdicts = (list: typeof got) => list.map((c) => `${c.passed ? 'pass' : 'FAIL'} ${c.fullName}`)
    expect(verdicts(got), 'the same verdict for every check').toEqual(verdicts(wanted))
    expect(got, 'the same failure messages').toEqual(wanted)
    // The first bundle, as the page runs it until the core is green: the core tasks' checks only, the same verdicts.
    const deep = data.tasks.filter((t) => t.track === 'deep').map((t) => t.describe)
    const first = await runInWorker(page, data.bundle, { tree, prebuilt: [] })
    expect(first.loadError?.message, 'the first bundle loads as the whole one does').toBe(want.loadError)
    const core = got.filter((c) => !deep.some((d) => c.fullName.startsWith(`${d} > `)))
    expect(first.checks.map((c) => `${c.passed ? 'pass' : 'FAIL'} ${[...c.suite, c.name].join(' > ')}`), 'the first bundle: the core tasks\' checks and verdicts').toEqual(verdicts(core))
  }, 120_000)
})

describe('the model the checks bundle holds compiled', () => {
  test.each(katas.map((k) => k.name))('%s: gives the verdicts and messages its text gives', async (name) => {
    const data = read<KataData>(`${name}.json`)
    const texts = read<KataTexts>(data.texts)
    const modules = [...data.modules, ...Object.keys(data.given)]
    const page = await site.open('index.html')
    const built = await runInWorker(page, data.bundle, { tree: {}, prebuilt: modules })
    const tree = { ...texts.stubs, ...Object.fromEntries(Object.entries(texts.given).map(([m, t]) => [m, t.replace(START_PLACEHOLDER, data.id)])) }
    const text = await runInWorker(page, data.bundle, { tree, prebuilt: [] })
    // Given code runs minified: a failure inside it is placed by the learner's frame, not its own line.
    const mine = new Set(Object.keys(data.stubs))
    const shown = (r: RunResult) => ({
      loadError: r.loadError?.message,
      checks: r.checks.map((c, i) => ({ ...c, at: text.checks[i]?.at && mine.has(text.checks[i]!.at!.file) ? c.at : undefined })),
    })
    expect(built.checks.length, 'checks ran').toBeGreaterThan(0)
    expect(shown(built)).toEqual(shown(text))
  }, 120_000)
})

// A kata's workspace page, as a learner uses it: kata 02 written task by task until
// green, exported and checked by vitest in the terminal's way, imported back into
// a fresh browser; an endless loop stopped; a syntax error and a missing import
// shown at their line; a damaged saved workspace set aside; work offline; reset and
// undo; hints; and the lesson pages untouched by all of it.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { unzipSync } from 'fflate'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, test } from 'vitest'
import { findKata, type Kata, tasksOf } from '../../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../../harness/paths.ts'
import { parseProgress } from '../../harness/progress.ts'
import { replaceUnits } from '../../harness/units.ts'
import { loadCourse } from '../../harness/course.ts'
import { endlessLoopMessage, CHECK_LIMIT_S } from '../assets/workspace/runner.ts'
import { axeViolations, LAPTOP, PHONE, sidewaysOverflow, useSite } from './harness.ts'
import { SITES } from './sites.ts'

const site = useSite(SITES.course)
const kata = findKata('02')!
const PAGE = `${kata.name}.workspace.html`
const MODULE = kata.tasks.find((t) => t.track === 'core' && t.write.length)!.write[0]!.module
const stub = readFileSync(path.join(STUBS_DIR, MODULE), 'utf8')
const solution = readFileSync(path.join(SOLUTIONS_DIR, MODULE), 'utf8')

/** The learner's module with the functions of the first `n` core tasks written (from the reference). */
function written(k: Kata, n: number): string {
  const names = tasksOf(k, 'core').slice(0, n).flatMap((t) => t.write.filter((w) => w.module === MODULE).map((w) => w.name))
  return replaceUnits({ file: `workspace/${MODULE}`, text: stub }, { file: `solutions/${MODULE}`, text: solution }, names)
}

/** The workspace page with nothing saved in this browser yet. */
async function fresh(): Promise<Page> {
  const page = await site.open('index.html')
  await page.evaluate(() => new Promise((resolve) => { const r = indexedDB.deleteDatabase('service-katas'); r.onsuccess = r.onerror = r.onblocked = resolve }))
  await page.goto(`${site.url}${PAGE}`)
  await verdict(page, 1)
  return page
}

/** Waits for the `n`th verdict (or a later one) and returns the panel's text. */
async function verdict(page: Page, n: number): Promise<string> {
  await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('.ws-verdict')?.dataset.run ?? 0) >= n, n, { timeout: 30_000 })
  return page.locator('.ws-verdict').innerText()
}

const run = (page: Page) => page.locator('.ws-verdict').getAttribute('data-run').then(Number)

/** Replaces the learner's file in the editor, as a paste does, and saves with Ctrl-S. */
async function saveText(page: Page, text: string): Promise<string> {
  const before = await run(page)
  await page.locator('.cm-content').click()
  await page.keyboard.press('Control+a')
  await page.keyboard.insertText(text)
  await page.keyboard.press('Control+s')
  return verdict(page, before + 1)
}

describe('the lesson page', () => {
  test('links to its workspace and loads nothing of it', async () => {
    const requests: string[] = []
    const page = await site.open(`${kata.name}.html`, async (p) => {
      p.on('request', (r) => requests.push(new URL(r.url()).pathname))
    })
    await page.waitForLoadState('load')
    const link = page.locator('.try-link a')
    expect(await link.getAttribute('href')).toBe(PAGE)
    expect(requests.filter((r) => /workspace|worker/.test(r))).toEqual([])
    await link.click()
    await verdict(page, 1)
    expect(await page.locator('.ws-lesson').getAttribute('href')).toBe(`${kata.name}.html`)
  })
})

describe('kata 02 in the browser', () => {
  test('edit → run → green, task by task; the reference appears once green; the progress is kept', async () => {
    const page = await fresh()
    const core = tasksOf(kata, 'core')
    expect(await page.locator('.ws-summary').innerText()).toBe(`0 of ${core.length} tasks green`)
    expect(await page.locator('.ws-tab[data-file^="solution"]').count()).toBe(0)
    for (let n = 1; n <= core.length; n++) {
      const text = await saveText(page, written(kata, n))
      const greenTasks = await page.locator('.ws-task-green').count()
      // A task with nothing to write goes green with the tasks before it.
      expect(greenTasks, text).toBeGreaterThanOrEqual(n)
    }
    expect(await page.locator('.ws-summary').innerText()).toBe(`✓ all ${core.length} tasks green`)
    expect(await page.locator('.ws-verdict').getAttribute('data-green')).toBe('true')
    await page.locator(`.ws-tab[data-file="solution: ${MODULE}"]`).click()
    expect(await page.locator('.ws-file-note').innerText()).toContain('reference solution')
    await page.reload()
    await verdict(page, 1)
    expect(await page.locator('.ws-summary').innerText()).toBe(`✓ all ${core.length} tasks green`)
  })

  test('the first runs leave the deep tasks out; once the core is green their checks run too, and an edit of given code shows', async () => {
    const page = await site.open('index.html')
    await page.evaluate(() => new Promise((resolve) => { const r = indexedDB.deleteDatabase('service-katas'); r.onsuccess = r.onerror = r.onblocked = resolve }))
    const requests: string[] = []
    page.on('request', (r) => requests.push(new URL(r.url()).pathname))
    await page.goto(`${site.url}${PAGE}`)
    await verdict(page, 1)
    const deepBundle = (r: string) => r.endsWith(`/workspace/${kata.name}.deep.checks.js`)
    // The first verdict needs the first checks bundle only (workspace-weight.e2e.ts); the whole one comes after.
    expect(await page.locator('.ws-verdict').innerText()).not.toContain('of the deep track fail')
    await page.waitForFunction(() => document.querySelector<HTMLElement>('article.workspace')?.dataset.loaded === 'all')
    // Given code the learner changed: `exists` now takes one value, which a deep task's check refuses.
    const broken = solution.replace('if (vals.length !== 0) errs.push(', 'if (vals.length > 1) errs.push(')
    expect(broken).not.toBe(solution)
    const text = await saveText(page, broken)
    expect(requests.filter(deepBundle), 'fetched once, after the first verdict').toHaveLength(1)
    expect(await page.locator('.ws-verdict').getAttribute('data-green')).toBe('true')
    expect(text).toContain('1 check of the deep track fails: they test the given code. Did an edit change it?')
    const fixed = await saveText(page, solution)
    expect(fixed).not.toContain('of the deep track fail')
    expect(requests.filter(deepBundle), 'the whole bundle stays in use, fetched once').toHaveLength(1)
  })

  test('a failing check says what it expected, in Kubernetes terms, and where the learner code threw', async () => {
    const page = await fresh()
    const text = await page.locator('.ws-task-red').first().innerText()
    expect(text).toContain('is not implemented yet')
    expect(text).toMatch(new RegExp(`thrown at workspace/${MODULE}:\\d+`))
    await page.locator('.ws-place').first().click()
    expect(await page.locator('.ws-file-name').innerText()).toBe(`workspace/${MODULE}`)
  })

  test('an endless loop is stopped with the grader\'s message, and the next save runs again', async () => {
    const page = await fresh()
    const name = tasksOf(kata, 'core')[0]!.write[0]!.name
    const looping = stub.replace(new RegExp(`throw new Error\\('kata ${kata.name}: ${name.replace('.', '\\.')} is not implemented yet[^\\n]*`), 'while (true) {}')
    expect(looping).not.toBe(stub)
    const started = Date.now()
    const text = await saveText(page, looping)
    expect(Date.now() - started).toBeLessThan(CHECK_LIMIT_S * 1000 + 10_000)
    expect(text).toContain('The checks were stopped')
    expect(text).toMatch(/did not finish within 5 s; the check running was ".+" — an endless loop, or a very slow one\?/)
    expect(endlessLoopMessage(5, 'x')).toBe('did not finish within 5 s; the check running was "x" — an endless loop, or a very slow one?')
    await saveText(page, solution)
    expect(await page.locator('.ws-verdict').getAttribute('data-green')).toBe('true')
  })

  test('a syntax error shows its line in the results and in the editor', async () => {
    const page = await fresh()
    const lines = stub.split('\n')
    const at = lines.findIndex((l) => l.includes('is not implemented yet')) + 1
    lines.splice(at, 0, '    const broken = ;')
    const text = await saveText(page, lines.join('\n'))
    expect(text).toContain('Your module has a syntax error')
    expect(text).toContain(`workspace/${MODULE}:${at + 1}:`)
    await page.locator('.ws-place').first().click()
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0)
    expect(await page.locator('.cm-activeLine').innerText()).toContain('const broken = ;')
  })

  test('an import of something that does not exist is named', async () => {
    const page = await fresh()
    const text = await saveText(page, `import { nothing } from './no-such-module.ts'\n${stub}`)
    expect(text).toContain('imports something that does not exist')
    expect(text).toContain(`workspace/${MODULE}:1: imports "./no-such-module.ts", which does not exist`)
  })

  test('hints come one tier at a time per task and stay shown', async () => {
    const page = await fresh()
    const first = tasksOf(kata, 'core')[0]!
    await page.locator(`[data-hint="${first.number}"]`).click()
    await expect.poll(() => page.locator(`[data-task="${first.slug}"] .ws-hint-list li`).count()).toBe(1)
    expect(await page.locator(`[data-task="${first.slug}"] .ws-hint-list`).innerText()).toContain(first.hints[0]!.text.trim().slice(0, 40))
    await page.locator(`[data-hint="${first.number}"]`).click()
    await expect.poll(() => page.locator(`[data-task="${first.slug}"] .ws-hint-list li`).count()).toBe(2)
    // Progress is written once the kata is started: start it, then reload.
    await saveText(page, written(kata, 1))
    await page.reload()
    await verdict(page, 1)
    expect(await page.locator(`[data-task="${first.slug}"] .ws-hint-list li`).count()).toBe(2)
  })

  test('reset restores the stubs; undo brings the work back', async () => {
    const page = await fresh()
    const mine = written(kata, 1)
    await saveText(page, mine)
    const reset = page.locator('[data-action="reset"]')
    // The run count is read before each action: its verdict may come before a read after it.
    const beforeReset = await run(page)
    await reset.click()
    await reset.click()
    await verdict(page, beforeReset + 1)
    expect(await page.locator('.cm-content').innerText()).not.toContain(solution.split('\n').find((l) => mine.includes(l) && !stub.includes(l) && l.trim().length > 20)!.trim())
    const beforeUndo = await run(page)
    await page.locator('[data-action="undo"]').click()
    await verdict(page, beforeUndo + 1)
    expect(await page.locator('.ws-task-green').count()).toBeGreaterThanOrEqual(1)
  })
})

describe('moving between the browser and the terminal', () => {
  const dir = path.join(PACKAGE_ROOT, `workspace-e2e-${process.pid}`)
  // The export and its zip outlive a failed test otherwise, beside the learner's workspace.
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
    rmSync(`${dir}.zip`, { force: true })
  })

  test('an export is a workspace/ folder on which vitest passes every core check of the kata', async () => {
    const page = await fresh()
    await saveText(page, solution)
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export"]').click()])
    const zip = readFileSync((await download.path())!)
    const entries = unzipSync(new Uint8Array(zip))
    expect(Object.keys(entries).every((n) => n.startsWith('workspace/'))).toBe(true)
    rmSync(dir, { recursive: true, force: true })
    for (const [name, bytes] of Object.entries(entries)) {
      const file = path.join(dir, name.slice('workspace/'.length))
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, bytes)
    }
    expect(readFileSync(path.join(dir, MODULE), 'utf8')).toBe(solution)
    const progress = parseProgress(readFileSync(path.join(dir, '.katas', 'state.json'), 'utf8'), loadCourse())
    expect(progress.katas[kata.id]).toMatchObject({ status: 'passed', track: 'core' })
    expect(Object.values(progress.katas[kata.id]!.tasks).filter((t) => t.passed).length).toBe(tasksOf(kata, 'core').length)
    const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', `checks/${kata.name}.check.ts`], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, KATAS_IMPL: dir, KATAS_SELFTEST: '' },
      encoding: 'utf8',
    })
    expect(r.status, r.stdout.slice(-3000)).toBe(0)
    writeFileSync(path.join(dir, '..', `workspace-e2e-${process.pid}.zip`), zip)
  }, 120_000)

  test('an import brings the workspace into a browser that has nothing', async () => {
    const zip = path.join(PACKAGE_ROOT, `workspace-e2e-${process.pid}.zip`)
    const page = await fresh()
    await page.locator('input[type="file"]').setInputFiles(zip)
    await verdict(page, 2)
    expect(await page.locator('.ws-verdict').getAttribute('data-green')).toBe('true')
    expect(await page.locator('.ws-notices').innerText()).toMatch(/Imported \d+ files? and the progress file/)
    rmSync(zip, { force: true })
    rmSync(dir, { recursive: true, force: true })
  })

  test('a file that is not a workspace export is refused with one line', async () => {
    const page = await fresh()
    await page.locator('input[type="file"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
    await expect.poll(() => page.locator('.ws-notices').innerText()).toContain('Import failed: notes.txt is not a zip file')
  })
})

describe('damage', () => {
  test('a damaged saved workspace is set aside, the kata restarts, and the old text can be downloaded', async () => {
    const page = await fresh()
    await saveText(page, written(kata, 1))
    await page.evaluate(
      (module) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('service-katas')
          open.onsuccess = () => {
            const tx = open.result.transaction('files', 'readwrite')
            tx.objectStore('files').put({ path: module, text: 42, kata: '02' })
            tx.oncomplete = () => (open.result.close(), resolve())
            tx.onerror = () => reject(tx.error)
          }
        }),
      MODULE,
    )
    await page.reload()
    await verdict(page, 1)
    expect(await page.locator('.ws-notices').innerText()).toContain('could not be read, so it was set aside')
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.ws-notice button', { hasText: 'Download' }).click()])
    expect(readFileSync((await download.path())!, 'utf8')).toContain(`workspace/${MODULE} (unreadable record)`)
    expect(await page.locator('.ws-summary').innerText()).toMatch(/^0 of \d+ tasks green$/)
  })

})

describe('offline', () => {
  // As a static host serves it (GitHub Pages): no progress from a local `katas serve` to poll.
  const hosted = useSite(SITES.course, { served: false })
  test('once loaded, the page runs the checks and exports with the network gone', async () => {
    const page = await hosted.open(PAGE)
    await verdict(page, 1)
    // Loaded: the code fetched after the first verdict (the read-only texts, the compiler, the zip code) is in.
    await page.waitForSelector('article.workspace[data-loaded="all"]')
    await page.context().setOffline(true)
    try {
      await saveText(page, solution)
      expect(await page.locator('.ws-verdict').getAttribute('data-green')).toBe('true')
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export"]').click()])
      expect(readFileSync((await download.path())!).length).toBeGreaterThan(100)
    } finally {
      await page.context().setOffline(false)
    }
  })
})

describe('layout', () => {
  test.each([LAPTOP, PHONE])('at $width px nothing scrolls sideways and axe finds nothing', async ({ width, height }) => {
    const page = await site.open(PAGE, (p) => p.setViewportSize({ width, height }))
    await verdict(page, 1)
    const { overflow, culprits } = await sidewaysOverflow(page)
    expect(culprits).toEqual([])
    expect(overflow).toBe(0)
    expect(await axeViolations(page)).toEqual([])
  })
})

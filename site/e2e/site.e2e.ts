// The built site in headless Chromium, as a reader uses it: click and keyboard
// navigation, search, theme, copy, diagrams, print page, links, accessibility.
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { KATAS_DIR, PACKAGE_ROOT, STUBS_DIR } from '../../harness/paths.ts'
import { buildSite } from '../build.ts'
import { SCREENSHOTS_DIR } from '../config.ts'
import { FIXTURE_LESSONS } from '../main.ts'
import { serveSite, type SiteServer } from '../server.ts'
import type { StatusJson } from '../status.ts'
import { type Browser, launch } from './browser.ts'

const OUT = path.join(PACKAGE_ROOT, 'build', 'e2e-site')
const STATUS: StatusJson = {
  served: true,
  current: '05',
  katas: {
    '00': { status: 'passed', tasksPassed: 6, tasksTotal: 6 },
    '03': { status: 'passed', tasksPassed: 7, tasksTotal: 7 },
    '05': { status: 'failing', tasksPassed: 2, tasksTotal: 6 },
  },
}

let server: SiteServer
let browser: Browser
let errors: string[] = []

async function open(file: string, setup?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await browser.context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${file}: console ${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`${file}: ${e.message}`))
  // A request cut short by leaving the page (ERR_ABORTED) is not a failure.
  page.on('requestfailed', (r) => {
    if (!r.failure()?.errorText.includes('ERR_ABORTED')) errors.push(`${file}: request failed ${r.url()}: ${r.failure()?.errorText}`)
  })
  if (setup) await setup(page)
  await page.goto(`${server.url}${file}`)
  return page
}

beforeAll(async () => {
  // api/ survives between runs (buildSite keeps it while the stubs are unchanged): typedoc is slow.
  await buildSite({ lessonsDir: FIXTURE_LESSONS, katasDir: KATAS_DIR, stubsDir: STUBS_DIR, outDir: OUT, editUrl: 'https://example.org/edit/{path}', root: PACKAGE_ROOT })
  server = await serveSite(OUT, 0, () => STATUS)
  browser = await launch()
  mkdirSync(SCREENSHOTS_DIR, { recursive: true })
})

afterEach(async () => {
  for (const page of browser.context.pages()) await page.close()
  const seen = errors
  errors = []
  expect(seen, 'console errors, page errors and failed requests').toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('navigation', () => {
  test('the pager and the sidebar move between lessons by click', async () => {
    const page = await open('00-pod-network.html')
    await page.click('a.pager-next')
    await page.waitForURL(/03-endpoints\.html$/)
    await page.click('nav.sidebar a:has-text("Discovery by DNS")')
    await page.waitForURL(/05-dns\.html$/)
    expect(await page.getAttribute('nav.sidebar a[aria-current="page"]', 'href')).toBe('05-dns.html')
  })

  test('→ and ← go to the next and previous lesson', async () => {
    const page = await open('03-endpoints.html')
    await page.keyboard.press('ArrowRight')
    await page.waitForURL(/05-dns\.html$/)
    await page.keyboard.press('ArrowLeft')
    await page.waitForURL(/03-endpoints\.html$/)
    await page.keyboard.press('ArrowLeft')
    await page.waitForURL(/00-pod-network\.html$/)
  })

  test('the skip link is the first stop of the keyboard and moves focus to the content', async () => {
    const page = await open('05-dns.html')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('content')
  })

  test('every link on every page reaches a page, and every anchor an element', async () => {
    const page = await open('index.html')
    const seen = new Set<string>()
    const queue = ['index.html', 'print.html']
    const broken: string[] = []
    while (queue.length) {
      const file = queue.shift()!
      if (seen.has(file)) continue
      seen.add(file)
      const res = await page.goto(`${server.url}${file}`)
      if (res?.status() !== 200) {
        broken.push(`${file}: ${res?.status()}`)
        continue
      }
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''))
      for (const href of hrefs) {
        if (/^https?:/.test(href)) continue
        // The API pages are typedoc's: check the target exists, do not crawl them.
        if (href.startsWith('api/')) {
          if (!seen.has(href) && (await fetch(`${server.url}${href.split('#')[0]}`)).status !== 200) broken.push(`${file}: ${href}`)
          seen.add(href)
          continue
        }
        const [target = '', anchor] = href.split('#')
        const next = target === '' ? file : target
        if (anchor) {
          const ok = next === file ? await page.evaluate((id) => !!document.getElementById(id), decodeURIComponent(anchor)) : true
          if (!ok) broken.push(`${file}: #${anchor}`)
        }
        if (!seen.has(next)) queue.push(next)
      }
    }
    // Anchors on other pages: visit each target and look.
    expect(broken).toEqual([])
    expect(seen.size).toBeGreaterThanOrEqual(5)
  })

  test('the 404 page answers any missing path, styled', async () => {
    const page = await browser.context.newPage()
    const res = await page.goto(`${server.url}no/such/lesson.html`)
    expect(res?.status()).toBe(404)
    expect(await page.textContent('h1')).toBe('This page does not exist')
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('system-ui')
  })
})

describe('API pages', () => {
  test('a lesson links its modules to their typedoc pages, which load without errors and link back', async () => {
    const page = await open('05-dns.html')
    await page.click('.facts-box.modules a:has-text("dns/records.ts")')
    await page.waitForURL(/api\/modules\/dns_records\.html$/)
    expect(await page.textContent('h1')).toContain('dns/records')
    await page.click('a:has-text("Lessons")')
    await page.waitForURL(/\/index\.html$/)
  })
})

describe('search', () => {
  test('/ opens the search, a term from lesson 05 finds it, Enter goes there', async () => {
    const page = await open('00-pod-network.html')
    await page.keyboard.press('/')
    await page.waitForSelector('dialog.search-dialog[open]')
    await page.keyboard.type('ndots')
    await page.waitForSelector('.search-results a')
    expect(await page.textContent('.search-results a .hit-lesson')).toBe('Discovery by DNS')
    await page.keyboard.press('Enter')
    await page.waitForURL(/05-dns\.html/)
  })

  test('a term no lesson has says so', async () => {
    const page = await open('05-dns.html')
    await page.click('.search-button')
    await page.fill('#search-input', 'zzzyzx')
    await page.waitForSelector('.search-empty')
    expect(await page.textContent('.search-empty')).toContain('No results')
  })
})

describe('theme', () => {
  test('follows the system, and the toggle overrides it and is remembered', async () => {
    const page = await open('05-dns.html', (p) => p.emulateMedia({ colorScheme: 'dark' }))
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
    await page.click('.theme-toggle')
    expect(await page.getAttribute('html', 'data-theme')).toBe('light')
    expect(await page.getAttribute('.theme-toggle', 'aria-pressed')).toBe('false')
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(bg).toBe('rgb(255, 255, 255)')
    await page.reload()
    expect(await page.getAttribute('html', 'data-theme')).toBe('light')
    await page.click('.theme-toggle')
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)')
    await page.evaluate(() => localStorage.clear())
  })
})

describe('lesson blocks', () => {
  test('the copy button of a try-it block copies the command without its prompt', async () => {
    const page = await open('05-dns.html')
    await page.click('.terminal >> nth=0 >> button.copy')
    await page.waitForSelector('.terminal >> nth=0 >> button.copy.copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('katas kubectl apply -f lessons/05-dns/order.yaml')
  })

  test('the copy button of a manifest copies the manifest', async () => {
    const page = await open('05-dns.html')
    await page.click('.code[data-lang="yaml"] >> nth=0 >> button.copy')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^apiVersion: v1\nkind: Service\n/)
  })

  test('a stepped diagram shows one frame at a time, stepped by its buttons', async () => {
    const page = await open('05-dns.html')
    const visible = () => page.$$eval('figure.steps .step', (els) => els.map((e) => !(e as HTMLElement).hidden))
    expect(await visible()).toEqual([true, false, false])
    expect(await page.textContent('.steps-count')).toBe('Step 1 of 3')
    await page.click('.steps-next')
    expect(await visible()).toEqual([false, true, false])
    // The inlined SVG takes the page's colour, so it follows the theme.
    const stroke = await page.$eval('figure.steps .step:not([hidden]) svg', (svg) => getComputedStyle(svg).color)
    expect(stroke).toBe(await page.evaluate(() => getComputedStyle(document.body).color))
  })

  test('the served page shows the learner’s status in the sidebar and in the lesson', async () => {
    const page = await open('05-dns.html')
    await page.waitForSelector('.kata-status:not([hidden])')
    expect(await page.textContent('.kata-status')).toBe('Your kata: 2 of 6 tasks green. Save a file to re-run the checks.')
    expect(await page.getAttribute('.sidebar .mark[data-kata="00"]', 'class')).toContain('mark-passed')
    expect(await page.getAttribute('.sidebar .mark[data-kata="05"]', 'class')).toContain('mark-current')
  })

  test('the print page holds every lesson', async () => {
    const page = await open('print.html')
    const lessons = await page.$$eval('article.print-lesson h1', (hs) => hs.map((h) => h.textContent))
    expect(lessons).toEqual(['Pods are not enough', 'Endpoints', 'Discovery by DNS'])
    expect(JSON.parse(readFileSync(path.join(OUT, 'search-index.json'), 'utf8'))).toBeTruthy()
  })
})

describe('accessibility', () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

  test.each([
    { file: '05-dns.html', scheme: 'light' as const },
    { file: '05-dns.html', scheme: 'dark' as const },
    { file: 'index.html', scheme: 'light' as const },
    { file: 'print.html', scheme: 'dark' as const },
  ])('axe finds no serious violation on $file ($scheme)', async ({ file, scheme }) => {
    const page = await open(file, (p) => p.emulateMedia({ colorScheme: scheme }))
    await page.evaluate(axeSource)
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe
      const r = await axe.run()
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
    })
    expect(violations).toEqual([])
  })

  test('on a phone the sidebar is a menu the button opens and Escape closes', async () => {
    const page = await open('05-dns.html', (p) => p.setViewportSize({ width: 390, height: 844 }))
    expect(await page.isVisible('nav.sidebar')).toBe(false)
    await page.click('.menu-button')
    await page.waitForSelector('nav.sidebar', { state: 'visible' })
    expect(await page.getAttribute('.menu-button', 'aria-expanded')).toBe('true')
    await page.keyboard.press('Escape')
    await page.waitForSelector('nav.sidebar', { state: 'hidden' })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBe(0)
  })
})

describe('screenshots (build/screenshots/)', () => {
  test.each([
    { name: 'lesson-light', scheme: 'light' as const, width: 1280, height: 900 },
    { name: 'lesson-dark', scheme: 'dark' as const, width: 1280, height: 900 },
    { name: 'lesson-phone', scheme: 'light' as const, width: 390, height: 844 },
    { name: 'lesson-phone-dark', scheme: 'dark' as const, width: 390, height: 844 },
  ])('$name', async ({ name, scheme, width, height }) => {
    const page = await open('05-dns.html', async (p) => {
      await p.emulateMedia({ colorScheme: scheme })
      await p.setViewportSize({ width, height })
    })
    await page.waitForSelector('.kata-status:not([hidden])')
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) })
    await page.evaluate(() => document.querySelector('#try-it')?.scrollIntoView())
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-try-it.png`) })
  })
})

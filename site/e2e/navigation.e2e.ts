// Moving around the fixture site as a reader does: clicks, the keyboard (with arrows
// left to whatever scrolls), links, the 404 page, the theme, copy buttons, progress.
import { describe, expect, test } from 'vitest'
import { SITES } from './sites.ts'
import { STATUS, useSite } from './harness.ts'

const site = useSite(SITES.fixtures)

describe('navigation', () => {
  test('the pager and the sidebar move between lessons by click', async () => {
    const page = await site.open('00-pod-network.html')
    await page.click('a.pager-next')
    await page.waitForURL(/03-endpoints\.html$/)
    await page.click('nav.sidebar a:has-text("Discovery by DNS")')
    await page.waitForURL(/05-dns\.html$/)
    expect(await page.getAttribute('nav.sidebar a[aria-current="page"]', 'href')).toBe('05-dns.html')
  })

  test('→ and ← go to the next and previous lesson while focus is on the page', async () => {
    const page = await site.open('03-endpoints.html')
    await page.keyboard.press('ArrowRight')
    await page.waitForURL(/05-dns\.html$/)
    await page.keyboard.press('ArrowLeft')
    await page.waitForURL(/03-endpoints\.html$/)
  })

  test.each([
    { what: 'a code block', selector: '.code pre.shiki' },
    { what: 'a try-it block', selector: '.terminal pre.shiki' },
    { what: 'the sidebar', selector: 'nav.sidebar a[aria-current="page"]' },
  ])('→ and ← stay on the page while focus is in $what (it scrolls with them)', async ({ selector }) => {
    const page = await site.open('05-dns.html')
    await page.locator(selector).first().focus()
    await page.keyboard.press('ArrowLeft')
    await page.waitForTimeout(300)
    expect(page.url()).toMatch(/05-dns\.html$/)
  })

  test('in a stepped diagram → steps the diagram, not the lesson', async () => {
    const page = await site.open('05-dns.html')
    await page.focus('figure.steps .steps-next')
    await page.keyboard.press('ArrowRight')
    await page.waitForTimeout(200)
    expect(page.url()).toMatch(/05-dns\.html$/)
    expect(await page.textContent('figure.steps .steps-count')).toBe('Step 2 of 3')
  })

  test('the skip link is the first stop of the keyboard and moves focus to the content', async () => {
    const page = await site.open('05-dns.html')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('content')
  })

  test('every link on every page reaches a page, and every anchor an element', async () => {
    const page = await site.open('index.html')
    const seen = new Set<string>()
    const queue = ['index.html', 'print.html']
    const broken: string[] = []
    while (queue.length) {
      const file = queue.shift()!
      if (seen.has(file)) continue
      seen.add(file)
      const res = await page.goto(`${site.url}${file}`)
      if (res?.status() !== 200) {
        broken.push(`${file}: ${res?.status()}`)
        continue
      }
      for (const href of await page.$$eval('a[href], img[src]', (els) => els.map((a) => a.getAttribute('href') ?? a.getAttribute('src') ?? ''))) {
        if (/^https?:/.test(href)) continue
        if (href.startsWith('api/') || href.startsWith('diagrams/')) {
          if (!seen.has(href) && (await fetch(`${site.url}${href.split('#')[0]}`)).status !== 200) broken.push(`${file}: ${href}`)
          seen.add(href)
          continue
        }
        const [target = '', anchor] = href.split('#')
        const next = target === '' ? file : target
        if (anchor && next === file && !(await page.evaluate((id) => !!document.getElementById(id), decodeURIComponent(anchor)))) broken.push(`${file}: #${anchor}`)
        if (!seen.has(next)) queue.push(next)
      }
    }
    expect(broken).toEqual([])
    expect(seen.size).toBeGreaterThanOrEqual(5)
  })

  test('the 404 page answers any missing path, at any depth, styled', async () => {
    const page = await site.browser.context.newPage()
    const res = await page.goto(`${site.url}no/such/lesson.html`)
    expect(res?.status()).toBe(404)
    expect(await page.textContent('h1')).toBe('This page does not exist')
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('system-ui')
  })
})

describe('theme and blocks', () => {
  test('the theme follows the system; the toggle overrides it and is remembered', async () => {
    const page = await site.open('05-dns.html', (p) => p.emulateMedia({ colorScheme: 'dark' }))
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
    await page.click('.theme-toggle')
    expect(await page.getAttribute('html', 'data-theme')).toBe('light')
    expect(await page.getAttribute('.theme-toggle', 'aria-pressed')).toBe('false')
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)')
    await page.reload()
    expect(await page.getAttribute('html', 'data-theme')).toBe('light')
    await page.click('.theme-toggle')
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
    await page.evaluate(() => localStorage.clear())
  })

  test('the copy button of a try-it block copies the command without its prompt', async () => {
    const page = await site.open('05-dns.html')
    await page.click('.terminal >> nth=0 >> button.copy')
    await page.waitForSelector('.terminal >> nth=0 >> button.copy.copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('katas kubectl apply -f lessons/05-dns/order.yaml')
  })

  test('the copy button of a manifest copies the manifest', async () => {
    const page = await site.open('05-dns.html')
    await page.click('.code[data-lang="yaml"] >> nth=0 >> button.copy')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^apiVersion: v1\nkind: Service\n/)
  })

  test('the answer to a prediction waits behind "Show what happens"', async () => {
    const page = await site.open('05-dns.html')
    const answer = page.locator('details.reveal .terminal').first()
    expect(await answer.isVisible()).toBe(false)
    await page.click('details.reveal > summary')
    expect(await answer.isVisible()).toBe(true)
  })

  test('served by katas serve, the page shows the learner’s progress, the deep track and given katas', async () => {
    const page = await site.open('05-dns.html')
    await page.waitForSelector('.kata-status:not([hidden])')
    expect(await page.textContent('.kata-status')).toBe(`Your kata: 2 of ${STATUS.katas?.['05']?.tasksTotal} tasks green. Save a file to re-run the checks.`)
    expect(await page.getAttribute('.sidebar .mark[data-kata="00"]', 'class')).toContain('mark-given')
    expect(await page.getAttribute('.sidebar .mark[data-kata="03"]', 'class')).toContain('mark-deep')
    expect(await page.getAttribute('.sidebar .mark[data-kata="05"]', 'class')).toContain('mark-current')
    expect(await page.textContent('[data-kata-text="03"]')).toBe(' (kata green, deep track)')
    const given = await site.open('00-pod-network.html')
    await given.waitForSelector('.kata-status:not([hidden])')
    expect(await given.textContent('.kata-status')).toBe('Given: katas start 03 filled this kata with the reference code, so later katas compose.')
  })

  test('the print page holds every lesson, every frame and every answer', async () => {
    const page = await site.open('print.html')
    expect(await page.$$eval('article.print-lesson h1', (hs) => hs.map((h) => h.textContent))).toEqual(['Pods are not enough', 'Endpoints', 'Discovery by DNS'])
    expect(await page.locator('details.reveal .terminal').first().isVisible()).toBe(true)
    await page.evaluate(() => document.querySelectorAll('img').forEach((i) => (i.loading = 'eager')))
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.steps-frames img')].every((i) => i.complete && i.naturalWidth > 0))
  })
})

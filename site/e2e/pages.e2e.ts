// Every page of the course at laptop and phone widths: nothing scrolls sideways, the
// prose starts on the first screen, and axe finds nothing, in both themes.
import { readdirSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { axeViolations, LAPTOP, PHONE, SMALL_PHONE, sidewaysOverflow, useSite } from './harness.ts'
import { SITES } from './sites.ts'

const site = useSite(SITES.course)
const pages = ['index.html', ...readdirSync(SITES.course).filter((f) => /^\d\d-.*\.html$/.test(f)).sort(), 'print.html', 'no/such/page.html']
const lessons = pages.filter((f) => /^\d\d-/.test(f) && !f.endsWith('.workspace.html'))

describe('phone widths', () => {
  test.each(pages.flatMap((file) => [PHONE, SMALL_PHONE].map((size) => ({ file, ...size }))))('$file at $width px does not scroll sideways', async ({ file, width, height }) => {
    const page = await site.open(file, (p) => p.setViewportSize({ width, height }))
    const { overflow, culprits } = await sidewaysOverflow(page)
    expect(culprits).toEqual([])
    expect(overflow).toBe(0)
  })
})

describe('the first screen of a lesson', () => {
  test.each(lessons.flatMap((file) => [LAPTOP, PHONE].map((size) => ({ file, ...size }))))('$file at $width px: the prose starts on it; the facts wait folded below', async ({ file, width, height }) => {
    const page = await site.open(file, (p) => p.setViewportSize({ width, height }))
    const layout = await page.evaluate(() => ({
      prose: document.querySelector('.lesson-body > p')!.getBoundingClientRect().top,
      facts: document.querySelector('.lesson-body > details.lesson-facts')!.getBoundingClientRect().top,
      open: document.querySelector<HTMLDetailsElement>('details.lesson-facts')!.open,
    }))
    expect(layout.prose).toBeLessThan(height * 0.75)
    expect(layout.facts).toBeGreaterThan(layout.prose)
    expect(layout.open).toBe(false)
  })

  test.each(['03-endpoints.html', 'print.html'])('%s: the opened facts are small labels over their lists, not lesson headings', async (file) => {
    const page = await site.open(file, (p) => p.setViewportSize(LAPTOP))
    const titles = await page.evaluate(() => {
      for (const d of document.querySelectorAll<HTMLDetailsElement>('details.lesson-facts')) d.open = true
      return [...document.querySelectorAll('.facts-title')].slice(0, 3).map((h) => {
        const css = getComputedStyle(h)
        return { text: h.textContent, fontSize: css.fontSize, borderTop: css.borderTopStyle }
      })
    })
    expect(titles.length).toBeGreaterThan(1)
    for (const t of titles) expect(t, t.text ?? '').toMatchObject({ fontSize: '12px', borderTop: 'none' })
  })

  test('print.html on paper: the always-open facts have a plain title, no disclosure triangle', async () => {
    const page = await site.open('print.html', (p) => p.emulateMedia({ media: 'print' }))
    const marker = await page.evaluate(() => getComputedStyle(document.querySelector('.lesson-facts > summary')!).listStyleType)
    expect(marker).toBe('none')
  })
})

describe('accessibility', () => {
  test.each([
    ...['index.html', '05-dns.html', '07-nodeport.html', 'print.html'].flatMap((file) => (['light', 'dark'] as const).map((scheme) => ({ file, scheme, ...LAPTOP }))),
    { file: '05-dns.html', scheme: 'light' as const, ...PHONE },
  ])('axe finds nothing on $file ($scheme, $width px)', async ({ file, scheme, width, height }) => {
    const page = await site.open(file, async (p) => {
      await p.emulateMedia({ colorScheme: scheme })
      await p.setViewportSize({ width, height })
    })
    expect(await axeViolations(page)).toEqual([])
  })

  test('on a phone the sidebar is a menu the button opens and Escape closes', async () => {
    const page = await site.open('05-dns.html', (p) => p.setViewportSize(PHONE))
    expect(await page.isVisible('nav.sidebar')).toBe(false)
    await page.click('.menu-button')
    await page.waitForSelector('nav.sidebar', { state: 'visible' })
    expect(await page.getAttribute('.menu-button', 'aria-expanded')).toBe('true')
    await page.keyboard.press('Escape')
    await page.waitForSelector('nav.sidebar', { state: 'hidden' })
  })
})

describe('the front page', () => {
  test('explains itself in one laptop screen: what, the path, the commands, the time, the two pictures', async () => {
    const page = await site.open('index.html', (p) => p.setViewportSize(LAPTOP))
    const tops = await page.evaluate(() =>
      Object.fromEntries(
        Object.entries({ what: '.hero .summary', path: '.path', commands: '.home-start .terminal', start: '.home-start .button', watch: '.shot .watch', diagram: '.home-shots figure.steps' }).map(([k, sel]) => [k, document.querySelector(sel)?.getBoundingClientRect().top ?? Infinity]),
      ),
    )
    for (const [what, top] of Object.entries(tops)) expect(top, what).toBeLessThan(LAPTOP.height - 60)
    expect(await page.textContent('.hero .eyebrow')).toMatch(/about \d+(?:¼|½|¾)? hours on the core path/)
    expect(await page.textContent('.home-start .terminal')).toBe('$ npm install\n$ npm start')
    expect(await page.textContent('.watch')).toContain('tasks green')
  })

  test('the stepped diagram on it steps', async () => {
    const page = await site.open('index.html')
    await page.click('.home-shots .steps-next')
    expect(await page.textContent('.home-shots .steps-count')).toMatch(/^Step 2 of \d$/)
  })

  test('the workshop section links the workshop guide', async () => {
    const page = await site.open('index.html')
    expect(await page.getAttribute('#workshops ~ p a, .workshop a', 'href')).toBe('https://example.org/blob/docs/workshop.md')
  })
})

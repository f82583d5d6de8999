// The stepped diagrams of every real lesson: text a laptop shows at 13 px or more with
// 4.5:1 contrast in both themes, what "faded" and "dropped" look like, focus at the last
// step, and on a phone a drawing that fits with a tap to enlarge it.
import { readdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { LAPTOP, PHONE, useSite } from './harness.ts'
import { SITES } from './sites.ts'

const site = useSite(SITES.course)
const lessons = readdirSync(SITES.course).filter((f) => /^\d\d-.*\.html$/.test(f) && !f.endsWith('.workspace.html')).sort()

interface TextCheck {
  text: string
  size: number
  contrast: number
}

/** Every text of every frame (all shown at once): its size on screen and its contrast with what it sits on. */
function diagramTexts(page: Page): Promise<TextCheck[]> {
  return page.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number)
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
    }
    const ratio = (a: string, b: string) => {
      const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((m, n) => n - m)
      return (x! + 0.05) / (y! + 0.05)
    }
    document.querySelectorAll<HTMLElement>('.step').forEach((s) => (s.hidden = false))
    const page = getComputedStyle(document.body).backgroundColor
    const out: { text: string; size: number; contrast: number }[] = []
    for (const svg of document.querySelectorAll<SVGSVGElement>('.step-svg svg')) {
      const scale = svg.getScreenCTM()?.a ?? 1
      const rects = [...svg.querySelectorAll('rect')]
      for (const t of svg.querySelectorAll<SVGTextElement>('text')) {
        if (!t.textContent?.trim()) continue
        const x = Number(t.getAttribute('x')), y = Number(t.getAttribute('y'))
        const box = rects
          .filter((r) => {
            const b = r.getBBox()
            return x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height && getComputedStyle(r).fill !== 'none'
          })
          .sort((a, b) => a.getBBox().width * a.getBBox().height - b.getBBox().width * b.getBBox().height)[0]
        const under = box ? getComputedStyle(box).fill : page
        for (const part of [t, ...t.querySelectorAll('tspan')]) {
          const s = getComputedStyle(part)
          out.push({ text: (part.textContent ?? '').slice(0, 40), size: parseFloat(s.fontSize) * scale, contrast: ratio(s.fill, under) })
        }
      }
    }
    return out
  })
}

describe('diagram text on a laptop', () => {
  test.each(lessons.flatMap((file) => (['light', 'dark'] as const).map((scheme) => ({ file, scheme }))))('$file ($scheme): every text ≥ 13 px and ≥ 4.5:1', async ({ file, scheme }) => {
    const page = await site.open(file, async (p) => {
      await p.setViewportSize(LAPTOP)
      await p.emulateMedia({ colorScheme: scheme })
    })
    const texts = await diagramTexts(page)
    expect(texts.length).toBeGreaterThan(0)
    expect(texts.filter((t) => t.size < 13).map((t) => `${t.text}: ${t.size.toFixed(1)} px`)).toEqual([])
    expect(texts.filter((t) => t.contrast < 4.5).map((t) => `${t.text}: ${t.contrast.toFixed(2)}:1`)).toEqual([])
  })
})

describe('what the diagrams mean by their styles', () => {
  test('a faded pod is outlined dashed and written in the secondary colour, not made transparent', async () => {
    const page = await site.open('02-label-selectors.html')
    const faded = await page.evaluate(() => {
      document.querySelectorAll<HTMLElement>('.step').forEach((s) => (s.hidden = false))
      const rect = document.querySelector('.step-svg rect.faded')!
      const text = document.querySelector('.step-svg text.faded')!
      const muted = getComputedStyle(document.body).getPropertyValue('--diagram-muted').trim()
      return { dash: getComputedStyle(rect).strokeDasharray, opacity: [getComputedStyle(rect).opacity, getComputedStyle(text).opacity], stroke: getComputedStyle(rect).stroke, fill: getComputedStyle(text).fill, muted }
    })
    expect(faded.dash).not.toBe('none')
    expect(faded.opacity).toEqual(['1', '1'])
    expect(faded.stroke).toBe(faded.fill)
    expect(faded.muted).toBe('#57606a')
  })

  test('DROP is drawn in the danger colour', async () => {
    const page = await site.open('07-nodeport.html')
    const colours = await page.evaluate(() => {
      document.querySelectorAll<HTMLElement>('.step').forEach((s) => (s.hidden = false))
      const drop = [...document.querySelectorAll('.step-svg text')].find((t) => /\bDROP\b/.test(t.textContent ?? ''))!
      const probe = document.createElement('span')
      probe.style.color = 'var(--diagram-danger)'
      document.body.append(probe)
      return { drop: getComputedStyle(drop).fill, danger: getComputedStyle(probe).color }
    })
    expect(colours.drop).toBe(colours.danger)
  })
})

describe('stepping', () => {
  test('after the last step, focus stays on the Next button, which says it is done', async () => {
    const page = await site.open('05-dns.html')
    const next = page.locator('figure.steps >> nth=0 >> .steps-next')
    const frames = await page.locator('figure.steps >> nth=0 >> .step').count()
    await next.focus()
    for (let i = 1; i < frames; i++) await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('steps-next'))).toBe(true)
    expect(await next.getAttribute('aria-disabled')).toBe('true')
    expect(await page.textContent('figure.steps >> nth=0 >> .steps-count')).toBe(`Step ${frames} of ${frames}`)
    await page.keyboard.press('Enter')
    expect(await page.textContent('figure.steps >> nth=0 >> .steps-count')).toBe(`Step ${frames} of ${frames}`)
  })
})

describe('diagrams on a phone', () => {
  test.each(lessons)('%s: every drawing fits the screen', async (file) => {
    const page = await site.open(file, (p) => p.setViewportSize(PHONE))
    const overflow = await page.evaluate(() => [...document.querySelectorAll('.step-svg svg')].map((s) => s.getBoundingClientRect().right - document.documentElement.clientWidth).filter((d) => d > 0.5))
    expect(overflow).toEqual([])
  })

  test('a tap enlarges the drawing to a readable size; Escape closes it and gives focus back', async () => {
    const page = await site.open('03-endpoints.html', (p) => p.setViewportSize(PHONE))
    await page.locator('figure.steps >> nth=0 >> .steps-next').click()
    await page.locator('figure.steps >> nth=0 >> .step:not([hidden]) .step-svg').tap().catch(async () => page.locator('figure.steps >> nth=0 >> .step:not([hidden]) .step-svg').click())
    await page.waitForSelector('dialog.zoom[open]')
    const zoomed = await page.evaluate(() => {
      const svg = document.querySelector<SVGSVGElement>('dialog.zoom svg')!
      const scale = svg.getScreenCTM()!.a
      const smallest = Math.min(...[...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale))
      return { smallest, step: document.querySelector('dialog.zoom .steps-count')?.textContent, label: document.querySelector('dialog.zoom')?.getAttribute('aria-label') }
    })
    expect(zoomed.smallest).toBeGreaterThanOrEqual(13)
    expect(zoomed.step).toBe(await page.textContent('figure.steps >> nth=0 >> .steps-count'))
    expect(zoomed.label).toBe(await page.textContent('figure.steps >> nth=0 >> .steps-title'))
    await page.keyboard.press('Escape')
    await page.waitForSelector('dialog.zoom', { state: 'hidden' })
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('steps-zoom')
  })
})

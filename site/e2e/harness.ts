// What every browser test file shares: a served site, Chromium, pages that record
// console errors and failed requests, and an axe-core run.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { findKata, tasksOf, type Track } from '../../harness/course.ts'
import { serveSite, type SiteServer } from '../server.ts'
import type { StatusJson } from '../status.ts'
import { type Browser, launch } from './browser.ts'

/** How many tasks kata `id` asks for on `track`: core only, or core and deep. */
const tasksTotal = (id: string, track: Track) => {
  const kata = findKata(id)
  if (!kata) throw new Error(`no kata ${id}`)
  return track === 'core' ? tasksOf(kata, 'core').length : kata.tasks.length
}

/** What `katas serve` reports mid-course: 00 given, 03 green on the deep track, 05 under way. */
export const STATUS: StatusJson = {
  served: true,
  current: '05',
  katas: {
    '00': { status: 'given', track: 'core', tasksPassed: 0, tasksTotal: tasksTotal('00', 'core'), givenFor: '03' },
    '03': { status: 'passed', track: 'deep', tasksPassed: tasksTotal('03', 'deep'), tasksTotal: tasksTotal('03', 'deep') },
    '05': { status: 'failing', track: 'core', tasksPassed: 2, tasksTotal: tasksTotal('05', 'core') },
  },
}

export const PHONE = { width: 390, height: 844 }
export const SMALL_PHONE = { width: 320, height: 640 }
export const LAPTOP = { width: 1280, height: 900 }

export interface Site {
  url: string
  browser: Browser
  errors: string[]
  open(file: string, setup?: (page: Page) => Promise<void>): Promise<Page>
}

/**
 * A served site and a browser for one test file. Every page opened records its
 * console errors, page errors and failed requests; each test ends with none.
 */
export function useSite(root: string, status: StatusJson = STATUS): Site {
  let server: SiteServer
  const site: Site = {
    url: '',
    browser: undefined as unknown as Browser,
    errors: [],
    async open(file, setup) {
      const page = await site.browser.context.newPage()
      page.on('console', (m) => {
        // A missing page's own 404 is the point of opening it.
        if (m.location().url === `${site.url}${file}` && /status of 404/.test(m.text())) return
        // CodeMirror's notice that it measured the layout again within one frame: a busy headless
        // browser, not a fault of the page (the editor goes on and the tests check what it shows).
        if (m.type() === 'warning' && m.text() === 'Measure loop restarted more than 5 times') return
        if (m.type() === 'error' || m.type() === 'warning') site.errors.push(`${file}: console ${m.type()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => site.errors.push(`${file}: ${e.message}`))
      // A request cut short by leaving the page (ERR_ABORTED) is not a failure.
      page.on('requestfailed', (r) => {
        if (!r.failure()?.errorText.includes('ERR_ABORTED')) site.errors.push(`${file}: request failed ${r.url()}: ${r.failure()?.errorText}`)
      })
      if (setup) await setup(page)
      await page.goto(`${site.url}${file}`)
      return page
    },
  }
  beforeAll(async () => {
    server = await serveSite(root, 0, () => status)
    site.url = server.url
    site.browser = await launch()
  })
  afterEach(async () => {
    for (const page of site.browser.context.pages()) await page.close()
    const seen = site.errors.splice(0)
    expect(seen, 'console errors, page errors and failed requests').toEqual([])
  })
  afterAll(async () => {
    await site.browser?.close()
    await server?.close()
  })
  return site
}

/**
 * The site as a host serves it under a path (GitHub's project pages): `prefix` maps
 * to the site's root, and any other URL gets the site's 404 page, as such a host does.
 */
export async function serveUnder(root: string, prefix: string): Promise<{ url: string; close(): Promise<void> }> {
  const inner = await serveSite(root, 0, () => ({ served: false }))
  const server: Server = createServer(async (req, res) => {
    const url = req.url ?? '/'
    const target = url.startsWith(prefix) ? `/${url.slice(prefix.length)}` : '/404-not-here'
    const answer = await fetch(new URL(target, inner.url))
    res.writeHead(answer.status, Object.fromEntries(answer.headers))
    res.end(Buffer.from(await answer.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
      await inner.close()
    },
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core's violations on the page, every impact, as `rule: first targets`. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe
    const r = await axe.run()
    return r.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
  })
}

/** How far the page scrolls sideways, and the elements that reach past its right edge. */
export async function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const culprits: string[] = []
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.right <= width + 0.5) continue
      let clipped = false
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible' || getComputedStyle(p).position === 'fixed') clipped = true
      }
      if (!clipped && getComputedStyle(el).position !== 'fixed') culprits.push(`${el.tagName.toLowerCase()}.${el.className} “${(el.textContent ?? '').slice(0, 40)}” to ${Math.round(r.right)}px`)
    }
    return { overflow: document.documentElement.scrollWidth - width, culprits: culprits.slice(0, 5) }
  })
}

// The site published under a path (GitHub's project pages: https://owner.github.io/repo/):
// every page relative, the 404 page from the configured base path, at any depth.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { type Browser, launch } from './browser.ts'
import { serveUnder } from './harness.ts'
import { SITES, SUB_PATH } from './sites.ts'

let host: Awaited<ReturnType<typeof serveUnder>>
let browser: Browser
const failures: string[] = []

async function open(url: string): Promise<Page> {
  const page = await browser.context.newPage()
  // A request cut short by leaving the page (ERR_ABORTED) is not a failure.
  page.on('requestfailed', (r) => !r.failure()?.errorText.includes('ERR_ABORTED') && failures.push(`${r.url()}: ${r.failure()?.errorText}`))
  page.on('response', (r) => r.status() >= 400 && !r.request().isNavigationRequest() && failures.push(`${r.url()}: ${r.status()}`))
  page.on('pageerror', (e) => failures.push(e.message))
  await page.goto(url)
  return page
}

beforeAll(async () => {
  host = await serveUnder(SITES.subPath, SUB_PATH)
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
  await host?.close()
})

describe(`the site under ${SUB_PATH}`, () => {
  test('the front page, a lesson and the print page load everything they link', async () => {
    const page = await open(`${host.url}index.html`)
    await page.click('a.button')
    await page.waitForURL(/00-pod-network\.html$/)
    await page.keyboard.press('ArrowRight')
    await page.waitForURL(/03-endpoints\.html$/)
    await page.goto(`${host.url}print.html`)
    expect(failures).toEqual([])
  })

  test('the search finds its index', async () => {
    const page = await open(`${host.url}05-dns.html`)
    await page.keyboard.press('/')
    await page.keyboard.type('ndots')
    await page.waitForSelector('.search-results a')
    expect(failures).toEqual([])
  })

  test.each(['nope.html', 'a/b/c/deep.html'])('a missing %s gets the 404 page, styled, with links that work', async (missing) => {
    const page = await open(`${host.url}${missing}`)
    expect(await page.textContent('h1')).toBe('This page does not exist')
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.topbar')!).position)).toBe('sticky')
    await page.click('nav.sidebar a:has-text("Discovery by DNS")').catch(async () => page.click('a.button'))
    await page.waitForURL((url) => url.pathname.startsWith(SUB_PATH) && url.pathname.endsWith('.html') && !url.pathname.includes('deep'))
    expect(failures).toEqual([])
  })
})

// typedoc's API pages as part of the site: axe finds nothing in either theme, each
// module says what it is and links back to its lesson, the theme is the site's.
import { describe, expect, test } from 'vitest'
import { axeViolations, PHONE, sidewaysOverflow, useSite } from './harness.ts'
import { SITES } from './sites.ts'

const site = useSite(SITES.fixtures)
const API_PAGES = ['api/index.html', 'api/modules/dns_records.html', 'api/classes/dns_records.KubeDNS.html', 'api/functions/labels_selector.parse.html', 'api/interfaces/dns_records.DNSResponse.html', 'api/hierarchy.html']

describe('API pages', () => {
  test.each(API_PAGES.flatMap((file) => (['light', 'dark'] as const).map((scheme) => ({ file, scheme }))))('axe finds nothing on $file ($scheme)', async ({ file, scheme }) => {
    const page = await site.open(file, (p) => p.emulateMedia({ colorScheme: scheme }))
    await page.waitForSelector('#tsd-nav-container a', { state: 'attached' })
    expect(await axeViolations(page)).toEqual([])
  })

  test('a lesson links its module; the module page describes it and links back to the lesson', async () => {
    const page = await site.open('05-dns.html')
    await page.click('details.lesson-facts > summary')
    await page.click('details.lesson-facts a:has-text("dns/records.ts")')
    await page.waitForURL(/api\/modules\/dns_records\.html$/)
    expect(await page.textContent('h1')).toContain('dns/records')
    expect(await page.textContent('.col-content .tsd-comment, .col-content .tsd-typography')).toMatch(/CoreDNS/)
    expect(await page.textContent('.api-lesson')).toMatch(/^Lesson 05: Discovery by DNS\. On the core path you write /)
    await page.click('.api-lesson a')
    await page.waitForURL(/\/05-dns\.html$/)
  })

  test('the top bar leads back to the lessons from any depth', async () => {
    const page = await site.open('api/classes/dns_records.KubeDNS.html')
    await page.click('#tsd-toolbar-links a:has-text("Lessons")')
    await page.waitForURL((url) => url.pathname === '/index.html')
  })

  test('the theme is the one chosen on the lessons, and its toggle works here', async () => {
    const lesson = await site.open('05-dns.html')
    await lesson.click('.theme-toggle')
    const page = await site.open('api/modules/dns_records.html')
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 18, 22)')
    await page.click('.theme-toggle')
    expect(await page.getAttribute('html', 'data-theme')).toBe('light')
    await page.evaluate(() => localStorage.clear())
  })

  test('on a phone an API page does not scroll sideways', async () => {
    const page = await site.open('api/modules/dns_records.html', (p) => p.setViewportSize(PHONE))
    expect((await sidewaysOverflow(page)).overflow).toBe(0)
  })
})

// The search: results with where they are, a snippet with the terms marked, a count,
// one polite announcement when typing pauses, and the keyboard.
import { describe, expect, test } from 'vitest'
import { useSite } from './harness.ts'
import { SITES } from './sites.ts'

const site = useSite(SITES.fixtures)

describe('search', () => {
  test('/ opens it; a term shows results with their lesson, a snippet and the term marked; Enter goes to the first', async () => {
    const page = await site.open('00-pod-network.html')
    await page.keyboard.press('/')
    await page.waitForSelector('dialog.search-dialog[open]')
    await page.keyboard.type('ndots')
    await page.waitForSelector('.search-results a')
    expect(await page.textContent('.search-results a .hit-lesson')).toMatch(/^05 Discovery by DNS/)
    expect(await page.textContent('.search-results a .hit-snippet')).toContain('ndots')
    expect((await page.textContent('.search-results a mark'))?.toLowerCase()).toBe('ndots')
    expect(await page.textContent('.search-count')).toMatch(/^\d+ results? for “ndots”$/)
    await page.keyboard.press('Enter')
    await page.waitForURL(/05-dns\.html/)
  })

  test('the count is announced once, politely, when typing pauses — not at every key', async () => {
    const page = await site.open('05-dns.html')
    await page.click('.search-button')
    expect(await page.getAttribute('.search-status', 'role')).toBe('status')
    expect(await page.getAttribute('#search-results', 'aria-live')).toBeNull()
    await page.locator('#search-input').pressSequentially('service', { delay: 40 })
    expect(await page.textContent('.search-status')).toBe('')
    await page.waitForFunction(() => document.querySelector('.search-status')?.textContent !== '')
    expect(await page.textContent('.search-status')).toMatch(/^\d+ results? for “service”$/)
  })

  test('↓ and ↑ move through the results and back to the field', async () => {
    const page = await site.open('05-dns.html')
    await page.click('.search-button')
    await page.fill('#search-input', 'pod')
    await page.waitForSelector('.search-results a')
    await page.keyboard.press('ArrowDown')
    expect(await page.evaluate(() => document.activeElement?.closest('.search-results') !== null)).toBe(true)
    await page.keyboard.press('ArrowUp')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input')
  })

  test('a term no lesson has says so; the close button is named by what it shows', async () => {
    const page = await site.open('05-dns.html')
    await page.click('.search-button')
    await page.fill('#search-input', 'zzzyzx')
    await page.waitForFunction(() => document.querySelector('.search-count')?.textContent?.startsWith('No results'))
    expect(await page.getAttribute('.search-close', 'aria-label')).toBeNull()
    await page.getByRole('button', { name: 'Close', exact: true }).click()
    await page.waitForSelector('dialog.search-dialog', { state: 'hidden' })
  })
})

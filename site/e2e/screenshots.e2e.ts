// The pictures the README shows, taken from the built site: the watch screen (the front
// page renders `katas check`'s coloured output, site/screens/watch.ansi), a lesson with
// its stepped diagram, and a lesson on a phone. They go to build/screenshots/; with
// KATAS_UPDATE_SCREENSHOTS=1 the watch screen is captured afresh from `katas check` and
// the pictures replace the committed ones in docs/images/.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { PACKAGE_ROOT } from '../../harness/paths.ts'
import { SCREENSHOTS_DIR } from '../config.ts'
import { captureWatchScreen } from '../screens/capture.ts'
import { WATCH_SCREEN } from '../screens/watch-screen.ts'
import { LAPTOP, PHONE, useSite } from './harness.ts'
import { SITES } from './sites.ts'

const site = useSite(SITES.course)
const UPDATE = process.env.KATAS_UPDATE_SCREENSHOTS === '1'
const COMMITTED = path.join(PACKAGE_ROOT, 'docs', 'images')

const PNGQUANT = '/usr/bin/pngquant'

/** The picture as committed: quantised to a palette by pngquant (Debian's) when it is installed. */
function keep(name: string): string {
  const file = path.join(SCREENSHOTS_DIR, name)
  if (UPDATE) {
    mkdirSync(COMMITTED, { recursive: true })
    const target = path.join(COMMITTED, name)
    if (existsSync(PNGQUANT)) spawnSync(PNGQUANT, ['--force', '--quality=70-95', '--skip-if-larger', '--output', target, '--', file])
    if (!existsSync(target) || statSync(target).mtimeMs < statSync(file).mtimeMs) copyFileSync(file, target)
  }
  return file
}

describe('screenshots', () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true })

  test('the watch screen, from katas check on a workspace with one mistake', async () => {
    if (UPDATE) writeFileSync(WATCH_SCREEN, captureWatchScreen())
    const page = await site.open('index.html', (p) => p.setViewportSize(LAPTOP))
    const screen = page.locator('.shot .watch')
    // The whole width of the terminal, however narrow the front page's column.
    await screen.evaluate((el) => {
      Object.assign(el.style, { position: 'fixed', left: '0', top: '0', zIndex: '100', width: 'max-content', margin: '0' })
      el.querySelector<HTMLElement>('pre')!.style.fontSize = '12px'
    })
    await screen.screenshot({ path: path.join(SCREENSHOTS_DIR, 'watch-screen.png') })
    expect(statSync(keep('watch-screen.png')).size).toBeLessThan(120_000)
  }, 120_000)

  test.each([
    { name: 'lesson.png', file: '06-clusterip.html', size: { width: 1100, height: 720 }, scheme: 'light' as const, at: 'figure.steps' },
    { name: 'lesson-phone-dark.png', file: '05-dns.html', size: PHONE, scheme: 'dark' as const, at: undefined },
    { name: 'home.png', file: 'index.html', size: LAPTOP, scheme: 'light' as const, at: undefined },
  ])('$name', async ({ name, file, size, scheme, at }) => {
    const page = await site.open(file, async (p) => {
      await p.setViewportSize(size)
      await p.emulateMedia({ colorScheme: scheme })
    })
    if (at) {
      await page.locator(at).first().evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 70))
      await page.locator(`${at} >> nth=0 >> .steps-next`).click()
    }
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, name) })
    expect(statSync(keep(name)).size).toBeLessThan(250_000)
  })
})

// Every kata's workspace page, opened in a browser with nothing cached, loads at
// most 400 KB gzip (every request, the check worker's included) until its first
// verdict is shown. What it fetches after (the code the learner only reads, the
// compiler a save needs) is not part of that, and nothing of the first load is
// fetched again.
import { expect, test } from 'vitest'
import { loadCourse } from '../../harness/course.ts'
import { launch } from './browser.ts'
import { useSite } from './harness.ts'
import { SITES } from './sites.ts'
import { workspaceLoad, WORKSPACE_FIRST_LOAD_MAX } from './weight.ts'

const site = useSite(SITES.course, { served: false })
const katas = loadCourse().map((k) => k.name)

test.each(katas)('%s: the first load is at most 400 KB gzip', async (name) => {
  // A browser of its own, so nothing of another kata's page is in its cache.
  const browser = await launch()
  try {
    const page = await browser.context.newPage()
    page.on('pageerror', (e) => site.errors.push(`${name}: ${e.message}`))
    const { first, after } = await workspaceLoad(page, SITES.course, `${site.url}${name}.workspace.html`)
    console.log(`${name}: first load ${(first.gz / 1024).toFixed(1)} KB gzip (${first.files.length} files), then ${(after.gz / 1024).toFixed(1)} KB (${after.files.join(', ')})`)
    expect(first.files).toEqual(expect.arrayContaining([`workspace/${name}.checks.js`, `workspace/${name}.json`, 'assets/check-worker.js', 'assets/workspace.js']))
    expect(after.files.filter((f) => first.files.includes(f)), 'fetched twice').toEqual([])
    expect(first.files, 'the deep tasks\' checks come after the first verdict').not.toContain(`workspace/${name}.deep.checks.js`)
    expect(first.gz, `${(first.gz / 1024).toFixed(1)} KB gzip: ${first.files.join(', ')}`).toBeLessThanOrEqual(WORKSPACE_FIRST_LOAD_MAX)
  } finally {
    await browser.close()
  }
})

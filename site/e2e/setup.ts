// Builds the sites the browser tests read, once per run: the fixture lessons with the
// API pages (kept between runs while the stubs are unchanged: typedoc is slow), the
// course's own lessons, and the fixture lessons again for a site served under a path.
import { KATAS_DIR, PACKAGE_ROOT, STUBS_DIR } from '../../harness/paths.ts'
import { buildSite } from '../build.ts'
import { FIXTURE_LESSONS } from '../main.ts'
import { LESSONS_DIR } from '../config.ts'
import { SITES, SUB_PATH } from './sites.ts'

export default async function setup(): Promise<void> {
  const common = { katasDir: KATAS_DIR, editUrl: 'https://example.org/edit/{path}', blobUrl: 'https://example.org/blob/{path}', root: PACKAGE_ROOT }
  await buildSite({ ...common, lessonsDir: FIXTURE_LESSONS, stubsDir: STUBS_DIR, outDir: SITES.fixtures })
  await buildSite({ ...common, lessonsDir: LESSONS_DIR, stubsDir: undefined, outDir: SITES.course })
  await buildSite({ ...common, lessonsDir: FIXTURE_LESSONS, stubsDir: undefined, outDir: SITES.subPath, basePath: SUB_PATH })
}

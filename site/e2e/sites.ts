// Where the browser tests' sites are built (site/e2e/setup.ts), and the path one is served under.
import path from 'node:path'
import { PACKAGE_ROOT } from '../../harness/paths.ts'

const E2E = path.join(PACKAGE_ROOT, 'build', 'e2e')
export const SITES = {
  /** site/fixtures/lessons, with the API pages. */
  fixtures: path.join(E2E, 'fixtures'),
  /** lessons/: every real page, for the checks that must hold on all of them. */
  course: path.join(E2E, 'course'),
  /** The fixtures built for a host that serves the site under SUB_PATH. */
  subPath: path.join(E2E, 'sub-path'),
}
export const SUB_PATH = '/service-katas/'

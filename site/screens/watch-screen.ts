// Where the watch screen's picture is kept: `katas check`'s coloured output, as ANSI
// text, made by site/screens/capture.ts and rendered by the front page.
import path from 'node:path'
import { PACKAGE_ROOT } from '../../harness/paths.ts'

export const WATCH_SCREEN = path.join(PACKAGE_ROOT, 'site', 'screens', 'watch.ansi')
/** The kata the picture shows: a short one, early in the course. */
export const WATCH_KATA = '02'

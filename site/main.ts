// `npm run build:site [-- --fixtures] [-- --no-api] [-- --no-workspace] [-- --no-cache] [-- --out DIR] [-- --base /PATH/]`: builds the site
// and prints one summary line; a lesson it cannot render is one line and exit 2.
import path from 'node:path'
import { CourseError } from '../harness/course.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { buildSite } from './build.ts'
import { defaultOptions, normalizeBasePath, type SiteOptions } from './config.ts'
import { SiteError } from './errors.ts'

export const FIXTURE_LESSONS = path.join(PACKAGE_ROOT, 'site', 'fixtures', 'lessons')

export function optionsFromArgs(args: string[]): SiteOptions {
  const options = defaultOptions()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--fixtures') options.lessonsDir = FIXTURE_LESSONS
    else if (arg === '--no-api') options.stubsDir = undefined
    else if (arg === '--no-workspace') options.workspace = false
    else if (arg === '--timings') continue
    else if (arg === '--no-cache') options.cacheDir = undefined
    else if (arg === '--out' && args[i + 1]) options.outDir = path.resolve(args[++i]!)
    else if (arg === '--lessons' && args[i + 1]) options.lessonsDir = path.resolve(args[++i]!)
    else if (arg === '--base' && args[i + 1] !== undefined) {
      try {
        options.basePath = normalizeBasePath(args[++i]!)
      } catch (err) {
        throw new SiteError('build:site', undefined, `--base: ${(err as Error).message}`)
      }
    } else throw new SiteError('build:site', undefined, `unknown option ${arg}; expected --fixtures, --no-api, --no-workspace, --no-cache, --timings, --lessons DIR, --out DIR or --base /PATH/`)
  }
  return options
}

export async function buildSiteCommand(args: string[]): Promise<number> {
  const started = performance.now()
  try {
    const options = optionsFromArgs(args)
    const result = await buildSite(options)
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    const drafts = result.drafts.length ? `, ${result.drafts.length} not written yet` : ''
    const where = path.relative(process.cwd(), options.outDir) || '.'
    process.stdout.write(`site: ${result.lessons} lesson${result.lessons === 1 ? '' : 's'}${drafts} → ${where}/ in ${seconds} s (API pages: ${result.api})\n`)
    if (args.includes('--timings')) {
      const stages = Object.entries(result.timings).map(([stage, s]) => `${stage} ${s.toFixed(3)} s`)
      process.stdout.write(`site: ${stages.join(', ')}\n`)
    }
    for (const b of result.broken) process.stderr.write(`site: warning: ${b.from}: link ${b.href}: ${b.reason}\n`)
    return 0
  } catch (err) {
    if (err instanceof SiteError || err instanceof CourseError) {
      process.stderr.write(`site: ${err.message}\n`)
      return 2
    }
    throw err
  }
}

// The API pages: typedoc over stubs/ — the learner's API with its TSDoc — written
// to `api/` in the site. Slow (a whole TypeScript program), so it is rebuilt only
// when a stub changed since the last run.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { filesUnder } from '../harness/files.ts'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { API_DIRECTIVES, cspMeta } from './csp.ts'
import { SITE_TITLE } from './config.ts'

// Bump when the post-processing changes, so old API pages are rebuilt.
const STAMP = '.stubs-mtime-3'

/** The API page of a workbook module: `dns/records.ts` → `api/modules/dns_records.html`. */
export function apiPath(modulePath: string): string {
  return `api/modules/${modulePath.replace(/\.ts$/, '').replace(/\//g, '_')}.html`
}

function newestMtime(dir: string): number {
  return Math.max(0, ...filesUnder(dir).map((f) => statSync(path.join(dir, f)).mtimeMs))
}

export function apiIsFresh(stubsDir: string, apiDir: string): boolean {
  const stamp = path.join(apiDir, STAMP)
  return existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) >= newestMtime(stubsDir)
}

/**
 * typedoc's pages start with one inline script (a theme flash guard); the CSP
 * forbids inline scripts, so it is removed and the API pages' CSP meta tag added.
 */
export function hardenApiPage(html: string): string {
  return html
    .replace(/<script>[^<]*<\/script>/g, '')
    .replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${cspMeta(API_DIRECTIVES)}"><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">`)
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.html'))
    .map((d) => path.join(d.parentPath, d.name))
}

export async function buildApiDocs(stubsDir: string, apiDir: string): Promise<'built' | 'fresh'> {
  if (apiIsFresh(stubsDir, apiDir)) return 'fresh'
  const { Application, LogLevel } = await import('typedoc')
  const app = await Application.bootstrapWithPlugins({
    entryPoints: [stubsDir],
    entryPointStrategy: 'expand',
    tsconfig: path.join(PACKAGE_ROOT, 'site', 'api.tsconfig.json'),
    name: `${SITE_TITLE} API`,
    readme: 'none',
    skipErrorChecking: true,
    disableSources: true,
    hideGenerator: true,
    excludePrivate: true,
    excludeInternal: true,
    navigationLinks: { Lessons: '../index.html' },
    logLevel: LogLevel.Error,
    validation: { notExported: false, invalidLink: false },
  })
  const project = await app.convert()
  if (!project) throw new Error(`typedoc could not read ${stubsDir}`)
  await app.generateDocs(project, apiDir)
  for (const file of htmlFiles(apiDir)) writeFileSync(file, hardenApiPage(readFileSync(file, 'utf8')))
  writeFileSync(path.join(apiDir, STAMP), String(newestMtime(stubsDir)))
  return 'built'
}

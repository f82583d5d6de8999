#!/usr/bin/env node
// Runs the site generator: its bundle in dist/site-bundle/ (site/bundle.mjs, which
// `npm run build` and npm install's prepare script write) when no source is newer; else
// tsc's output in dist/site/ when that is current (a tsc pass alone, as `npm run
// checksums` makes); else site/bundle.mjs bundles it into build/.cache/site-main/, again
// only when a source is newer, so `npm run build:site` needs no tsc pass. Code split at
// dynamic imports: what only some builds need (the workspace's bundler, and the
// TypeScript compiler it loads) stays in its own chunk, loaded when used.
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { bundleGenerator, DIST_BUNDLE } from './bundle.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outDir = path.join(ROOT, 'build', '.cache', 'site-main')
const out = path.join(outDir, 'main.mjs')
const args = process.argv.slice(2)

/** The newest modification time of the generator's sources: site/ without its browser assets, browser suite and fixtures, harness/, cli/. */
function newestSource() {
  // The browser's sources (site/assets/), the browser suite and the fixtures are not the
  // generator's, and are never walked; a JSON file may be bundled into it (highlight-langs.json).
  const SKIP = new Set(['assets', 'e2e', 'fixtures', 'node_modules'])
  let newest = 0
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) walk(file)
      } else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(file).mtimeMs)
    }
  }
  for (const dir of ['site', 'harness', 'cli']) walk(path.join(ROOT, dir))
  return newest
}

const newest = newestSource()
const current = (/** @type {string} */ file) => existsSync(file) && statSync(file).mtimeMs >= newest
/** The generator bundled by `npm run build`, else tsc's output, when current; else the bundle in the cache, made afresh when stale. */
const DIST_MAIN = path.join(DIST_BUNDLE, 'main.mjs')
const TSC_MAIN = path.join(ROOT, 'dist', 'site', 'main.js')
const main = current(DIST_MAIN) ? DIST_MAIN : current(TSC_MAIN) ? TSC_MAIN : out
if (main === out && !current(out)) await bundleGenerator(outDir)
/** @type {{ buildSiteCommand: (args: string[]) => Promise<number> }} */
const mod = await import(pathToFileURL(main).href)
process.exitCode = await mod.buildSiteCommand(args)

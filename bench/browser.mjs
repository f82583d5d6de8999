#!/usr/bin/env node
/**
 * The browser workspace (`npm run bench -- --only browser`, or alone:
 * `node bench/browser.mjs [--saves N] [--runs N]`). Prints:
 *   - save → verdicts shown: kata 02 in headless Chromium, Ctrl-S after the learner's
 *     file was replaced (alternately the solution and the stub), to the verdicts
 *     painted; median of N (20) — beside the terminal's watch loop on the same kata
 *     (bench/watch-latency.mjs --kata 02), measured in the same run;
 *   - every kata's workspace page, in a browser with nothing cached: its first load
 *     (every request until the first verdict, gzip -6; target ≤ 400 KB) and what it
 *     fetches after (the read-only code, the compiler a save needs, the zip code);
 *     and a lesson page's weight, which must not grow;
 *   - build time added to the site: `build:site --no-api --no-cache` with and
 *     without the workspace pages (medians of N, alternated), and with a warm cache.
 * The measuring code is TypeScript (site/e2e/browser.bench.ts), bundled here by esbuild;
 * it uses the browser suite's driver, installed on first use like `npm run test:browser`.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ensureGroup } from '../scripts/tool-group.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const error = ensureGroup('site/e2e', "the browser suite's driver (playwright-core, axe-core)", 'bench')
if (error) {
  process.stderr.write(`bench: ${error}\n`)
  process.exit(2)
}
// Inside site/e2e/node_modules, so the bundle's external packages resolve there first (the driver), then in the course's.
const out = path.join(ROOT, 'site', 'e2e', 'node_modules', '.cache', 'bench-browser.mjs')
mkdirSync(path.dirname(out), { recursive: true })
const { build } = await import('esbuild')
await build({
  entryPoints: [path.join(ROOT, 'site', 'e2e', 'browser.bench.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
  // harness/paths.ts finds the course from its own place (the nearest package.json): in the
  // bundle, under site/e2e/, that would be the driver's package. Only it reads import.meta.url.
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(path.join(ROOT, 'harness', 'paths.ts')).href) },
})
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' })
process.exitCode = r.status ?? 1

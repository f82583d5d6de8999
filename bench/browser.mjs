#!/usr/bin/env node
/**
 * The browser workspace (`npm run bench -- --only browser`, or alone:
 * `node bench/browser.mjs [--saves N] [--runs N]`). Prints:
 *   - save → verdicts shown: kata 02 in headless Chromium, Ctrl-S after the learner's
 *     file was replaced (alternately the solution and the stub), to the verdicts
 *     painted; median of N (20) — beside the terminal's watch loop on the same kata
 *     (bench/watch-latency.mjs --kata 02), measured in the same run;
 *   - the workspace page's first load: every response until the first verdict,
 *     gzip -6 (target ≤ 400 KB), and a lesson page's, which must not grow;
 *   - build time added to the site: `build:site --no-api --no-cache` with and
 *     without the workspace pages (medians of N, alternated), and with a warm cache.
 * The measuring code is TypeScript (bench/browser.run.ts), bundled here by esbuild.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(ROOT, 'build', '.cache', 'bench-browser.mjs')
mkdirSync(path.dirname(out), { recursive: true })
const { build } = await import('esbuild')
await build({
  entryPoints: [path.join(ROOT, 'bench', 'browser.run.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
})
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' })
process.exitCode = r.status ?? 1

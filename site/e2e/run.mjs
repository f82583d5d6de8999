#!/usr/bin/env node
// `npm run test:browser`: the site's browser tests in headless Chromium. Without
// /usr/bin/chromium they are skipped, and say so — except under CI=true, where
// a missing browser is a failure.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureGroup } from '../../scripts/tool-group.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const CHROMIUM = process.env.KATAS_CHROMIUM ?? '/usr/bin/chromium'

if (!existsSync(CHROMIUM)) {
  if (process.env.CI === 'true') {
    process.stderr.write(`test:browser: FAILED — ${CHROMIUM} is missing, and CI=true requires the browser tests to run\nhint: apt-get install chromium (or set KATAS_CHROMIUM to a Chromium binary)\n`)
    process.exit(1)
  }
  process.stdout.write(`test:browser: SKIPPED — ${CHROMIUM} is missing, so the browser tests did not run\nhint: apt-get install chromium (or set KATAS_CHROMIUM to a Chromium binary)\n`)
  process.exit(0)
}

// playwright-core and axe-core have their own install in site/e2e/, made here on first use.
const error = ensureGroup('site/e2e', "the browser suite's driver (playwright-core, axe-core)", 'test:browser')
if (error) {
  process.stderr.write(`test:browser: ${error}\n`)
  process.exit(1)
}

const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs')
const r = spawnSync(process.execPath, [vitest, 'run', '--config', 'site/e2e/vitest.config.ts', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' })
process.exit(r.status ?? 1)

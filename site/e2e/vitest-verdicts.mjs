#!/usr/bin/env node
// Every kata's checks under vitest, as the terminal runs them (the course's own
// vitest.config.ts, one tree through KATAS_IMPL), printed as JSON: per check file
// its load error, if any, and per check its full name, verdict and message. The
// browser's check runtime must give the same verdicts (verdicts.e2e.ts).
//
//   node site/e2e/vitest-verdicts.mjs solutions|stubs [NN-slug …]
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const [impl = 'solutions', ...only] = process.argv.slice(2)
process.env.KATAS_IMPL = impl
delete process.env.KATAS_SELFTEST

const files = readdirSync(path.join(ROOT, 'checks'))
  .filter((f) => f.endsWith('.check.ts') && (only.length === 0 || only.includes(f.replace('.check.ts', ''))))
  .sort()
  .map((f) => path.join(ROOT, 'checks', f))

const { createVitest } = await import('vitest/node')
const vitest = await createVitest(
  'test',
  { root: ROOT, config: path.join(ROOT, 'vitest.config.ts'), watch: false, reporters: [{}], pool: 'threads', passWithNoTests: true },
  { server: { watch: null }, logLevel: 'silent' },
)
const result = await vitest.runTestFiles(files)
/** @type {Record<string, { loadError?: string, checks: { fullName: string, passed: boolean, message?: string }[] }>} */
const out = {}
for (const mod of result.testModules) {
  const name = path.basename(mod.moduleId).replace('.check.ts', '')
  const errors = mod.errors()
  const checks = [...mod.children.allTests()].map((t) => {
    const r = t.result()
    const passed = r.state === 'passed'
    return passed ? { fullName: t.fullName, passed } : { fullName: t.fullName, passed, message: r.errors?.[0]?.message ?? `check ${r.state}` }
  })
  out[name] = errors.length ? { loadError: errors.map((e) => e.message).join('\n'), checks } : { checks }
}
await vitest.close()
process.stdout.write(JSON.stringify(out))
// Failing checks are the data here, not a failure of this script.
process.exitCode = 0

#!/usr/bin/env node
/**
 * `npm run proof -- NN [NN…]`: the self-test's proofs for a few katas, in seconds
 * rather than minutes — solutions pass, core checks fail on stubs/, every check
 * fails on deep-stubs/, misconceptions caught, every core task stands alone,
 * tasks and checks line up — plus the stubs being current and the effort limits
 * (`npm run effort`).
 * The quick loop while shaping a kata; `npm test` proves the same for all of them.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ROOT, runProofs } from './proofs.mjs'

const ids = process.argv.slice(2).map((a) => a.padStart(2, '0'))
if (ids.length === 0 || ids.some((id) => !/^\d\d$/.test(id))) {
  process.stderr.write('usage: npm run proof -- NN [NN…]   (kata numbers, e.g. 02 03)\n')
  process.exit(2)
}
const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' })
if (build.status !== 0) {
  process.stdout.write(`${build.stdout}${build.stderr}`)
  process.exit(1)
}
const stubs = spawnSync(process.execPath, ['dist/harness/stubs-cli.js', '--check'], { cwd: ROOT, encoding: 'utf8' })
process.stdout.write(stubs.stdout + stubs.stderr)
const effort = spawnSync(process.execPath, ['dist/harness/effort-cli.js', '--tasks', ...ids], { cwd: ROOT, encoding: 'utf8' })
process.stdout.write(effort.stdout + effort.stderr)
const verdicts = await runProofs({ ids, write: (t) => process.stdout.write(t) })
const failed = verdicts.filter((v) => !v.ok)
for (const v of failed) process.stdout.write(`FAILED: ${v.what}\n`)
process.stdout.write(
  `proof ${ids.join(' ')}: ${verdicts.length - failed.length} passed, ${failed.length} failed${stubs.status ? ', stubs/ stale' : ''}${effort.status ? ', over the effort limits' : ''}\n`,
)
process.exitCode = failed.length || stubs.status || effort.status ? 1 : 0

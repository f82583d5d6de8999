#!/usr/bin/env node
// The `katas` command. The tool is compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs'

// The simulated cluster's commands go straight to the simulator: no check runner, no
// course catalogue to load, so each `katas kubectl …` starts in a fraction of a second.
const simulator = ['kubectl', 'curl', 'cluster'].includes(process.argv[2] ?? '')
const entry = new URL(simulator ? '../dist/simulator/cli.js' : '../dist/cli/main.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write('katas: the tool is not built yet\nhint: run `npm install` (or `npm run build`) in the course folder\n')
  process.exit(2)
}
// A closed pipe (`katas list | head`) ends the output, not with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})
const mod = await import(entry.href)
process.exitCode = await (simulator ? mod.simulatorMain : mod.main)(process.argv.slice(2))

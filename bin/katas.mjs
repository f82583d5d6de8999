#!/usr/bin/env node
// The `katas` command. The tool is compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs'

const entry = new URL('../dist/cli/main.js', import.meta.url)
if (!existsSync(entry)) {
  process.stderr.write('katas: the tool is not built yet\nhint: run `npm install` (or `npm run build`) in the course folder\n')
  process.exit(2)
}
const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))

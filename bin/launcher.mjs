#!/usr/bin/env node
// katas-launcher: the `katas` command on the PATH (installed by `npm install`, see
// bin/link.mjs). It finds the Service Katas course folder the shell is in — this
// folder or one above it — and runs that course's own `bin/katas.mjs`, in this
// process. It never looks anything up in a package registry, and one launcher
// serves every clone of the course on the machine.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const COURSE = 'service-katas'

/** @param {string} from */
function courseRoot(from) {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json')
    if (existsSync(pkg) && existsSync(path.join(dir, 'bin', 'katas.mjs'))) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === COURSE) return dir
      } catch {
        // Not a package.json we can read: keep looking above.
      }
    }
    if (path.dirname(dir) === dir) return undefined
  }
}

const root = process.env.KATAS_HOME ? path.resolve(process.env.KATAS_HOME) : courseRoot(process.cwd())
if (!root) {
  process.stderr.write('katas: not inside a Service Katas course folder\nhint: cd into the folder you cloned (or set KATAS_HOME to it), then run katas again\n')
  process.exit(2)
}
await import(pathToFileURL(path.join(root, 'bin', 'katas.mjs')).href)

// `katas --version`: the course's version, from its package.json.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../harness/paths.ts'

export function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string }
  return `${pkg.name} ${pkg.version} (node ${process.version})`
}

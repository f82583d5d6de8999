// Where the benchmarks' comparison peers live (bench/peers/package.json, its own
// lock), and installing them there on first use: the course's install leaves them out.
import path from 'node:path'
import { ensureGroup, ROOT } from '../../scripts/tool-group.mjs'

const MODULES = path.join(ROOT, 'bench', 'peers', 'node_modules')
export const JEST_BIN = path.join(MODULES, 'jest', 'bin', 'jest.js')
export const VITEPRESS_BIN = path.join(MODULES, 'vitepress', 'bin', 'vitepress.js')

/** Installs the peers unless they are there; exits with a one-line reason when it cannot. */
export function ensurePeers() {
  const error = ensureGroup('bench/peers', 'the comparison peers (VitePress, jest, babel-jest)', 'bench')
  if (!error) return
  process.stderr.write(`bench: ${error}\n`)
  process.exit(1)
}

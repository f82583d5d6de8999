// Where the benchmark's comparison peers are installed: the course's own
// node_modules, or bench/peers/node_modules when they live apart from it.
import { existsSync } from 'node:fs'
import path from 'node:path'

/** @param {string} root */
export function jestBin(root) {
  for (const base of [path.join(root, 'bench', 'peers'), root]) {
    const bin = path.join(base, 'node_modules', 'jest', 'bin', 'jest.js')
    if (existsSync(bin)) return bin
  }
  throw new Error('jest is not installed (the benchmark compares the learner loop with it)')
}

// TypeScript's parser, loaded on first use: it is large, and `katas grade`
// answers a usage error or `--help` without it.
import { createRequire } from 'node:module'
import type TS from 'typescript'

let loaded: typeof TS | undefined

export function typescript(): typeof TS {
  loaded ??= createRequire(import.meta.url)('typescript') as typeof TS
  return loaded
}

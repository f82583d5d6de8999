// TypeScript's compiler API, for the tools that read the course's code. TypeScript
// ships as CommonJS: required, it loads as it is; imported, Node first scans its
// 9 MB for ESM syntax and for the names it exports, a second of CPU or more in
// every process (a `katas` command, a grading run, a test file) that loads it.
import { createRequire } from 'node:module'
import type TS from 'typescript'

export const ts = createRequire(import.meta.url)('typescript') as typeof TS

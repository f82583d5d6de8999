// Module hooks (node:module `register`) for the checker's workers and `katas run`:
//   - `@impl/<path>` names a module of the tree being checked, as
//     harness/impl-plugin.ts makes it for vitest;
//   - a run's modules are that run's own: a check file imported as
//     `…check.ts?katas-run=N` passes `katas-run=N` on to every module it reaches,
//     except the preloaded ones a save cannot change and packages, so a worker
//     that runs twice loads the learner's code afresh the second time.
// TypeScript itself is compiled by tsx's hooks, which run after these.
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const PREFIX = '@impl/'
const RUN = /[?&](katas-run=\d+)/
let root = ''
let shared = new Set<string>()

export function initialize(data: { implRoot: string; shared?: string[] }): void {
  root = data.implRoot
  shared = new Set((data.shared ?? []).map((f) => pathToFileURL(f).href))
}

interface ResolveContext {
  parentURL?: string
  conditions: string[]
  importAttributes?: Record<string, string>
}
interface Resolved {
  url: string
  format?: string | null
  shortCircuit?: boolean
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<Resolved>

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<Resolved> {
  const target = specifier.startsWith(PREFIX) ? pathToFileURL(path.join(root, specifier.slice(PREFIX.length))).href : specifier
  const resolved = await next(target, context)
  const run = context.parentURL ? RUN.exec(context.parentURL)?.[1] : undefined
  if (!run || !resolved.url.startsWith('file:') || resolved.url.includes('/node_modules/') || RUN.test(resolved.url)) return resolved
  const bare = resolved.url.split('?')[0]!
  if (shared.has(bare)) return resolved
  return { ...resolved, url: `${resolved.url}${resolved.url.includes('?') ? '&' : '?'}${run}` }
}

// What the workspace page of one kata reads at load (`workspace/NN-slug.json`):
// the kata's tasks and the core stubs the learner writes in; and what it
// reads once the first verdict is shown (`workspace/NN-slug.texts.json`): the
// kata's read-only modules, the given modules of other katas the checks reach (as
// `katas start NN` would write them), the library code, the hints' text, and the
// reference solution for after green.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { type Kata, tasksFor } from '../../harness/course.ts'
import { PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../../harness/paths.ts'
import { withoutMutationComments } from '../../harness/stubs.ts'
import { givenByStart } from '../../harness/tracks.ts'
import { describeTitles, libraryModules, librarySource } from './checks-bundle.ts'
import type { Closure } from './closure.ts'
import { type GivenModule, type KataData, type KataTexts, START_PLACEHOLDER } from './protocol.ts'

const read = (dir: string, module: string) => readFileSync(path.join(dir, module), 'utf8')

/** Library modules reached from `start` through their relative imports. */
function libraryClosure(start: string[]): string[] {
  const known = new Set(libraryModules())
  const seen = new Set<string>()
  const walk = (name: string) => {
    if (seen.has(name) || !known.has(name)) return
    seen.add(name)
    const text = readFileSync(path.join(PACKAGE_ROOT, name), 'utf8')
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)) {
      walk(path.posix.normalize(path.posix.join(path.posix.dirname(name), m[1]!)))
    }
  }
  start.forEach(walk)
  return [...seen].sort()
}

/** The kata's modules the learner writes in on the core path (as the page's `Workspace.mine`). */
export function mineOf(kata: Kata): string[] {
  const written = new Set(tasksFor(kata, 'core').flatMap((t) => t.write.map((w) => w.module)))
  return kata.modules.filter((m) => written.has(m))
}

export function kataData(kata: Kata, course: readonly Kata[], closure: Closure, lesson: string, files: { bundle: string; deepBundle?: string; texts: string }): { data: KataData; texts: KataTexts } {
  const titles = describeTitles(kata)
  const owner = (module: string) => course.find((k) => k.modules.includes(module))
  const given: Record<string, GivenModule> = {}
  const givenTexts: Record<string, string> = {}
  for (const module of closure.tree) {
    if (kata.modules.includes(module)) continue
    const k = owner(module)
    // An earlier kata's module is given as `katas start` gives it; a later one's, as its stub.
    givenTexts[module] = k && k.id < kata.id ? givenByStart(k, module, START_PLACEHOLDER) : read(STUBS_DIR, module)
    given[module] = { kata: k?.id ?? '', kataName: k?.name ?? '' }
  }
  const library: Record<string, string> = {}
  for (const name of libraryClosure(closure.outside.filter((o) => o.startsWith('lib/')))) library[name] = librarySource(name)
  // Tasks of the core path only: the browser is the core path (the deep track is `katas deep NN`).
  const core = new Set(tasksFor(kata, 'core').map((t) => t.slug))
  const stubs = Object.fromEntries(kata.modules.map((m) => [m, read(STUBS_DIR, m)]))
  const data: KataData = {
    id: kata.id,
    name: kata.name,
    title: kata.title,
    lesson: lesson,
    modules: kata.modules,
    tasks: kata.tasks.map((t) => ({
      number: t.number,
      slug: t.slug,
      title: t.title,
      points: t.points,
      track: core.has(t.slug) ? 'core' : 'deep',
      write: t.write,
      hints: t.hints.map((h) => ({ tier: h.tier })),
      describe: titles.get(t.slug)!,
    })),
    stubs: Object.fromEntries(mineOf(kata).map((m) => [m, stubs[m]!])),
    given,
    library: Object.keys(library),
    course: course.map((k) => ({ id: k.id, name: k.name, title: k.title, modules: k.modules, tasks: k.tasks.map((t) => ({ number: t.number, slug: t.slug, track: t.track })) })),
    bundle: files.bundle,
    ...(files.deepBundle ? { deepBundle: files.deepBundle } : {}),
    texts: files.texts,
  }
  const texts: KataTexts = {
    stubs,
    // The reference as a learner reads it: mutation testing's disable comments are for maintainers.
    solutions: Object.fromEntries(kata.modules.map((m) => [m, withoutMutationComments(read(SOLUTIONS_DIR, m))])),
    given: givenTexts,
    library,
    hints: Object.fromEntries(kata.tasks.map((t) => [t.slug, t.hints.map((h) => h.text.trim())])),
  }
  return { data, texts }
}

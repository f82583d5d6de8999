// Misconceptions: plausible wrong implementations that some named check must catch.
//
// Each lives in `misconceptions/<slug>/` with a `misconception.yaml` and the
// wrong module(s), laid out like `solutions/`, which the impl-root plugin lays
// over the reference solution.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { CourseError } from './course.ts'
import { MISCONCEPTIONS_DIR } from './paths.ts'

export interface Misconception {
  slug: string
  /** The kata (`NN-slug`) whose checks must catch it. */
  kata: string
  title: string
  /** Why a learner might believe it, and what Kubernetes really does. */
  why: string
  /** Test names (the `test(...)` title) of the kata's checks that must fail. */
  caughtBy: string[]
  dir: string
}

export function loadMisconceptions(dir = MISCONCEPTIONS_DIR): Misconception[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const file = path.join(dir, d.name, 'misconception.yaml')
      if (!existsSync(file)) throw new CourseError(`${file}: missing`)
      const o = parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      const need = (f: string) => {
        const v = o?.[f]
        if (typeof v !== 'string' || !v.trim()) throw new CourseError(`${file}: ${f}: expected a non-empty string, got ${JSON.stringify(v)}`)
        return v.trim()
      }
      const caughtBy = o?.caughtBy
      if (!Array.isArray(caughtBy) || caughtBy.length === 0 || caughtBy.some((s) => typeof s !== 'string')) {
        throw new CourseError(`${file}: caughtBy: expected a non-empty list of check names, got ${JSON.stringify(caughtBy)}`)
      }
      return { slug: d.name, kata: need('kata'), title: need('title'), why: need('why'), caughtBy, dir: path.join(dir, d.name) }
    })
    .sort((a, b) => a.slug.localeCompare(b.slug))
}

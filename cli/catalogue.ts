// The course catalogue for the katas command, kept parsed in a cache file so a
// command does not parse ten kata.yaml files (and load a YAML parser) each time
// it starts. The cache is keyed by each file's size and modification time, so
// an edited kata.yaml is read afresh.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadCourse, type Kata } from '../harness/course.ts'
import { KATAS_DIR, PACKAGE_ROOT } from '../harness/paths.ts'

const CACHE = path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'katas', 'course.json')

function key(): string {
  const parts: string[] = []
  for (const d of readdirSync(KATAS_DIR).sort()) {
    const f = path.join(KATAS_DIR, d, 'kata.yaml')
    if (!existsSync(f)) continue
    const s = statSync(f)
    parts.push(`${d}:${s.size}:${s.mtimeMs}`)
  }
  return parts.join('|')
}

export function loadCatalogue(): Kata[] {
  const k = key()
  try {
    const cached = JSON.parse(readFileSync(CACHE, 'utf8')) as { key: string; katas: Kata[] }
    if (cached.key === k) return cached.katas
  } catch {
    // No cache yet, or a damaged one: parse the course.
  }
  const katas = loadCourse()
  try {
    mkdirSync(path.dirname(CACHE), { recursive: true })
    writeFileSync(CACHE, JSON.stringify({ key: k, katas }))
  } catch {
    // A read-only checkout: parse again next time.
  }
  return katas
}

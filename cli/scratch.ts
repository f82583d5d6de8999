// Starter scratch files, one per kata (`workspace/scratch/NN-slug.ts`), to call the
// learner's functions and look at what they return: `katas run scratch/02-….ts`.
//
// A starter holds the lesson's own TypeScript examples (its `ts` blocks, which the
// lesson checker type-checks against the model), their values printed. A lesson
// without one gets the imports of the kata's core functions and their signatures.
// They are the learner's to edit: a starter is written again only while the learner
// has not touched it and its lesson has changed (a course updated mid-workshop).
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Kata } from '../harness/course.ts'
import { writeFileAtomic } from '../harness/files.ts'
import { PACKAGE_ROOT, STUBS_DIR } from '../harness/paths.ts'

export const SCRATCH = 'scratch'

/**
 * The imports of several blocks as one list: the names each module gives merged into one
 * line (two blocks that both import `Service` would declare it twice), type-only names
 * kept type-only. An import of another shape is kept as it is, once.
 */
export function mergeImports(lines: readonly string[]): string[] {
  const named = new Map<string, { values: Set<string>; types: Set<string> }>()
  const other = new Set<string>()
  for (const line of lines) {
    const m = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+('[^']*'|"[^"]*")\s*;?\s*$/.exec(line)
    if (!m) {
      other.add(line)
      continue
    }
    const from = m[3]!
    const entry = named.get(from) ?? { values: new Set(), types: new Set() }
    named.set(from, entry)
    for (const raw of m[2]!.split(',')) {
      const name = raw.trim()
      if (!name) continue
      if (m[1] || name.startsWith('type ')) entry.types.add(name.replace(/^type\s+/, ''))
      else entry.values.add(name)
    }
  }
  const merged = [...named].map(([from, { values, types }]) => {
    const onlyTypes = [...types].filter((t) => !values.has(t))
    const [keyword, names] = values.size === 0 ? ['import type', onlyTypes] : ['import', [...values, ...onlyTypes.map((t) => `type ${t}`)]]
    const line = `${keyword} { ${names.join(', ')} } from ${from}`
    // As the lessons' own code: no line wider than the site's code box.
    return line.length <= 88 ? line : `${keyword} {\n${names.map((n) => `  ${n},`).join('\n')}\n} from ${from}`
  })
  return [...other, ...merged]
}

/** An import of a lesson block, on one line, its path from scratch/ (`./labels/…` → `../labels/…`, `../lib/…` → `../../lib/…`). */
const fromScratch = (importText: string): string =>
  importText
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/from '\.\.?\/lib\//, "from '../../lib/")
    .replace(/from '\.\//, "from '../")

/**
 * The lesson's `ts` blocks as one runnable module: imports hoisted and merged, each block
 * in its own scope, and each exported value printed the moment it is computed, so what
 * the learner has written prints even when a later call throws (a stub not written yet).
 */
export async function fromLesson(blocks: readonly string[]): Promise<string | undefined> {
  const { ts } = await import('../harness/typescript.ts')
  const imports: string[] = []
  const bodies: string[] = []
  for (const block of blocks) {
    const sf = ts.createSourceFile('block.ts', block, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
    let body = ''
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st)) {
        imports.push(fromScratch(block.slice(st.getStart(sf), st.end)))
        continue
      }
      const exported = ts.canHaveModifiers(st) ? ts.getModifiers(st)?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword) : undefined
      if (!exported) {
        body += block.slice(st.getFullStart(), st.end)
        continue
      }
      // The statement without its `export`, then its values printed.
      body += block.slice(st.getFullStart(), exported.getStart(sf)) + block.slice(exported.end, st.end).replace(/^\s+/, '')
      if (ts.isVariableStatement(st)) {
        const names = st.declarationList.declarations.map((d) => d.name.getText(sf))
        body += `\nconsole.log({ ${names.join(', ')} })`
      }
    }
    body += block.slice(sf.statements.at(-1)?.end ?? 0).replace(/\s+$/, '')
    const lines = body.replace(/^\s*\n/, '').split('\n')
    bodies.push(`{\n${lines.map((l) => (l ? `  ${l}` : l)).join('\n').trimEnd()}\n}`)
  }
  return bodies.length ? `${mergeImports(imports).join('\n')}\n\n${bodies.join('\n\n')}\n` : undefined
}

/** Without lesson examples: the core functions, imported, with their signatures. */
async function fromStub(kata: Kata): Promise<string> {
  const { unitMap } = await import('../harness/units.ts')
  const lines: string[] = []
  const imports: string[] = []
  for (const m of kata.modules) {
    const names = [...new Set(kata.tasks.filter((t) => t.track === 'core').flatMap((t) => t.write.filter((f) => f.module === m).map((f) => f.name)))]
    if (names.length === 0) continue
    const text = readFileSync(path.join(STUBS_DIR, m), 'utf8')
    const units = unitMap(m, text)
    const exported = [...new Set(names.map((n) => n.split('.')[0]!))].filter((n) => [...units.values()].some((u) => u.exported && u.name.split('.')[0] === n))
    if (exported.length) imports.push(`import { ${exported.join(', ')} } from '../${m}'`)
    for (const n of names) {
      const u = units.get(n)
      if (!u) continue
      const head = text.slice(u.start, u.body?.start ?? u.end).replace(/\s+/g, ' ').trim()
      lines.push(`//   ${n.includes('.') ? `${n.split('.')[0]}: ` : ''}${head}`)
    }
  }
  return `${imports.join('\n')}\n\n// The functions you write in this kata:\n${lines.join('\n')}\n\n// Call one on an example from the lesson and print what it returns, e.g. console.log(…)\n`
}

export async function starterFor(kata: Kata): Promise<string> {
  const header = [
    `// Scratch file for kata ${kata.id} (${kata.title}): call your functions and see what they return.`,
    `// Run it: katas run scratch/${kata.name}.ts   (imports: '../<module>.ts' or '@impl/<module>.ts')`,
    '',
  ].join('\n')
  const lesson = path.join(PACKAGE_ROOT, 'lessons', `${kata.name}.md`)
  let body: string | undefined
  if (existsSync(lesson)) {
    const { extractBlocks } = await import('../harness/lessons/blocks.ts')
    const code = extractBlocks(readFileSync(lesson, 'utf8')).code.filter((b) => b.lang === 'ts' && !b.flags.includes('error'))
    body = await fromLesson(code.map((b) => b.text))
  }
  return `${header}${body ?? (await fromStub(kata))}`
}

/** Bumped when the way a starter is made from its lesson changes, so untouched starters are made again. */
const STARTER_FORMAT = 2

/** What each starter was written from, and what was written: `workspace/.katas/scratch.json`. */
type StarterRecord = Record<string, { lesson: string; written: string }>

const digest = (text: string) => createHash('sha256').update(text).digest('hex')
const lessonDigest = (kata: Kata): string => {
  const lesson = path.join(PACKAGE_ROOT, 'lessons', `${kata.name}.md`)
  return digest(`${STARTER_FORMAT}\n${existsSync(lesson) ? readFileSync(lesson, 'utf8') : ''}`)
}

function readRecord(file: string): StarterRecord {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as StarterRecord) : {}
  } catch {
    // None yet, or unreadable: no starter counts as untouched, so none is replaced.
    return {}
  }
}

/**
 * Writes the starters a workspace lacks, and writes again those the learner has not
 * edited whose lesson has changed since. Returns the files written and the files updated.
 */
export async function ensureScratch(katas: readonly Kata[], ws: string): Promise<{ written: string[]; updated: string[] }> {
  const dir = path.join(ws, SCRATCH)
  const recordFile = path.join(ws, '.katas', 'scratch.json')
  const record = readRecord(recordFile)
  const written: string[] = []
  const updated: string[] = []
  for (const k of katas) {
    const file = path.join(dir, `${k.name}.ts`)
    const lesson = lessonDigest(k)
    const seen = record[k.name]
    const existed = existsSync(file)
    if (existed) {
      // Edited by the learner, or from before starters were recorded: theirs, kept as it is.
      if (!seen || seen.lesson === lesson || digest(readFileSync(file, 'utf8')) !== seen.written) continue
    }
    const text = await starterFor(k)
    mkdirSync(dir, { recursive: true })
    writeFileSync(file, text)
    record[k.name] = { lesson, written: digest(text) }
    ;(existed ? updated : written).push(file)
  }
  if (written.length || updated.length) {
    mkdirSync(path.dirname(recordFile), { recursive: true })
    writeFileAtomic(recordFile, `${JSON.stringify(record, null, 2)}\n`)
  }
  return { written, updated }
}

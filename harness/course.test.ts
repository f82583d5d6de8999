// Course integrity: the trees, the metadata and the misconceptions agree.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { CourseError, loadCourse, parseKata, findKata } from './course.ts'
import { filesUnder as files } from './files.ts'
import { loadMisconceptions } from './misconceptions.ts'
import { CHECKS_DIR, SOLUTIONS_DIR, STUBS_DIR } from './paths.ts'

const katas = loadCourse()

describe('course integrity', () => {
  test('the course has katas, numbered without gaps from 00', () => {
    expect(katas.length).toBeGreaterThan(0)
    expect(katas.map((k) => k.id)).toEqual(katas.map((_, i) => String(i).padStart(2, '0')))
  })

  test('solutions/ and stubs/ hold exactly the same files', () => {
    expect(files(STUBS_DIR).sort()).toEqual(files(SOLUTIONS_DIR).sort())
  })

  test('every module belongs to exactly one kata', () => {
    const owned = katas.flatMap((k) => k.modules)
    expect(owned.filter((m, i) => owned.indexOf(m) !== i), 'modules listed by two katas').toEqual([])
    expect(files(SOLUTIONS_DIR).filter((f) => !owned.includes(f)), 'solution files no kata lists').toEqual([])
  })

  describe.each(katas.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    test('has a check file', () => {
      expect(existsSync(path.join(CHECKS_DIR, `${k.name}.check.ts`))).toBe(true)
    })

    test.each(k.modules)('module %s exists in solutions/ and stubs/', (m) => {
      expect(existsSync(path.join(SOLUTIONS_DIR, m)), `solutions/${m}`).toBe(true)
      expect(existsSync(path.join(STUBS_DIR, m)), `stubs/${m}`).toBe(true)
    })

    test.each(k.modules)('stub %s marks where the learner works and fails loudly, naming the kata', (m) => {
      const text = readFileSync(path.join(STUBS_DIR, m), 'utf8')
      expect(text, `stubs/${m} has no TODO(kata ${k.id}) marker`).toContain(`TODO(kata ${k.id})`)
      expect(text, `stubs/${m} does not throw an error naming kata ${k.name}`).toContain(`throw new Error('kata ${k.name}`)
    })

    test.each(k.modules)('solution %s carries no TODO and cites the Kubernetes source', (m) => {
      const text = readFileSync(path.join(SOLUTIONS_DIR, m), 'utf8')
      expect(text).not.toContain('TODO')
      expect(text).toMatch(/@see https:\/\/github\.com\//)
    })

    test('has three tiers of hints with real text', () => {
      expect(k.hints.map((h) => h.tier)).toEqual(['nudge', 'pointer', 'near-solution'])
      for (const h of k.hints) expect(h.text.length).toBeGreaterThan(40)
    })
  })
})

describe('misconceptions', () => {
  const all = loadMisconceptions()

  test('every kata has at least one misconception', () => {
    const covered = new Set(all.map((m) => m.kata))
    expect(katas.filter((k) => !covered.has(k.name)).map((k) => k.name)).toEqual([])
  })

  test.each(all.map((m) => [m.slug, m] as const))('%s overlays real solution modules of its kata', (_slug, m) => {
    const k = katas.find((x) => x.name === m.kata)
    expect(k, `misconceptions/${m.slug}: no kata ${m.kata}`).toBeDefined()
    const overlay = files(m.dir).filter((f) => f !== 'misconception.yaml')
    expect(overlay.length).toBeGreaterThan(0)
    for (const f of overlay) expect(existsSync(path.join(SOLUTIONS_DIR, f)), `${m.slug}/${f} has no solutions/${f}`).toBe(true)
  })
})

describe('kata.yaml schema errors name the file and the field', () => {
  const file = '/course/katas/03-endpoints/kata.yaml'
  const good = {
    id: '03',
    slug: 'endpoints',
    title: 'Endpoints',
    summary: 'The endpoints controller.',
    modules: ['controller/endpoints.ts'],
    mirrors: ['kubernetes/kubernetes@v1.34.0:pkg/controller/endpoint/endpoints_controller.go'],
    tasks: [{ slug: 'sync', title: 'Sync a Service', points: 2 }],
    hints: [
      { tier: 'nudge', text: 'a' },
      { tier: 'pointer', text: 'b' },
      { tier: 'near-solution', text: 'c' },
    ],
  }
  const cases: { name: string; change: (o: Record<string, unknown>) => void; want: string }[] = [
    { name: 'an unquoted id becomes a number', change: (o) => (o.id = 3), want: `${file}: id: expected a non-empty string, got 3` },
    { name: 'a slug that does not match the folder', change: (o) => (o.slug = 'endpoint'), want: `${file}: slug: expected the folder name "03-endpoints" to be "03-endpoint", got "endpoint"` },
    { name: 'a task without points', change: (o) => (o.tasks = [{ slug: 'sync', title: 'T' }]), want: `${file}: tasks[0].points: expected a whole number ≥ 1, got nothing` },
    { name: 'hints out of order', change: (o) => ((o.hints as { tier: string }[])[0]!.tier = 'pointer'), want: `${file}: hints[0].tier: expected "nudge", got "pointer"` },
    { name: 'two hints only', change: (o) => (o.hints = (o.hints as unknown[]).slice(0, 2)), want: `${file}: hints: expected 3 hints: nudge, pointer, near-solution, got 2` },
    { name: 'a duplicate task slug', change: (o) => (o.tasks = [...(o.tasks as unknown[]), { slug: 'sync', title: 'U', points: 1 }]), want: `${file}: tasks[1].slug: expected a slug not used by an earlier task, got "sync"` },
  ]
  test('the good document parses', () => {
    expect(parseKata(file, JSON.stringify(good)).tasks[0]).toEqual({ number: 1, slug: 'sync', title: 'Sync a Service', points: 2 })
  })
  test.each(cases)('$name', ({ change, want }) => {
    const o = structuredClone(good) as Record<string, unknown>
    change(o)
    expect(() => parseKata(file, JSON.stringify(o))).toThrow(new CourseError(want))
  })
  test('YAML syntax errors carry the file', () => {
    expect(() => parseKata(file, 'id: [')).toThrow(CourseError)
    expect(() => parseKata(file, 'id: [')).toThrow(/^\/course\/katas\/03-endpoints\/kata\.yaml: /)
  })
})

describe('finding a kata by what a learner types', () => {
  test.each(katas.map((k) => [k.name, k] as const))('%s by number, padded number, slug and folder name', (_n, k) => {
    for (const q of [k.id, String(Number(k.id)), k.slug, k.name, ` ${k.slug.toUpperCase()} `]) expect(findKata(q)?.name).toBe(k.name)
  })
  test('an unknown name finds nothing', () => {
    expect(findKata('99')).toBeUndefined()
    expect(findKata('endpointz')).toBeUndefined()
  })
})

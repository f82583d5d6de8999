// Course integrity: the trees, the metadata and the misconceptions agree.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { CourseError, loadCourse, parseKata, findKata } from './course.ts'
import { filesUnder as files } from './files.ts'
import { loadMisconceptions } from './misconceptions.ts'
import { CHECKS_DIR, DEEP_STUBS_DIR, SOLUTIONS_DIR, STUBS_DIR } from './paths.ts'
import { staleStubs, stubbedUnits } from './stubs.ts'
import { unitsOf } from './units.ts'

const katas = loadCourse()

describe('course integrity', () => {
  test('the course has katas, numbered without gaps from 00', () => {
    expect(katas.length).toBeGreaterThan(0)
    expect(katas.map((k) => k.id)).toEqual(katas.map((_, i) => String(i).padStart(2, '0')))
  })

  test('solutions/, stubs/ and deep-stubs/ hold exactly the same files', () => {
    expect(files(STUBS_DIR).sort()).toEqual(files(SOLUTIONS_DIR).sort())
    expect(files(DEEP_STUBS_DIR).sort()).toEqual(files(SOLUTIONS_DIR).sort())
  })

  test('every module belongs to exactly one kata', () => {
    const owned = katas.flatMap((k) => k.modules)
    expect(owned.filter((m, i) => owned.indexOf(m) !== i), 'modules listed by two katas').toEqual([])
    expect(files(SOLUTIONS_DIR).filter((f) => !owned.includes(f)), 'solution files no kata lists').toEqual([])
  })

  // Parses every module of the course a few times over: seconds on a busy machine.
  test('stubs/ is what `npm run stubs` makes from solutions/, deep-stubs/ and the katas', { timeout: 60_000 }, () => {
    expect(staleStubs(katas), 'stale core stubs: run `npm run stubs`').toEqual([])
  })

  describe.each(katas.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    test('has a check file', () => {
      expect(existsSync(path.join(CHECKS_DIR, `${k.name}.check.ts`))).toBe(true)
    })

    test.each(k.modules)('module %s exists in solutions/, stubs/ and deep-stubs/', (m) => {
      for (const dir of [SOLUTIONS_DIR, STUBS_DIR, DEEP_STUBS_DIR]) expect(existsSync(path.join(dir, m)), `${path.basename(dir)}/${m}`).toBe(true)
    })

    test.each(k.modules)('deep stub %s marks where the learner works and fails loudly, naming the kata', (m) => {
      const text = readFileSync(path.join(DEEP_STUBS_DIR, m), 'utf8')
      expect(text, `deep-stubs/${m} has no TODO(kata ${k.id}) marker`).toContain(`TODO(kata ${k.id})`)
      expect(stubbedUnits(k, m, text).length, `deep-stubs/${m} has no function that throws an error naming kata ${k.name}`).toBeGreaterThan(0)
    })

    test('every function a deep stub throws in is asked for by exactly one task, and every task asks for real functions', () => {
      const asked = new Map(k.tasks.flatMap((t) => t.write.map((f) => [`${f.module}: ${f.name}` as string, t.slug] as const)))
      const stubbed = k.modules.flatMap((m) => stubbedUnits(k, m, readFileSync(path.join(DEEP_STUBS_DIR, m), 'utf8')).map((n) => `${m}: ${n}`))
      expect(stubbed.filter((f) => !asked.has(f)), 'functions no task of kata.yaml asks for').toEqual([])
      expect([...asked.keys()].filter((f) => !stubbed.includes(f)), 'functions kata.yaml names that deep-stubs/ does not stub').toEqual([])
      for (const m of k.modules) {
        const have = new Set(unitsOf(m, readFileSync(path.join(SOLUTIONS_DIR, m), 'utf8')).map((u) => u.name))
        const missing = k.tasks.flatMap((t) => t.write.filter((f) => f.module === m && !have.has(f.name)).map((f) => f.name))
        expect(missing, `functions kata.yaml names that solutions/${m} lacks`).toEqual([])
      }
    })

    test('the core stubs throw in exactly the core functions, each TODO naming its task', () => {
      for (const m of k.modules) {
        const text = readFileSync(path.join(STUBS_DIR, m), 'utf8')
        const core = k.tasks.filter((t) => t.track === 'core').flatMap((t) => t.write.filter((f) => f.module === m).map((f) => f.name))
        expect(stubbedUnits(k, m, text).sort(), `stubs/${m}`).toEqual(core.sort())
        for (const t of k.tasks.filter((x) => x.track === 'core' && x.write.some((f) => f.module === m))) {
          expect(text, `stubs/${m}`).toContain(`TODO(kata ${k.id}, task ${t.number})`)
        }
      }
    })

    test.each(k.modules)('solution %s carries no TODO and cites the Kubernetes source', (m) => {
      const text = readFileSync(path.join(SOLUTIONS_DIR, m), 'utf8')
      expect(text).not.toContain('TODO')
      expect(text).toMatch(/@see https:\/\/github\.com\//)
    })

    test('every task has three tiers of hints with real text', () => {
      for (const t of k.tasks) {
        expect(t.hints.map((h) => h.tier), `task ${t.slug}`).toEqual(['nudge', 'pointer', 'near-solution'])
        for (const h of t.hints) expect(h.text.length, `task ${t.slug}, ${h.tier}`).toBeGreaterThan(40)
      }
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
  const hints = [
    { tier: 'nudge', text: 'a' },
    { tier: 'pointer', text: 'b' },
    { tier: 'near-solution', text: 'c' },
  ]
  const good = {
    id: '03',
    slug: 'endpoints',
    title: 'Endpoints',
    summary: 'The endpoints controller.',
    modules: ['controller/endpoints.ts'],
    mirrors: ['kubernetes/kubernetes@v1.34.0:pkg/controller/endpoint/endpoints_controller.go'],
    tasks: [
      { slug: 'sync', track: 'core', title: 'Sync a Service', points: 2, write: { 'controller/endpoints.ts': ['syncService'] }, hints },
      { slug: 'repack', track: 'deep', title: 'Repack subsets', points: 1, write: { 'controller/endpoints.ts': ['Controller.repack'] }, hints },
    ],
  }
  const task = (o: Record<string, unknown>, i: number) => (o.tasks as Record<string, unknown>[])[i]!
  const cases: { name: string; change: (o: Record<string, unknown>) => void; want: string }[] = [
    { name: 'an unquoted id becomes a number', change: (o) => (o.id = 3), want: `${file}: id: expected a non-empty string, got 3` },
    { name: 'a slug that does not match the folder', change: (o) => (o.slug = 'endpoint'), want: `${file}: slug: expected the folder name "03-endpoints" to be "03-endpoint", got "endpoint"` },
    { name: 'a task without points', change: (o) => delete task(o, 0).points, want: `${file}: tasks[0].points: expected a whole number ≥ 1, got nothing` },
    { name: 'a task without a track', change: (o) => delete task(o, 1).track, want: `${file}: tasks[1].track: expected "core" or "deep", got nothing` },
    { name: 'a deep task first', change: (o) => (o.tasks = [...(o.tasks as unknown[])].reverse()), want: `${file}: tasks[1].track: expected core tasks before the deep track's, got "core"` },
    { name: 'a function of a module the kata does not list', change: (o) => (task(o, 0).write = { 'controller/service.ts': ['sync'] }), want: `${file}: tasks[0].write.controller/service.ts: expected one of the kata's modules (controller/endpoints.ts), got "controller/service.ts"` },
    { name: 'a function two tasks ask for', change: (o) => (task(o, 1).write = { 'controller/endpoints.ts': ['syncService'] }), want: `${file}: tasks[1].write.controller/endpoints.ts: expected a function no other task asks for (task sync does), got "syncService"` },
    { name: 'a function name that is not a name', change: (o) => (task(o, 0).write = { 'controller/endpoints.ts': ['sync service'] }), want: `${file}: tasks[0].write.controller/endpoints.ts: expected a non-empty list of function names such as Requirement.matches, got ["sync service"]` },
    { name: 'hints out of order', change: (o) => (task(o, 0).hints = [hints[1], hints[0], hints[2]]), want: `${file}: tasks[0].hints[0].tier: expected "nudge", got "pointer"` },
    { name: 'two hints only', change: (o) => (task(o, 1).hints = hints.slice(0, 2)), want: `${file}: tasks[1].hints: expected 3 hints: nudge, pointer, near-solution, got 2` },
    { name: 'a duplicate task slug', change: (o) => (task(o, 1).slug = 'sync'), want: `${file}: tasks[1].slug: expected a slug not used by an earlier task, got "sync"` },
  ]
  test('the good document parses', () => {
    const k = parseKata(file, JSON.stringify(good))
    expect(k.tasks.map((t) => [t.number, t.slug, t.track, t.write])).toEqual([
      [1, 'sync', 'core', [{ module: 'controller/endpoints.ts', name: 'syncService' }]],
      [2, 'repack', 'deep', [{ module: 'controller/endpoints.ts', name: 'Controller.repack' }]],
    ])
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

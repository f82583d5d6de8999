// The progress file's schema: what is read, what is refused (and so moved aside and
// rebuilt by the katas command), and how two records merge.
import { describe, expect, test } from 'vitest'
import { loadCourse } from './course.ts'
import { emptyProgress, mergeProgress, parseProgress, ProgressError } from './progress.ts'

const katas = loadCourse()
const first = katas[0]!
const slug = first.tasks[0]!.slug

describe('parseProgress', () => {
  test.each([
    { name: 'not JSON', json: '{"version": 2,', error: /not JSON/ },
    { name: 'an unknown version', json: '{"version": 7, "katas": {}}', error: /version: expected 2, got 7/ },
    { name: 'a status of v2 that is not one', json: JSON.stringify({ version: 2, katas: { [first.id]: { status: 'done', track: 'core' } } }), error: /status: expected one of/ },
    { name: 'a track that is not one', json: JSON.stringify({ version: 2, katas: { [first.id]: { status: 'failing', track: 'middle' } } }), error: /track: expected core or deep/ },
    { name: 'tasks of the wrong type', json: JSON.stringify({ version: 2, katas: { [first.id]: { status: 'failing', track: 'core', tasks: 'all' } } }), error: /tasks: expected an object/ },
    { name: 'a hint level out of range', json: JSON.stringify({ version: 2, katas: { [first.id]: { status: 'failing', track: 'core', tasks: { [slug]: { passed: false, hints: 4 } } } } }), error: /expected \{"passed"/ },
    { name: 'a negative count in v1', json: JSON.stringify({ version: 1, katas: { [first.id]: { status: 'failing', hintsShown: 0, tasksPassed: -5, tasksTotal: 1 } } }), error: /tasksPassed: expected a whole number ≥ 0, got -5/ },
    { name: 'a count of the wrong type in v1', json: JSON.stringify({ version: 1, katas: { [first.id]: { status: 'failing', hintsShown: 'two' } } }), error: /hintsShown: expected a whole number/ },
    { name: 'a kata that is not an object in v1', json: JSON.stringify({ version: 1, katas: { [first.id]: 3 } }), error: /expected an object/ },
  ])('refuses $name', ({ json, error }) => {
    expect(() => parseProgress(json, katas)).toThrow(ProgressError)
    expect(() => parseProgress(json, katas)).toThrow(error)
  })

  test('reads a v1 file as the core path, its hints on the first task', () => {
    const p = parseProgress(JSON.stringify({ version: 1, katas: { [first.id]: { status: 'passed', hintsShown: 2, tasksPassed: 1, tasksTotal: 1 } } }), katas)
    expect(p.katas[first.id]).toMatchObject({ status: 'passed', track: 'core' })
    expect(p.katas[first.id]!.tasks[slug]).toEqual({ passed: true, hints: 2 })
  })

  test('drops katas and tasks the course does not have, and starts missing ones empty', () => {
    const p = parseProgress(JSON.stringify({ version: 2, katas: { '99': { status: 'passed', track: 'core' }, [first.id]: { status: 'given', track: 'core', givenFor: '05', tasks: { nope: { passed: true, hints: 1 } } } } }), katas)
    expect(p.katas['99']).toBeUndefined()
    expect(p.katas[first.id]!.status).toBe('given')
    expect(p.katas[first.id]!.tasks.nope).toBeUndefined()
    expect(Object.keys(p.katas)).toEqual(katas.map((k) => k.id))
  })
})

test('merging keeps every green task and the highest hint level', () => {
  const a = emptyProgress(katas)
  const b = emptyProgress(katas)
  a.katas[first.id]!.tasks[slug] = { passed: true, hints: 1 }
  b.katas[first.id]!.tasks[slug] = { passed: false, hints: 3 }
  expect(mergeProgress(a, b).katas[first.id]!.tasks[slug]).toEqual({ passed: true, hints: 3 })
})

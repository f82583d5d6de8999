import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadCourse } from '../course.ts'
import { PACKAGE_ROOT } from '../paths.ts'
import { crossCheck, LessonFormatError, lessonFiles, loadLessons, parseLesson, readFrontMatter } from './frontmatter.ts'
import { formatProblem } from './problem.ts'

const FILE = 'lessons/03-endpoints.md'
const GOOD = readFileSync(path.join(import.meta.dirname, 'fixtures', 'good', '03-endpoints.md'), 'utf8')
const katas = loadCourse()

/** The good lesson with one front matter line replaced. */
const withLine = (from: string, to: string) => {
  expect(GOOD).toContain(from)
  return GOOD.replace(from, to)
}

describe('readFrontMatter: each bad field is reported on its line', () => {
  test.each([
    { name: 'the good fixture has no problems', text: GOOD, want: [] },
    { name: 'time must be a number of minutes', text: withLine('time: 45', 'time: 45 min'), want: [`${FILE}:12: front matter field "time": expected minutes as a positive integer, got "45 min"`] },
    { name: 'time must be positive', text: withLine('time: 45', 'time: 0'), want: [`${FILE}:12: front matter field "time": expected minutes as a positive integer, got 0`] },
    { name: 'kata is a quoted two-digit string', text: withLine('kata: "03"', 'kata: 3'), want: [`${FILE}:4: front matter field "kata": expected the kata id as two digits in quotes, such as "03", got 3`] },
    { name: 'order is 0–9', text: withLine('order: 3', 'order: 12'), want: [`${FILE}:6: front matter field "order": expected the position in the course, a whole number 0–9, got 12`] },
    { name: 'a missing field is reported at line 1 of the block', text: withLine('summary: A Service is only a name until something lists the pods behind it.\n', ''), want: [`${FILE}:1: front matter field "summary": expected a non-empty string on one line, got nothing`] },
    { name: 'an unknown field is refused', text: withLine('time: 45\n', 'time: 45\nminutes: 45\n'), want: [`${FILE}:13: front matter field "minutes": unknown field (expected one of title, summary, kata, slug, order, modules, time, objectives, mirrors, prerequisites)`] },
    {
      name: 'an objective item is a sentence, reported on its own line',
      text: withLine('  - Explain why a pod that is not ready is kept apart.', '  - explain readiness'),
      want: [`${FILE}:15: front matter field "objectives[1]": expected a sentence ending in ".", got "explain readiness"`],
    },
    {
      name: 'an objective with ": " in it becomes a mapping, and the message says to quote it',
      text: withLine('  - Explain why a pod that is not ready is kept apart.', '  - Read `port: 80` errors.'),
      want: [`${FILE}:15: front matter field "objectives[1]": expected a sentence ending in ".", got a mapping {"Read \`port":"80\` errors."} (quote the text: a ": " in it starts a key)`],
    },
    { name: 'objectives number 3 to 6', text: withLine('  - Read an Endpoints object the way kube-proxy does.\n', ''), want: [`${FILE}:13: front matter field "objectives": expected a list of 3–6 objectives, got "2 items"`] },
    { name: 'mirrors are owner/repo@tag:path', text: withLine('  - kubernetes/endpointslice@kubernetes-1.34.0:reconciler.go', '  - reconciler.go'), want: [`${FILE}:23: front matter field "mirrors[5]": expected a source file as owner/repo@tag:path, got "reconciler.go"`] },
    { name: 'prerequisites are quoted kata ids', text: withLine('prerequisites: ["01", "02"]', 'prerequisites: [1]'), want: [`${FILE}:25: front matter field "prerequisites[0]": expected a kata id as two digits in quotes, such as "01", got 1`] },
    { name: 'a YAML error names its line', text: withLine('slug: endpoints', 'slug: [endpoints'), want: [`${FILE}:6: front matter: YAML error: Flow sequence in block collection must be sufficiently indented and end with a ]`] },
    { name: 'a lesson without front matter', text: 'Just text.\n', want: [`${FILE}:1: front matter: expected the file to start with a "---" line`] },
  ])('$name', ({ text, want }) => {
    expect(readFrontMatter(FILE, text).problems.map(formatProblem)).toEqual(want)
  })

  test('the body starts on the line after the closing ---', () => {
    const r = readFrontMatter(FILE, GOOD)
    expect(GOOD.split('\n')[r.bodyLine - 2]).toBe('---')
    expect(r.body.startsWith('\nA Service is only a name')).toBe(true)
  })
})

describe('readFrontMatter: the quick read (js-yaml) and the read with positions (yaml) agree', () => {
  const lessons = lessonFiles().map((file) => ({ file, text: readFileSync(path.join(PACKAGE_ROOT, file), 'utf8') }))
  test.each([...lessons, { file: FILE, text: GOOD }].map((l) => [l.file, l] as const))('%s', (_name, { file, text }) => {
    const quick = readFrontMatter(file, text)
    expect(quick.problems).toEqual([])
    expect(quick).toEqual(readFrontMatter(file, text, { positions: true }))
  })
})

describe('crossCheck: the front matter agrees with katas/NN-slug/kata.yaml', () => {
  test.each([
    { name: 'the good fixture agrees', file: FILE, text: GOOD, want: [] },
    { name: 'the title is the kata title', file: FILE, text: withLine('title: Endpoints', 'title: Endpoint lists'), want: [`${FILE}:2: front matter field "title": expected "Endpoints" (katas/03-endpoints/kata.yaml), got "Endpoint lists"`] },
    { name: 'kata repeats the file name', file: FILE, text: withLine('kata: "03"', 'kata: "04"'), want: [`${FILE}:4: front matter field "kata": expected "03" (the file name), got "04"`] },
    { name: 'order is the kata number', file: FILE, text: withLine('order: 3', 'order: 4'), want: [`${FILE}:6: front matter field "order": expected 3 (the kata number), got 4`] },
    {
      name: 'modules equal kata.yaml, in order',
      file: FILE,
      text: withLine('  - api/v1/endpoints/util.ts\n  - api/v1/pod/util.ts', '  - api/v1/pod/util.ts\n  - api/v1/endpoints/util.ts'),
      want: [`${FILE}:7: front matter field "modules": expected ["api/v1/endpoints/util.ts","api/v1/pod/util.ts","controller/endpoints.ts","controller/endpointslice.ts"] (katas/03-endpoints/kata.yaml), got ["api/v1/pod/util.ts","api/v1/endpoints/util.ts","controller/endpoints.ts","controller/endpointslice.ts"]`],
    },
    { name: 'prerequisites are earlier katas', file: FILE, text: withLine('prerequisites: ["01", "02"]', 'prerequisites: ["01", "05"]'), want: [`${FILE}:25: front matter field "prerequisites[1]": expected the id of an earlier kata (before "03"), got "05"`] },
    { name: 'the file name is a kata', file: 'lessons/03-endpoint.md', text: GOOD, want: ['lessons/03-endpoint.md:1: lesson file name "03-endpoint.md": expected NN-slug.md of a kata in katas/ (00-pod-network, 01-service-object, 02-label-selectors, 03-endpoints, 04-env-vars, 05-dns, 06-clusterip, 07-nodeport, 08-loadbalancer, 09-whole-route)'] },
  ])('$name', ({ file, text, want }) => {
    const meta = readFrontMatter(file, text).meta
    expect(meta).toBeDefined()
    expect(crossCheck(file, text, meta!, katas).map(formatProblem)).toEqual(want)
  })
})

describe('parseLesson and loadLessons', () => {
  test('parseLesson returns the typed metadata and where the body starts', () => {
    const { meta, bodyLine } = parseLesson(FILE, GOOD)
    expect(meta).toMatchObject({ kata: '03', slug: 'endpoints', order: 3, time: 45, prerequisites: ['01', '02'] })
    expect(bodyLine).toBe(27)
  })

  test('parseLesson throws one line per problem', () => {
    expect(() => parseLesson(FILE, withLine('time: 45', 'time: soon').replace('order: 3', 'order: "3"'))).toThrow(
      new LessonFormatError([
        { file: FILE, line: 6, message: 'front matter field "order": expected the position in the course, a whole number 0–9, got "3"' },
        { file: FILE, line: 12, message: 'front matter field "time": expected minutes as a positive integer, got "soon"' },
      ]),
    )
  })

  test('loadLessons reads lessons/ in course order and refuses a lesson that disagrees with its kata', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lessons-load-'))
    try {
      mkdirSync(path.join(root, 'lessons'))
      const fixtures = path.join(import.meta.dirname, 'fixtures', 'good')
      writeFileSync(path.join(root, 'lessons', '03-endpoints.md'), GOOD)
      writeFileSync(path.join(root, 'lessons', '01-service-object.md'), readFileSync(path.join(fixtures, '01-service-object.md')))
      expect(loadLessons(root, katas).map((l) => [l.file, l.meta.order])).toEqual([
        ['lessons/01-service-object.md', 1],
        ['lessons/03-endpoints.md', 3],
      ])
      writeFileSync(path.join(root, 'lessons', '03-endpoints.md'), GOOD.replace('title: Endpoints', 'title: Endpointz'))
      expect(() => loadLessons(root, katas)).toThrow('lessons/03-endpoints.md:2: front matter field "title": expected "Endpoints"')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadCourse } from '../course.ts'
import { PACKAGE_ROOT } from '../paths.ts'
import { checkLessons, selects } from './check.ts'
import { formatProblem } from './problem.ts'
import type { OpenSimulator, SimulatorIO } from './tryit.ts'

const FIXTURES = path.join(import.meta.dirname, 'fixtures')
const BAD = 'harness/lessons/fixtures/bad/03-endpoints.md'

/** A simulator that answers from a table of `argv → stdout`, and records what it ran. */
function fakeSimulator(answers: Record<string, string>, ran: string[][] = []): OpenSimulator {
  return async () => ({
    run: async (argv: string[]): Promise<SimulatorIO> => {
      ran.push(argv)
      const out = answers[argv.join(' ')]
      return out === undefined ? { stdout: '', stderr: `katas: unknown command ${argv.join(' ')}\n`, exitCode: 2 } : { stdout: out, stderr: '', exitCode: 0 }
    },
  })
}

const ANSWERS = {
  'kubectl apply -f harness/lessons/fixtures/good/03-endpoints/order.yaml': 'service/order created\n',
  'kubectl get endpoints order -n snackbar': 'NAME    ENDPOINTS   AGE\norder   <none>      5s\n',
  'kubectl apply -f lessons/03-endpoints/nope.yaml': 'service/order created\n',
}

// The fixtures' "## The kata" sections walk through these tasks, not the course's own.
const hints = [
  { tier: 'nudge', text: 'n' },
  { tier: 'pointer', text: 'p' },
  { tier: 'near-solution', text: 's' },
] as const
const KATAS = loadCourse().map((k) =>
  k.id === '01' || k.id === '03'
    ? {
        ...k,
        tasks: [
          { number: 1, slug: 'first', title: k.id === '01' ? 'A Service is defaulted and validated' : 'Pods become endpoints', points: 1, track: 'core' as const, write: [], hints: [...hints] },
          ...(k.id === '01' ? [{ number: 2, slug: 'second', title: 'Validators', points: 1, track: 'deep' as const, write: [], hints: [...hints] }] : []),
        ],
      }
    : k,
)

// Each run type-checks the fixtures' ts blocks with the whole model: seconds, not milliseconds.
const SLOW = 120_000

describe('checkLessons on fixture lessons', () => {
  test('the good fixtures pass every check, and their try-it blocks run in order with the quotes removed', async () => {
    const ran: string[][] = []
    const report = await checkLessons({ katas: KATAS, lessonsDir: path.join(FIXTURES, 'good'), openSimulator: fakeSimulator(ANSWERS, ran) })
    expect(report.problems.map(formatProblem)).toEqual([])
    expect(report.lessons.map((l) => [l.file, l.ran])).toEqual([
      ['harness/lessons/fixtures/good/01-service-object.md', 0],
      ['harness/lessons/fixtures/good/03-endpoints.md', 2],
    ])
    expect(ran).toEqual([
      ['kubectl', 'apply', '-f', 'harness/lessons/fixtures/good/03-endpoints/order.yaml'],
      ['kubectl', 'get', 'endpoints', 'order', '-n', 'snackbar'],
    ])
  }, SLOW)

  test('without a simulator the try-it blocks are skipped with one note', async () => {
    const report = await checkLessons({ katas: KATAS, lessonsDir: path.join(FIXTURES, 'good') })
    expect(report.problems).toEqual([])
    expect(report.notes).toEqual(['try-it blocks not run: simulator/simulator.ts does not exist yet (1 lesson has some)'])
  }, SLOW)

  // One bad lesson with a problem of every kind, each on its line, with its exact text.
  test('the bad fixture gives each problem on its line', async () => {
    const report = await checkLessons({ katas: KATAS, lessonsDir: path.join(FIXTURES, 'bad'), only: ['03'], openSimulator: fakeSimulator(ANSWERS) })
    expect(report.problems.map(formatProblem)).toEqual(
      [
        '1: no "## The kata" section: the lesson must walk through the kata\'s core tasks',
        '28: heading "# Endpoints": the site prints the front matter title; start sections at ##',
        '30: code block language "bash": expected one of yaml, ts, console, text, sh, go, json',
        '34: yaml block title "harness/lessons/fixtures/bad/03-endpoints/missing.yaml": no such file (the block\'s text belongs in it)',
        '52: yaml block differs from harness/lessons/fixtures/bad/03-endpoints/order.yaml at line 11 of the file: block has "    port: 8080", file has "    port: 80"',
        '56: yaml block is refused by the model: The Service "payment" is invalid: \n* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
        '65: a "yaml invalid" block must be refused by validation, but the model accepts it',
        '83: a "yaml invalid" block must be followed directly (one blank line) by a `text` block with the error lines, or by the try-it block that applies it:\nThe Pod "broken" is invalid: spec.containers: Required value',
        '96: error lines differ from what the model prints for the yaml block above; if the model is right, run `npm run lessons -- --update 03`\n--- lesson\n+++ model\n@@ -1,1 +1,1 @@\n-The Service "order" is invalid: spec.ports[0].port: Required\n+The Service "order" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        '101: yaml fragment does not parse: Flow sequence in block collection must be sufficiently indented and end with a ]',
        '103: link 01-service-object.md#no-such-rule: 01-service-object.md has no heading with anchor "no-such-rule"',
        '103: link 42-nope.md: no such file harness/lessons/fixtures/bad/42-nope.md',
        '104: link #nowhere: no heading of this lesson has that anchor (endpoints)',
        '104: `controller/nope.ts`: no such workbook module (expected stubs/controller/nope.ts)',
        '104: `harness/nope.ts`: no such file in the project',
        '105: katas hint 42: no such kata (expected 00, 01, 02, 03, 04, 05, 06, 07, 08, 09)',
        '105: katas hint 03 --level 4: expected a level 1–3 (nudge, pointer, near-solution)',
        '106: link https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/types.go: point at a release tag (such as v1.34.0), not a branch',
        '108: image 03-endpoints/other-title.svg: give it alt text',
        "113: ts block line is 97 characters; the site's code box shows 88: wrap it (a value's comment goes on its own line above it)",
        "113: ts block does not type-check: TS2322: Type 'number' is not assignable to type 'string'.",
        '116: a "ts error" block must fail to type-check, but it compiles',
        '120: predict: the try-it block (```console) that answers the question must come right after the callout (only code blocks, such as the manifest it applies, may come between)',
        '126: try-it block: expected exactly one "$ " command line, first, then its output (found 2); put each command in its own block, or mark shown-only commands "console norun"',
        '132: try-it commands run in the simulator: start with `katas` (got "kubectl get pods -n snackbar"); commands for a real cluster go in a "console norun" block',
        '136: console block applies lessons/03-endpoints/nope.yaml: no such file or folder',
        '141: try-it output of "katas kubectl get endpoints order -n snackbar" differs from the model; if the model is right, run `npm run lessons -- --update 03`\n--- lesson\n+++ model\n@@ -1,2 +1,2 @@\n NAME    ENDPOINTS   AGE\n-order   <none>      9s\n+order   <none>      5s',
        '146: steps: expected 3–6 frames, got 2',
        '146: steps: give the diagram a title after "::: steps"',
        '147: harness/lessons/fixtures/bad/03-endpoints/no-viewbox.svg: set a viewBox on <svg>',
        '147: harness/lessons/fixtures/bad/03-endpoints/no-viewbox.svg: no scripts or event handlers in a diagram',
        '147: harness/lessons/fixtures/bad/03-endpoints/no-viewbox.svg: no external references (links, images, fonts or stylesheets from elsewhere)',
        '150: steps frame 03-endpoints/other-title.svg: expected a one-line caption under the image',
        '150: harness/lessons/fixtures/bad/03-endpoints/other-title.svg: <title> "Something & else" differs from the alt text "Step 2"',
      ].map((p) => `${BAD}:${p}`),
    )
  }, SLOW)

  test('--update rewrites only the outputs that differ, and leaves every other byte alone', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lessons-update-'))
    try {
      cpSync(path.join(FIXTURES, 'bad'), dir, { recursive: true })
      const before = readFileSync(path.join(dir, '03-endpoints.md'), 'utf8')
      const report = await checkLessons({ lessonsDir: dir, only: ['endpoints'], update: true, openSimulator: fakeSimulator(ANSWERS) })
      const after = readFileSync(path.join(dir, '03-endpoints.md'), 'utf8')
      expect(report.lessons[0]!.updated).toBe(2)
      expect(report.problems.some((p) => p.message.includes('differ') && p.message.includes('--update'))).toBe(false)
      const diff = before.split('\n').flatMap((l, i) => (l === after.split('\n')[i] ? [] : [[i + 1, l, after.split('\n')[i]]]))
      expect(diff).toEqual([
        [96, 'The Service "order" is invalid: spec.ports[0].port: Required', 'The Service "order" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
        [143, 'order   <none>      9s', 'order   <none>      5s'],
      ])
      expect(after.length - before.length).toBe('Invalid value: 0: must be between 1 and 65535, inclusive'.length - 'Required'.length)
      // A second run finds nothing left to rewrite.
      const again = await checkLessons({ lessonsDir: dir, only: ['03'], update: true, openSimulator: fakeSimulator(ANSWERS) })
      expect(again.lessons[0]!.updated).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, SLOW)
})

describe('selects names a lesson by number or slug', () => {
  test.each([
    { query: '03', want: true },
    { query: '3', want: true },
    { query: 'endpoints', want: true },
    { query: '03-endpoints', want: true },
    { query: '30', want: false },
    { query: 'endpoint', want: false },
  ])('$query', ({ query, want }) => {
    expect(selects(query, 'lessons/03-endpoints.md')).toBe(want)
  })
})

test('the package root holds the lessons checked by npm test', () => {
  expect(path.relative(PACKAGE_ROOT, FIXTURES)).toBe(path.join('harness', 'lessons', 'fixtures'))
})

// The project's GitHub workflows: each one parses, bounds its jobs' time, and the CI
// matrix runs the Node.js lines the README promises, from the engines range up.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { PACKAGE_ROOT } from './paths.ts'

const DIR = path.join(PACKAGE_ROOT, '.github', 'workflows')
const workflows = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort()

type Job = { 'timeout-minutes'?: number; strategy?: { matrix?: { node?: string[] } } }
const jobs = (file: string) => Object.entries((parse(readFileSync(path.join(DIR, file), 'utf8')) as { jobs: Record<string, Job> }).jobs)

describe('.github/workflows', () => {
  test.each(workflows)('%s: every job has a time limit, so a hung run cannot hold a runner for six hours', (file) => {
    for (const [name, job] of jobs(file)) expect(job['timeout-minutes'], `${file}: jobs.${name}.timeout-minutes`).toBeGreaterThan(0)
  })

  test('ci.yml tests the Node.js lines the README names, starting with the engines range', () => {
    const tested = jobs('ci.yml').flatMap(([, job]) => job.strategy?.matrix?.node ?? [])
    const readme = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8')
    const said = /tested on (\d+(?:(?:, | and )\d+)*)/.exec(readme)?.[1]?.match(/\d+/g) ?? []
    expect(tested, 'README.md: "tested on N and M"').toEqual(said)
    const engines = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node
    expect(engines, 'package.json: engines.node').toMatch(new RegExp(`^>=${tested[0]}\\.`))
  })
})

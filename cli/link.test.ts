// The `katas` command on the PATH (bin/link.mjs, bin/launcher.mjs): linked into a bin
// folder, it runs the course of the folder the shell is in, from any subfolder; outside
// a course it says so; it never replaces another program's `katas`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { PACKAGE_ROOT } from '../harness/paths.ts'
import { commandOnPath } from './launcher.ts'

const BIN = mkdtempSync(path.join(tmpdir(), 'katas-bin-'))
const LINK = path.join(PACKAGE_ROOT, 'bin', 'link.mjs')
const launcher = path.join(BIN, process.platform === 'win32' ? 'katas-launcher.mjs' : 'katas')
const link = (...args: string[]) => spawnSync(process.execPath, [LINK, '--dir', BIN, ...args], { encoding: 'utf8' })
const run = (cwd: string, ...args: string[]) => {
  const { KATAS_HOME: _h, ...env } = process.env
  return spawnSync(process.execPath, [launcher, ...args], { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } })
}

afterAll(() => rmSync(BIN, { recursive: true, force: true }))

describe('the katas command on the PATH', { timeout: 60_000 }, () => {
  test('links the launcher, which runs the course from its root and from any subfolder', () => {
    const r = link()
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain(`the katas command is ready (${launcher})`)
    for (const cwd of [PACKAGE_ROOT, path.join(PACKAGE_ROOT, 'lessons'), path.join(PACKAGE_ROOT, 'katas', '02-label-selectors')]) {
      const help = run(cwd, 'help')
      expect(help.status, `${cwd}: ${help.stderr}`).toBe(0)
      expect(help.stdout).toContain('Usage: katas [COMMAND] [ARGS]')
    }
    expect(commandOnPath({ PATH: BIN })).toContain("the course's launcher")
  })

  test('outside a course it refuses with a hint and never looks anything up elsewhere', () => {
    const r = run(tmpdir(), 'help')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('katas: not inside a Service Katas course folder')
    expect(r.stderr).toMatch(/^hint: /m)
  })

  test('never replaces another program named katas, and --remove takes only its own', () => {
    rmSync(launcher, { force: true })
    writeFileSync(launcher, '#!/bin/sh\necho another katas\n')
    const r = link()
    expect(r.stdout).toContain('belongs to another program')
    expect(readFileSync(launcher, 'utf8')).toContain('another katas')
    expect(link('--remove').status).toBe(0)
    expect(existsSync(launcher)).toBe(true)
    rmSync(launcher)
    link()
    expect(link('--remove', '--quiet').status).toBe(0)
    expect(existsSync(launcher)).toBe(false)
  })
})

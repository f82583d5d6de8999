// Where "edit this page" points: package.json's repository, else the origin remote.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { editUrlFromPackage } from './config.ts'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function checkout(pkg: object, origin?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'katas-site-config-'))
  dirs.push(dir)
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg))
  if (origin) {
    mkdirSync(path.join(dir, '.git'))
    writeFileSync(path.join(dir, '.git', 'config'), `[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/course/other.git\n[remote "origin"]\n\turl = ${origin}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`)
  }
  return dir
}

describe('editUrlFromPackage', () => {
  test.each([
    { name: 'a repository string on GitHub', pkg: { repository: 'https://github.com/course/service-katas' }, origin: undefined, want: 'https://github.com/course/service-katas/edit/main/{path}' },
    { name: 'a repository object with git+ and .git', pkg: { repository: { url: 'git+https://github.com/course/service-katas.git' } }, origin: undefined, want: 'https://github.com/course/service-katas/edit/main/{path}' },
    { name: 'no repository: the fork the checkout came from (ssh form)', pkg: {}, origin: 'git@github.com:learner/service-katas.git', want: 'https://github.com/learner/service-katas/edit/main/{path}' },
    { name: 'package.json wins over the remote', pkg: { repository: 'https://github.com/course/service-katas' }, origin: 'git@github.com:learner/service-katas.git', want: 'https://github.com/course/service-katas/edit/main/{path}' },
    { name: 'a remote that is not on GitHub gives no edit links', pkg: {}, origin: 'https://gitlab.example/learner/service-katas.git', want: undefined },
    { name: 'neither gives no edit links', pkg: {}, origin: undefined, want: undefined },
  ])('$name', ({ pkg, origin, want }) => {
    expect(editUrlFromPackage(checkout(pkg, origin))).toBe(want)
  })
})

// The local server: files from the build folder only, live status, the CSP header, 404s.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Kata } from '../harness/course.ts'
import { cspHeader } from './csp.ts'
import { resolveRequest, serveSite, type SiteServer } from './server.ts'
import { readStatus } from './status.ts'

let root: string
let server: SiteServer

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'katas-serve-'))
  mkdirSync(path.join(root, 'assets'))
  writeFileSync(path.join(root, 'index.html'), '<h1>home</h1>')
  writeFileSync(path.join(root, '404.html'), '<h1>missing</h1>')
  writeFileSync(path.join(root, 'assets', 'site.css'), 'body{}')
  server = await serveSite(root, 0, () => ({ served: true, current: '03', katas: {} }))
})
afterAll(async () => {
  await server.close()
  rmSync(root, { recursive: true, force: true })
})

describe('site/server', () => {
  test.each([
    { url: '/', want: 'index.html' },
    { url: '/assets/site.css?v=1', want: 'assets/site.css' },
    { url: '/../../etc/passwd', want: undefined },
    { url: '/%2e%2e/%2e%2e/etc/passwd', want: undefined },
    { url: '/nope.html', want: undefined },
    { url: '/a%00b', want: undefined },
  ])('$url resolves to $want', ({ url, want }) => {
    expect(resolveRequest(root, url)).toBe(want === undefined ? undefined : path.join(root, want))
  })

  test.each([
    { url: '', status: 200, type: 'text/html; charset=utf-8', body: '<h1>home</h1>' },
    { url: 'assets/site.css', status: 200, type: 'text/css; charset=utf-8', body: 'body{}' },
    { url: 'no/such/page.html', status: 404, type: 'text/html; charset=utf-8', body: '<h1>missing</h1>' },
    { url: 'status.json', status: 200, type: 'application/json; charset=utf-8', body: '{"served":true,"current":"03","katas":{}}' },
  ])('GET /$url answers $status', async ({ url, status, type, body }) => {
    const res = await fetch(`${server.url}${url}`)
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toBe(type)
    expect(res.headers.get('content-security-policy')).toBe(cspHeader())
    expect(await res.text()).toBe(body)
  })

  test('it listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  })
})

describe('site/status', () => {
  const kata = (id: string, tasks: number) => ({ id, tasks: Array.from({ length: tasks }) }) as unknown as Kata
  const katas = [kata('00', 2), kata('01', 3)]

  test.each([
    { name: 'no workspace yet: every kata not started, the first is current', file: undefined, want: { current: '00', s00: 'not-started', s01: 'not-started' } },
    { name: 'a green kata moves the current one on', file: { version: 1, katas: { '00': { status: 'passed', tasksPassed: 2 } } }, want: { current: '01', s00: 'passed', s01: 'not-started' } },
    { name: 'a damaged progress file reads as no progress, and is left alone', file: '{not json', want: { current: '00', s00: 'not-started', s01: 'not-started' } },
  ])('$name', ({ file, want }) => {
    const ws = mkdtempSync(path.join(os.tmpdir(), 'katas-ws-'))
    try {
      if (file !== undefined) {
        mkdirSync(path.join(ws, '.katas'))
        writeFileSync(path.join(ws, '.katas', 'state.json'), typeof file === 'string' ? file : JSON.stringify(file))
      }
      const s = readStatus(katas, ws)
      expect(s.served).toBe(true)
      expect(s.current).toBe(want.current)
      expect(s.katas?.['00']?.status).toBe(want.s00)
      expect(s.katas?.['01']).toMatchObject({ status: want.s01, tasksTotal: 3 })
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  })
})

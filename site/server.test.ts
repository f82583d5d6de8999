// The local server: files from the build folder only, live status, the CSP header, 404s.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cspHeader } from './csp.ts'
import { resolveRequest, serveSite, type SiteServer } from './server.ts'

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

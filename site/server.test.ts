// The local server: files from the build folder only, live status, the CSP header, 404s,
// only for requests addressed to it, never through a link out of the build folder.
import { request } from 'node:http'
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { API_DIRECTIVES, cspHeader, WORKER_DIRECTIVES, WORKSPACE_DIRECTIVES } from './csp.ts'
import { resolveRequest, serveSite, type SiteServer } from './server.ts'

let root: string
let outside: string
let server: SiteServer

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'katas-serve-'))
  mkdirSync(path.join(root, 'assets'))
  writeFileSync(path.join(root, 'index.html'), '<h1>home</h1>')
  writeFileSync(path.join(root, '404.html'), '<h1>missing</h1>')
  writeFileSync(path.join(root, 'assets', 'site.css'), 'body{}')
  writeFileSync(path.join(root, 'assets', 'check-worker.js'), '')
  writeFileSync(path.join(root, '02-label-selectors.workspace.html'), '<h1>workspace</h1>')
  mkdirSync(path.join(root, 'api'))
  writeFileSync(path.join(root, 'api', 'index.html'), '<h1>api</h1>')
  mkdirSync(path.join(root, 'lessons'))
  writeFileSync(path.join(root, 'lessons', 'index.html'), '<h1>lessons</h1>')
  // Links: one inside the build folder (fine), two leading out of it (never followed).
  outside = mkdtempSync(path.join(os.tmpdir(), 'katas-serve-outside-'))
  writeFileSync(path.join(outside, 'secret.html'), 'secret')
  symlinkSync(path.join(root, 'index.html'), path.join(root, 'home.html'))
  symlinkSync(path.join(outside, 'secret.html'), path.join(root, 'leak.html'))
  symlinkSync(outside, path.join(root, 'leakdir'))
  server = await serveSite(root, 0, () => ({ served: true, current: '03', katas: {} }))
})
afterAll(async () => {
  await server.close()
  rmSync(root, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

/** A GET with the Host header a browser would send for `host`. */
function get(urlPath: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: urlPath, headers: { host } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('site/server', () => {
  test.each([
    { url: '/', want: 'index.html' },
    { url: '/assets/site.css?v=1', want: 'assets/site.css' },
    { url: '/../../etc/passwd', want: undefined },
    { url: '/%2e%2e/%2e%2e/etc/passwd', want: undefined },
    { url: '/nope.html', want: undefined },
    { url: '/a%00b', want: undefined },
    { url: '/lessons/', want: 'lessons/index.html' },
    { url: '/lessons', want: 'lessons/index.html' },
    { url: '/home.html', want: 'home.html' },
    { url: '/leak.html', want: undefined },
    { url: '/leak', want: undefined },
    { url: '/leakdir/secret.html', want: undefined },
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

  test.each([
    { url: '02-label-selectors.workspace.html', policy: cspHeader(WORKSPACE_DIRECTIVES) },
    { url: '02-label-selectors.workspace', policy: cspHeader(WORKSPACE_DIRECTIVES) },
    { url: 'assets/check-worker.js', policy: cspHeader(WORKER_DIRECTIVES) },
    { url: 'api/index.html', policy: cspHeader(API_DIRECTIVES) },
    { url: 'assets/site.css', policy: cspHeader() },
  ])('GET /$url has its own policy', async ({ url, policy }) => {
    const res = await fetch(`${server.url}${url}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(policy)
  })

  test.each([
    { host: 'HOST', status: 200 },
    { host: 'localhost:PORT', status: 200 },
    { host: 'evil.example:PORT', status: 403 },
    { host: 'evil.example', status: 403 },
    { host: '127.0.0.1:1', status: 403 },
    { host: 'localhost', status: 403 },
  ])('Host: $host gets $status (a DNS-rebinding page cannot read the progress)', async ({ host, status }) => {
    const h = host.replace('HOST', `127.0.0.1:${server.port}`).replace('PORT', String(server.port))
    for (const url of ['/', '/status.json']) expect((await get(url, h)).status, url).toBe(status)
  })

  test('a link out of the build folder is a 404, never the file it points at', async () => {
    for (const url of ['/leak.html', '/leak', '/leakdir/secret.html']) {
      const res = await get(url, `127.0.0.1:${server.port}`)
      expect(res.status, url).toBe(404)
      expect(res.body, url).not.toContain('secret')
    }
    expect((await get('/home.html', `127.0.0.1:${server.port}`)).body).toBe('<h1>home</h1>')
  })

  test('it listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  })
})

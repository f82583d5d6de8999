// A small static server for the built site on 127.0.0.1: the files of `build/site/`,
// the learner's live `status.json`, the CSP as a header, and 404.html for anything else.
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { API_DIRECTIVES, cspHeader, WORKER_DIRECTIVES, WORKSPACE_DIRECTIVES } from './csp.ts'
import type { StatusJson } from './status.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
}

const HEADERS = {
  'Content-Security-Policy': cspHeader(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}
const API_HEADERS = { ...HEADERS, 'Content-Security-Policy': cspHeader(API_DIRECTIVES) }
const WORKSPACE_HEADERS = { ...HEADERS, 'Content-Security-Policy': cspHeader(WORKSPACE_DIRECTIVES) }
const WORKER_HEADERS = { ...HEADERS, 'Content-Security-Policy': cspHeader(WORKER_DIRECTIVES) }

/** The headers of a URL path: the API pages, a kata's workspace page and its check worker have their own policies. */
function headersFor(urlPath: string): Record<string, string> {
  const p = urlPath.split('?')[0] ?? ''
  if (p.startsWith('/api/')) return API_HEADERS
  if (p.endsWith('.workspace.html')) return WORKSPACE_HEADERS
  if (p === '/assets/check-worker.js') return WORKER_HEADERS
  return HEADERS
}

export interface SiteServer {
  url: string
  port: number
  close(): Promise<void>
}

/** The file a URL path names inside `root`, or undefined when it is outside or missing. */
export function resolveRequest(root: string, urlPath: string): string | undefined {
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(urlPath, 'http://x').pathname)
  } catch {
    return undefined
  }
  if (pathname.includes('\0')) return undefined
  let file = path.join(root, pathname)
  if (file !== root && !file.startsWith(root + path.sep)) return undefined
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html')
  return existsSync(file) && statSync(file).isFile() ? file : undefined
}

export function serveSite(root: string, port: number, status: () => StatusJson): Promise<SiteServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    const url = req.url ?? '/'
    if (url.split('?')[0] === '/status.json') {
      res.writeHead(200, { ...HEADERS, 'Content-Type': TYPES['.json']!, 'Cache-Control': 'no-store' })
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(status()))
      return
    }
    const file = resolveRequest(root, url)
    const target = file ?? path.join(root, '404.html')
    const type = TYPES[path.extname(target)] ?? 'application/octet-stream'
    const headers = headersFor(url)
    res.writeHead(file ? 200 : 404, { ...headers, 'Content-Type': type, 'Cache-Control': 'no-cache' })
    if (req.method === 'HEAD') res.end()
    else if (existsSync(target)) createReadStream(target).pipe(res)
    else res.end('404 — this page does not exist')
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as AddressInfo).port
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections()
          server.close(() => done())
        }),
      })
    })
  })
}

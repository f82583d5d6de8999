// The local server for the built site on 127.0.0.1: the files of `build/site/`
// through sirv (a maintained static handler: types, ETags, ranges, HEAD), the
// learner's live `status.json`, the CSP as a header, and 404.html for anything else.
//
// It answers only requests addressed to itself (`Host: 127.0.0.1:PORT` or
// `localhost:PORT`), so a web page that rebinds its own DNS name to 127.0.0.1
// cannot read the learner's progress; and it never serves a file whose real
// path (links resolved) lies outside the build folder.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import sirv from 'sirv'
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

/**
 * The headers of a file sent, by its path inside the build folder (`api/index.html`):
 * the API pages, a kata's workspace page and its check worker have their own policies.
 */
function headersFor(file: string): Record<string, string> {
  if (file.startsWith('api/')) return API_HEADERS
  if (file.endsWith('.workspace.html')) return WORKSPACE_HEADERS
  if (file === 'assets/check-worker.js') return WORKER_HEADERS
  return HEADERS
}

/** The names sirv tries for a URL path, in its order: the path, then with .html/.htm, then the folder's index. */
const EXTENSIONS = ['', '.html', '.htm']

export interface SiteServer {
  url: string
  port: number
  close(): Promise<void>
}

const inside = (dir: string, file: string): boolean => file === dir || file.startsWith(dir + path.sep)

/**
 * The file a URL path names inside `root` — the one sirv would send — or
 * undefined when none does, or when its real path leads out of `root`.
 */
export function resolveRequest(root: string, urlPath: string): string | undefined {
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(urlPath, 'http://x').pathname)
  } catch {
    return undefined
  }
  if (pathname.includes('\0')) return undefined
  const uri = pathname.replace(/\/$/, '')
  const realRoot = realpathSync(root)
  for (const ext of EXTENSIONS) {
    for (const name of [...(uri ? [uri + ext] : []), `${uri}/index${ext}`]) {
      const file = path.join(root, name)
      if (!inside(root, file) || !existsSync(file) || statSync(file).isDirectory()) continue
      return inside(realRoot, realpathSync(file)) ? file : undefined
    }
  }
  return undefined
}

/** Whether a request is addressed to this server by name, not by a page that borrowed the address. */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

export function serveSite(root: string, port: number, status: () => StatusJson): Promise<SiteServer> {
  let actual = port
  const notFound = (req: IncomingMessage, res: ServerResponse) => {
    const page = path.join(root, '404.html')
    res.writeHead(404, { ...HEADERS, 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' })
    if (req.method === 'HEAD') res.end()
    else res.end(existsSync(page) ? readFileSync(page) : '404 — this page does not exist')
  }
  // dev: looks each file up when asked, so a rebuild (`katas serve` watches) is served at once.
  const files = sirv(root, {
    dev: true,
    etag: true,
    dotfiles: false,
    onNoMatch: notFound,
    setHeaders(res, pathname) {
      // By the file sirv found, not the URL: `/02-label-selectors.workspace` is the workspace page too.
      const file = resolveRequest(root, pathname)
      const headers = headersFor(file ? path.relative(root, file).split(path.sep).join('/') : '')
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
      const type = TYPES[path.extname(file ?? '')]
      if (type) res.setHeader('Content-Type', type)
    },
  })
  const server: Server = createServer((req, res) => {
    if (!allowedHost(req.headers.host, actual)) {
      res.writeHead(403, { 'Content-Type': TYPES['.txt']! }).end(`403 — this server answers only to 127.0.0.1:${actual} and localhost:${actual}\n`)
      return
    }
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
    // sirv checks the joined path, not where its links lead: that is checked here first.
    if (!resolveRequest(root, url)) return notFound(req, res)
    files(req, res, () => notFound(req, res))
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      actual = (server.address() as AddressInfo).port
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

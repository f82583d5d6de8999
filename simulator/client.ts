// Talking to the cluster's server (./server.ts) from a `katas` command: kept apart from
// the simulator itself, so that a command the server answers loads nothing else.
import { createHash } from 'node:crypto'
import { mkdirSync, statSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** What a command prints, and its exit code. */
export interface IO {
  stdout: string
  stderr: string
  exitCode: number
  /** kubectl's `Warning: …` lines, printed on stderr before stdout. */
  warnings?: string
}

export interface Request {
  argv?: string[]
  cwd?: string
  workspace?: string
  build: string
  stop?: boolean
}

export type Reply = IO | { restart: true } | { stopped: true }

/** Where the server of `stateFile` listens: a socket in a private folder (a named pipe on Windows). */
export function socketPath(stateFile: string): string {
  const id = createHash('sha256').update(path.resolve(stateFile)).digest('hex').slice(0, 16)
  if (process.platform === 'win32') return `\\\\.\\pipe\\katas-${id}`
  const dir = path.join(tmpdir(), `katas-${process.getuid?.() ?? 'user'}`)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return path.join(dir, `${id}.sock`)
}

/** Identifies the tool's build: a server of another build is not asked, but replaced. */
export function buildId(): string {
  const self = fileURLToPath(import.meta.url)
  let mtime = 0
  try {
    mtime = statSync(self).mtimeMs
  } catch {
    // Running from sources: no build to compare.
  }
  return `${process.version}:${self}:${mtime}`
}

/**
 * Sends one request to the server of `stateFile`. `undefined` when no server listens
 * (or it is another build, and goes): the caller runs the command itself.
 */
export function ask(stateFile: string, request: Omit<Request, 'build'>): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    let data = ''
    let connected = false
    const c = net.connect(socketPath(stateFile), () => {
      connected = true
      c.write(`${JSON.stringify({ ...request, build: buildId() })}\n`)
    })
    c.setEncoding('utf8')
    c.on('data', (chunk: string) => (data += chunk))
    c.on('error', () => resolve(undefined))
    c.on('close', () => {
      if (!connected) return resolve(undefined)
      try {
        const reply = JSON.parse(data) as Reply
        resolve('restart' in reply ? undefined : reply)
      } catch {
        // The server went away mid-command: whether it ran is unknown, so it is not run again.
        resolve({ stdout: '', stderr: "katas: the cluster's server stopped during the command; check with `katas kubectl get …` before running it again\n", exitCode: 2 })
      }
    })
  })
}

// The checker's server: one background process per workspace that keeps a warm
// checker (./checker.ts), so that `katas check` and every watch on the workspace
// get a verdict without paying the test library's start-up. Started by the first
// client that finds none (./client.ts); runs one check at a time, in the order
// asked; stops after ten idle minutes, on `katas stop`, or when a client of
// another build asks (it is then replaced).
import { rmSync } from 'node:fs'
import net from 'node:net'
import { pathToFileURL } from 'node:url'
import { Checker } from './checker.ts'
import { buildId, socketPath, type Reply, type Request } from './protocol.ts'

const IDLE_MS = Number(process.env.KATAS_CHECKER_IDLE_MS ?? 600_000)

export async function serve(implRoot: string): Promise<{ stopped: Promise<void> }> {
  const sock = socketPath(implRoot)
  const build = buildId()
  const checker = new Checker(implRoot)
  let queue: Promise<unknown> = Promise.resolve()
  let idle: NodeJS.Timeout | undefined
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const touch = () => {
    clearTimeout(idle)
    idle = setTimeout(shutdown, IDLE_MS)
  }
  const handle = async (r: Request): Promise<Reply> => {
    touch()
    if (r.build !== build) return { restart: true }
    if ('stop' in r) return { stopped: true }
    if ('ping' in r) return { pong: true, pid: process.pid }
    return { run: await checker.run(r.run.checkFile) }
  }
  const server = net.createServer((conn) => {
    let buffer = ''
    conn.setEncoding('utf8')
    conn.on('error', () => conn.destroy())
    conn.on('data', (chunk: string) => {
      buffer += chunk
      let nl: number
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        let request: Request
        try {
          request = JSON.parse(line) as Request
        } catch {
          conn.destroy()
          return
        }
        queue = queue
          .then(async () => {
            const reply = await handle(request)
            if (!conn.destroyed) conn.write(`${JSON.stringify(reply)}\n`)
            if ('restart' in reply || 'stopped' in reply) {
              conn.end()
              shutdown()
            }
          })
          .catch((err: Error) => {
            if (!conn.destroyed) conn.write(`${JSON.stringify({ error: err.message } satisfies Reply)}\n`)
          })
      }
    })
  })
  let listening = false
  const shutdown = () => {
    clearTimeout(idle)
    if (listening) {
      listening = false
      server.close()
      if (process.platform !== 'win32') rmSync(sock, { force: true })
    }
    void checker.close().then(stop)
  }
  listening = await new Promise<boolean>((resolve, reject) => {
    server.once('error', async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') return reject(err)
      // Another server answers (this one is not needed), or one died and left its socket.
      if (await answers(sock)) return resolve(false)
      rmSync(sock, { force: true })
      server.listen(sock, () => resolve(true))
    })
    server.listen(sock, () => resolve(true))
  })
  if (listening) {
    checker.warm()
    touch()
  } else stop()
  return { stopped }
}

function answers(sock: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(sock, () => {
      c.destroy()
      resolve(true)
    })
    c.on('error', () => resolve(false))
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2]) {
  const { stopped } = await serve(process.argv[2])
  await stopped
  process.exit(0)
}

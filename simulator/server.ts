// The cluster's server: a process that keeps the cluster live between commands, as a
// real cluster's API server does, so a command on a large cluster does not rebuild it
// from the log. `katas kubectl …` asks it over a local socket and, when none answers,
// runs the command itself and starts one for the next command. The state file stays the
// truth: the server reads it under the lock on every command and replays only when
// someone else changed it. It stops after ten idle minutes or on `katas cluster stop`.
import { rmSync } from 'node:fs'
import net from 'node:net'
import { pathToFileURL } from 'node:url'
import { buildId, socketPath, type Reply, type Request } from './client.ts'
import { Simulator } from './simulator.ts'

const IDLE_MS = Number(process.env.KATAS_SERVER_IDLE_MS ?? 600_000)

/** Starts serving; `stopped` settles when the server has stopped (idle, `katas cluster stop`, or replaced). */
export async function serve(stateFile: string): Promise<{ stopped: Promise<void>; socket: string }> {
  const sock = socketPath(stateFile)
  const sim = await Simulator.open({ stateFile })
  const build = buildId()
  let queue: Promise<unknown> = Promise.resolve()
  let idle: NodeJS.Timeout | undefined
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const server = net.createServer((conn) => {
    let buffer = ''
    conn.setEncoding('utf8')
    conn.on('error', () => conn.destroy())
    conn.on('data', (chunk: string) => {
      buffer += chunk
      const nl = buffer.indexOf('\n')
      if (nl < 0) return
      let request: Request
      try {
        request = JSON.parse(buffer.slice(0, nl)) as Request
      } catch {
        return conn.destroy()
      }
      queue = queue
        .then(async () => {
          const reply = await handle(request)
          conn.end(`${JSON.stringify(reply)}\n`)
          if ('restart' in reply || 'stopped' in reply) shutdown()
        })
        .catch(() => conn.destroy())
    })
  })
  const handle = async (r: Request): Promise<Reply> => {
    clearTimeout(idle)
    idle = setTimeout(shutdown, IDLE_MS)
    if (r.build !== build) return { restart: true }
    if (r.stop) return { stopped: true }
    if (r.workspace === undefined) delete process.env.KATAS_WORKSPACE
    else process.env.KATAS_WORKSPACE = r.workspace
    return sim.run(r.argv ?? [], r.cwd ?? process.cwd())
  }
  let listening = false
  const shutdown = () => {
    clearTimeout(idle)
    if (!listening) return stop()
    listening = false
    server.close()
    if (process.platform !== 'win32') rmSync(sock, { force: true })
    stop()
  }
  listening = await new Promise<boolean>((resolve, reject) => {
    server.once('error', async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') return reject(err)
      // A server answers already (this one is not needed), or one died and left its socket behind.
      if (await answers(sock)) return resolve(false)
      rmSync(sock, { force: true })
      server.listen(sock, () => resolve(true))
    })
    server.listen(sock, () => resolve(true))
  })
  if (listening) idle = setTimeout(shutdown, IDLE_MS)
  else stop()
  return { stopped, socket: sock }
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

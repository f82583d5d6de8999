// Asking the workspace's checker server (./server.ts) for a run, starting it when
// none answers. When no server can be started (or KATAS_CHECKER=inline), the run
// happens in this process, with the same checker.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { PACKAGE_ROOT } from '../../harness/paths.ts'
import { buildId, checkerScript, socketPath, type CheckRun, type Reply, type Request } from './protocol.ts'

const START_WAIT_MS = 10_000

type Body = Request extends infer R ? (R extends { build: string } ? Omit<R, 'build'> : never) : never

/** Sends one request; `undefined` when nothing answered (no server, or it went away). */
export function ask(implRoot: string, body: Body): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    let data = ''
    const c = net.connect(socketPath(implRoot), () => c.write(`${JSON.stringify({ ...body, build: buildId() })}\n`))
    c.setEncoding('utf8')
    c.on('data', (chunk: string) => {
      data += chunk
      const nl = data.indexOf('\n')
      if (nl < 0) return
      c.destroy()
      try {
        resolve(JSON.parse(data.slice(0, nl)) as Reply)
      } catch {
        resolve(undefined)
      }
    })
    c.on('error', () => resolve(undefined))
    c.on('close', () => resolve(undefined))
  })
}

/** Starts a server for `implRoot` in the background; it outlives this process. */
function startServer(implRoot: string): void {
  const child = spawn(process.execPath, [checkerScript('server'), path.resolve(implRoot)], {
    cwd: PACKAGE_ROOT,
    detached: true,
    stdio: 'ignore',
    windowsHide: true,
  })
  child.on('error', () => undefined)
  child.unref()
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Makes sure a server of this build answers for `implRoot`; false when none could be started. */
export async function ensureServer(implRoot: string): Promise<boolean> {
  if (!existsSync(checkerScript('server'))) return false
  let reply = await ask(implRoot, { ping: true })
  if (reply && 'pong' in reply) return true
  // Another build's server goes by itself when asked; wait for its socket to free.
  if (reply && 'restart' in reply) await sleep(50)
  startServer(implRoot)
  const deadline = Date.now() + START_WAIT_MS
  while (Date.now() < deadline) {
    await sleep(25)
    reply = await ask(implRoot, { ping: true })
    if (reply && 'pong' in reply) return true
  }
  return false
}

let inline: import('./checker.ts').Checker | undefined

async function runInline(implRoot: string, checkFile: string): Promise<CheckRun> {
  const { Checker } = await import('./checker.ts')
  if (inline?.implRoot !== implRoot) {
    await inline?.close()
    inline = new Checker(implRoot)
  }
  return inline.run(checkFile)
}

/** Closes the in-process checker, if one was used. */
export async function closeInline(): Promise<void> {
  await inline?.close()
  inline = undefined
}

/** Runs one check file against `implRoot`: on the server when one can answer, else here. */
export async function runChecks(implRoot: string, checkFile: string): Promise<CheckRun> {
  if (process.env.KATAS_CHECKER === 'inline') return runInline(implRoot, checkFile)
  // A run is asked at most three times: no server yet, then a server that went away twice.
  for (let attempt = 0; attempt < 3; attempt++) {
    const reply = await ask(implRoot, { run: { checkFile } })
    if (reply && 'run' in reply) return reply.run
    if (reply && 'error' in reply) return { checks: [], errors: [`the checker failed: ${reply.error}`], seconds: 0 }
    if (!(await ensureServer(implRoot))) return runInline(implRoot, checkFile)
  }
  return { checks: [], errors: ['the checker stopped during the run, twice: does your code end its process (process.exit, process.kill)?'], seconds: 0 }
}

/** Stops the server of `implRoot`; true when one was running. */
export async function stopServer(implRoot: string): Promise<boolean> {
  const reply = await ask(implRoot, { stop: true })
  return !!reply && ('stopped' in reply || 'restart' in reply)
}

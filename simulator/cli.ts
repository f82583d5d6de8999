// The `katas kubectl|curl|cluster` entry of the command-line tool: one command on the
// cluster kept in the state file, printed to the terminal. The cluster's server (see
// ./server.ts) runs it when one is up; otherwise it runs here, and a server is started
// for the next command (`KATAS_CLUSTER_SERVER=0` turns that off).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ask, type IO } from './client.ts'
import { defaultStateFile } from './state.ts'

export async function simulatorMain(argv: string[]): Promise<number> {
  const stateFile = defaultStateFile()
  const useServer = process.env.KATAS_CLUSTER_SERVER !== '0'
  let io: IO | undefined
  if (argv[0] === 'cluster' && argv[1] === 'stop') {
    const reply = await ask(stateFile, { stop: true })
    io = { stdout: reply ? "the cluster's server stopped (the next command starts one again; the cluster is kept)\n" : "no cluster server was running\n", stderr: '', exitCode: 0 }
  } else if (useServer) {
    const reply = await ask(stateFile, { argv, cwd: process.cwd(), ...(process.env.KATAS_WORKSPACE ? { workspace: process.env.KATAS_WORKSPACE } : {}) })
    if (reply && 'exitCode' in reply) io = reply
  }
  if (!io) {
    const { Simulator } = await import('./simulator.ts')
    const sim = await Simulator.open({ stateFile })
    io = await sim.run(argv, process.cwd())
    // Not after a setup error (no model, a damaged state): the next command would meet it too.
    if (useServer && needsCluster(argv) && io.exitCode !== 2) startServer(stateFile)
  }
  if (io.warnings) process.stderr.write(io.warnings)
  if (io.stdout) process.stdout.write(io.stdout)
  if (io.stderr) process.stderr.write(io.stderr)
  return io.exitCode
}

/** Help texts and `cluster stop` need no cluster, so no server either. */
function needsCluster(argv: string[]): boolean {
  if (argv.length < 2 || argv.includes('--help') || argv.includes('-h') || argv[1] === 'help') return false
  return !(argv[0] === 'cluster' && argv[1] === 'stop')
}

function startServer(stateFile: string): void {
  const entry = fileURLToPath(new URL('./server.js', import.meta.url))
  if (!existsSync(entry)) return
  spawn(process.execPath, [entry, stateFile], { detached: true, stdio: 'ignore', env: process.env }).unref()
}

// Routes `katas kubectl|curl|cluster …` to their handlers.
import path from 'node:path'
import { AUTO, type Composition } from './composition.ts'
import { kubectlError, SimulatorError } from './errors.ts'
import { curlOutput, parseCurl, rejectedURL } from './exec.ts'
import { flag, parseFlags } from './flags.ts'
import { CLUSTER_HELP, CURL_HELP } from './help.ts'
import { kubectl, type Output } from './kubectl.ts'
import type { SimulatorIO } from './simulator.ts'
import type { ClusterState, Session } from './session.ts'
import { freshState } from './state.ts'
import { humanDuration } from './printers.ts'

export interface CommandContext {
  argv: string[]
  cwd: string
  state: ClusterState
  open(): Promise<Session>
  implName: string
  implDir: string
  /** Whose code each kata runs. */
  composition: Composition
}

/** Where `katas curl` runs: the host of a kind cluster, on the kind network's gateway. */
export const LAPTOP_IP = '172.18.0.1'

export async function runCommand(ctx: CommandContext): Promise<{ io: SimulatorIO; changed: boolean }> {
  const [group, ...rest] = ctx.argv
  let out: Output
  switch (group) {
    case 'kubectl':
      out = await kubectl(rest, ctx)
      break
    case 'curl':
      out = await curl(rest, ctx)
      break
    case 'cluster':
      out = await cluster(rest, ctx)
      break
    default:
      throw new SimulatorError(`unknown simulator command "${group}"`, 'use `katas kubectl`, `katas curl` or `katas cluster`', 2)
  }
  // A command that waited (curl, for the kernel to give up) moves the cluster's clock on as far.
  if (out.seconds) {
    ctx.state.offset += out.seconds
    ctx.state.now += out.seconds
  }
  const io: SimulatorIO = { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode }
  if (out.warnings) Object.assign(io, { warnings: out.warnings, output: out.output ?? out.warnings + out.stdout + out.stderr })
  return { io, changed: out.changed }
}

// ---- katas curl

async function curl(argv: string[], ctx: CommandContext): Promise<Output> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') return { stdout: CURL_HELP, stderr: '', exitCode: argv.length ? 0 : 2, changed: false }
  const args = parseCurl(argv)
  if ('error' in args) return { stdout: '', stderr: args.error, exitCode: 2, changed: false }
  const session = await ctx.open()
  session.sync()
  let url
  try {
    url = session.model.parseURL(args.url)
  } catch (err) {
    if (err instanceof TypeError && err.message.startsWith('curl: (3)')) return { stdout: '', stderr: `${err.message}\n`, exitCode: 3, changed: false }
    throw err
  }
  if (url.host === 'localhost' || url.host === '127.0.0.1' || url.host === '::1') {
    const r = throughPortForward(session, url)
    const shown = curlOutput(r, args)
    return { stdout: shown.stdout, stderr: shown.stderr, exitCode: shown.code, changed: true }
  }
  const r = curlOutput(rejectedURL(() => session.curl({ external: LAPTOP_IP }, args.url)), args)
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code, changed: true, ...(r.seconds ? { seconds: r.seconds } : {}) }
}

/** A connection to localhost reaches a pod only through a running port-forward (kata 00). */
function throughPortForward(session: Session, url: { host: string; port: number; path: string; query: string }): { exitCode: number; stdout: string; stderr: string } {
  const pf = [...session.forwards].reverse().find((f) => f.active && f.ports.some((p) => p.local === url.port))
  if (!pf) return { exitCode: 7, stdout: '', stderr: `curl: (7) Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server` }
  const conn = pf.connect(url.port)
  const pod = session.cluster.pod(conn.namespace, conn.pod)
  // The kubelet's stream reaches the pod's own localhost: the echo server sees 127.0.0.1.
  // A host-network pod shares its node's UTS namespace: its hostname is the node's.
  const hostname = pod.spec?.hostNetwork ? (pod.spec.nodeName ?? conn.pod) : (pod.spec?.hostname ?? conn.pod)
  const answer = session.model.echoServer(url.path, url.query, hostname, `127.0.0.1:${40000 + (url.port % 20000)}`, session.cluster.now)
  return { exitCode: 0, stdout: answer.body, stderr: '' }
}

// ---- katas cluster

async function cluster(argv: string[], ctx: CommandContext): Promise<Output> {
  const [cmd, ...args] = argv
  const p = parseFlags(args, [{ long: 'namespace', short: 'n', value: true }, { long: 'seed', value: true }, { long: 'workers', value: true }, { long: 'help', short: 'h' }], `katas cluster ${cmd ?? ''}`.trim())
  const done = (stdout: string): Output => ({ stdout, stderr: '', exitCode: 0, changed: true })
  const need = (what: string) => {
    const v = p.args[0]
    if (!v) throw new SimulatorError(`katas cluster ${cmd} needs ${what}`, `see \`katas help cluster\``, 2)
    return v
  }
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { stdout: CLUSTER_HELP, stderr: '', exitCode: 0, changed: false }
    case 'reset': {
      const seedText = flag(p, 'seed')
      const seed = seedText === undefined ? ctx.state.seed : Number(seedText)
      if (!Number.isInteger(seed)) throw new SimulatorError(`--seed must be a whole number, got "${seedText}"`, undefined, 2)
      const workersText = flag(p, 'workers')
      const workers = workersText === undefined ? 2 : Number(workersText)
      // The InternalIPs 172.18.0.3… stay inside the kind network's /24.
      if (!Number.isInteger(workers) || workers < 1 || workers > 250) throw new SimulatorError(`--workers must be a whole number from 1 to 250, got "${workersText}"`, undefined, 2)
      const fresh = freshState({ seed, clock: ctx.state.clock }, ctx.state.impl)
      for (const k of Object.keys(ctx.state)) delete (ctx.state as unknown as Record<string, unknown>)[k]
      Object.assign(ctx.state, fresh, workers !== 2 ? { workers } : {})
      return done(`cluster reset: a fresh kind cluster (${workers + 1} nodes, seed ${seed})\n`)
    }
    case 'use': {
      const impl = need('a model: auto, solutions, workspace or a folder')
      if (impl === AUTO) delete ctx.state.impl
      else ctx.state.impl = impl === 'solutions' || impl === 'workspace' ? impl : path.resolve(ctx.cwd, impl)
      return done(`the cluster now runs on ${describeImpl(ctx.state.impl ?? AUTO)}; its objects are rebuilt from the log on the next command\n`)
    }
    case 'node-down':
    case 'node-up': {
      const name = need('a node name (katas kubectl get nodes)')
      const session = await ctx.open()
      session.sync()
      try {
        session.setNode(name, cmd === 'node-up')
      } catch (err) {
        if ((err as Error).name === 'NotFoundError') throw kubectlError((err as Error).message)
        throw err
      }
      return done(cmd === 'node-down' ? `node/${name} is down: it stops answering now\n` : `node/${name} is up\n`)
    }
    case 'pod-not-ready':
    case 'pod-ready': {
      const name = need('a pod name (katas kubectl get pods)')
      const ns = flag(p, 'namespace') ?? 'default'
      const session = await ctx.open()
      session.sync()
      try {
        session.setPodReady(ns, name, cmd === 'pod-ready')
      } catch (err) {
        const e = err as Error
        if (e.name === 'NotFoundError' || e.name === 'ClusterError') throw kubectlError(e.message)
        throw err
      }
      return done(`pod/${name} is ${cmd === 'pod-ready' ? 'ready' : 'not ready'} (its readiness probe ${cmd === 'pod-ready' ? 'passes' : 'fails'})\n`)
    }
    case 'wait': {
      const text = need('a duration (30s, 5m, 1h)')
      const seconds = parseDuration(text)
      if (seconds === undefined) throw new SimulatorError(`"${text}" is not a duration`, 'write it like 30s, 5m or 1h30m', 2)
      ctx.state.offset += seconds
      ctx.state.now += seconds
      const session = await ctx.open()
      session.sync()
      return done(`time passes: ${text}\n`)
    }
    case 'status':
      return status(ctx)
    case 'stop':
      // Reached only where no server runs (`KATAS_CLUSTER_SERVER=0`, or in memory): nothing to stop.
      return { stdout: 'no cluster server was running\n', stderr: '', exitCode: 0, changed: false }
    default:
      throw new SimulatorError(`unknown cluster command "${cmd}"`, 'see `katas help cluster`', 2)
  }
}

function describeImpl(impl: string): string {
  if (impl === AUTO) return 'your code of each kata once its core path is green, the reference until then'
  if (impl === 'solutions') return 'the reference model (solutions/) for every kata'
  if (impl === 'workspace') return 'your model (workspace/) for every kata, finished or not'
  return `the model in ${impl}`
}

/** Kata by kata, whose code runs: `00 pod-network     yours      core path green`. */
function sides(c: Composition): string[] {
  const width = Math.max(...c.katas.map((k) => k.kata.name.length))
  return c.katas.map((k) => `${k.kata.id} ${k.kata.slug.padEnd(width - 3)}  ${k.why ? `${k.side.padEnd(9)}  ${k.why}` : k.side}`)
}

export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text)
  if (!m || text === '') return /^\d+$/.test(text) ? Number(text) : undefined
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)
}

async function status(ctx: CommandContext): Promise<Output> {
  const [first, ...rest] = sides(ctx.composition)
  const head = [
    `model       ${describeImpl(ctx.implName)}`,
    ...(ctx.implName === AUTO ? [] : [`            (\`katas cluster use auto\`: yours once green, the reference until then)`]),
    ...(ctx.composition.problem ? [`            ${ctx.composition.problem}: every kata runs the reference`] : []),
    `katas       ${first}`,
    ...rest.map((l) => `            ${l}`),
    `seed        ${ctx.state.seed}`,
  ]
  let session: Session
  try {
    session = await ctx.open()
  } catch (err) {
    // Whose code runs is worth seeing most when the cluster cannot start on it.
    if (!(err instanceof SimulatorError)) throw err
    return { stdout: `${head.join('\n')}\n`, stderr: `katas: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}\n`, exitCode: err.exitCode, changed: false }
  }
  const c = session.sync()
  const nodes = c.nodes().map((n) => {
    const v = c.node(n.metadata?.name ?? '')
    return `${v.name} ${v.internalIP} ${v.up ? 'up' : 'down'}`
  })
  const user = (o: { metadata?: { namespace?: string } }) => !['kube-system', 'kube-public', 'kube-node-lease'].includes(o.metadata?.namespace ?? '')
  const pods = c.pods().filter(user).length
  const services = c.services().filter(user).length
  const deployments = c.deployments().filter(user).length
  const forwards = session.forwards.map((f) => `${f.namespace}/${f.pod} ${f.ports.map((p) => `${p.local}->${p.remote}`).join(',')} ${f.active ? 'forwarding' : 'ended: lost connection to pod'}`)
  const lines = [
    ...head,
    `clock       ${humanDuration(c.now)} since the cluster was created (${ctx.state.clock === 'fixed' ? `fixed steps` : 'wall clock'})`,
    `nodes       ${nodes.join(', ')}`,
    `objects     deployments: ${deployments}, pods: ${pods}, services: ${services} (kube-system not counted)`,
    ...(forwards.length ? [`forwards    ${forwards.join('; ')}`] : []),
    `log         ${ctx.state.ops.length} operations`,
  ]
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0, changed: false }
}

// `katas kubectl VERB …`: kubectl's verbs on the simulated cluster, with kubectl's flags,
// output and error lines.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Service } from 'kubernetes-types/core/v1'
import { describeService } from './describe.ts'
import { isStubError, kubectlError } from './errors.ts'
import { manifestProblem } from './manifests.ts'
import { execInPod } from './exec.ts'
import { flag, has, parseFlags, type FlagSpec, type Parsed } from './flags.ts'
import { KUBECTL_HELP } from './help.ts'
import type { ClusterModel } from './model.ts'
import { asList, printJSON, printYAML } from './output.ts'
import { printTable } from './printers.ts'
import { findResource, withTypeMeta, type KubeObj, type Resource } from './resources.ts'
import type { ClusterState, Session } from './session.ts'

export interface Output {
  stdout: string
  stderr: string
  exitCode: number
  /** API warnings, which kubectl prints on stderr before anything else (`Warning: …`). */
  warnings?: string
  /** The terminal's view when a warning lands between lines of stdout (apply). */
  output?: string
  /** Whether the cluster (or its random draws) changed: the state must be saved. */
  changed: boolean
  /** Seconds the command took on the cluster's clock (a curl that waited for a timeout). */
  seconds?: number
}

export interface KubectlContext {
  cwd: string
  open(): Promise<Session>
  /** The cluster's state, when a command lets time pass (`kubectl delete` waiting, a curl that takes long). */
  state?: ClusterState
}

/**
 * Lets `seconds` of the cluster's time pass while a command runs (kubectl waiting for a pod
 * to go, curl waiting for an answer), as `katas cluster wait` does.
 */
export function elapse(ctx: KubectlContext, session: Session, seconds: number): void {
  if (!ctx.state || seconds <= 0) return
  ctx.state.offset += seconds
  ctx.state.now += seconds
  session.sync()
}

const NS: FlagSpec = { long: 'namespace', short: 'n', value: true }
const FILE: FlagSpec = { long: 'filename', short: 'f', value: true, repeat: true }
const HELP_FLAG: FlagSpec = { long: 'help', short: 'h' }

const ok = (stdout: string, changed = false, stderr = '', exitCode = 0): Output => ({ stdout, stderr, exitCode, changed })

export async function kubectl(argv: string[], ctx: KubectlContext): Promise<Output> {
  const [verb, ...args] = argv
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') return ok(KUBECTL_HELP)
  switch (verb) {
    case 'apply':
      return apply(args, ctx)
    case 'delete':
      return del(args, ctx)
    case 'get':
      return get(args, ctx)
    case 'describe':
      return describe(args, ctx)
    case 'exec':
      return exec(args, ctx)
    case 'port-forward':
      return portForward(args, ctx)
    default:
      throw kubectlError(`error: unknown command "${verb}" for "kubectl"\nRun 'katas kubectl --help' for the verbs the course's cluster has.`)
  }
}

const namespaceOf = (p: Parsed) => flag(p, 'namespace') ?? 'default'

// ---- apply

/** The files `-f` names: a file, every .yaml/.yml/.json of a folder (sorted), or `-` (stdin is not modelled). */
function manifestFiles(given: string[], cwd: string, recursive: boolean): { file: string; display: string }[] {
  if (given.length === 0) throw kubectlError('error: must specify one of -f and -k')
  const out: { file: string; display: string }[] = []
  const walk = (abs: string, display: string, top: boolean) => {
    let st
    try {
      st = statSync(abs)
    } catch {
      throw kubectlError(`error: the path "${display}" does not exist`)
    }
    if (st.isDirectory()) {
      if (!top && !recursive) return
      for (const name of readdirSync(abs).sort()) {
        const child = path.join(abs, name)
        const childDisplay = path.join(display, name)
        if (statSync(child).isDirectory()) walk(child, childDisplay, false)
        else if (/\.(ya?ml|json)$/.test(name)) out.push({ file: child, display: childDisplay })
      }
    } else out.push({ file: abs, display })
  }
  for (const g of given) walk(path.resolve(cwd, g), g, true)
  return out
}

async function apply(argv: string[], ctx: KubectlContext): Promise<Output> {
  const p = parseFlags(argv, [FILE, NS, { long: 'recursive', short: 'R' }, HELP_FLAG], 'kubectl apply')
  if (has(p, 'help')) return ok(KUBECTL_HELP)
  const files = manifestFiles(p.flags.get('filename') ?? [], ctx.cwd, has(p, 'recursive'))
  const session = await ctx.open()
  let stdout = ''
  // What the terminal shows: the API server's warning for v1 Endpoints arrives with the
  // first request for one, and kubectl prints each distinct warning once.
  let shown = ''
  let warnings = ''
  const errors: string[] = []
  let objects = 0
  for (const { file, display } of files) {
    let text = readFileSync(file, 'utf8')
    const ns = flag(p, 'namespace')
    if (ns) text = withDefaultNamespace(text, ns)
    let results
    try {
      results = session.apply(text, display)
    } catch (err) {
      // A manifest that no model could read is the manifest's fault: kubectl's line, not "the model failed".
      const problem = isStubError(err) ? undefined : manifestProblem(text, display)
      if (problem) throw kubectlError(problem)
      throw err
    }
    objects += results.length
    for (const r of results) {
      if (r.kind === 'Endpoints' && !warnings) {
        warnings = ENDPOINTS_WARNING
        shown += warnings
      }
      if (r.ok) {
        stdout += `${r.text}\n`
        shown += `${r.text}\n`
      } else errors.push(r.error)
    }
  }
  // kubectl counts the objects of every file before it sends any.
  if (objects === 0) throw kubectlError('error: no objects passed to apply')
  const stderr = errors.map((e) => `${e}\n`).join('')
  return { ...ok(stdout, true, stderr, errors.length ? 1 : 0), ...(warnings ? { warnings, output: shown + stderr } : {}) }
}

/** The deprecation warning the API server attaches to every v1 Endpoints request since 1.33. */
const ENDPOINTS_WARNING = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n'

/**
 * `-n NS` applies the file's namespace-less objects in NS. The model's `apply` reads text,
 * so the namespace is written into each document that has none (kubectl does the same to
 * the objects it sends). Simplified: only block-style `metadata:` mappings are rewritten.
 */
function withDefaultNamespace(text: string, ns: string): string {
  return text
    .split(/^(?=---)/m)
    .map((doc) => (/^\s*namespace:/m.test(doc) || !/^metadata:\s*$/m.test(doc) || /^kind:\s*Namespace\s*$/m.test(doc) ? doc : doc.replace(/^metadata:\s*$/m, `metadata:\n  namespace: ${ns}`)))
    .join('')
}

// ---- delete

async function del(argv: string[], ctx: KubectlContext): Promise<Output> {
  const p = parseFlags(
    argv,
    [FILE, NS, { long: 'recursive', short: 'R' }, { long: 'ignore-not-found' }, { long: 'now' }, { long: 'wait' }, { long: 'force' }, { long: 'grace-period', value: true }, HELP_FLAG],
    'kubectl delete',
  )
  if (has(p, 'help')) return ok(KUBECTL_HELP)
  const force = deleteGracePeriod(p)
  const session = await ctx.open()
  const ignore = has(p, 'ignore-not-found')
  let stdout = ''
  const errors: string[] = []
  const one = (kind: string, ns: string, name: string, file?: string) => {
    try {
      // kubectl's own wording for a delete with grace period 0 (`PrintObj`).
      const line = force ? session.delete(kind, ns, name, 0).replace(/ deleted( from .*)?$/, ' force deleted$1') : session.delete(kind, ns, name)
      stdout += `${line}\n`
      if (kind === 'Pod' && flag(p, 'wait') !== 'false') waitUntilGone(ns, name)
    } catch (err) {
      const msg = (err as Error).message
      if (ignore && msg.includes('(NotFound)')) return
      if (msg.startsWith('Error from server (') && file) errors.push(msg.replace(/^(Error from server \([A-Za-z]+\)): /, `$1: error when deleting "${file}": `))
      else if ((err as Error).name === 'NotFoundError' || (err as Error).name === 'ClusterError') errors.push(msg)
      else throw err
    }
  }
  // kubectl delete waits (--wait, the default) until the object is gone: a Terminating pod
  // takes as long as its containers take to stop. Simplified: kubectl would wait on for a
  // pod whose node does not answer; the model stops waiting there.
  const waitUntilGone = (ns: string, name: string) => {
    for (let i = 0; i < 24 * 3600; i++) {
      let pod
      try {
        pod = session.cluster.pod(ns, name)
      } catch {
        return
      }
      const node = pod.spec?.nodeName
      if (!pod.metadata?.deletionTimestamp || !node || !session.cluster.node(node).up) return
      elapse(ctx, session, 1)
    }
  }
  if (p.flags.has('filename')) {
    const files = manifestFiles(p.flags.get('filename') ?? [], ctx.cwd, has(p, 'recursive'))
    for (const { file, display } of files) {
      let manifests
      const text = readFileSync(file, 'utf8')
      try {
        manifests = session.model.readManifests(text, display)
      } catch (err) {
        if ((err as Error).name === 'ManifestError') throw kubectlError((err as Error).message)
        const problem = isStubError(err) ? undefined : manifestProblem(text, display)
        if (problem) throw kubectlError(problem)
        throw err
      }
      for (const m of manifests) {
        const kind = m.object.kind
        const r = findResource(kind)
        const ns = r?.namespaced === false ? '' : (m.object.metadata?.namespace ?? flag(p, 'namespace') ?? 'default')
        one(kind, ns, m.object.metadata?.name ?? '', display)
      }
    }
  } else {
    const [typeArg, ...names] = expandTypeName(p.args)
    if (!typeArg) throw kubectlError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`)
    const r = findResource(typeArg)
    if (!r || r.kind === 'EndpointSlice' || r.kind === 'Node') throw kubectlError(r ? `error: the course's cluster does not delete ${r.plural} (use \`katas cluster node-down\` for a node)` : `error: the server doesn't have a resource type "${typeArg}"`)
    if (names.length === 0) throw kubectlError('error: resource(s) were provided, but no name was specified')
    for (const name of names) one(r.kind, r.namespaced ? namespaceOf(p) : '', name)
  }
  return ok(stdout, true, (force ? `${FORCE_WARNING}\n` : '') + errors.map((e) => `${e}\n`).join(''), errors.length ? 1 : 0)
}

const FORCE_WARNING =
  'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.'

/**
 * kubectl delete's `Complete` and `Validate` on `--force`, `--grace-period` and `--now`:
 * `--force` alone means `--grace-period=0`, a force delete (true); `--grace-period=0`
 * without `--force` becomes 1. The model deletes a pod either at once or after its own
 * `terminationGracePeriodSeconds`, so another grace period is refused rather than ignored.
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/delete/delete.go
 */
function deleteGracePeriod(p: Parsed): boolean {
  const text = flag(p, 'grace-period')
  let grace = -1
  if (text !== undefined) {
    if (!/^-?\d+$/.test(text)) throw kubectlError(`error: invalid argument "${text}" for "--grace-period" flag: strconv.ParseInt: parsing "${text}": invalid syntax`)
    grace = Number(text)
  }
  const force = has(p, 'force')
  if (has(p, 'now')) {
    if (grace !== -1) throw kubectlError('error: --now and --grace-period cannot be specified together')
    grace = 1
  }
  if (grace === 0 && !force) grace = 1
  if (force && grace < 0) grace = 0
  if (force && grace > 0) throw kubectlError('error: --force and --grace-period greater than 0 cannot be specified together')
  if (grace > 0 && text !== undefined) {
    throw kubectlError(`error: the course's cluster gives each pod its own terminationGracePeriodSeconds; --grace-period=${text} is not modelled (--force --grace-period=0 deletes at once)`)
  }
  return force
}

/** `svc/order` → `svc order` (kubectl takes both forms). */
function expandTypeName(args: string[]): string[] {
  if (args.length === 1 && args[0]!.includes('/')) {
    const [t, n] = args[0]!.split('/', 2)
    return [t!, n!]
  }
  return args
}

// ---- get

const OUTPUTS = ['json', 'yaml', 'wide', 'name']
/** `kubectl get all`: the category's types the course's cluster has (no ReplicaSets, Jobs, …). */
const ALL = ['pods', 'services', 'deployments']

/** `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…`: which types, and which names of each. */
function requests(args: string[]): { r: Resource; names: string[] }[] {
  const out: { r: Resource; names: string[] }[] = []
  const add = (type: string, name?: string) => {
    const r = findResource(type)
    if (!r) throw kubectlError(`error: the server doesn't have a resource type "${type}"`)
    let req = out.find((q) => q.r === r)
    if (!req) out.push((req = { r, names: [] }))
    if (name !== undefined) req.names.push(name)
  }
  if (args.length && args.every((a) => a.includes('/'))) {
    for (const a of args) add(a.slice(0, a.indexOf('/')), a.slice(a.indexOf('/') + 1))
    return out
  }
  const [types, ...names] = args
  for (const t of types!.split(',')) {
    for (const type of t === 'all' ? ALL : [t]) {
      add(type)
      for (const n of names) add(type, n)
    }
  }
  return out
}

async function get(argv: string[], ctx: KubectlContext): Promise<Output> {
  const p = parseFlags(
    argv,
    [NS, { long: 'all-namespaces', short: 'A' }, { long: 'output', short: 'o', value: true }, { long: 'selector', short: 'l', value: true }, { long: 'show-labels' }, HELP_FLAG],
    'kubectl get',
  )
  if (has(p, 'help')) return ok(KUBECTL_HELP)
  const output = flag(p, 'output')
  if (output !== undefined && !OUTPUTS.includes(output)) {
    throw kubectlError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUTS.join(',')}`)
  }
  if (p.args.length === 0) {
    throw kubectlError(`You must specify the type of resource to get. Use "katas kubectl --help" for the types the course's cluster has.\nerror: Required resource not specified.`)
  }
  const reqs = requests(p.args)
  const session = await ctx.open()
  const cluster = session.sync()
  const selector = flag(p, 'selector')
  let sel: { matches(labels: Record<string, string>): boolean } | undefined
  if (selector !== undefined) {
    try {
      sel = session.model.parseSelector(selector)
    } catch (err) {
      // Only the parser's own errors are a bad selector; anything else is the model failing.
      if (isStubError(err) || !['SelectorParseError', 'InvalidRequirementError'].includes((err as Error)?.name)) throw err
      // cli-runtime's EnhanceListError names the resource (a GroupVersionResource) and the selectors.
      const r = reqs[0]!.r
      const [group, version] = r.apiVersion.includes('/') ? r.apiVersion.split('/') : ['', r.apiVersion]
      const subject = `${group}/${version}, Resource=${r.plural.split('.')[0]}`
      throw kubectlError(`Error from server (BadRequest): Unable to find "${subject}" that match label selector "${selector}", field selector "": ${(err as Error).message}`)
    }
  }
  const many = reqs.length > 1
  const anyNames = reqs.some((q) => q.names.length > 0)
  const all = has(p, 'all-namespaces') && !anyNames
  const warnings = reqs.some((q) => q.r.kind === 'Endpoints') ? ENDPOINTS_WARNING : ''
  let stderr = ''
  const okw = (...args: Parameters<typeof ok>): Output => ({ ...ok(...args), ...(warnings ? { warnings } : {}) })
  const errors: string[] = []
  const found: { r: Resource; objects: KubeObj[] }[] = []
  for (const { r, names } of reqs) {
    const ns = r.namespaced && !all ? namespaceOf(p) : undefined
    let objects = listWithAge(r, cluster, ns)
    if (sel) objects = objects.filter((o) => sel.matches(o.metadata?.labels ?? {}))
    if (names.length) {
      const picked: KubeObj[] = []
      for (const n of names) {
        const o = objects.find((x) => x.metadata?.name === n)
        if (o) picked.push(o)
        else errors.push(`Error from server (NotFound): ${r.plural} "${n}" not found`)
      }
      objects = picked
    }
    found.push({ r, objects })
  }
  const errText = errors.map((e) => `${e}\n`).join('')
  const exitCode = errors.length ? 1 : 0
  const total = found.reduce((n, f) => n + f.objects.length, 0)
  if (output === 'json' || output === 'yaml') {
    const typed = found.flatMap(({ r, objects }) => objects.map((o) => withTypeMeta(r, o)))
    const single = !many && reqs[0]!.names.length === 1
    if (single && typed.length === 0) return okw('', false, stderr + errText, 1)
    const doc = single ? typed[0] : asList(typed)
    return okw(output === 'json' ? printJSON(doc) : await printYAML(doc), false, stderr + errText, exitCode)
  }
  if (total === 0) {
    if (!anyNames) {
      const r = reqs[0]!.r
      stderr += r.namespaced && !all ? `No resources found in ${namespaceOf(p)} namespace.\n` : 'No resources found\n'
    }
    return okw('', false, stderr + errText, exitCode)
  }
  if (output === 'name') {
    return okw(found.flatMap(({ r, objects }) => objects.map((o) => `${r.singular}/${o.metadata?.name ?? ''}\n`)).join(''), false, stderr + errText, exitCode)
  }
  const tables = found
    .filter((f) => f.objects.length > 0)
    .map(({ r, objects }) => {
      const table = printTable(r.printer as never, many ? objects.map((o) => ({ ...o, metadata: { ...o.metadata, name: `${r.singular}/${o.metadata?.name ?? ''}` } })) : objects, {
        now: cluster.now,
        wide: output === 'wide',
        withNamespace: r.namespaced && all,
        externalIPColumn: (svc: Service, wide: boolean) => session.model.externalIPColumn(svc, wide),
      })
      return has(p, 'show-labels') ? addLabels(table, objects) : table
    })
  return okw(tables.join('\n'), false, stderr + errText, exitCode)
}

/**
 * The objects of one type. The model's endpoints controllers write no creationTimestamp;
 * they create an Endpoints and its EndpointSlices as their Service appears, so the AGE
 * column shows the Service's age.
 */
function listWithAge(r: Resource, cluster: ClusterModel, ns: string | undefined): KubeObj[] {
  // The API server lists from storage, keyed namespace/name: sorted that way.
  const key = (o: KubeObj) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`
  const objects = [...r.list(cluster, ns)].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  if (r.kind !== 'Endpoints' && r.kind !== 'EndpointSlice') return objects
  const created = new Map(cluster.services(ns).map((s) => [`${s.metadata?.namespace}/${s.metadata?.name}`, s.metadata?.creationTimestamp]))
  return objects.map((o) => {
    if (o.metadata?.creationTimestamp) return o
    const owner = r.kind === 'Endpoints' ? o.metadata?.name : o.metadata?.labels?.['kubernetes.io/service-name']
    const t = created.get(`${o.metadata?.namespace}/${owner}`)
    return t ? { ...o, metadata: { ...o.metadata, creationTimestamp: t } } : o
  })
}

/** `--show-labels`: a LABELS column last. */
function addLabels(table: string, objects: KubeObj[]): string {
  const lines = table.trimEnd().split('\n')
  const width = Math.max(...lines.map((l) => l.length)) + 3
  return lines
    .map((l, i) => `${l.padEnd(width)}${i === 0 ? 'LABELS' : Object.entries(objects[i - 1]!.metadata?.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'}\n`)
    .join('')
}

// ---- describe

async function describe(argv: string[], ctx: KubectlContext): Promise<Output> {
  const p = parseFlags(argv, [NS, { long: 'all-namespaces', short: 'A' }, HELP_FLAG], 'kubectl describe')
  if (has(p, 'help')) return ok(KUBECTL_HELP)
  const [typeArg, ...names] = expandTypeName(p.args)
  if (!typeArg) throw kubectlError('error: You must specify the type of resource to describe. Use "katas kubectl --help" for the types the course\'s cluster has.')
  const r = findResource(typeArg)
  if (!r) throw kubectlError(`error: the server doesn't have a resource type "${typeArg}"`)
  if (r.kind !== 'Service') throw kubectlError(`error: the course's cluster describes services only (katas kubectl describe svc NAME); try \`katas kubectl get ${r.names[0]} -o yaml\``)
  const session = await ctx.open()
  const cluster = session.sync()
  const ns = has(p, 'all-namespaces') ? undefined : namespaceOf(p)
  const services = cluster.services(ns).filter((s) => names.length === 0 || names.includes(s.metadata?.name ?? ''))
  const errors = names.filter((n) => !services.some((s) => s.metadata?.name === n)).map((n) => `Error from server (NotFound): services "${n}" not found\n`)
  const events = (s: Service) => cluster.serviceEvents?.(s.metadata?.namespace ?? '', s.metadata?.name ?? '') ?? []
  const text = services.map((s) => describeService(s, cluster.slicesOf(s), events(s), cluster.now)).join('\n\n')
  if (services.length === 0 && names.length === 0) return ok('', false, `No resources found in ${ns ?? 'any'} namespace.\n`)
  return ok(text, false, errors.join(''), errors.length ? 1 : 0)
}

// ---- exec

async function exec(argv: string[], ctx: KubectlContext): Promise<Output> {
  const p = parseFlags(argv, [NS, { long: 'container', short: 'c', value: true }, { long: 'stdin', short: 'i' }, { long: 'tty', short: 't' }, { long: 'quiet', short: 'q' }, HELP_FLAG], 'kubectl exec')
  if (has(p, 'help')) return ok(KUBECTL_HELP)
  const pod = p.args[0]
  if (!pod) throw kubectlError('error: pod, type/name or --filename must be specified')
  if (p.rest === undefined || p.rest.length === 0) {
    throw kubectlError(p.args.length > 1 ? 'error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead' : 'error: you must specify at least one command for the container')
  }
  const podName = pod.startsWith('pod/') || pod.startsWith('po/') || pod.startsWith('pods/') ? pod.slice(pod.indexOf('/') + 1) : pod
  const session = await ctx.open()
  return execInPod(session, namespaceOf(p), podName, flag(p, 'container'), p.rest)
}

// ---- port-forward

async function portForward(argv: string[], ctx: KubectlContext): Promise<Output> {
  const p = parseFlags(argv, [NS, { long: 'address', value: true }, HELP_FLAG], 'kubectl port-forward')
  if (has(p, 'help')) return ok(KUBECTL_HELP)
  const [resource, ...ports] = p.args
  if (!resource || ports.length === 0) throw kubectlError("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples")
  const session = await ctx.open()
  session.sync()
  let pf
  try {
    pf = session.portForward(namespaceOf(p), resource, ports)
  } catch (err) {
    // kubectl/portforward.ts's errors (kata 00) carry kubectl's text; a NotFound is the API server's.
    const e = err as Error
    if (e.name === 'NotFoundError') throw kubectlError(e.message.startsWith('Error from server') ? e.message : `Error from server (NotFound): ${e.message}`)
    if (e.name === 'PortForwardError' || e.name === 'ClusterError') throw kubectlError(/^error/i.test(e.message) ? e.message : `error: ${e.message}`)
    throw err
  }
  const lines = pf.stdout.map((l) => `${l}\n`).join('')
  // kubectl would stay in the foreground; here the forward stays open in the cluster's state.
  const note = `(forwarding in the background: try \`katas curl http://localhost:${pf.ports[0]?.local ?? ''}/\`)\n`
  return ok(lines, true, note)
}

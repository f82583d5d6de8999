// Loads a model tree (solutions/, the learner's workspace/, or any folder laid out like
// them) at run time, without vitest or tsc: esbuild bundles `<impl>/cluster/cluster.ts`
// (and the rest of kata 09's cluster/) with the few other modules the simulator calls
// into one ES module, cached under a hash of every source file it read, then
// `import()`s it.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { writeFileAtomic } from '../harness/files.ts'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Endpoints, Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { Plugin } from 'esbuild'
import { loadCourse } from '../harness/course.ts'
import { implDir, PACKAGE_ROOT, SOLUTIONS_DIR, STUBS_DIR } from '../harness/paths.ts'
import { SimulatorError } from './errors.ts'

/** What `Cluster.apply` returns per object (kata 09). */
export type ApplyResult =
  | { ok: true; kind: string; namespace?: string; name: string; action: string; text: string }
  | { ok: false; kind?: string; namespace?: string; name?: string; error: string }

export type From = { pod: string } | { node: string } | { external: string }

export interface CurlOutput {
  exitCode: number
  stdout: string
  stderr: string
}

export interface Lookup {
  found: boolean
  answeredBy?: string
  answer: string[]
  addresses: string[]
  tried: string[]
  rcode: string
  nameserver: string
  serverReachable: boolean
  via: string
  /** Whether the answer came from the cluster zone (CoreDNS answers it itself); older models leave it out. */
  authoritative?: boolean
}

export interface PortForwardSession {
  readonly stdout: string[]
  readonly stderr: string[]
  readonly namespace: string
  readonly pod: string
  readonly ports: readonly { local: number; remote: number }[]
  readonly active: boolean
  connect(localPort: number, address?: string): { namespace: string; pod: string; port: number }
}

export interface NodeView {
  name: string
  internalIP: string
  up: boolean
}

/** The part of kata 09's `Cluster` the simulator drives. */
export interface ClusterModel {
  readonly now: number
  readonly seed: number
  readonly random: { int(min: number, max: number): number }
  advance(seconds: number): void
  apply(text: string, file?: string): ApplyResult[]
  delete(kind: string, namespace: string, name: string): string
  setPodReady(namespace: string, name: string, ready: boolean): void
  nodeDown(name: string): void
  nodeUp(name: string): void
  namespaces(): Namespace[]
  nodes(): Node[]
  node(name: string): NodeView
  pods(namespace?: string, selector?: string): Pod[]
  pod(namespace: string, name: string): Pod
  deployments(namespace?: string): Deployment[]
  services(namespace?: string): Service[]
  service(namespace: string, name: string): Service
  endpoints(namespace?: string): Endpoints[]
  endpointSlices(namespace?: string): EndpointSlice[]
  slicesOf(svc: Service): EndpointSlice[]
  env(namespace: string, pod: string, container?: string): { name: string; value: string }[]
  resolvConf(namespace: string, pod: string): string
  /** getaddrinfo's lookup; with a `type`, the DNS question nslookup asks (older models ignore it). */
  lookup(namespace: string, pod: string, name: string, type?: string): Lookup
  curl(from: From, url: string): CurlOutput
  portForward(namespace: string, resource: string, ports: readonly string[]): PortForwardSession
}

export interface Selector {
  matches(labels: Record<string, string>): boolean
}

/** The bundle's exports. */
export interface Model {
  Cluster: new (options?: { seed?: number; nodes?: readonly { name: string; internalIP: string; controlPlane: boolean }[] }) => ClusterModel
  echoServer(path: string, query: string, hostname: string, client: string, now: number): { status: number; body: string }
  parseURL(url: string): { scheme: string; host: string; port: number; path: string; query: string }
  externalIPColumn(service: Service, wide?: boolean): string
  parseSelector(selector: string): Selector
  /** Kata 01: every object of a manifest file; throws its ManifestError (`.message` is kubectl's line). */
  readManifests(text: string, file: string): { object: { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } }; file: string; line: number }[]
  /** Where the tree lives. */
  dir: string
  /** The bundle's source map: where a line of the bundle came from. */
  sourceMap: string
}

/** The module that builds the cluster (kata 09). */
const CLUSTER = 'cluster/cluster.ts'

/** The bundle's entry: the modules the simulator calls, from the chosen tree. */
const ENTRY = `export { Cluster } from './cluster/cluster.ts'
export { echoServer, parseURL } from './cluster/curl.ts'
export { externalIPColumn } from './printers/external_ip.ts'
export { parse as parseSelector } from './labels/selector.ts'
export { readManifests } from './api/manifests.ts'
`

/** The tree `--impl` names: solutions, workspace (the learner's, the default), or a path. */
export function resolveImpl(impl: string | undefined): string {
  if (impl === 'workspace' || impl === undefined) return process.env.KATAS_WORKSPACE ? path.resolve(process.env.KATAS_WORKSPACE) : implDir('workspace')
  return implDir(impl)
}

/** Bundles of every tree go to one cache, so no tree (not even the pristine stubs) gets files it did not have; each tree's index is named by a hash of its path. */
const CACHE_DIR = path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'katas')

/** Bumped when the way bundles are built changes, so old ones are not reused. */
const BUNDLE_FORMAT = 5

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex')

interface CacheIndex {
  /** Source files (absolute) and the hash of each, as last bundled. */
  inputs: Record<string, string>
  bundle: string
}

/** Whether every file of the last bundle is unchanged: then the cached bundle is the same one. */
function fresh(index: CacheIndex | undefined, bundleDir: string): boolean {
  if (!index || !existsSync(path.join(bundleDir, index.bundle))) return false
  for (const [file, hash] of Object.entries(index.inputs)) {
    let text: Buffer
    try {
      text = readFileSync(file)
    } catch {
      return false
    }
    if (sha(text) !== hash) return false
  }
  return true
}

const loaded = new Map<string, { indexFile: string; out: string; model: Model }>()

/**
 * Loads the model of `dir`, bundling it first when a source changed. A process that runs
 * many commands (the cluster's server) gets the same model back until a file changes.
 */
export async function loadModel(dir: string): Promise<Model> {
  const cached = loaded.get(dir)
  if (cached) {
    let index: CacheIndex | undefined
    try {
      index = JSON.parse(readFileSync(cached.indexFile, 'utf8')) as CacheIndex
    } catch {
      index = undefined
    }
    if (index && path.join(cached.out, index.bundle) === cached.model.sourceMap.replace(/\.map$/, '') && fresh(index, cached.out)) return cached.model
  }
  const model = await load(dir)
  loaded.set(dir, { indexFile: indexFileOf(dir), out: CACHE_DIR, model })
  return model
}

const indexFileOf = (dir: string) => path.join(CACHE_DIR, `${sha(`${BUNDLE_FORMAT}:${dir}`).slice(0, 12)}.json`)

async function load(dir: string): Promise<Model> {
  if (!existsSync(path.join(dir, CLUSTER))) {
    throw new SimulatorError(
      `there is no model at ${path.relative(process.cwd(), dir) || '.'} (no cluster/cluster.ts)`,
      dir.endsWith('workspace') ? 'run `katas` once to create your workspace, or use --impl solutions' : 'pass --impl solutions, workspace or a folder laid out like solutions/',
      2,
    )
  }
  const out = CACHE_DIR
  const indexFile = indexFileOf(dir)
  let index: CacheIndex | undefined
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8')) as CacheIndex
  } catch {
    index = undefined
  }
  if (!fresh(index, out)) index = await bundle(dir, out, indexFile)
  const bundlePath = path.join(out, index!.bundle)
  const mod = (await import(pathToFileURL(bundlePath).href)) as Omit<Model, 'dir' | 'sourceMap'>
  return { ...mod, dir, sourceMap: `${bundlePath}.map` }
}

/** Kata 09's modules (the kata whose modules hold cluster/cluster.ts): the composition of every other kata into a cluster. */
function composition(): string[] {
  return loadCourse().find((k) => k.modules.includes(CLUSTER))?.modules ?? [CLUSTER]
}

/**
 * Until the learner starts kata 09 (its files are still the pristine stubs), the cluster
 * is composed by the reference `cluster/` over the learner's own modules of katas 00–08:
 * a command then names the first earlier kata it needs, and works once those are done.
 */
function borrowsComposition(dir: string): boolean {
  if (dir === SOLUTIONS_DIR) return false
  return composition().every((f) => {
    try {
      return readFileSync(path.join(dir, f), 'utf8') === readFileSync(path.join(STUBS_DIR, f), 'utf8')
    } catch {
      return false
    }
  })
}

/** An esbuild plugin: `cluster/*` from solutions/, everything they import from the learner's tree. */
function composeOver(dir: string): Plugin {
  const inTree = (file: string, root: string) => file.startsWith(`${root}${path.sep}`)
  return {
    name: 'katas-reference-composition',
    setup(b) {
      const files = composition()
      b.onResolve({ filter: /^\./ }, (args) => {
        const target = path.resolve(args.resolveDir, args.path)
        for (const f of files) {
          if (target === path.join(dir, f)) return { path: path.join(SOLUTIONS_DIR, f) }
        }
        if (inTree(args.importer, path.join(SOLUTIONS_DIR, 'cluster')) && inTree(target, SOLUTIONS_DIR) && !inTree(target, path.join(SOLUTIONS_DIR, 'cluster'))) {
          return { path: path.join(dir, path.relative(SOLUTIONS_DIR, target)) }
        }
        return undefined
      })
    },
  }
}

async function bundle(dir: string, out: string, indexFile: string): Promise<CacheIndex> {
  const { build } = await import('esbuild')
  const borrowed = borrowsComposition(dir)
  let result
  try {
    result = await build({
      plugins: borrowed ? [composeOver(dir)] : [],
      stdin: { contents: ENTRY, resolveDir: dir, sourcefile: 'katas-simulator-entry.ts', loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm',
      target: 'node20',
      // One self-contained file: resolving the packages' many files at every start costs more than the bundle.
      platform: 'neutral',
      mainFields: ['module', 'main'],
      external: ['node:*'],
      sourcemap: 'external',
      metafile: true,
      // Where the bundle will sit: the source map's paths are relative to it.
      outfile: path.join(out, 'model.mjs'),
      logLevel: 'silent',
      absWorkingDir: PACKAGE_ROOT,
    })
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0]
    if (first) {
      const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : ''
      throw new SimulatorError(`the model does not compile: ${where}${first.text}`, 'fix the file, then run the command again', 1)
    }
    throw err
  }
  const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text
  const sourceMap = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text
  const inputs: Record<string, string> = {}
  for (const file of Object.keys(result.metafile.inputs)) {
    if (file.includes('node_modules') || file.includes('katas-simulator-entry')) continue
    const abs = path.resolve(PACKAGE_ROOT, file)
    inputs[abs] = sha(readFileSync(abs))
  }
  // The learner's kata-09 files decide which composition is used: a change to them re-bundles.
  if (borrowed) for (const f of composition()) inputs[path.join(dir, f)] = sha(readFileSync(path.join(dir, f)))
  const name = `model-${sha(code).slice(0, 16)}.mjs`
  mkdirSync(out, { recursive: true })
  const target = path.join(out, name)
  if (!existsSync(target)) {
    writeFileAtomic(`${target}.map`, sourceMap)
    writeFileAtomic(target, code)
  }
  let previous: string | undefined
  try {
    previous = (JSON.parse(readFileSync(indexFile, 'utf8')) as CacheIndex).bundle
  } catch {
    previous = undefined
  }
  const index: CacheIndex = { inputs, bundle: name }
  writeFileAtomic(indexFile, JSON.stringify(index))
  // One bundle per tree is kept: a learner saving all day does not fill the disk.
  if (previous && previous !== name) for (const f of [previous, `${previous}.map`]) rmSync(path.join(out, f), { force: true })
  return index
}

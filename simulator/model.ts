// Loads the model the cluster runs at run time, without vitest or tsc: esbuild bundles
// kata 09's `cluster/cluster.ts` with the few other modules the simulator calls into one
// ES module, cached under a hash of every source file it read, then `import()`s it. Each
// kata's modules come from the tree its composition says (./composition.ts): the
// learner's once that kata is green, the reference otherwise; or one whole tree
// (solutions/, workspace/, any folder laid out like them) when the learner forces one.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { writeFileAtomic } from '../harness/files.ts'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Endpoints, Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { Plugin } from 'esbuild'
import { implDir, PACKAGE_ROOT, SOLUTIONS_DIR } from '../harness/paths.ts'
import { composeModules, missingModules, ownerOf, signature, type Composition } from './composition.ts'
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
  /** How long curl waited before it failed, in milliseconds (a model without it: no wait). */
  elapsedMs?: number
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

/** An event as the service controller records it (kata 08). */
export interface RecordedEvent {
  type: string
  reason: string
  message: string
  /** RFC 3339; older models leave it out. */
  timestamp?: string
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
  /** With `gracePeriodSeconds: 0` a pod is gone at once (older models ignore it). */
  delete(kind: string, namespace: string, name: string, options?: { gracePeriodSeconds?: number }): string
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
  /** The events recorded on a Service, oldest first (older models leave it out: `Events: <none>`). */
  serviceEvents?(namespace: string, name: string): RecordedEvent[]
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
  /** Where the tree lives (the learner's workspace for a composition). */
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
const BUNDLE_FORMAT = 6

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex')

interface CacheIndex {
  /** Source files (absolute) and the hash of each, as last bundled. */
  inputs: Record<string, string>
  bundle: string
  /** Whose modules ran, kata by kata (composition.ts `signature`); none for one whole tree. */
  composition?: string
}

/** Whether every file of the last bundle is unchanged and the composition the same: then the cached bundle is the same one. */
function fresh(index: CacheIndex | undefined, bundleDir: string, composition: string | undefined): boolean {
  if (!index || index.composition !== composition || !existsSync(path.join(bundleDir, index.bundle))) return false
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
 * Loads the model of `dir` — or, with a composition, of the learner's workspace `dir`
 * kata by kata over the reference — bundling it first when a source or the composition
 * changed. A process that runs many commands (the cluster's server) gets the same model
 * back until then.
 */
export async function loadModel(dir: string, composition?: Composition): Promise<Model> {
  const cached = loaded.get(dir)
  const sig = composition && signature(composition)
  if (cached) {
    let index: CacheIndex | undefined
    try {
      index = JSON.parse(readFileSync(cached.indexFile, 'utf8')) as CacheIndex
    } catch {
      index = undefined
    }
    if (index && path.join(cached.out, index.bundle) === cached.model.sourceMap.replace(/\.map$/, '') && fresh(index, cached.out, sig)) {
      return cached.model
    }
  }
  const model = await load(dir, composition)
  loaded.set(dir, { indexFile: indexFileOf(dir), out: CACHE_DIR, model })
  return model
}

/** Drops the cached bundle of `dir`: for tests that build throwaway trees, so the cache does not grow with every run. */
export function forgetModel(dir: string): void {
  loaded.delete(dir)
  const indexFile = indexFileOf(dir)
  try {
    const { bundle } = JSON.parse(readFileSync(indexFile, 'utf8')) as CacheIndex
    for (const f of [bundle, `${bundle}.map`]) rmSync(path.join(CACHE_DIR, f), { force: true })
  } catch {
    // Never bundled.
  }
  rmSync(indexFile, { force: true })
}

const indexFileOf = (dir: string) => path.join(CACHE_DIR, `${sha(`${BUNDLE_FORMAT}:${dir}`).slice(0, 12)}.json`)

async function load(dir: string, composition?: Composition): Promise<Model> {
  const missing = composition ? missingModules(composition) : []
  if (missing.length) {
    const owner = ownerOf(path.join(dir, missing[0]!), composition!)!
    throw new SimulatorError(
      `kata ${owner.side.kata.id} (${owner.side.kata.slug}) is green in your progress, but ${path.relative(process.cwd(), path.join(dir, missing[0]!))} is missing`,
      `bring the file back (\`katas reset --undo ${owner.side.kata.id}\` restores the last reset), then run \`katas check ${owner.side.kata.id}\``,
      2,
    )
  }
  if (!composition && !existsSync(path.join(dir, CLUSTER))) {
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
  if (!fresh(index, out, composition && signature(composition))) index = await bundle(dir, out, indexFile, composition)
  const bundlePath = path.join(out, index!.bundle)
  const mod = (await import(pathToFileURL(bundlePath).href)) as Omit<Model, 'dir' | 'sourceMap'>
  return { ...mod, dir, sourceMap: `${bundlePath}.map` }
}

async function bundle(dir: string, out: string, indexFile: string, composition?: Composition): Promise<CacheIndex> {
  const { build } = await import('esbuild')
  let result
  try {
    result = await build({
      plugins: composition ? [composeModules(composition)] : [],
      // A composition resolves every kata module itself; the entry's imports start from the reference.
      stdin: { contents: ENTRY, resolveDir: composition ? SOLUTIONS_DIR : dir, sourcefile: 'katas-simulator-entry.ts', loader: 'ts' },
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
      const owner = composition && first.location ? ownerOf(path.resolve(PACKAGE_ROOT, first.location.file), composition) : undefined
      if (owner?.side.side === 'yours') {
        const k = owner.side.kata
        throw new SimulatorError(`your ${owner.module} (kata ${k.id}, ${k.slug}) does not compile: ${where}${first.text}`, `fix it, then run \`katas check ${k.id}\``, 2)
      }
      throw new SimulatorError(`the model does not compile: ${where}${first.text}`, 'fix the file, then run the command again', 2)
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
  const index: CacheIndex = { inputs, bundle: name, ...(composition ? { composition: signature(composition) } : {}) }
  writeFileAtomic(indexFile, JSON.stringify(index))
  // One bundle per tree is kept: a learner saving all day does not fill the disk.
  if (previous && previous !== name) for (const f of [previous, `${previous}.map`]) rmSync(path.join(out, f), { force: true })
  return index
}

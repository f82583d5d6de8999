// The API server's storage and the caches every component reads: in Kubernetes, etcd
// behind the registry, and the informers' indexed caches in each component. Here one
// `ClusterState` holds the objects, the indexes, the modules of katas 00–08 the cluster
// drives and each component's own state; the other files of this folder are functions
// over it. Also here: the errors the cluster answers with, and small helpers.
//
// Read it to see what the cluster remembers between two commands.
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { NodeInfo } from '../../lib/cluster/defaults.ts'
import { formatInvalid, type FieldError } from '../../lib/field/errors.ts'
import type { Random } from '../../lib/random.ts'
import type { FakeCloud } from '../cloud/fake.ts'
import type { EndpointsController } from '../controller/endpoints.ts'
import type { ServiceController } from '../controller/service.ts'
import type { KubeDNS, PodMode } from '../dns/records.ts'
import type { PortForwardSession } from '../kubectl/portforward.ts'
import type { PodNetwork } from '../network/reachability.ts'
import type { NodePortProxier } from '../proxy/iptables/nodeports.ts'
import type { Range } from '../registry/ipallocator.ts'
import type { PortAllocator } from '../registry/portallocator.ts'
import type { NodeHeap } from './scheduler.ts'

// ---------------------------------------------------------------------------
// Errors

/**
 * A request the cluster refuses outside `apply` (an unknown object, a pod that cannot
 * run a command), with the text kubectl prints: `Error from server (NotFound): pods
 * "web" not found`.
 */
export class ClusterError extends Error {
  override name = 'ClusterError'
}

/** `NewNotFound`: `<resource> "<name>" not found`, printed `Error from server (NotFound): …`. */
export class NotFoundError extends ClusterError {
  override name = 'NotFoundError'
  constructor(
    readonly resource: string,
    readonly objectName: string,
  ) {
    super(`Error from server (NotFound): ${resource} "${objectName}" not found`)
  }
}

// ---------------------------------------------------------------------------
// What apply answers

export type ApplyAction = 'created' | 'configured' | 'unchanged'

/** What `kubectl apply` printed for one object. */
export type ApplyResult =
  | { ok: true; kind: string; namespace?: string; name: string; action: ApplyAction; text: string }
  | { ok: false; kind?: string; namespace?: string; name?: string; error: string }

// ---------------------------------------------------------------------------
// The state every component shares

export interface NodeState {
  index: number
  info: NodeInfo
  node: Node
  podCIDR: string
  gateway: string
  up: boolean
  /** When it stopped answering. */
  downSince?: number
  /** When the node lifecycle controller marked it unreachable. */
  markedAt?: number
}

export interface PodRecord {
  pod: Pod
  /** `namespace/name` of the Deployment that owns it. */
  owner?: string
  /** The API sequence number at which its containers started (their environment is fixed then). */
  startSeq?: number
}

export interface DeploymentRecord {
  deployment: Deployment
}

/** One version of a Service and the API sequence numbers during which it was current (the kubelet's view, for env). */
export interface ServiceVersion {
  service: Service
  from: number
  to: number
}

/** Services of one namespace by the first label of their selector, to find those that may select a pod. */
export interface SelectorIndex {
  byLabel: Map<string, Set<string>>
  matchAll: Set<string>
}

/**
 * Everything the cluster remembers: the API server's objects and indexes (etcd and the
 * informers' caches in Kubernetes), the modules of katas 00–08 it drives, and each
 * component's own state. Built once by `Cluster` (./cluster.ts); every component reads
 * and writes it. Keys are `namespace/name`.
 */
export interface ClusterState {
  readonly seed: number
  readonly clusterDomain: string
  readonly clusterDNSIP: string
  /** `--cluster-cidr`. */
  readonly clusterCIDR: string
  readonly podDNS: PodMode
  readonly upstream: readonly string[]
  readonly proxyMode: 'iptables' | 'ipvs'
  /** Pod-name suffixes of Deployments. */
  readonly names: Random
  /** Object UIDs. */
  readonly uids: Random
  /** Random draws of the data path: which load-balancer backend, which client port. */
  readonly random: Random
  /** Seconds since the cluster was created. */
  clock: number
  /** API sequence: every change increments it. */
  seq: number
  /** Bumped with every change that the DNS zone could see. */
  generation: number
  /** How deep in nested `batch` calls. */
  batching: number

  // The modules of earlier katas.
  /** Kata 00: node podCIDRs, pod IPs, who reaches a pod IP. */
  readonly network: PodNetwork
  /** Kata 06: the service IP range. */
  readonly ipRange: Range
  /** Kata 07: the node-port range. */
  readonly portAlloc: PortAllocator
  /** Kata 03: Endpoints of every Service. */
  readonly endpointsController: EndpointsController
  /** Kata 08: the cloud and the service controller that asks it for load balancers. */
  readonly cloud: FakeCloud | undefined
  readonly serviceController: ServiceController | undefined

  // The API server's objects and indexes.
  readonly namespaceStore: Map<string, Namespace>
  readonly nodeStore: Map<string, NodeState>
  /** Nodes in the order they joined. */
  readonly nodeOrder: NodeState[]
  readonly podStore: Map<string, PodRecord>
  readonly podsByNamespace: Map<string, Set<string>>
  /** Namespace → `label\0value` → pod names. */
  readonly podLabelIndex: Map<string, Map<string, Set<string>>>
  readonly podByIPs: Map<string, string>
  readonly deploymentStore: Map<string, DeploymentRecord>
  /** Deployment `ns/name` → keys of the pods it owns. */
  readonly podsByOwner: Map<string, Set<string>>
  readonly serviceStore: Map<string, Service>
  readonly serviceHistory: ServiceVersion[]
  readonly currentVersion: Map<string, ServiceVersion>
  readonly serviceSelectorIndex: Map<string, SelectorIndex>
  readonly clusterIPOwner: Map<string, string>
  /** An `externalIPs` address → the Services that list it (each on its own ports). */
  readonly externalIPOwners: Map<string, Set<string>>
  readonly nodePortOwner: Map<number, string>
  readonly lbServices: Set<string>
  /** `kind/namespace/name` → the canonical JSON of the manifest last applied. */
  readonly lastApplied: Map<string, string>

  // Controllers (./controllers.ts).
  /** The API server's own EndpointSlice for `default/kubernetes`. */
  readonly apiserverSlices: Map<string, EndpointSlice>
  /** Bumped when a Service or its pods change: its EndpointSlices and kube-proxy rules are stale. */
  readonly serviceVersion: Map<string, number>
  readonly sliceCache: Map<string, { version: number; slices: EndpointSlice[] }>

  // The scheduler's cache (./scheduler.ts).
  readonly podCounts: number[]
  readonly heap: NodeHeap
  /** Keys of the pods no node fits yet: tried again when a node joins or comes back. */
  readonly unscheduled: Set<string>
  /** Terminating pods whose kubelet is stopping their containers: key → when they have stopped (then the pod is gone). */
  readonly stopping: Map<string, number>

  // The data plane (./dataplane.ts): kube-proxy per node, CoreDNS's zone.
  readonly proxies: Map<string, { proxier: NodePortProxier; services: Set<string>; synced: string }>
  dnsCache: { generation: number; server: KubeDNS } | undefined

  // The kubelets (./kubelet.ts): port-forward sessions.
  readonly forwards: Set<PortForwardSession>
}

// ---------------------------------------------------------------------------
// Small helpers

export const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`
export const metaKey = (o: { metadata?: { namespace?: string; name?: string } }): string => keyOf(o.metadata?.namespace ?? '', o.metadata?.name ?? '')
export const byKey = <T extends { metadata?: { namespace?: string; name?: string } }>(a: T, b: T): number => {
  const ka = metaKey(a)
  const kb = metaKey(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}
export const labelKey = (k: string, v: string): string => `${k}\u0000${v}`

/** JSON with object keys sorted: what two manifests are compared by. */
export function canonicalJSON(value: unknown): string {
  // Written into one list and joined once: the result is one flat string, not a rope of
  // every piece (the API server keeps one per object it was given).
  const out: string[] = []
  writeCanonical(value, out)
  return out.join('')
}

function writeCanonical(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    // Stryker disable next-line StringLiteral: only copyControllerState's [status, finalizers] holds an undefined in a list, and it is compared with itself
    out.push(JSON.stringify(value) ?? 'null')
    return
  }
  if (Array.isArray(value)) {
    out.push('[')
    value.forEach((v, i) => {
      if (i > 0) out.push(',')
      // An undefined element is written as null, as JSON.stringify writes it in a list.
      writeCanonical(v, out)
    })
    out.push(']')
    return
  }
  const object = value as Record<string, unknown>
  // sort() without a comparator orders by UTF-16 code units, as `<` does.
  const keys = Object.keys(object).sort()
  out.push('{')
  let first = true
  for (const k of keys) {
    const v = object[k]
    if (v === undefined) continue
    out.push(first ? '' : ',', JSON.stringify(k), ':')
    first = false
    writeCanonical(v, out)
  }
  out.push('}')
}

const utf8 = new TextEncoder()

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`: seeds drawn from a name, and the pod-template-hash. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5
  for (const b of utf8.encode(text)) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

export function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k])
}

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

/** A version-4 UUID drawn from the seeded random source. */
export function uid(s: ClusterState): string {
  // TODO(kata 09): a version-4 UUID from the uids random source.
  throw new Error('kata 09-whole-route: uid is not implemented yet — see lessons/09-whole-route.md')
}

/** Something the DNS zone could see changed: CoreDNS rebuilds it when next asked. */
export function changed(s: ClusterState): void {
  s.generation++
}

export function invalidResult(kind: string, name: string, namespace: string | undefined, errs: readonly FieldError[]): ApplyResult {
  return { ok: false, kind, name, ...(namespace !== undefined ? { namespace } : {}), error: formatInvalid(kind, name, errs) }
}


// ---------------------------------------------------------------------------
// What `kubectl get` lists

/**
 * `kubectl get pods [-n NS | -A] [-l SELECTOR]`: by namespace, then name; `selector` in
 * the `-l` syntax (kata 02's parser: `app=order,tier in (backend)`).
 * @throws {SelectorParseError} for a selector that does not parse
 */
export function listPods(s: ClusterState, namespace?: string, selector?: string): Pod[] {
  // TODO(kata 09): every pod (of one namespace), sorted by namespace/name; filtered by the parsed -l selector (kata 02).
  throw new Error('kata 09-whole-route: listPods is not implemented yet — see lessons/09-whole-route.md')
}

/** `kubectl get svc`: by namespace, then name. */
export function listServices(s: ClusterState, namespace?: string): Service[] {
  // TODO(kata 09): every Service (of one namespace), sorted by namespace/name.
  throw new Error('kata 09-whole-route: listServices is not implemented yet — see lessons/09-whole-route.md')
}

// ---------------------------------------------------------------------------
// The pod indexes

/**
 * Adds or removes a pod's labels in the namespace's label index (an informer's indexer).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/client-go/tools/cache/thread_safe_store.go
 */
export function indexPodLabels(s: ClusterState, namespace: string, name: string, labels: Record<string, string>, add: boolean): void {
  // TODO(kata 09): add or remove the pod's name under each `label\0value` of its namespace.
  throw new Error('kata 09-whole-route: indexPodLabels is not implemented yet — see lessons/09-whole-route.md')
}

/** Pods of the namespace that might match `selector` (all of them for an empty one). */
export function candidatePods(s: ClusterState, namespace: string, selector: Record<string, string>): Pod[] {
  // TODO(kata 09): the namespace's pods, narrowed by the smallest label set of the selector; none for a label nobody has.
  throw new Error('kata 09-whole-route: candidatePods is not implemented yet — see lessons/09-whole-route.md')
}

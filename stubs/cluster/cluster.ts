// ────────────────────────────────────────────────────────────────────────
// Kata 09 · core path: you write
//   task 1 (manifests-and-scheduling): podTemplateHash, Cluster.constructor, Cluster.get now, Cluster.advance, Cluster.nodeDown, Cluster.nodeUp, Cluster.apply, Cluster.applyObject, Cluster.batch, Cluster.delete, Cluster.setPodReady, Cluster.slicesOf, Cluster.namespaces, Cluster.nodes, Cluster.pods, Cluster.portForward, Cluster.pod, Cluster.deployments, Cluster.services, Cluster.service, Cluster.endpoints, Cluster.endpointSlices, Cluster.env, Cluster.dnsConfig, Cluster.resolvConf, Cluster.zone, Cluster.lookup, Cluster.lookupOutside, Cluster.connect, Cluster.curl, Cluster.client, Cluster.node, Cluster.nodeObject, Cluster.nodeByIP, Cluster.podByIP, Cluster.reach, Cluster.inPodNetwork, Cluster.serviceByClusterIP, Cluster.serviceByNodePort, Cluster.servesPort, Cluster.kubeProxy, Cluster.loadBalancerAt, Cluster.loadBalancerBackends, Cluster.snatAddress, Cluster.serviceByLoadBalancerIP, defaultPod, validatePod and patchAllocatedValues
// Each is marked TODO(kata 09) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 09`.
// ────────────────────────────────────────────────────────────────────────
// The whole cluster: an API server that takes manifests, the controllers that act on
// them, a kubelet per node, and a data path to follow connections through. Every rule
// comes from a module an earlier kata built — this file only wires them together, the
// way kube-apiserver, kube-controller-manager, kube-scheduler, the kubelets, CoreDNS and
// kube-proxy are wired together in a real (kind) cluster:
//
//   kata 00  node podCIDRs and pod IPs, who can reach a pod IP  network/reachability.ts
//   kata 01  reading manifests, v1 defaults, validation          api/manifests.ts, api/core/…
//   kata 02  label selectors (Services and Deployments)           labels/selector.ts
//   kata 03  Endpoints and EndpointSlices                         controller/endpoints*.ts
//   kata 04  a container's service environment, fixed at start    kubelet/kubelet_pods.ts
//   kata 05  the cluster zone, the pod's resolv.conf and resolver  dns/*.ts
//   kata 06  cluster IPs and kube-proxy's rules                    registry/ipallocator.ts, proxy/…
//   kata 07  node ports and externalTrafficPolicy                  registry/portallocator.ts, proxy/…
//   kata 08  the service controller, the cloud, health checks      controller/service.ts, cloud/…
//
// `./route.ts` follows one connection through all of it.
import type { Deployment } from 'kubernetes-types/apps/v1'
import type {
  Container,
  EndpointAddress,
  EndpointPort as CoreEndpointPort,
  Endpoints,
  Namespace,
  Node,
  NodeCondition,
  Pod,
  PodCondition,
  Service,
  Taint,
  Toleration,
} from 'kubernetes-types/core/v1'
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1'
import { newInternalError, StatusError } from '../../lib/api/errors.ts'
import {
  CLUSTER_CIDR,
  CLUSTER_DNS_IP,
  CLUSTER_DOMAIN,
  DEFAULT_NODES,
  KUBERNETES_SERVICE,
  NODE_CIDR_MASK_SIZE,
  NODE_PORT_RANGE,
  SERVICE_CIDR,
  type NodeInfo,
} from '../../lib/cluster/defaults.ts'
import { EPOCH, timestamp } from '../../lib/cluster/clock.ts'
import { parseRR, sameName } from '../../lib/dns/rr.ts'
import { forbidden, formatInvalid, invalid, required, type FieldError } from '../../lib/field/errors.ts'
import { newPath } from '../../lib/field/path.ts'
import { cidrContains, formatIP, fromBigInt, parseCIDR, parseIP } from '../../lib/net/ipint.ts'
import { DEFAULT_SEED, Random } from '../../lib/random.ts'
import { generateName } from '../../lib/storage/names.ts'
import { isDNS1123Subdomain } from '../../lib/validation/labels.ts'
import { setDefaultsService } from '../api/core/v1/defaults.ts'
import { isDNS1123Label } from '../api/core/validation/names.ts'
import { validateService, validateServiceUpdate } from '../api/core/validation/validation.ts'
import { decodeService, ManifestError, readManifests, type KubeObject, type Manifest } from '../api/manifests.ts'
import { FakeCloud } from '../cloud/fake.ts'
import { EndpointsController } from '../controller/endpoints.ts'
import { LABEL_SERVICE_NAME, syncService as syncEndpointSlices } from '../controller/endpointslice.ts'
import { LABEL_NODE_EXCLUDE_BALANCERS, ServiceController } from '../controller/service.ts'
import { KubeDNS, type DNSResponse, type DNSServer, type PodMode, type QType } from '../dns/records.ts'
import { formatResolvConf, getPodDNS, type DNSConfig } from '../dns/resolvconf.ts'
import { resolve, type Resolution } from '../dns/resolver.ts'
import { startContainer } from '../kubelet/kubelet_pods.ts'
import type { EnvVar } from '../kubelet/envvars.ts'
import { portForward, type PortForwardSession } from '../kubectl/portforward.ts'
import { labelSelectorAsSelector, parse as parseSelector, selectorFromSet } from '../labels/selector.ts'
import { PodNetwork, type Origin, type Reachability } from '../network/reachability.ts'
import { healthyBackends, localReadyEndpoints, type BackendNode } from '../proxy/healthcheck.ts'
import { NodePortProxier } from '../proxy/iptables/nodeports.ts'
import { allocateServiceClusterIPs, newCIDRRange, releaseServiceClusterIPs, type Range } from '../registry/ipallocator.ts'
import {
  allocateServiceNodePorts,
  PortAllocator,
  releaseServiceNodePorts,
  updateServiceNodePorts,
} from '../registry/portallocator.ts'
import { connect as routeConnect, curl as routeCurl, type ConnectRequest, type ConnectResult, type CurlOutput, type From } from './route.ts'

// ---------------------------------------------------------------------------
// Constants

export { EPOCH, timestamp }

/** kube-controller-manager `--node-monitor-grace-period` (50 s since v1.32, 40 s before). */
export const NODE_MONITOR_GRACE_PERIOD = 50
/** `tolerationSeconds` the DefaultTolerationSeconds admission plugin gives every pod for unreachable/not-ready nodes. */
export const DEFAULT_TOLERATION_SECONDS = 300
/** The taint kubeadm puts on control-plane nodes. */
export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane'
/** The taint the node lifecycle controller puts on a node that stopped reporting. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable'
/** The taint of a node whose kubelet reports NotReady. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready'
/** The label a ReplicaSet adds to its pods (and its selector). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash'
/** Endpoints with this label are not mirrored into EndpointSlices. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror'
/** `managed-by` value of slices the EndpointSlice mirroring controller writes. */
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io'
/** What the API server says when a pod update touches more than it may. */
export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'
/** The image every container of the course runs: agnhost's netexec echo server. */
export const ECHO_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53'
/** The CoreDNS image kubeadm v1.34 deploys. */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1'

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
// Options and results

export interface ClusterOptions {
  /** Seeds every random choice: pod names, cluster IPs, node ports, endpoint choice. Default 42. */
  seed?: number
  /** The nodes, in the order they join; the first control-plane node bootstraps the cluster. Default: kind's three. */
  nodes?: readonly NodeInfo[]
  /** `--cluster-cidr`. Default 10.244.0.0/16. */
  clusterCIDR?: string
  /** `--node-cidr-mask-size`. Default 24. */
  nodeCIDRMaskSize?: number
  /** `--service-cluster-ip-range`. Default 10.96.0.0/12. */
  serviceCIDR?: string
  /** CoreDNS `pods` option. Default `insecure` (kubeadm's Corefile). */
  podDNS?: PodMode
  /** The world's DNS outside the cluster, as zone-file lines (`example.com. 300 IN A 93.184.215.14`). */
  upstream?: readonly string[]
  /** kube-proxy mode: `iptables` (random endpoint, the default) or `ipvs` (round robin). */
  proxyMode?: 'iptables' | 'ipvs'
  /** The cloud that implements LoadBalancer Services; `false` for none (EXTERNAL-IP stays `<pending>`). Default: a {@link FakeCloud} over kind's pool. */
  cloud?: FakeCloud | false
  /** Whether the CNI makes pod IPs routable from outside (kata 00). Default false, like kindnet. */
  routablePodIPs?: boolean
}

export type ApplyAction = 'created' | 'configured' | 'unchanged'

/** What `kubectl apply` printed for one object. */
export type ApplyResult =
  | { ok: true; kind: string; namespace?: string; name: string; action: ApplyAction; text: string }
  | { ok: false; kind?: string; namespace?: string; name?: string; error: string }

/** A node as the data path sees it. */
export interface NodeView {
  name: string
  internalIP: string
  podCIDR: string
  /** The node's address on the pod network: the first IP of its podCIDR, on every pod's host-side veth (CNI ptp). */
  gateway: string
  controlPlane: boolean
  /** Whether the node answers (not powered off or cut off). */
  up: boolean
}

/** Who opens a connection, resolved. */
export interface Client {
  kind: 'pod' | 'node' | 'external'
  /** The source address of its packets. */
  ip: string
  /** The node it runs on (pods and nodes). */
  node?: string
  pod?: Pod
  /** How a human names it: `pod snackbar/web`, `node kind-worker`, `192.168.1.50`. */
  label: string
}

/** A DNS lookup from a pod: the resolver's walk, and the server it asked. */
export interface Lookup extends Resolution {
  /** The first nameserver of the pod's resolv.conf. */
  nameserver: string
  /** Whether that server answered at all (`false`: no DNS pod reachable, nothing was asked). */
  serverReachable: boolean
  /** How the query reached the server, for the path. */
  via: string
}

/** A cloud load balancer the data path can send traffic through. */
export interface LoadBalancerView {
  ip: string
  service: Service
  /** Backend nodes, in the order the service controller gave them. */
  hosts: string[]
}

// ---------------------------------------------------------------------------
// Small helpers (given)


const keyOf = (namespace: string, name: string) => `${namespace}/${name}`
const metaKey = (o: { metadata?: { namespace?: string; name?: string } }) => keyOf(o.metadata?.namespace ?? '', o.metadata?.name ?? '')
const byKey = <T extends { metadata?: { namespace?: string; name?: string } }>(a: T, b: T) => {
  const ka = metaKey(a)
  const kb = metaKey(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** JSON with object keys sorted: what two manifests are compared by. */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJSON(v))).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',')}}`
}

const utf8 = new TextEncoder()

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5
  for (const b of utf8.encode(text)) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** `rand.SafeEncodeString`: each character mapped onto the alphabet without vowels (so no words). */
export function safeEncodeString(s: string): string {
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789'
  let out = ''
  for (const ch of s) out += alphanums[ch.charCodeAt(0) % alphanums.length]
  return out
}

/**
 * The `pod-template-hash` of a Deployment's pod template (`controller.ComputeHash`):
 * FNV-32a of the template, printed in decimal, then {@link safeEncodeString} — so
 * `7d4b9c8f6d`-like strings of the characters `4-9 b c d f`, ten of them for most
 * templates. Simplified: Kubernetes hashes the Go struct as `spew` prints it; the model
 * hashes the template's canonical JSON, so the same template gives a different (but
 * just as stable) hash than a real cluster.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/controller_utils.go
 */
export function podTemplateHash(template: unknown): string {
  // TODO(kata 09, task 1): hash the template's canonicalJSON with fnv32a, print it in decimal, safeEncodeString it.
  throw new Error('kata 09-whole-route: podTemplateHash is not implemented yet — see lessons/09-whole-route.md')
}

/** Whether a toleration lets a pod onto a node with this taint (`Toleration.ToleratesTaint`). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  if (!t.key && t.operator !== 'Exists') return false
  if ((t.operator ?? 'Equal') === 'Exists') return true
  return (t.value ?? '') === (taint.value ?? '')
}

/** The world outside the cluster answering DNS from fixed records (what `forward .` reaches). */
export class UpstreamDNS implements DNSServer {
  private readonly records: ReturnType<typeof parseRR>[]
  constructor(lines: readonly string[]) {
    this.records = lines.map(parseRR)
  }
  serveDNS(qname: string, qtype: QType): DNSResponse {
    const answer: string[] = []
    let name = qname
    for (let hop = 0; hop < 8; hop++) {
      const here = this.records.filter((r) => sameName(r.name, name))
      const wanted = here.filter((r) => r.type === qtype)
      if (wanted.length) {
        answer.push(...wanted.map((r) => `${r.name} ${r.ttl} IN ${r.type} ${r.data}`))
        break
      }
      const cname = here.find((r) => r.type === 'CNAME')
      if (!cname) break
      answer.push(`${cname.name} ${cname.ttl} IN CNAME ${cname.data}`)
      name = cname.data
    }
    const exists = this.records.some((r) => sameName(r.name, qname))
    return { rcode: exists ? 'NOERROR' : 'NXDOMAIN', answer, extra: [], ns: [] }
  }
}

// ---------------------------------------------------------------------------
// The scheduler's node order: fewest pods first, ties by join order (an indexed heap,
// so that scheduling 150 000 pods over 5 000 nodes does not scan every node).

class NodeHeap {
  private readonly heap: number[] = []
  private readonly pos: number[] = []
  constructor(private readonly count: number[]) {}

  private less(a: number, b: number): boolean {
    const ca = this.count[a]!
    const cb = this.count[b]!
    return ca < cb || (ca === cb && a < b)
  }
  private swap(i: number, j: number): void {
    const a = this.heap[i]!
    const b = this.heap[j]!
    this.heap[i] = b
    this.heap[j] = a
    this.pos[b] = i
    this.pos[a] = j
  }
  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(this.heap[i]!, this.heap[p]!)) break
      this.swap(i, p)
      i = p
    }
  }
  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < this.heap.length && this.less(this.heap[l]!, this.heap[m]!)) m = l
      if (r < this.heap.length && this.less(this.heap[r]!, this.heap[m]!)) m = r
      if (m === i) return
      this.swap(i, m)
      i = m
    }
  }
  push(node: number): void {
    this.pos[node] = this.heap.length
    this.heap.push(node)
    this.up(this.heap.length - 1)
  }
  pop(): number | undefined {
    const top = this.heap[0]
    if (top === undefined) return undefined
    const last = this.heap.pop()!
    if (this.heap.length > 0) {
      this.heap[0] = last
      this.pos[last] = 0
      this.down(0)
    }
    this.pos[top] = -1
    return top
  }
  /** The node's count changed by one. */
  update(node: number): void {
    const i = this.pos[node]
    if (i === undefined || i < 0) return
    this.up(i)
    this.down(this.pos[node]!)
  }
}

// ---------------------------------------------------------------------------
// The cluster

interface NodeState {
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

interface PodRecord {
  pod: Pod
  /** `namespace/name` of the Deployment that owns it. */
  owner?: string
  /** The API sequence number at which its containers started (their environment is fixed then). */
  startSeq?: number
}

interface DeploymentRecord {
  deployment: Deployment
}

interface ServiceVersion {
  service: Service
  from: number
  to: number
}

interface SelectorIndex {
  byLabel: Map<string, Set<string>>
  matchAll: Set<string>
}

const labelKey = (k: string, v: string) => `${k}\u0000${v}`
const RESOURCE: Record<string, string> = {
  Namespace: 'namespace',
  Pod: 'pod',
  Deployment: 'deployment.apps',
  Service: 'service',
  Endpoints: 'endpoints',
}
const KIND_ALIASES: Record<string, string> = {
  ns: 'Namespace',
  namespace: 'Namespace',
  namespaces: 'Namespace',
  po: 'Pod',
  pod: 'Pod',
  pods: 'Pod',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  svc: 'Service',
  service: 'Service',
  services: 'Service',
  ep: 'Endpoints',
  endpoints: 'Endpoints',
}
const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system']
/** The kinds the cluster takes, and the apiVersion of each. */
const API_VERSIONS: Record<string, string> = { Namespace: 'v1', Pod: 'v1', Deployment: 'apps/v1', Service: 'v1', Endpoints: 'v1' }

/**
 * A kind-like cluster built from the course's model.
 *
 * Control plane:
 * 1. `apply(text, file)` reads every document (kata 01 `readManifests`) and creates or
 *    updates it like `kubectl apply`: `created`, `configured` (the manifest changed),
 *    `unchanged` (the same manifest as last applied). Kinds: Namespace, Pod,
 *    Deployment (`apps/v1`), Service, Endpoints. An object that fails is refused whole
 *    with the API server's text, and nothing it allocated is kept; the others go on.
 * 2. Services: decoded, defaulted and validated by kata 01; cluster IPs (kata 06) and
 *    node ports (kata 07) are allocated **before** validation, as the registry does, and
 *    released when validation fails. Updates keep the allocated values (`patchAllocatedValues`).
 * 3. Deployments: their ReplicaSet is `<deployment>-<pod-template-hash>`, its pods
 *    `<replicaset>-<5 random characters>` (lib/storage/names); a changed template replaces
 *    every pod (simplified: no rolling update), a changed `replicas` scales.
 * 4. The scheduler puts each pod on a node whose taints it tolerates (the control plane's
 *    `NoSchedule` taint keeps ordinary pods off it) with the fewest pods, ties by join
 *    order. Simplified: the kube-scheduler's scores reduced to that.
 * 5. The kubelet starts a pod on a node that answers: its IP from the node's podCIDR
 *    (kata 00), Running and Ready (no probes); its containers' environment is computed
 *    then, from the Services that exist then (kata 04).
 * 6. Controllers: the endpoints controller (kata 03) on every Pod and Service change;
 *    EndpointSlices (kata 03) for Services with a selector, mirrored from a user's
 *    Endpoints for Services without one; the service controller and the cloud (kata 08)
 *    for LoadBalancer Services. The API server writes the `kubernetes` Service's
 *    Endpoints and EndpointSlice itself.
 * 7. A node that goes down stops answering at once; after {@link NODE_MONITOR_GRACE_PERIOD}
 *    seconds the node lifecycle controller marks it (Ready `Unknown`, `unreachable`
 *    taints) and its pods not ready; {@link DEFAULT_TOLERATION_SECONDS} later they are
 *    evicted (`Terminating` until the node returns) and their Deployments replace them.
 *    Time moves only with {@link advance}.
 *
 * Data plane (`./route.ts`): DNS through the pod's resolv.conf and CoreDNS (kata 05),
 * kube-proxy's rules on the node that handles the packet (katas 06–07), the cloud load
 * balancer and its health checks (kata 08), the pod network (kata 00).
 *
 * Getters return the stored objects; treat them as read-only.
 */
export class Cluster {
  readonly seed!: number
  readonly clusterDomain = CLUSTER_DOMAIN
  readonly clusterDNSIP = CLUSTER_DNS_IP
  /** Random draws of the data path: which load-balancer backend, which client port. */
  readonly random!: Random
  readonly cloud!: FakeCloud | undefined
  private readonly names!: Random
  private readonly uids!: Random
  private readonly podDNS!: PodMode
  private readonly upstream!: readonly string[]
  private readonly proxyMode!: 'iptables' | 'ipvs'
  private readonly clusterCIDR!: string
  private clock = 0
  /** API sequence: every change increments it. */
  private seq = 0
  /** Bumped with every change that the DNS zone could see. */
  private generation = 0

  private readonly network!: PodNetwork
  private readonly ipRange!: Range
  private readonly portAlloc!: PortAllocator
  private readonly endpointsController = new EndpointsController()
  private readonly serviceController!: ServiceController | undefined

  private readonly namespaceStore = new Map<string, Namespace>()
  private readonly nodeStore = new Map<string, NodeState>()
  private readonly nodeOrder: NodeState[] = []
  private readonly podCounts: number[] = []
  private readonly heap!: NodeHeap
  private readonly podStore = new Map<string, PodRecord>()
  private readonly podsByNamespace = new Map<string, Set<string>>()
  private readonly podLabelIndex = new Map<string, Map<string, Set<string>>>()
  private readonly podByIPs = new Map<string, string>()
  private readonly deploymentStore = new Map<string, DeploymentRecord>()
  /** Deployment `ns/name` → keys of the pods it owns. */
  private readonly podsByOwner = new Map<string, Set<string>>()
  private readonly serviceStore = new Map<string, Service>()
  private readonly serviceHistory: ServiceVersion[] = []
  private readonly currentVersion = new Map<string, ServiceVersion>()
  private readonly serviceSelectorIndex = new Map<string, SelectorIndex>()
  private readonly clusterIPOwner = new Map<string, string>()
  private readonly nodePortOwner = new Map<number, string>()
  private readonly lbServices = new Set<string>()
  private readonly apiserverSlices = new Map<string, EndpointSlice>()
  private readonly lastApplied = new Map<string, string>()
  private readonly serviceVersion = new Map<string, number>()
  private readonly sliceCache = new Map<string, { version: number; slices: EndpointSlice[] }>()
  private readonly proxies = new Map<string, { proxier: NodePortProxier; services: Set<string>; synced: string }>()
  private dnsCache!: { generation: number; server: KubeDNS } | undefined
  private readonly forwards = new Set<PortForwardSession>()
  private batching = 0

  constructor(options: ClusterOptions = {}) {
    // TODO(kata 09, task 1): keep the seed's random sources (pod names, UIDs, the data path), the pod network (kata 00), the
    // TODO(kata 09, task 1): service IP range (kata 06), the node-port allocator (kata 07), the endpoints controller (kata 03), the
    // TODO(kata 09, task 1): cloud and its service controller (kata 08), your stores and indexes; then bootstrap the default
    // TODO(kata 09, task 1): objects: system namespaces, the control plane, `kubernetes`, CoreDNS and kube-dns, the workers.
    throw new Error('kata 09-whole-route: new Cluster is not implemented yet — see lessons/09-whole-route.md')
  }

  // ---- time

  /** Seconds since the cluster was created. */
  get now(): number {
    // TODO(kata 09, task 1): write Cluster.now.
    throw new Error('kata 09-whole-route: Cluster.now is not implemented yet — see lessons/09-whole-route.md')
  }

  /** Lets time pass: the node lifecycle controller acts on nodes that stopped answering. */
  advance(seconds: number): void {
    // TODO(kata 09, task 1): move the clock; for every node down for ≥ 50 s mark it unreachable (and its pods not ready), for every
    // TODO(kata 09, task 1): node marked ≥ 300 s ago evict its pods (Terminating) and let their Deployments replace them.
    throw new Error('kata 09-whole-route: Cluster.advance is not implemented yet — see lessons/09-whole-route.md')
  }

  // ---- nodes

  /** The node stops answering (powered off, or cut off the network). */
  nodeDown(name: string): void {
    // TODO(kata 09, task 1): the node stops answering now; nothing in the API changes yet.
    throw new Error('kata 09-whole-route: Cluster.nodeDown is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The node answers again: its kubelet reports Ready, finishes deleting evicted pods, starts the pods waiting for it. */
  nodeUp(name: string): void {
    // TODO(kata 09, task 1): Ready again, taints gone, evicted pods removed, waiting pods started, the others Ready.
    throw new Error('kata 09-whole-route: Cluster.nodeUp is not implemented yet — see lessons/09-whole-route.md')
  }

  // ---- the API: apply, delete

  /**
   * `kubectl apply -f FILE` with the file's text: one result per object, in file order.
   * A file that cannot be read (kata 01's {@link ManifestError}) applies nothing and gives
   * one result with kubectl's error.
   */
  apply(text: string, file = 'manifest.yaml'): ApplyResult[] {
    // TODO(kata 09, task 1): readManifests (a ManifestError is the one result), then each object in a batch.
    throw new Error('kata 09-whole-route: Cluster.apply is not implemented yet — see lessons/09-whole-route.md')
  }

  /** Creates or updates one object given as API data (what `kubectl apply` sends), without YAML. */
  applyObject(object: KubeObject, file = '<api>'): ApplyResult {
    // TODO(kata 09, task 1): one object through the same path as apply: unchanged when identical to the last applied manifest,
    // TODO(kata 09, task 1): else create or update it by kind; StatusError / ManifestError become the error text.
    throw new Error('kata 09-whole-route: Cluster.applyObject is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * Runs `changes` and lets the endpoints controller sync each affected Service once at
   * the end (many pods at once, like a controller's work queue).
   */
  batch(changes: () => void): void {
    // TODO(kata 09, task 1): let the endpoints controller sync each Service once after all the changes.
    throw new Error('kata 09-whole-route: Cluster.batch is not implemented yet — see lessons/09-whole-route.md')
  }

  private exists(kind: string, namespace: string, name: string): boolean {
    const key = keyOf(namespace, name)
    switch (kind) {
      case 'Namespace':
        return this.namespaceStore.has(name)
      case 'Pod':
        return this.podStore.has(key)
      case 'Deployment':
        return this.deploymentStore.has(key)
      case 'Service':
        return this.serviceStore.has(key)
      default:
        return this.endpointsController.get(namespace, name) !== undefined
    }
  }

  /**
   * `kubectl delete KIND NAME -n NAMESPACE`: returns kubectl's line (`service "order" deleted`).
   * A Deployment takes its pods with it; a Namespace everything in it; a pod of a
   * Deployment is replaced by a new one (new name, new IP).
   * @throws {NotFoundError} when there is no such object
   */
  delete(kind: string, namespace: string, name: string): string {
    // TODO(kata 09, task 1): by kind (aliases svc, deploy, po, ep, ns): remove, garbage-collect, replace deleted Deployment pods.
    throw new Error('kata 09-whole-route: Cluster.delete is not implemented yet — see lessons/09-whole-route.md')
  }

  // ---- Namespaces

  // ---- Pods

  /**
   * Makes a pod's readiness probe pass or fail: its `Ready` condition (and
   * `ContainersReady`) changes, and every controller that watches pods hears of it.
   * @throws {NotFoundError} for an unknown pod
   */
  setPodReady(namespace: string, name: string, ready: boolean): void {
    // TODO(kata 09, task 1): change the pod's Ready and ContainersReady conditions, and tell every controller that watches pods.
    throw new Error('kata 09-whole-route: Cluster.setPodReady is not implemented yet — see lessons/09-whole-route.md')
  }

  // ---- Deployments

  // ---- Services

  private updateService(old: Service, incoming: Service): ApplyAction | ApplyResult {
    const name = old.metadata?.name ?? ''
    const namespace = old.metadata?.namespace ?? ''
    const { status: _ignored, ...given } = structuredClone(incoming)
    let next: Service = {
      ...given,
      metadata: {
        ...given.metadata,
        uid: old.metadata?.uid,
        creationTimestamp: old.metadata?.creationTimestamp,
        ...(old.metadata?.finalizers ? { finalizers: [...old.metadata.finalizers] } : {}),
      },
      ...(old.status ? { status: structuredClone(old.status) } : {}),
    }
    patchAllocatedValues(next, old)
    const oldHasIP = old.spec?.type !== 'ExternalName'
    const newHasIP = next.spec?.type !== 'ExternalName'
    let allocatedIP = false
    if (!oldHasIP && newHasIP) {
      next = allocateServiceClusterIPs(next, this.ipRange)
      allocatedIP = true
    }
    if (oldHasIP && !newHasIP) {
      // dropTypeDependentFields: an ExternalName Service has no cluster IPs.
      delete next.spec!.clusterIP
      delete next.spec!.clusterIPs
      delete next.spec!.ipFamilies
      delete next.spec!.ipFamilyPolicy
    }
    if (next.spec?.type !== 'LoadBalancer' && next.status?.loadBalancer) next = { ...next, status: { ...next.status, loadBalancer: {} } }
    let stored: Service
    try {
      stored = updateServiceNodePorts(old, next, this.portAlloc)
    } catch (err) {
      if (allocatedIP) releaseServiceClusterIPs(next, this.ipRange)
      throw err
    }
    const errs = validateServiceUpdate(stored, old)
    if (errs.length) {
      revertNodePorts(old, stored, this.portAlloc)
      if (allocatedIP) releaseServiceClusterIPs(stored, this.ipRange)
      return invalidResult('Service', name, namespace, errs)
    }
    if (oldHasIP && !newHasIP) releaseServiceClusterIPs(old, this.ipRange)
    this.storeService(stored, old)
    return 'configured'
  }

  /** Stores a Service version and tells the indexes and controllers. */
  private storeService(svc: Service, old: Service | undefined): void {
    const key = metaKey(svc)
    if (old) this.unindexService(old)
    this.serviceStore.set(key, svc)
    this.indexService(svc)
    this.seq++
    const prev = this.currentVersion.get(key)
    if (prev) prev.to = this.seq
    const version: ServiceVersion = { service: svc, from: this.seq, to: Infinity }
    this.serviceHistory.push(version)
    this.currentVersion.set(key, version)
    if (old) this.endpointsController.updateService(svc)
    else this.endpointsController.addService(svc)
    if (this.serviceController) {
      if (old) this.serviceController.updateService(svc)
      else this.serviceController.addService(svc)
      // Only LoadBalancer Services (or ones that were) get a status or a finalizer from it.
      if (svc.spec?.type === 'LoadBalancer' || old?.spec?.type === 'LoadBalancer') this.copyControllerState(key)
    }
    this.bump(key)
    this.changed()
  }

  /** The service controller wrote status (and its finalizer) on its copy: the API server's copy gets them. */
  private copyControllerState(key: string): void {
    const svc = this.serviceStore.get(key)
    if (!svc || !this.serviceController) return
    const [namespace, name] = [svc.metadata?.namespace ?? '', svc.metadata?.name ?? '']
    const ctrl = this.serviceController.get(namespace, name)
    if (!ctrl) return
    const before = canonicalJSON([svc.status, svc.metadata?.finalizers])
    const status = ctrl.status ? structuredClone(ctrl.status) : undefined
    const finalizers = ctrl.metadata?.finalizers
    const { status: _old, ...rest } = svc
    const { finalizers: _f, ...meta } = svc.metadata ?? {}
    const next: Service = {
      ...rest,
      metadata: { ...meta, ...(finalizers?.length ? { finalizers: [...finalizers] } : {}) },
      ...(status && Object.keys(status).length ? { status } : {}),
    }
    if (canonicalJSON([next.status, next.metadata?.finalizers]) === before) return
    this.serviceStore.set(key, next)
    const version = this.currentVersion.get(key)
    if (version) version.service = next
    if (next.spec?.type === 'LoadBalancer') this.lbServices.add(key)
    this.bump(key)
  }

  private indexService(svc: Service): void {
    const key = metaKey(svc)
    const namespace = svc.metadata?.namespace ?? ''
    for (const ip of svc.spec?.clusterIPs ?? []) if (ip !== 'None') this.clusterIPOwner.set(ip, key)
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.nodePortOwner.set(p.nodePort, key)
    if (svc.spec?.healthCheckNodePort) this.nodePortOwner.set(svc.spec.healthCheckNodePort, key)
    if (svc.spec?.type === 'LoadBalancer') this.lbServices.add(key)
    const selector = svc.spec?.selector
    if (selector == null) return
    let index = this.serviceSelectorIndex.get(namespace)
    if (!index) this.serviceSelectorIndex.set(namespace, (index = { byLabel: new Map(), matchAll: new Set() }))
    const first = Object.entries(selector)[0]
    if (!first) index.matchAll.add(key)
    else {
      const lk = labelKey(first[0], first[1])
      let set = index.byLabel.get(lk)
      if (!set) index.byLabel.set(lk, (set = new Set()))
      set.add(key)
    }
  }

  private unindexService(svc: Service): void {
    const key = metaKey(svc)
    for (const ip of svc.spec?.clusterIPs ?? []) if (this.clusterIPOwner.get(ip) === key) this.clusterIPOwner.delete(ip)
    for (const p of svc.spec?.ports ?? []) if (p.nodePort && this.nodePortOwner.get(p.nodePort) === key) this.nodePortOwner.delete(p.nodePort)
    const hc = svc.spec?.healthCheckNodePort
    if (hc && this.nodePortOwner.get(hc) === key) this.nodePortOwner.delete(hc)
    const index = this.serviceSelectorIndex.get(svc.metadata?.namespace ?? '')
    if (!index) return
    index.matchAll.delete(key)
    for (const set of index.byLabel.values()) set.delete(key)
  }

  private bump(key: string): void {
    this.serviceVersion.set(key, (this.serviceVersion.get(key) ?? 0) + 1)
  }

  private changed(): void {
    this.generation++
  }

  // ---- Endpoints written by users

  /**
   * The EndpointSlices of one Service (cached until its pods or the Service change): the
   * EndpointSlice controller's (kata 03) for a Service with a selector — names drawn from a
   * seed of the Service, so they stay the same from sync to sync — mirrored ones without.
   */
  slicesOf(svc: Service): EndpointSlice[] {
    // TODO(kata 09, task 1): the EndpointSlice controller's slices (kata 03) for a Service with a selector; mirrored user Endpoints without.
    throw new Error('kata 09-whole-route: Cluster.slicesOf is not implemented yet — see lessons/09-whole-route.md')
  }

  // ---- getters

  /** `kubectl get ns`: every Namespace, by name. */
  namespaces(): Namespace[] {
    // TODO(kata 09, task 1): write Cluster.namespaces.
    throw new Error('kata 09-whole-route: Cluster.namespaces is not implemented yet — see lessons/09-whole-route.md')
  }

  /** `kubectl get nodes`: every Node, in the order they joined. */
  nodes(): Node[] {
    // TODO(kata 09, task 1): write Cluster.nodes.
    throw new Error('kata 09-whole-route: Cluster.nodes is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * `kubectl get pods [-n NS | -A] [-l SELECTOR]`: by namespace, then name; `selector` in
   * the `-l` syntax (kata 02's parser: `app=order,tier in (backend)`).
   * @throws {SelectorParseError} for a selector that does not parse
   */
  pods(namespace?: string, selector?: string): Pod[] {
    // TODO(kata 09, task 1): every pod (of one namespace), sorted by namespace/name; filtered by the parsed -l selector (kata 02).
    throw new Error('kata 09-whole-route: Cluster.pods is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * `kubectl port-forward RESOURCE PORTS -n NAMESPACE` (kata 00): a tunnel through the API
   * server and the kubelet to **one** pod — for `svc/…` or `deploy/…` the most active pod
   * their selector finds, no load balancing. Deleting that pod ends the session.
   */
  portForward(namespace: string, resource: string, ports: readonly string[]): PortForwardSession {
    // TODO(kata 09, task 1): kata 00's portForward over your pods, services, deployments and a selector-based pod lister;
    // TODO(kata 09, task 1): remember the session, so that deleting its pod ends it (session.podDeleted).
    throw new Error('kata 09-whole-route: Cluster.portForward is not implemented yet — see lessons/09-whole-route.md')
  }

  /** @throws {NotFoundError} */
  pod(namespace: string, name: string): Pod {
    // TODO(kata 09, task 1): write Cluster.pod.
    throw new Error('kata 09-whole-route: Cluster.pod is not implemented yet — see lessons/09-whole-route.md')
  }

  /** `kubectl get deployments`: with a status counted from their pods. */
  deployments(namespace?: string): Deployment[] {
    // TODO(kata 09, task 1): write Cluster.deployments.
    throw new Error('kata 09-whole-route: Cluster.deployments is not implemented yet — see lessons/09-whole-route.md')
  }

  /** `kubectl get svc`: by namespace, then name. */
  services(namespace?: string): Service[] {
    // TODO(kata 09, task 1): write Cluster.services.
    throw new Error('kata 09-whole-route: Cluster.services is not implemented yet — see lessons/09-whole-route.md')
  }

  /** @throws {NotFoundError} */
  service(namespace: string, name: string): Service {
    // TODO(kata 09, task 1): write Cluster.service.
    throw new Error('kata 09-whole-route: Cluster.service is not implemented yet — see lessons/09-whole-route.md')
  }

  /** `kubectl get endpoints`: what the endpoints controller (kata 03) and users wrote. */
  endpoints(namespace?: string): Endpoints[] {
    // TODO(kata 09, task 1): write Cluster.endpoints.
    throw new Error('kata 09-whole-route: Cluster.endpoints is not implemented yet — see lessons/09-whole-route.md')
  }

  /** `kubectl get endpointslices`: the slices of every Service ({@link slicesOf}). */
  endpointSlices(namespace?: string): EndpointSlice[] {
    // TODO(kata 09, task 1): write Cluster.endpointSlices.
    throw new Error('kata 09-whole-route: Cluster.endpointSlices is not implemented yet — see lessons/09-whole-route.md')
  }

  // ---- inside a pod: kubectl exec

  /**
   * `kubectl exec POD -- env`: the container's environment, computed by kata 04 from the
   * Services that existed **when the container started** — a Service created later is not
   * in it, one deleted since still is.
   * @throws {NotFoundError} / {@link ClusterError} when the pod is unknown or not running
   */
  env(namespace: string, podName: string, container?: string): EnvVar[] {
    // TODO(kata 09, task 1): startContainer (kata 04) with the Services that existed when the container started.
    throw new Error('kata 09-whole-route: Cluster.env is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The pod's DNS settings as the kubelet writes them (kata 05). */
  dnsConfig(namespace: string, podName: string): DNSConfig {
    // TODO(kata 09, task 1): getPodDNS (kata 05) with clusterDNS 10.96.0.10 and the cluster domain.
    throw new Error('kata 09-whole-route: Cluster.dnsConfig is not implemented yet — see lessons/09-whole-route.md')
  }

  /** `kubectl exec POD -- cat /etc/resolv.conf`. */
  resolvConf(namespace: string, podName: string): string {
    // TODO(kata 09, task 1): formatResolvConf of dnsConfig.
    throw new Error('kata 09-whole-route: Cluster.resolvConf is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The cluster zone as CoreDNS serves it now (kata 05), rebuilt only after changes. */
  zone(): KubeDNS {
    // TODO(kata 09, task 1): a KubeDNS (kata 05) over the Services, their EndpointSlices, the pods and namespaces; rebuild only after changes.
    throw new Error('kata 09-whole-route: Cluster.zone is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * `getaddrinfo(name)` in a pod: its resolv.conf's search list and ndots (kata 05), asked
   * of its nameserver. When that is the cluster DNS Service, the query first has to get
   * through kube-proxy to a CoreDNS pod (UDP 53); if none answers, nothing is resolved.
   */
  lookup(namespace: string, podName: string, name: string): Lookup {
    // TODO(kata 09, task 1): route a UDP query to the pod's nameserver through kube-proxy; if a DNS pod answers, resolve() through the zone.
    throw new Error('kata 09-whole-route: Cluster.lookup is not implemented yet — see lessons/09-whole-route.md')
  }

  /** What a node (or a machine outside) resolves: only the world's names, never the cluster's. */
  lookupOutside(name: string): Resolution {
    // TODO(kata 09, task 1): resolve the name absolutely against the world outside (UpstreamDNS).
    throw new Error('kata 09-whole-route: Cluster.lookupOutside is not implemented yet — see lessons/09-whole-route.md')
  }

  // ---- the data path (used by ./route.ts)

  /** `curl URL` from a pod, a node, or a machine outside (see ./route.ts). */
  connect(request: ConnectRequest): ConnectResult {
    // TODO(kata 09, task 1): delegate to ./route.ts connect.
    throw new Error('kata 09-whole-route: Cluster.connect is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The same connection as `curl` prints it: stdout, stderr and the exit code. */
  curl(from: From, url: string): CurlOutput {
    // TODO(kata 09, task 1): delegate to ./route.ts curl.
    throw new Error('kata 09-whole-route: Cluster.curl is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * Who opens a connection: a running pod (`namespace/name`), a node, or an address outside.
   * @throws {NotFoundError} / {@link ClusterError} for a pod or node that cannot run curl
   */
  client(from: From): Client {
    // TODO(kata 09, task 1): a running pod (`namespace/name`) on a live node, a live node, or an IP outside.
    throw new Error('kata 09-whole-route: Cluster.client is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * One node as the data path sees it.
   * @throws {NotFoundError} for an unknown node
   */
  node(name: string): NodeView {
    // TODO(kata 09, task 1): write Cluster.node.
    throw new Error('kata 09-whole-route: Cluster.node is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The Node object as the API server stores it. */
  nodeObject(name: string): Node {
    // TODO(kata 09, task 1): write Cluster.nodeObject.
    throw new Error('kata 09-whole-route: Cluster.nodeObject is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The node whose InternalIP this is. */
  nodeByIP(ip: string): NodeView | undefined {
    // TODO(kata 09, task 1): write Cluster.nodeByIP.
    throw new Error('kata 09-whole-route: Cluster.nodeByIP is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The running pod that holds this IP. */
  podByIP(ip: string): Pod | undefined {
    // TODO(kata 09, task 1): write Cluster.podByIP.
    throw new Error('kata 09-whole-route: Cluster.podByIP is not implemented yet — see lessons/09-whole-route.md')
  }

  /** Kata 00: whether a packet from `from` reaches the pod IP `ip` at all (routes, not ports). */
  reach(from: Client, ip: string): Reachability {
    // TODO(kata 09, task 1): write Cluster.reach.
    throw new Error('kata 09-whole-route: Cluster.reach is not implemented yet — see lessons/09-whole-route.md')
  }

  /** Whether an address lies in the cluster's pod CIDR (`--cluster-cidr`). */
  inPodNetwork(ip: string): boolean {
    // TODO(kata 09, task 1): write Cluster.inPodNetwork.
    throw new Error('kata 09-whole-route: Cluster.inPodNetwork is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The Service whose cluster IP this is. */
  serviceByClusterIP(ip: string): Service | undefined {
    // TODO(kata 09, task 1): write Cluster.serviceByClusterIP.
    throw new Error('kata 09-whole-route: Cluster.serviceByClusterIP is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The Service that holds this nodePort (or healthCheckNodePort). */
  serviceByNodePort(port: number): Service | undefined {
    // TODO(kata 09, task 1): write Cluster.serviceByNodePort.
    throw new Error('kata 09-whole-route: Cluster.serviceByNodePort is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * The container ports a pod answers on: the echo server listens on every declared
   * `containerPort`, and on every numeric `targetPort` of a Service that selects the pod
   * (a numeric targetPort needs no matching containerPort).
   */
  servesPort(pod: Pod, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): boolean {
    // TODO(kata 09, task 1): declared containerPorts, plus numeric targetPorts of the Services selecting the pod.
    throw new Error('kata 09-whole-route: Cluster.servesPort is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * The kube-proxy of one node (kata 07's {@link NodePortProxier}, itself kata 06's
   * Proxier), synced with the Services a packet to `dest` can meet — the one whose
   * cluster IP it is, and for an address of a node the one whose nodePort is the port —
   * plus those of earlier packets; re-synced when one of them or its endpoints changed.
   * Simplified: a real kube-proxy holds the rules of every Service; rules of the others
   * never match such a packet, so the model leaves them out until they are needed.
   */
  kubeProxy(nodeName: string, dest: { ip: string; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }): NodePortProxier {
    // TODO(kata 09, task 1): the node's NodePortProxier (kata 07), synced with the Service(s) that own dest: its cluster IP, or its
    // TODO(kata 09, task 1): nodePort when dest is a node address.
    throw new Error('kata 09-whole-route: Cluster.kubeProxy is not implemented yet — see lessons/09-whole-route.md')
  }

  /** The cloud load balancer that owns this IP, if any (kata 08's fake cloud). */
  loadBalancerAt(ip: string): LoadBalancerView | undefined {
    // TODO(kata 09, task 1): write Cluster.loadBalancerAt.
    throw new Error('kata 09-whole-route: Cluster.loadBalancerAt is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * The backend nodes the cloud load balancer sends new connections to: those whose
   * health check passes (kata 08) — for `externalTrafficPolicy: Local` the nodes with a
   * ready endpoint of the Service (`healthCheckNodePort` answers 200), for `Cluster` every
   * node whose kube-proxy answers `/healthz`. A node that is down answers neither.
   */
  loadBalancerBackends(lb: LoadBalancerView): string[] {
    // TODO(kata 09, task 1): healthyBackends (kata 08) over the balancer's hosts: kube-proxy up or down, localReadyEndpoints.
    throw new Error('kata 09-whole-route: Cluster.loadBalancerBackends is not implemented yet — see lessons/09-whole-route.md')
  }

  /**
   * The source address a node gives a connection it masquerades (or opens itself) toward
   * `ip`: the route decides. A pod on the same node is reached through the pod's veth,
   * whose host side holds the node's pod-network address (the podCIDR's first IP, CNI
   * `ptp`); anything else through the node's own interface, its InternalIP.
   *
   * @see https://github.com/containernetworking/plugins/blob/v1.7.1/plugins/main/ptp/ptp.go
   */
  snatAddress(nodeName: string, ip: string): string {
    // TODO(kata 09, task 1): the node's pod-network address (its podCIDR's first IP) toward a pod on that node, else its InternalIP.
    throw new Error('kata 09-whole-route: Cluster.snatAddress is not implemented yet — see lessons/09-whole-route.md')
  }

  /** Whether any LoadBalancer Service of the cluster has this ingress IP (captured by kube-proxy on every node). */
  serviceByLoadBalancerIP(ip: string): Service | undefined {
    // TODO(kata 09, task 1): write Cluster.serviceByLoadBalancerIP.
    throw new Error('kata 09-whole-route: Cluster.serviceByLoadBalancerIP is not implemented yet — see lessons/09-whole-route.md')
  }

  /** A version-4 UUID drawn from the seeded random source. */
  private uid(): string {
    let hex = ''
    for (let i = 0; i < 8; i++) hex += this.uids.int(0, 0xffff).toString(16).padStart(4, '0')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16]!, 16) & 3]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
}

// ---------------------------------------------------------------------------
// Object helpers

/**
 * `SetDefaults_Pod`/`SetDefaults_PodSpec` and the admission plugins that every pod
 * meets: `enableServiceLinks: true`, `dnsPolicy: ClusterFirst`, `restartPolicy: Always`,
 * `schedulerName`, `terminationGracePeriodSeconds: 30`, container ports `protocol: TCP`,
 * and DefaultTolerationSeconds' tolerations for not-ready and unreachable nodes (300 s).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/v1/defaults.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/plugin/pkg/admission/defaulttolerationseconds/admission.go
 */
export function defaultPod(pod: Pod, namespace: string): Pod {
  // TODO(kata 09, task 1): fill what SetDefaults_PodSpec and DefaultTolerationSeconds fill (see the list above); return a new Pod.
  throw new Error('kata 09-whole-route: defaultPod is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The few pod rules the course needs (`ValidatePodCreate`, reduced): a DNS-1123 subdomain
 * name; at least one container, each with a name and an image; container ports 1–65535.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validatePod(pod: Pod): FieldError[] {
  // TODO(kata 09, task 1): name (DNS-1123 subdomain), at least one container, each with name and image, ports 1–65535.
  throw new Error('kata 09-whole-route: validatePod is not implemented yet — see lessons/09-whole-route.md')
}

function invalidResult(kind: string, name: string, namespace: string | undefined, errs: readonly FieldError[]): ApplyResult {
  return { ok: false, kind, name, ...(namespace !== undefined ? { namespace } : {}), error: formatInvalid(kind, name, errs) }
}

/**
 * `patchAllocatedValues`: an update that leaves out what the API server allocated (a
 * manifest never names its cluster IP or node ports) keeps the allocated values —
 * cluster IPs, each port's nodePort (matched by port name, unless another port now uses
 * it), healthCheckNodePort.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/storage.go
 */
export function patchAllocatedValues(next: Service, old: Service): void {
  // TODO(kata 09, task 1): copy the old cluster IPs, nodePorts (by port name, unless now used by another port) and healthCheckNodePort into `next` where it has none.
  throw new Error('kata 09-whole-route: patchAllocatedValues is not implemented yet — see lessons/09-whole-route.md')
}

/** Undoes {@link updateServiceNodePorts} after a failed validation: new ports back, old ones taken again. */
function revertNodePorts(old: Service, stored: Service, alloc: PortAllocator): void {
  const ports = (s: Service) =>
    new Set([...(s.spec?.ports ?? []).map((p) => p.nodePort ?? 0), s.spec?.healthCheckNodePort ?? 0].filter((p) => p !== 0))
  const before = ports(old)
  const after = ports(stored)
  for (const p of after) if (!before.has(p)) alloc.release(p)
  for (const p of before) {
    if (!after.has(p) && !alloc.has(p)) alloc.allocate(p)
  }
}

/** kubeadm's CoreDNS Deployment, as data (given). */
export function corednsDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: CONTROL_PLANE_TAINT, effect: 'NoSchedule' },
          ],
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
            },
          ],
          dnsPolicy: 'Default',
        },
      },
    },
  }
}

/** kubeadm's `kube-system/kube-dns` Service, as data (given). */
export function kubeDNSService(clusterIP: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      clusterIP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  }
}

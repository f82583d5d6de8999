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
  return safeEncodeString(String(fnv32a(canonicalJSON(template))))
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
  readonly seed: number
  readonly clusterDomain = CLUSTER_DOMAIN
  readonly clusterDNSIP = CLUSTER_DNS_IP
  /** Random draws of the data path: which load-balancer backend, which client port. */
  readonly random: Random
  readonly cloud: FakeCloud | undefined
  private readonly names: Random
  private readonly uids: Random
  private readonly podDNS: PodMode
  private readonly upstream: readonly string[]
  private readonly proxyMode: 'iptables' | 'ipvs'
  private readonly clusterCIDR: string
  private clock = 0
  /** API sequence: every change increments it. */
  private seq = 0
  /** Bumped with every change that the DNS zone could see. */
  private generation = 0

  private readonly network: PodNetwork
  private readonly ipRange: Range
  private readonly portAlloc: PortAllocator
  private readonly endpointsController = new EndpointsController()
  private readonly serviceController: ServiceController | undefined

  private readonly namespaceStore = new Map<string, Namespace>()
  private readonly nodeStore = new Map<string, NodeState>()
  private readonly nodeOrder: NodeState[] = []
  private readonly podCounts: number[] = []
  private readonly heap: NodeHeap
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
  private dnsCache: { generation: number; server: KubeDNS } | undefined
  private readonly forwards = new Set<PortForwardSession>()
  private batching = 0

  constructor(options: ClusterOptions = {}) {
    this.seed = options.seed ?? DEFAULT_SEED
    this.names = new Random(this.seed)
    this.uids = new Random(this.seed + 1)
    this.random = new Random(this.seed + 2)
    this.podDNS = options.podDNS ?? 'insecure'
    this.upstream = options.upstream ?? []
    this.proxyMode = options.proxyMode ?? 'iptables'
    this.clusterCIDR = options.clusterCIDR ?? CLUSTER_CIDR
    this.network = new PodNetwork({
      nodes: [],
      clusterCIDR: this.clusterCIDR,
      nodeCIDRMaskSize: options.nodeCIDRMaskSize ?? NODE_CIDR_MASK_SIZE,
      routablePodIPs: options.routablePodIPs ?? false,
    })
    this.ipRange = newCIDRRange(options.serviceCIDR ?? SERVICE_CIDR, this.seed)
    this.portAlloc = new PortAllocator(NODE_PORT_RANGE, this.seed)
    this.cloud = options.cloud === false ? undefined : (options.cloud ?? new FakeCloud())
    this.serviceController = this.cloud ? new ServiceController(this.cloud, { now: () => new Date(timestamp(this.clock)) }) : undefined
    this.heap = new NodeHeap(this.podCounts)
    this.bootstrap(options.nodes ?? DEFAULT_NODES)
  }

  /**
   * What `kind create cluster` leaves behind: the system namespaces, the control plane
   * with the `kubernetes` Service (10.96.0.1:443 → the API server on :6443), CoreDNS (two
   * pods, on the control plane because it is the only node yet) behind `kube-system/kube-dns`
   * (10.96.0.10), then the workers joining.
   */
  private bootstrap(nodes: readonly NodeInfo[]): void {
    if (nodes.length === 0) throw new ClusterError('a cluster needs at least one node')
    for (const ns of SYSTEM_NAMESPACES) this.createNamespace(ns)
    const cp = nodes.find((n) => n.controlPlane) ?? nodes[0]!
    this.addNode(cp)
    this.mustApply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: KUBERNETES_SERVICE.name, namespace: KUBERNETES_SERVICE.namespace, labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { ports: [{ ...KUBERNETES_SERVICE.port }] },
    })
    this.writeAPIServerEndpoints(cp)
    this.mustApply(corednsDeployment())
    this.mustApply(kubeDNSService(this.clusterDNSIP))
    for (const n of nodes) if (n !== cp) this.addNode(n)
  }

  private mustApply(obj: KubeObject): void {
    const r = this.applyObject(obj, '<bootstrap>')
    if (!r.ok) throw new ClusterError(r.error)
  }

  /** The API server's endpoint reconciler: Endpoints and EndpointSlice `kubernetes` → the control plane's :6443. */
  private writeAPIServerEndpoints(cp: NodeInfo): void {
    const port = KUBERNETES_SERVICE.port
    const endpoints: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { [SKIP_MIRROR_LABEL]: 'true' } },
      subsets: [{ addresses: [{ ip: cp.internalIP }], ports: [{ name: port.name, port: port.targetPort, protocol: port.protocol }] }],
    }
    this.endpointsController.applyEndpoints(endpoints)
    this.apiserverSlices.set('default/kubernetes', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { [LABEL_SERVICE_NAME]: 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [cp.internalIP], conditions: { ready: true } }],
      ports: [{ name: port.name, port: port.targetPort, protocol: port.protocol }],
    })
    this.bump('default/kubernetes')
  }

  // ---- time

  /** Seconds since the cluster was created. */
  get now(): number {
    return this.clock
  }

  /** Lets time pass: the node lifecycle controller acts on nodes that stopped answering. */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError(`advance: seconds must be ≥ 0, got ${seconds}`)
    this.clock += seconds
    this.batch(() => {
      for (const n of this.nodeOrder) {
        if (n.up || n.downSince === undefined) continue
        if (n.markedAt === undefined && this.clock - n.downSince >= NODE_MONITOR_GRACE_PERIOD) this.markUnreachable(n)
        if (n.markedAt !== undefined && this.clock - n.markedAt >= DEFAULT_TOLERATION_SECONDS) this.evictPods(n)
      }
    })
  }

  // ---- nodes

  private addNode(info: NodeInfo): void {
    if (this.nodeStore.has(info.name)) throw new ClusterError(`nodes "${info.name}" already exists`)
    const podCIDR = this.network.addNode(info)
    const cidr = parseCIDR(podCIDR)!
    const gateway = formatIP(fromBigInt(cidr.network + 1n, cidr.family))
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: info.name,
        uid: this.uid(),
        creationTimestamp: timestamp(this.clock),
        labels: {
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': info.name,
          'kubernetes.io/os': 'linux',
          ...(info.controlPlane ? { [CONTROL_PLANE_TAINT]: '', [LABEL_NODE_EXCLUDE_BALANCERS]: '' } : {}),
        },
      },
      spec: {
        podCIDR,
        podCIDRs: [podCIDR],
        providerID: `kind://docker/kind/${info.name}`,
        ...(info.controlPlane ? { taints: [{ key: CONTROL_PLANE_TAINT, effect: 'NoSchedule' }] } : {}),
      },
      status: {
        addresses: [
          { type: 'InternalIP', address: info.internalIP },
          { type: 'Hostname', address: info.name },
        ],
        conditions: [readyCondition('True', this.clock)],
      },
    }
    const state: NodeState = { index: this.nodeOrder.length, info, node, podCIDR, gateway, up: true }
    this.nodeStore.set(info.name, state)
    this.nodeOrder.push(state)
    this.podCounts.push(0)
    this.heap.push(state.index)
    this.serviceController?.addNode(node)
    this.syncLoadBalancerStatuses()
    this.changed()
  }

  private nodeState(name: string): NodeState {
    const n = this.nodeStore.get(name)
    if (!n) throw new NotFoundError('nodes', name)
    return n
  }

  /** The node stops answering (powered off, or cut off the network). */
  nodeDown(name: string): void {
    const n = this.nodeState(name)
    if (!n.up) return
    n.up = false
    n.downSince = this.clock
    this.changed()
  }

  /** The node answers again: its kubelet reports Ready, finishes deleting evicted pods, starts the pods waiting for it. */
  nodeUp(name: string): void {
    const n = this.nodeState(name)
    if (n.up) return
    n.up = true
    n.downSince = undefined
    this.batch(() => {
      if (n.markedAt !== undefined) {
        n.markedAt = undefined
        n.node = {
          ...n.node,
          spec: { ...n.node.spec, taints: (n.node.spec?.taints ?? []).filter((t) => t.key !== UNREACHABLE_TAINT) },
          status: { ...n.node.status, conditions: [readyCondition('True', this.clock)] },
        }
        if ((n.node.spec?.taints ?? []).length === 0) delete n.node.spec!.taints
        this.serviceController?.updateNode(n.node)
        this.syncLoadBalancerStatuses()
      }
      for (const rec of this.podsOnNode(n.info.name)) {
        if (rec.pod.metadata?.deletionTimestamp) this.removePod(rec)
        else if (!rec.pod.status?.podIP) this.startPod(rec)
        else this.setReadyCondition(rec, true)
      }
    })
    this.changed()
  }

  private markUnreachable(n: NodeState): void {
    n.markedAt = this.clock
    const taints: Taint[] = [
      ...(n.node.spec?.taints ?? []),
      { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: timestamp(this.clock) },
      { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: timestamp(this.clock) },
    ]
    n.node = {
      ...n.node,
      spec: { ...n.node.spec, taints },
      status: {
        ...n.node.status,
        conditions: [
          {
            type: 'Ready',
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
            lastTransitionTime: timestamp(this.clock),
          },
        ],
      },
    }
    this.serviceController?.updateNode(n.node)
    this.syncLoadBalancerStatuses()
    // MarkPodsNotReady: every pod of the node gets Ready=False.
    for (const rec of this.podsOnNode(n.info.name)) if (rec.pod.status?.podIP) this.setReadyCondition(rec, false)
    this.changed()
  }

  private evictPods(n: NodeState): void {
    const owners = new Set<string>()
    for (const rec of this.podsOnNode(n.info.name)) {
      if (rec.pod.metadata?.deletionTimestamp) continue
      rec.pod = { ...rec.pod, metadata: { ...rec.pod.metadata, deletionTimestamp: timestamp(this.clock) } }
      this.podChanged(rec, rec.pod)
      if (rec.owner) owners.add(rec.owner)
    }
    for (const o of owners) this.reconcileDeployment(o)
  }

  private podsOnNode(node: string): PodRecord[] {
    return [...this.podStore.values()].filter((r) => r.pod.spec?.nodeName === node)
  }

  // ---- the API: apply, delete

  /**
   * `kubectl apply -f FILE` with the file's text: one result per object, in file order.
   * A file that cannot be read (kata 01's {@link ManifestError}) applies nothing and gives
   * one result with kubectl's error.
   */
  apply(text: string, file = 'manifest.yaml'): ApplyResult[] {
    let manifests: Manifest[]
    try {
      manifests = readManifests(text, file)
    } catch (err) {
      if (err instanceof ManifestError) return [{ ok: false, error: err.message }]
      throw err
    }
    const results: ApplyResult[] = []
    this.batch(() => {
      for (const m of manifests) results.push(this.applyManifest(m))
    })
    return results
  }

  /** Creates or updates one object given as API data (what `kubectl apply` sends), without YAML. */
  applyObject(object: KubeObject, file = '<api>'): ApplyResult {
    let result: ApplyResult | undefined
    this.batch(() => {
      result = this.applyManifest({ object, file, line: 1 })
    })
    return result!
  }

  /**
   * Runs `changes` and lets the endpoints controller sync each affected Service once at
   * the end (many pods at once, like a controller's work queue).
   */
  batch(changes: () => void): void {
    this.batching++
    try {
      if (this.batching === 1) this.endpointsController.batch(changes)
      else changes()
    } finally {
      this.batching--
    }
  }

  private applyManifest(m: Manifest): ApplyResult {
    const obj = m.object
    const kind = obj.kind
    const name = obj.metadata?.name ?? ''
    const expected = API_VERSIONS[kind]
    if (expected === undefined) {
      // Simplified: the simulator knows only these kinds; a real API server knows many more.
      return { ok: false, kind, name, error: `error: the course's cluster does not model kind "${kind}" (it knows ${Object.keys(API_VERSIONS).join(', ')})` }
    }
    if (expected !== obj.apiVersion) {
      return {
        ok: false,
        kind,
        name,
        error:
          `error: resource mapping not found for name: "${name}" namespace: "${obj.metadata?.namespace ?? ''}" from "${m.file}": ` +
          `no matches for kind "${kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
      }
    }
    const namespace = kind === 'Namespace' ? undefined : obj.metadata?.namespace || 'default'
    if (namespace !== undefined && !this.namespaceStore.has(namespace)) {
      return { ok: false, kind, namespace, name, error: `Error from server (NotFound): error when creating "${m.file}": namespaces "${namespace}" not found` }
    }
    const key = `${kind}/${namespace ?? ''}/${name}`
    const manifest = canonicalJSON(obj)
    // kubectl compares with the live object's last-applied-configuration: only an object that still exists can be unchanged.
    if (this.lastApplied.get(key) === manifest && this.exists(kind, namespace ?? '', name)) {
      return { ok: true, kind, ...(namespace !== undefined ? { namespace } : {}), name, action: 'unchanged', text: `${RESOURCE[kind]}/${name} unchanged` }
    }
    let action: ApplyAction | ApplyResult
    try {
      switch (kind) {
        case 'Namespace':
          action = this.applyNamespace(obj)
          break
        case 'Pod':
          action = this.applyPod(obj, namespace!)
          break
        case 'Deployment':
          action = this.applyDeployment(obj, namespace!)
          break
        case 'Service':
          action = this.applyService(m, namespace!)
          break
        default:
          action = this.applyEndpoints(obj, namespace!)
      }
    } catch (err) {
      if (err instanceof ManifestError) return { ok: false, kind, name, ...(namespace !== undefined ? { namespace } : {}), error: err.message }
      if (err instanceof StatusError) return { ok: false, kind, name, ...(namespace !== undefined ? { namespace } : {}), error: statusText(err, m.file) }
      throw err
    }
    if (typeof action !== 'string') return action
    this.lastApplied.set(key, manifest)
    return { ok: true, kind, ...(namespace !== undefined ? { namespace } : {}), name, action, text: `${RESOURCE[kind]}/${name} ${action}` }
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
    const k = KIND_ALIASES[kind.toLowerCase()] ?? kind
    let text = ''
    this.batch(() => {
      switch (k) {
        case 'Namespace':
          text = this.deleteNamespace(name)
          break
        case 'Pod': {
          const rec = this.podStore.get(keyOf(namespace, name))
          if (!rec) throw new NotFoundError('pods', name)
          this.removePod(rec)
          if (rec.owner) this.reconcileDeployment(rec.owner)
          text = `pod "${name}" deleted`
          break
        }
        case 'Deployment': {
          const key = keyOf(namespace, name)
          if (!this.deploymentStore.has(key)) throw new NotFoundError('deployments.apps', name)
          this.deploymentStore.delete(key)
          for (const rec of this.ownedPods(key)) this.removePod(rec)
          text = `deployment.apps "${name}" deleted`
          break
        }
        case 'Service': {
          const key = keyOf(namespace, name)
          const svc = this.serviceStore.get(key)
          if (!svc) throw new NotFoundError('services', name)
          this.removeService(svc)
          text = `service "${name}" deleted`
          break
        }
        case 'Endpoints': {
          if (!this.endpointsController.get(namespace, name)) throw new NotFoundError('endpoints', name)
          this.endpointsController.deleteEndpoints(namespace, name)
          this.bump(keyOf(namespace, name))
          text = `endpoints "${name}" deleted`
          break
        }
        default:
          throw new ClusterError(`error: the server doesn't have a resource type "${kind}"`)
      }
    })
    this.changed()
    return text
  }

  // ---- Namespaces

  private createNamespace(name: string): void {
    this.namespaceStore.set(name, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: this.uid(), creationTimestamp: timestamp(this.clock), labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    })
    this.changed()
  }

  private applyNamespace(obj: KubeObject): ApplyAction | ApplyResult {
    const name = obj.metadata?.name ?? ''
    const errs = isDNS1123Label(name).map((msg) => invalid(newPath('metadata', 'name'), name, msg))
    if (!name) errs.unshift(required(newPath('metadata', 'name'), 'name or generateName is required'))
    if (errs.length) return invalidResult('Namespace', name, undefined, errs)
    if (this.namespaceStore.has(name)) return 'configured'
    this.createNamespace(name)
    return 'created'
  }

  private deleteNamespace(name: string): string {
    if (!this.namespaceStore.has(name)) throw new NotFoundError('namespaces', name)
    for (const [key] of this.deploymentStore) if (key.startsWith(`${name}/`)) this.deploymentStore.delete(key)
    for (const rec of [...this.podStore.values()]) if (rec.pod.metadata?.namespace === name) this.removePod(rec)
    for (const svc of [...this.serviceStore.values()]) if (svc.metadata?.namespace === name) this.removeService(svc)
    for (const ep of this.endpointsController.list(name)) this.endpointsController.deleteEndpoints(name, ep.metadata?.name ?? '')
    this.namespaceStore.delete(name)
    return `namespace "${name}" deleted`
  }

  // ---- Pods

  private applyPod(obj: KubeObject, namespace: string): ApplyAction | ApplyResult {
    const pod = defaultPod(structuredClone(obj) as unknown as Pod, namespace)
    const name = pod.metadata?.name ?? ''
    const errs = validatePod(pod)
    if (errs.length) return invalidResult('Pod', name, namespace, errs)
    const existing = this.podStore.get(keyOf(namespace, name))
    if (!existing) {
      this.admitPod(pod)
      return 'created'
    }
    const old = existing.pod
    const specOf = (p: Pod) => canonicalJSON({ ...p.spec, nodeName: undefined })
    if (specOf(old) !== specOf(pod)) {
      // Simplified: the API server also prints a diff of the two specs after this message.
      return invalidResult('Pod', name, namespace, [forbidden(newPath('spec'), POD_UPDATE_FORBIDDEN)])
    }
    const updated: Pod = {
      ...old,
      metadata: { ...old.metadata, labels: pod.metadata?.labels ?? {}, ...(pod.metadata?.annotations ? { annotations: pod.metadata.annotations } : {}) },
    }
    this.podChanged(existing, updated)
    return 'configured'
  }

  /** Stores a new pod, schedules it and (if its node answers) starts it. */
  private admitPod(given: Pod, owner?: string): PodRecord {
    let pod: Pod = given
    const namespace = pod.metadata!.namespace!
    const name = pod.metadata!.name!
    pod.metadata = { ...pod.metadata, uid: this.uid(), creationTimestamp: timestamp(this.clock) }
    const nodeName = pod.spec?.nodeName || this.schedule(pod)
    pod.spec = { ...pod.spec!, ...(nodeName ? { nodeName } : {}) }
    const status: Pod['status'] = nodeName
      ? { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(this.clock) }], qosClass: 'BestEffort' }
      : {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: `0/${this.nodeOrder.length} nodes are available: no node tolerates the pod's taints.`,
              lastTransitionTime: timestamp(this.clock),
            },
          ],
          qosClass: 'BestEffort',
        }
    pod = { ...pod, status }
    const rec: PodRecord = { pod, ...(owner ? { owner } : {}) }
    const key = keyOf(namespace, name)
    this.podStore.set(key, rec)
    let names = this.podsByNamespace.get(namespace)
    if (!names) this.podsByNamespace.set(namespace, (names = new Set()))
    names.add(name)
    this.indexPodLabels(namespace, name, pod.metadata?.labels ?? {}, true)
    if (owner) {
      let set = this.podsByOwner.get(owner)
      if (!set) this.podsByOwner.set(owner, (set = new Set()))
      set.add(key)
    }
    const node = nodeName ? this.nodeStore.get(nodeName) : undefined
    if (node) {
      this.podCounts[node.index]!++
      this.heap.update(node.index)
    }
    this.endpointsController.addPod(pod)
    this.bumpSelecting(namespace, pod.metadata?.labels ?? {})
    this.seq++
    if (node?.up) this.startPod(rec)
    this.changed()
    return rec
  }

  /**
   * The kube-scheduler, reduced: among the nodes whose `NoSchedule`/`NoExecute` taints the
   * pod tolerates, the one with the fewest pods; ties go to the node that joined first.
   */
  private schedule(pod: Pod): string | undefined {
    const tolerations = pod.spec?.tolerations ?? []
    const fits = (n: NodeState) =>
      (n.node.spec?.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || tolerations.some((tol) => toleratesTaint(tol, t)))
    const skipped: number[] = []
    let chosen: NodeState | undefined
    for (;;) {
      const i = this.heap.pop()
      if (i === undefined) break
      skipped.push(i)
      const n = this.nodeOrder[i]!
      if (fits(n)) {
        chosen = n
        break
      }
    }
    for (const i of skipped) this.heap.push(i)
    return chosen?.info.name
  }

  /** The kubelet starts the pod: sandbox and IP (kata 00), containers Running and Ready, environment fixed now. */
  private startPod(rec: PodRecord): void {
    const pod = rec.pod
    const node = this.nodeStore.get(pod.spec?.nodeName ?? '')
    if (!node || !node.up) return
    const ip = this.network.addPod(pod)
    const t = timestamp(this.clock)
    const started: Pod = {
      ...pod,
      status: {
        phase: 'Running',
        hostIP: node.info.internalIP,
        hostIPs: [{ ip: node.info.internalIP }],
        podIP: ip,
        podIPs: [{ ip }],
        startTime: t,
        qosClass: 'BestEffort',
        conditions: [
          { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: t },
          { type: 'Initialized', status: 'True', lastTransitionTime: t },
          { type: 'Ready', status: 'True', lastTransitionTime: t },
          { type: 'ContainersReady', status: 'True', lastTransitionTime: t },
          { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
        ],
        containerStatuses: (pod.spec?.containers ?? []).map((c: Container) => ({
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: t } },
        })),
      },
    }
    this.seq++
    rec.startSeq = this.seq
    this.podByIPs.set(ip, keyOf(pod.metadata!.namespace!, pod.metadata!.name!))
    this.podChanged(rec, started)
  }

  /** A pod's new version: the controllers and caches hear about it. */
  private podChanged(rec: PodRecord, next: Pod): void {
    const before = rec.pod
    const namespace = next.metadata!.namespace!
    const name = next.metadata!.name!
    rec.pod = next
    const oldLabels = before.metadata?.labels ?? {}
    const newLabels = next.metadata?.labels ?? {}
    const relabelled = oldLabels !== newLabels && !sameLabels(oldLabels, newLabels)
    if (relabelled) {
      this.indexPodLabels(namespace, name, oldLabels, false)
      this.indexPodLabels(namespace, name, newLabels, true)
    }
    this.endpointsController.updatePod(next)
    this.bumpSelecting(namespace, oldLabels)
    if (relabelled) this.bumpSelecting(namespace, newLabels)
    this.changed()
  }

  private setReadyCondition(rec: PodRecord, ready: boolean): void {
    const status = ready ? 'True' : 'False'
    const t = timestamp(this.clock)
    const conditions = (rec.pod.status?.conditions ?? []).map((c: PodCondition) =>
      (c.type === 'Ready' || c.type === 'ContainersReady') && c.status !== status ? { ...c, status, lastTransitionTime: t } : c,
    )
    const containerStatuses = (rec.pod.status?.containerStatuses ?? []).map((c) => ({ ...c, ready }))
    this.podChanged(rec, { ...rec.pod, status: { ...rec.pod.status, conditions, containerStatuses } })
  }

  /** Removes a pod at once: its IP goes back to the node's allocator. */
  private removePod(rec: PodRecord): void {
    const pod = rec.pod
    const namespace = pod.metadata!.namespace!
    const name = pod.metadata!.name!
    const key = keyOf(namespace, name)
    if (!this.podStore.has(key)) return
    if (pod.status?.podIP) {
      this.network.deletePod(namespace, name)
      this.podByIPs.delete(pod.status.podIP)
    }
    this.podStore.delete(key)
    if (rec.owner) this.podsByOwner.get(rec.owner)?.delete(key)
    this.podsByNamespace.get(namespace)?.delete(name)
    this.indexPodLabels(namespace, name, pod.metadata?.labels ?? {}, false)
    const node = this.nodeStore.get(pod.spec?.nodeName ?? '')
    if (node) {
      this.podCounts[node.index]!--
      this.heap.update(node.index)
    }
    this.endpointsController.deletePod(pod)
    this.bumpSelecting(namespace, pod.metadata?.labels ?? {})
    for (const session of this.forwards) {
      session.podDeleted(namespace, name)
      if (!session.active) this.forwards.delete(session)
    }
    this.seq++
    this.changed()
  }

  /**
   * Makes a pod's readiness probe pass or fail: its `Ready` condition (and
   * `ContainersReady`) changes, and every controller that watches pods hears of it.
   * @throws {NotFoundError} for an unknown pod
   */
  setPodReady(namespace: string, name: string, ready: boolean): void {
    const rec = this.podStore.get(keyOf(namespace, name))
    if (!rec) throw new NotFoundError('pods', name)
    if (!rec.pod.status?.podIP) throw new ClusterError(`pod ${namespace}/${name} is not running`)
    this.batch(() => this.setReadyCondition(rec, ready))
  }

  private indexPodLabels(namespace: string, name: string, labels: Record<string, string>, add: boolean): void {
    let index = this.podLabelIndex.get(namespace)
    if (!index) this.podLabelIndex.set(namespace, (index = new Map()))
    for (const [k, v] of Object.entries(labels)) {
      const lk = labelKey(k, v)
      let set = index.get(lk)
      if (add) {
        if (!set) index.set(lk, (set = new Set()))
        set.add(name)
      } else {
        set?.delete(name)
        if (set?.size === 0) index.delete(lk)
      }
    }
  }

  /** Pods of the namespace that might match `selector` (all of them for an empty one). */
  private candidatePods(namespace: string, selector: Record<string, string>): Pod[] {
    const entries = Object.entries(selector)
    let names: Iterable<string> | undefined = this.podsByNamespace.get(namespace)
    const index = this.podLabelIndex.get(namespace)
    for (const [k, v] of entries) {
      const set = index?.get(labelKey(k, v))
      if (!set) return []
      if (names === undefined || set.size < (names as Set<string>).size) names = set
    }
    const out: Pod[] = []
    for (const n of names ?? []) {
      const rec = this.podStore.get(keyOf(namespace, n))
      if (rec) out.push(rec.pod)
    }
    return out
  }

  // ---- Deployments

  private applyDeployment(obj: KubeObject, namespace: string): ApplyAction | ApplyResult {
    const d = structuredClone(obj) as unknown as Deployment
    const name = d.metadata?.name ?? ''
    d.metadata = { ...d.metadata, name, namespace }
    const spec = d.spec
    const errs: FieldError[] = []
    if (!name) errs.push(required(newPath('metadata', 'name'), 'name or generateName is required'))
    const replicas = spec?.replicas ?? 1
    if (replicas < 0) errs.push(invalid(newPath('spec', 'replicas'), replicas, 'must be greater than or equal to 0'))
    const sel = spec?.selector
    if (!sel) {
      errs.push(required(newPath('spec', 'selector'), ''))
    } else if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
      errs.push(invalid(newPath('spec', 'selector'), sel, 'empty selector is invalid for deployment'))
    } else {
      const selector = labelSelectorAsSelector(sel)
      const labels = spec?.template?.metadata?.labels ?? {}
      if (!selector.matches(labels)) {
        errs.push(invalid(newPath('spec', 'template', 'metadata', 'labels'), labels, '`selector` does not match template `labels`'))
      }
    }
    errs.push(...validatePodSpec(spec?.template?.spec, newPath('spec', 'template', 'spec')))
    if (errs.length) return invalidResult('Deployment', name, namespace, errs)
    const key = keyOf(namespace, name)
    const existing = this.deploymentStore.get(key)
    const stored: Deployment = {
      ...d,
      metadata: {
        ...d.metadata,
        uid: existing?.deployment.metadata?.uid ?? this.uid(),
        creationTimestamp: existing?.deployment.metadata?.creationTimestamp ?? timestamp(this.clock),
        generation: (existing?.deployment.metadata?.generation ?? 0) + 1,
      },
      spec: { ...d.spec!, replicas, selector: sel! },
    }
    this.deploymentStore.set(key, { deployment: stored })
    this.reconcileDeployment(key)
    return existing ? 'configured' : 'created'
  }

  /**
   * The Deployment and ReplicaSet controllers in one step: pods of an older template go,
   * the current ReplicaSet is scaled to `replicas` (extra pods: not-ready ones first, then
   * the newest).
   */
  private reconcileDeployment(key: string): void {
    const rec = this.deploymentStore.get(key)
    if (!rec) return
    const d = rec.deployment
    const namespace = d.metadata!.namespace!
    const hash = podTemplateHash(d.spec!.template)
    const rsName = `${d.metadata!.name}-${hash}`
    const owned = this.ownedPods(key).filter((r) => !r.pod.metadata?.deletionTimestamp)
    for (const r of owned) if (r.pod.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] !== hash) this.removePod(r)
    const current = owned.filter((r) => this.podStore.has(metaKey(r.pod)))
    const want = d.spec!.replicas ?? 1
    for (let i = current.length; i < want; i++) {
      let name = generateName(`${rsName}-`, this.names)
      while (this.podStore.has(keyOf(namespace, name))) name = generateName(`${rsName}-`, this.names)
      const template = d.spec!.template
      const pod: Pod = defaultPod(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            ...template.metadata,
            name,
            generateName: `${rsName}-`,
            namespace,
            labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: `rs-${d.metadata!.uid}`, controller: true, blockOwnerDeletion: true }],
          },
          spec: template.spec!,
        },
        namespace,
      )
      this.admitPod(pod, key)
    }
    if (current.length > want) {
      const rank = (r: PodRecord) => (isReady(r.pod) ? 1 : 0)
      const victims = [...current]
        .sort((a, b) => rank(a) - rank(b) || ((b.pod.metadata?.creationTimestamp ?? '') < (a.pod.metadata?.creationTimestamp ?? '') ? -1 : 1))
        .slice(0, current.length - want)
      for (const v of victims) this.removePod(v)
    }
  }

  private ownedPods(owner: string): PodRecord[] {
    const out: PodRecord[] = []
    for (const k of this.podsByOwner.get(owner) ?? []) {
      const rec = this.podStore.get(k)
      if (rec) out.push(rec)
    }
    return out
  }

  // ---- Services

  private applyService(m: Manifest, namespace: string): ApplyAction | ApplyResult {
    const decoded = decodeService({ ...m, object: { ...m.object, metadata: { ...m.object.metadata, namespace } } })
    const svc = setDefaultsService(decoded)
    const name = svc.metadata?.name ?? ''
    const key = keyOf(namespace, name)
    const old = this.serviceStore.get(key)
    return old ? this.updateService(old, svc) : this.createService(svc)
  }

  /** Create: allocate (kata 06, 07), then validate (kata 01); on failure give back what was taken. */
  private createService(svc: Service): ApplyAction | ApplyResult {
    const name = svc.metadata?.name ?? ''
    const namespace = svc.metadata?.namespace ?? ''
    let withIP: Service
    try {
      withIP = allocateServiceClusterIPs(svc, this.ipRange)
    } catch (err) {
      if (err instanceof StatusError) throw err
      throw newInternalError((err as Error).message)
    }
    let stored: Service
    try {
      stored = allocateServiceNodePorts(withIP, this.portAlloc)
    } catch (err) {
      releaseServiceClusterIPs(withIP, this.ipRange)
      throw err
    }
    const errs = validateService(stored)
    if (errs.length) {
      releaseServiceClusterIPs(stored, this.ipRange)
      releaseServiceNodePorts(stored, this.portAlloc)
      return invalidResult('Service', name, namespace, errs)
    }
    // The API server drops a new object's status; a Service reads back `status: {loadBalancer: {}}`.
    this.storeService({ ...stored, metadata: { ...stored.metadata, uid: this.uid(), creationTimestamp: timestamp(this.clock) }, status: { loadBalancer: {} } }, undefined)
    return 'created'
  }

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

  private removeService(svc: Service): void {
    const key = metaKey(svc)
    releaseServiceClusterIPs(svc, this.ipRange)
    releaseServiceNodePorts(svc, this.portAlloc)
    this.unindexService(svc)
    this.serviceStore.delete(key)
    this.seq++
    const prev = this.currentVersion.get(key)
    if (prev) prev.to = this.seq
    this.currentVersion.delete(key)
    this.endpointsController.deleteService(svc)
    this.serviceController?.deleteService(svc.metadata?.namespace ?? '', svc.metadata?.name ?? '')
    this.lbServices.delete(key)
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

  private syncLoadBalancerStatuses(): void {
    for (const svc of this.serviceStore.values()) if (svc.spec?.type === 'LoadBalancer') this.copyControllerState(metaKey(svc))
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

  /** Services of the namespace whose selector matches these labels (kata 02). */
  private servicesSelecting(namespace: string, labels: Record<string, string>): Service[] {
    const index = this.serviceSelectorIndex.get(namespace)
    if (!index) return []
    const keys = new Set(index.matchAll)
    for (const [k, v] of Object.entries(labels)) for (const key of index.byLabel.get(labelKey(k, v)) ?? []) keys.add(key)
    const out: Service[] = []
    for (const key of keys) {
      const svc = this.serviceStore.get(key)
      if (svc && selectorFromSet(svc.spec?.selector).matches(labels)) out.push(svc)
    }
    return out
  }

  /** The Services whose endpoints may change with a pod of these labels (or that `old` Service selected). */
  private bumpSelecting(namespace: string, labels: Record<string, string>, old?: Service): void {
    for (const svc of this.servicesSelecting(namespace, labels)) this.bump(metaKey(svc))
    if (old) this.bump(metaKey(old))
  }

  private bump(key: string): void {
    this.serviceVersion.set(key, (this.serviceVersion.get(key) ?? 0) + 1)
  }

  private changed(): void {
    this.generation++
  }

  // ---- Endpoints written by users

  private applyEndpoints(obj: KubeObject, namespace: string): ApplyAction | ApplyResult {
    const eps = structuredClone(obj) as unknown as Endpoints
    const name = eps.metadata?.name ?? ''
    eps.metadata = { ...eps.metadata, name, namespace }
    const errs: FieldError[] = []
    ;(eps.subsets ?? []).forEach((s, i) => {
      for (const [field, list] of [
        ['addresses', s.addresses],
        ['notReadyAddresses', s.notReadyAddresses],
      ] as const) {
        ;(list ?? []).forEach((a: EndpointAddress, j: number) => {
          if (!parseIP(a.ip ?? '')) {
            errs.push(invalid(newPath('subsets').index(i).child(field).index(j).child('ip'), a.ip ?? '', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'))
          }
        })
      }
      ;(s.ports ?? []).forEach((p: CoreEndpointPort, j: number) => {
        if (!(p.port >= 1 && p.port <= 65535)) errs.push(invalid(newPath('subsets').index(i).child('ports').index(j).child('port'), p.port, 'must be between 1 and 65535, inclusive'))
        p.protocol ??= 'TCP'
      })
    })
    if (errs.length) return invalidResult('Endpoints', name, namespace, errs)
    const existed = this.endpointsController.get(namespace, name) !== undefined
    this.endpointsController.applyEndpoints(eps)
    this.bump(keyOf(namespace, name))
    this.changed()
    return existed ? 'configured' : 'created'
  }

  /**
   * The EndpointSlice mirroring controller: a Service without selector gets one slice per
   * subset of the user's Endpoints (`<name>-xxxxx`, managed by
   * endpointslicemirroring-controller.k8s.io), unless the Endpoints carry
   * `endpointslice.kubernetes.io/skip-mirror: "true"`.
   *
   * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpointslicemirroring/utils.go
   */
  private mirroredSlices(svc: Service): EndpointSlice[] {
    const namespace = svc.metadata?.namespace ?? ''
    const name = svc.metadata?.name ?? ''
    const eps = this.endpointsController.get(namespace, name)
    if (!eps || eps.metadata?.labels?.[SKIP_MIRROR_LABEL] === 'true') return []
    const random = new Random(fnv32a(`mirror/${namespace}/${name}`))
    return (eps.subsets ?? []).map((subset) => {
      const endpoint = (a: EndpointAddress, ready: boolean): Endpoint => ({
        addresses: [a.ip],
        conditions: { ready },
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      })
      return {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: generateName(`${name}-`, random),
          generateName: `${name}-`,
          namespace,
          labels: { ...(eps.metadata?.labels ?? {}), [LABEL_SERVICE_NAME]: name, 'endpointslice.kubernetes.io/managed-by': MIRRORING_CONTROLLER_NAME },
        },
        addressType: 'IPv4',
        endpoints: [...(subset.addresses ?? []).map((a) => endpoint(a, true)), ...(subset.notReadyAddresses ?? []).map((a) => endpoint(a, false))],
        ports: (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
      }
    })
  }

  /**
   * The EndpointSlices of one Service (cached until its pods or the Service change): the
   * EndpointSlice controller's (kata 03) for a Service with a selector — names drawn from a
   * seed of the Service, so they stay the same from sync to sync — mirrored ones without.
   */
  slicesOf(svc: Service): EndpointSlice[] {
    const key = metaKey(svc)
    const version = this.serviceVersion.get(key) ?? 0
    const cached = this.sliceCache.get(key)
    if (cached && cached.version === version) return cached.slices
    let slices: EndpointSlice[]
    const apiserver = this.apiserverSlices.get(key)
    if (apiserver) slices = [apiserver]
    else if (svc.spec?.type === 'ExternalName') slices = []
    else if (svc.spec?.selector == null) slices = this.mirroredSlices(svc)
    else {
      const namespace = svc.metadata?.namespace ?? ''
      slices =
        syncEndpointSlices(svc, this.candidatePods(namespace, svc.spec.selector), { random: new Random(fnv32a(`slices/${key}`)) }) ?? []
    }
    this.sliceCache.set(key, { version, slices })
    return slices
  }

  // ---- getters

  /** `kubectl get ns`: every Namespace, by name. */
  namespaces(): Namespace[] {
    return [...this.namespaceStore.values()].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1))
  }

  /** `kubectl get nodes`: every Node, in the order they joined. */
  nodes(): Node[] {
    return this.nodeOrder.map((n) => n.node)
  }

  /**
   * `kubectl get pods [-n NS | -A] [-l SELECTOR]`: by namespace, then name; `selector` in
   * the `-l` syntax (kata 02's parser: `app=order,tier in (backend)`).
   * @throws {SelectorParseError} for a selector that does not parse
   */
  pods(namespace?: string, selector?: string): Pod[] {
    const sel = selector === undefined ? undefined : parseSelector(selector)
    return [...this.podStore.values()]
      .map((r) => r.pod)
      .filter((p) => namespace === undefined || p.metadata?.namespace === namespace)
      .filter((p) => !sel || sel.matches(p.metadata?.labels ?? {}))
      .sort(byKey)
  }

  /**
   * `kubectl port-forward RESOURCE PORTS -n NAMESPACE` (kata 00): a tunnel through the API
   * server and the kubelet to **one** pod — for `svc/…` or `deploy/…` the most active pod
   * their selector finds, no load balancing. Deleting that pod ends the session.
   */
  portForward(namespace: string, resource: string, ports: readonly string[]): PortForwardSession {
    const session = portForward(
      {
        pods: this.pods(),
        listPods: (ns, selector) => {
          const sel = labelSelectorAsSelector(selector)
          return this.pods(ns).filter((p) => sel.matches(p.metadata?.labels ?? {}))
        },
        services: this.services(),
        deployments: this.deployments(),
      },
      { resource, ports, namespace, seed: this.seed },
    )
    this.forwards.add(session)
    return session
  }

  /** @throws {NotFoundError} */
  pod(namespace: string, name: string): Pod {
    const rec = this.podStore.get(keyOf(namespace, name))
    if (!rec) throw new NotFoundError('pods', name)
    return rec.pod
  }

  /** `kubectl get deployments`: with a status counted from their pods. */
  deployments(namespace?: string): Deployment[] {
    return [...this.deploymentStore.entries()]
      .filter(([key]) => namespace === undefined || key.startsWith(`${namespace}/`))
      .map(([key, { deployment }]) => {
        const pods = this.ownedPods(key).filter((r) => !r.pod.metadata?.deletionTimestamp)
        const ready = pods.filter((r) => isReady(r.pod)).length
        return {
          ...deployment,
          status: {
            observedGeneration: deployment.metadata?.generation ?? 1,
            replicas: pods.length,
            updatedReplicas: pods.length,
            readyReplicas: ready,
            availableReplicas: ready,
            ...(pods.length - ready > 0 ? { unavailableReplicas: pods.length - ready } : {}),
          },
        }
      })
      .sort(byKey)
  }

  /** `kubectl get svc`: by namespace, then name. */
  services(namespace?: string): Service[] {
    return [...this.serviceStore.values()].filter((s) => namespace === undefined || s.metadata?.namespace === namespace).sort(byKey)
  }

  /** @throws {NotFoundError} */
  service(namespace: string, name: string): Service {
    const svc = this.serviceStore.get(keyOf(namespace, name))
    if (!svc) throw new NotFoundError('services', name)
    return svc
  }

  /** `kubectl get endpoints`: what the endpoints controller (kata 03) and users wrote. */
  endpoints(namespace?: string): Endpoints[] {
    return this.endpointsController.list(namespace)
  }

  /** `kubectl get endpointslices`: the slices of every Service ({@link slicesOf}). */
  endpointSlices(namespace?: string): EndpointSlice[] {
    return this.services(namespace).flatMap((s) => this.slicesOf(s))
  }

  // ---- inside a pod: kubectl exec

  private runningPod(namespace: string, name: string): PodRecord {
    const rec = this.podStore.get(keyOf(namespace, name))
    if (!rec) throw new NotFoundError('pods', name)
    const node = this.nodeStore.get(rec.pod.spec?.nodeName ?? '')
    if (!rec.pod.status?.podIP || !node) {
      throw new ClusterError(`error: unable to upgrade connection: container not found ("${rec.pod.spec?.containers[0]?.name ?? ''}")`)
    }
    if (!node.up) {
      throw new ClusterError(`Error from server: error dialing backend: dial tcp ${node.info.internalIP}:10250: connect: no route to host`)
    }
    return rec
  }

  /** The Services the kubelet's informer held at API sequence `seq`. */
  private servicesAt(seq: number): Service[] {
    return this.serviceHistory.filter((v) => v.from <= seq && seq < v.to).map((v) => v.service)
  }

  /**
   * `kubectl exec POD -- env`: the container's environment, computed by kata 04 from the
   * Services that existed **when the container started** — a Service created later is not
   * in it, one deleted since still is.
   * @throws {NotFoundError} / {@link ClusterError} when the pod is unknown or not running
   */
  env(namespace: string, podName: string, container?: string): EnvVar[] {
    const rec = this.runningPod(namespace, podName)
    const name = container ?? rec.pod.spec?.containers[0]?.name ?? ''
    const record = startContainer(rec.pod, name, this.servicesAt(rec.startSeq ?? this.seq))
    if (record.state !== 'Running') throw new ClusterError(`${record.reason}: ${record.message}`)
    return [
      { name: 'PATH', value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
      { name: 'HOSTNAME', value: rec.pod.spec?.hostname ?? podName },
      ...record.env,
    ]
  }

  /** The pod's DNS settings as the kubelet writes them (kata 05). */
  dnsConfig(namespace: string, podName: string): DNSConfig {
    const rec = this.runningPod(namespace, podName)
    return getPodDNS(rec.pod, { clusterDNS: [this.clusterDNSIP], clusterDomain: this.clusterDomain }).value
  }

  /** `kubectl exec POD -- cat /etc/resolv.conf`. */
  resolvConf(namespace: string, podName: string): string {
    return formatResolvConf(this.dnsConfig(namespace, podName))
  }

  /** The cluster zone as CoreDNS serves it now (kata 05), rebuilt only after changes. */
  zone(): KubeDNS {
    if (this.dnsCache?.generation === this.generation) return this.dnsCache.server
    const services = this.services()
    const server = new KubeDNS(
      {
        services,
        endpointSlices: services.flatMap((s) => this.slicesOf(s)),
        pods: this.pods(),
        namespaces: [...this.namespaceStore.keys()],
      },
      { pods: this.podDNS, upstream: this.upstream, nameserverIP: this.clusterDNSIP, ttl: 30 },
    )
    this.dnsCache = { generation: this.generation, server }
    return server
  }

  /**
   * `getaddrinfo(name)` in a pod: its resolv.conf's search list and ndots (kata 05), asked
   * of its nameserver. When that is the cluster DNS Service, the query first has to get
   * through kube-proxy to a CoreDNS pod (UDP 53); if none answers, nothing is resolved.
   */
  lookup(namespace: string, podName: string, name: string): Lookup {
    const rec = this.runningPod(namespace, podName)
    const config = this.dnsConfig(namespace, podName)
    const nameserver = config.servers[0] ?? ''
    if (this.clusterIPOwner.has(nameserver)) {
      const client: Client = { kind: 'pod', ip: rec.pod.status!.podIP!, node: rec.pod.spec!.nodeName!, pod: rec.pod, label: `pod ${namespace}/${podName}` }
      const reach = this.dnsReachable(client, nameserver)
      if (!reach.ok) return { found: false, answer: [], addresses: [], tried: [], rcode: 'NXDOMAIN', nameserver, serverReachable: false, via: reach.via }
      return { ...resolve(name, 'A', config, this.zone(), 'glibc'), nameserver, serverReachable: true, via: reach.via }
    }
    return { ...resolve(name, 'A', config, new UpstreamDNS(this.upstream), 'glibc'), nameserver, serverReachable: true, via: `nameserver ${nameserver} (outside the cluster)` }
  }

  /** A DNS query (UDP 53) from `client` to `serverIP`: does it reach a DNS pod? */
  private dnsReachable(client: Client, serverIP: string): { ok: boolean; via: string } {
    const proxier = this.kubeProxy(client.node!, { ip: serverIP, port: 53, protocol: 'UDP' })
    const verdict = proxier.route({ sourceIP: client.ip, destIP: serverIP, destPort: 53, protocol: 'UDP' }, this.clock)
    const out = verdict.output
    if (!out || out === 'REJECT' || out === 'DROP' || out === 'ACCEPT') {
      return { ok: false, via: `DNS query to ${serverIP}:53/UDP: ${out || 'no rule, no answer'} (connection timed out; no servers could be reached)` }
    }
    const ip = out.slice(0, out.lastIndexOf(':'))
    const pod = this.podByIP(ip)
    const node = pod && this.nodeStore.get(pod.spec?.nodeName ?? '')
    if (!pod || !node?.up) return { ok: false, via: `DNS query to ${serverIP}:53/UDP → ${out}: no answer (connection timed out; no servers could be reached)` }
    return { ok: true, via: `DNS query to ${serverIP}:53/UDP → ${pod.metadata?.name} (${out})` }
  }

  /** What a node (or a machine outside) resolves: only the world's names, never the cluster's. */
  lookupOutside(name: string): Resolution {
    return resolve(name.endsWith('.') ? name : `${name}.`, 'A', { servers: [], searches: [], options: [] }, new UpstreamDNS(this.upstream), 'glibc')
  }

  // ---- the data path (used by ./route.ts)

  /** `curl URL` from a pod, a node, or a machine outside (see ./route.ts). */
  connect(request: ConnectRequest): ConnectResult {
    return routeConnect(this, request)
  }

  /** The same connection as `curl` prints it: stdout, stderr and the exit code. */
  curl(from: From, url: string): CurlOutput {
    return routeCurl(this, from, url)
  }

  /**
   * Who opens a connection: a running pod (`namespace/name`), a node, or an address outside.
   * @throws {NotFoundError} / {@link ClusterError} for a pod or node that cannot run curl
   */
  client(from: From): Client {
    if ('pod' in from) {
      const slash = from.pod.indexOf('/')
      const [namespace, name] = slash < 0 ? ['default', from.pod] : [from.pod.slice(0, slash), from.pod.slice(slash + 1)]
      const rec = this.runningPod(namespace, name)
      return { kind: 'pod', ip: rec.pod.status!.podIP!, node: rec.pod.spec!.nodeName!, pod: rec.pod, label: `pod ${namespace}/${name}` }
    }
    if ('node' in from) {
      const n = this.nodeState(from.node)
      if (!n.up) throw new ClusterError(`node ${from.node} is down`)
      return { kind: 'node', ip: n.info.internalIP, node: n.info.name, label: `node ${n.info.name}` }
    }
    if (!parseIP(from.external)) throw new ClusterError(`${from.external} is not an IP address`)
    return { kind: 'external', ip: from.external, label: from.external }
  }

  /**
   * One node as the data path sees it.
   * @throws {NotFoundError} for an unknown node
   */
  node(name: string): NodeView {
    const n = this.nodeState(name)
    return { name: n.info.name, internalIP: n.info.internalIP, podCIDR: n.podCIDR, gateway: n.gateway, controlPlane: n.info.controlPlane, up: n.up }
  }

  /** The Node object as the API server stores it. */
  nodeObject(name: string): Node {
    return this.nodeState(name).node
  }

  /** The node whose InternalIP this is. */
  nodeByIP(ip: string): NodeView | undefined {
    const n = this.nodeOrder.find((x) => x.info.internalIP === ip)
    return n && this.node(n.info.name)
  }

  /** The running pod that holds this IP. */
  podByIP(ip: string): Pod | undefined {
    const key = this.podByIPs.get(ip)
    return key === undefined ? undefined : this.podStore.get(key)?.pod
  }

  /** Kata 00: whether a packet from `from` reaches the pod IP `ip` at all (routes, not ports). */
  reach(from: Client, ip: string): Reachability {
    const origin: Origin =
      from.kind === 'pod'
        ? { kind: 'pod', namespace: from.pod!.metadata!.namespace!, name: from.pod!.metadata!.name! }
        : from.kind === 'node'
          ? { kind: 'node', name: from.node! }
          : { kind: 'outside', name: from.ip }
    return this.network.reach(origin, ip)
  }

  /** Whether an address lies in the cluster's pod CIDR (`--cluster-cidr`). */
  inPodNetwork(ip: string): boolean {
    const c = parseCIDR(this.clusterCIDR)
    const a = parseIP(ip)
    return !!c && !!a && cidrContains(c.network, c.prefix, c.family, a)
  }

  /** The Service whose cluster IP this is. */
  serviceByClusterIP(ip: string): Service | undefined {
    const key = this.clusterIPOwner.get(ip)
    return key === undefined ? undefined : this.serviceStore.get(key)
  }

  /** The Service that holds this nodePort (or healthCheckNodePort). */
  serviceByNodePort(port: number): Service | undefined {
    const key = this.nodePortOwner.get(port)
    return key === undefined ? undefined : this.serviceStore.get(key)
  }

  /**
   * The container ports a pod answers on: the echo server listens on every declared
   * `containerPort`, and on every numeric `targetPort` of a Service that selects the pod
   * (a numeric targetPort needs no matching containerPort).
   */
  servesPort(pod: Pod, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): boolean {
    for (const c of pod.spec?.containers ?? []) {
      for (const p of c.ports ?? []) if (p.containerPort === port && (p.protocol ?? 'TCP') === protocol) return true
    }
    for (const svc of this.servicesSelecting(pod.metadata?.namespace ?? '', pod.metadata?.labels ?? {})) {
      for (const sp of svc.spec?.ports ?? []) if (sp.targetPort === port && (sp.protocol ?? 'TCP') === protocol) return true
    }
    return false
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
    const n = this.nodeState(nodeName)
    let entry = this.proxies.get(nodeName)
    if (!entry) {
      entry = {
        proxier: new NodePortProxier({
          nodeName,
          nodeIPs: [n.info.internalIP],
          nodeLabels: n.node.metadata?.labels ?? {},
          clusterCIDR: this.clusterCIDR,
          mode: this.proxyMode,
          seed: this.seed + n.index,
        }),
        services: new Set(),
        synced: '\u0000',
      }
      this.proxies.set(nodeName, entry)
    }
    // The node keeps the rules of every Service a packet has been sent to so far.
    const keys = entry.services
    const byIP = this.clusterIPOwner.get(dest.ip)
    if (byIP) keys.add(byIP)
    if (this.nodeByIP(dest.ip) || dest.ip === '127.0.0.1') {
      const byPort = this.nodePortOwner.get(dest.port)
      if (byPort) keys.add(byPort)
    }
    for (const k of keys) if (!this.serviceStore.has(k)) keys.delete(k)
    const services = [...keys].sort().map((k) => this.serviceStore.get(k)!)
    const synced = services.map((s) => `${metaKey(s)}@${this.serviceVersion.get(metaKey(s)) ?? 0}`).join(',')
    if (entry.synced !== synced) {
      entry.proxier.sync(services, services.flatMap((s) => this.slicesOf(s)))
      entry.synced = synced
    }
    return entry.proxier
  }

  /** The cloud load balancer that owns this IP, if any (kata 08's fake cloud). */
  loadBalancerAt(ip: string): LoadBalancerView | undefined {
    const b = this.cloud?.balancers().find((x) => x.ip === ip)
    if (!b) return undefined
    const svc = this.serviceStore.get(b.service)
    if (!svc) return undefined
    return { ip: b.ip, service: svc, hosts: [...b.hosts] }
  }

  /**
   * The backend nodes the cloud load balancer sends new connections to: those whose
   * health check passes (kata 08) — for `externalTrafficPolicy: Local` the nodes with a
   * ready endpoint of the Service (`healthCheckNodePort` answers 200), for `Cluster` every
   * node whose kube-proxy answers `/healthz`. A node that is down answers neither.
   */
  loadBalancerBackends(lb: LoadBalancerView): string[] {
    const slices = this.slicesOf(lb.service)
    const backends: BackendNode[] = lb.hosts.map((h) => ({
      node: this.nodeObject(h),
      kubeProxy: this.node(h).up ? 'healthy' : 'down',
      localEndpoints: localReadyEndpoints(slices, h),
    }))
    return healthyBackends(lb.service, backends)
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
    const node = this.nodeState(nodeName)
    const pod = this.podByIP(ip)
    return pod?.spec?.nodeName === nodeName ? node.gateway : node.info.internalIP
  }

  /** Whether any LoadBalancer Service of the cluster has this ingress IP (captured by kube-proxy on every node). */
  serviceByLoadBalancerIP(ip: string): Service | undefined {
    for (const key of this.lbServices) {
      const svc = this.serviceStore.get(key)
      if (svc?.status?.loadBalancer?.ingress?.some((i) => i.ip === ip)) return svc
    }
    return undefined
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

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k])
}

function readyCondition(status: 'True' | 'Unknown', at: number): NodeCondition {
  return {
    type: 'Ready',
    status,
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    lastHeartbeatTime: timestamp(at),
    lastTransitionTime: timestamp(at),
  }
}

function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

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
  const spec = { ...(pod.spec ?? { containers: [] }) }
  spec.containers = (spec.containers ?? []).map((c) => ({
    ...c,
    ...(c.ports ? { ports: c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })) } : {}),
    terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log',
    terminationMessagePolicy: c.terminationMessagePolicy ?? 'File',
    imagePullPolicy: c.imagePullPolicy ?? (c.image?.endsWith(':latest') || !c.image?.includes(':') ? 'Always' : 'IfNotPresent'),
  }))
  spec.enableServiceLinks ??= true
  spec.dnsPolicy ??= 'ClusterFirst'
  spec.restartPolicy ??= 'Always'
  spec.schedulerName ??= 'default-scheduler'
  spec.terminationGracePeriodSeconds ??= 30
  spec.securityContext ??= {}
  const tolerations = [...(spec.tolerations ?? [])]
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    if (!tolerations.some((t) => t.key === key && t.effect === 'NoExecute')) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS })
    }
  }
  spec.tolerations = tolerations
  return { ...pod, apiVersion: 'v1', kind: 'Pod', metadata: { ...pod.metadata, namespace }, spec }
}

/**
 * The few pod rules the course needs (`ValidatePodCreate`, reduced): a DNS-1123 subdomain
 * name; at least one container, each with a name and an image; container ports 1–65535.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validatePod(pod: Pod): FieldError[] {
  const errs: FieldError[] = []
  const name = pod.metadata?.name ?? ''
  if (!name) errs.push(required(newPath('metadata', 'name'), 'name or generateName is required'))
  else for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(newPath('metadata', 'name'), name, msg))
  return [...errs, ...validatePodSpec(pod.spec, newPath('spec'))]
}

function validatePodSpec(spec: Pod['spec'], at: ReturnType<typeof newPath>): FieldError[] {
  const errs: FieldError[] = []
  const containers = spec?.containers ?? []
  if (containers.length === 0) errs.push(required(at.child('containers'), ''))
  containers.forEach((c, i) => {
    const ci = at.child('containers').index(i)
    if (!c.name) errs.push(required(ci.child('name'), ''))
    if (!c.image) errs.push(required(ci.child('image'), ''))
    ;(c.ports ?? []).forEach((p, j) => {
      if (!(p.containerPort >= 1 && p.containerPort <= 65535)) {
        errs.push(invalid(ci.child('ports').index(j).child('containerPort'), p.containerPort, 'must be between 1 and 65535, inclusive'))
      }
    })
  })
  return errs
}

function invalidResult(kind: string, name: string, namespace: string | undefined, errs: readonly FieldError[]): ApplyResult {
  return { ok: false, kind, name, ...(namespace !== undefined ? { namespace } : {}), error: formatInvalid(kind, name, errs) }
}

/** kubectl's line for a failed request: Invalid as `The Service "x" is invalid: …`, others with `error when creating`. */
function statusText(err: StatusError, file: string): string {
  if (err.reason === 'Invalid') return err.kubectl()
  return `Error from server (${err.reason}): error when creating "${file}": ${err.message}`
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
  const spec = (next.spec ??= {})
  const oldSpec = old.spec ?? {}
  const needsClusterIP = (s: Service) => s.spec?.type !== 'ExternalName'
  if (needsClusterIP(old) && needsClusterIP(next)) {
    if (!spec.clusterIP) spec.clusterIP = oldSpec.clusterIP
    if (!spec.clusterIPs?.length && oldSpec.clusterIPs?.length) spec.clusterIPs = [...oldSpec.clusterIPs]
    if (!spec.ipFamilies?.length && oldSpec.ipFamilies?.length) spec.ipFamilies = [...oldSpec.ipFamilies]
    spec.ipFamilyPolicy ??= oldSpec.ipFamilyPolicy
  }
  const needsNodePort = (s: Service) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer'
  if (needsNodePort(old) && needsNodePort(next)) {
    const used = (s: Service) => new Set((s.spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p !== 0))
    const newUsed = used(next)
    const taken = new Set([...used(old)].filter((p) => newUsed.has(p)))
    const byName = new Map((oldSpec.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]))
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue
      const oldVal = byName.get(p.name ?? '') ?? 0
      if (oldVal !== 0 && !taken.has(oldVal)) p.nodePort = oldVal
    }
  }
  const needsHC = (s: Service) => s.spec?.type === 'LoadBalancer' && s.spec?.externalTrafficPolicy === 'Local'
  if (needsHC(old) && needsHC(next) && !spec.healthCheckNodePort) spec.healthCheckNodePort = oldSpec.healthCheckNodePort
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

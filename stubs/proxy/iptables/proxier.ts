// ────────────────────────────────────────────────────────────────────────
// Kata 06 · core path: you write
//   task 1 (ip-allocator): computeProbability, servicePortInfos, endpointsForServicePort and Proxier.sync
// Each is marked TODO(kata 06) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 06`.
// ────────────────────────────────────────────────────────────────────────
// kube-proxy in iptables mode, for one node: it watches Services and EndpointSlices and
// rewrites the node's netfilter rules so that a connection to a cluster IP is DNATed to
// one endpoint. No process listens on a cluster IP; the address exists only in these
// rules, so only the (IP, port, protocol) tuples a Service declares are translated.
//
// This module writes the rules for cluster IPs — KUBE-SERVICES, the per-service
// KUBE-SVC-/KUBE-SVL- chains, the per-endpoint KUBE-SEP- chains and the REJECT/DROP
// filter rules. NodePorts (kata 07) add their rules on top of these.
// Simplified: KUBE-MARK-MASQ/KUBE-POSTROUTING are reduced to a "masquerade" flag, and
// the rules are rebuilt from scratch on every sync.
//
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
import type { Service, ServicePort } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { CLUSTER_CIDR } from '../../../lib/cluster/defaults.ts'
import {
  joinHostPort,
  KUBE_EXTERNAL_SERVICES,
  KUBE_MARK_MASQ,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
  Netfilter,
  Ruleset,
  serviceExternalChainName,
  servicePortEndpointChainName,
  servicePortPolicyClusterChain,
  servicePortPolicyLocalChainName,
  tracePacket,
  type IPTablesProtocol,
  type Packet,
  type Verdict,
} from '../../../lib/net/iptables.ts'
import { parseIP } from '../../../lib/net/ipint.ts'
import { DEFAULT_SEED, Random } from '../../../lib/random.ts'
import { DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS, externallyAccessible, needsHealthCheck } from '../../api/core/v1/defaults.ts'
import { LABEL_SERVICE_NAME } from '../../controller/endpointslice.ts'
import { categorizeEndpoints, usesClusterEndpoints, usesLocalEndpoints, type CategorizedEndpoints, type Endpoint, type ServicePortInfo } from '../topology.ts'

export type { Packet, Verdict } from '../../../lib/net/iptables.ts'

/**
 * `computeProbability`: the `--probability` of a statistic rule that must pick one of
 * `n` remaining endpoints, `1/n` printed with `%0.10f` (rounded half to even, like Go).
 * Vectors: 1 → `1.0000000000`, 2 → `0.5000000000`, 3 → `0.3333333333`,
 * 100000 → `0.0000100000`, 100001 → `0.0000099999`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
 */
export function computeProbability(n: number): string {
  // TODO(kata 06, task 1): 1/n formatted like Go's %0.10f (toFixed(10) is right for every n the checks use).
  throw new Error('kata 06-clusterip: computeProbability is not implemented yet — see lessons/06-clusterip.md')
}

export type IPFamily = 'IPv4' | 'IPv6'

/**
 * The service ports kube-proxy proxies for one Service (`NewServicePortInfo` for every
 * `spec.ports[]` entry), or none:
 * 1. `type: ExternalName` → none (it is a DNS name; nothing to proxy).
 * 2. No cluster IP (`""`), or headless (`None`), or no cluster IP of this `family` → none.
 * 3. Per port: `name` = `ns/svc:portname` (`ns/svc` when the port is unnamed), the cluster
 *    IP of the family, `port`, `protocol` (default TCP), `nodePort` (0 = none);
 *    `sessionAffinity: ClientIP` with `timeoutSeconds` (default 10800) as sticky max age;
 *    external IPs of the family; `status.loadBalancer.ingress[].ip` whose `ipMode` is
 *    `VIP` or unset; `healthCheckNodePort` when a LoadBalancer has
 *    externalTrafficPolicy Local; `internalPolicyLocal` = `internalTrafficPolicy: Local`;
 *    `externalPolicyLocal` = externally accessible and `externalTrafficPolicy: Local`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/serviceport.go
 */
export function servicePortInfos(service: Service, family: IPFamily = 'IPv4'): ServicePortInfo[] {
  // TODO(kata 06, task 1): skip ExternalName and Services without a cluster IP of the family; one ServicePortInfo per port.
  throw new Error('kata 06-clusterip: servicePortInfos is not implemented yet — see lessons/06-clusterip.md')
}

/**
 * The endpoints of one service port on `nodeName` (kube-proxy's EndpointSliceCache):
 * 1. Slices of the same namespace labelled `kubernetes.io/service-name: <service>`, whose
 *    `addressType` is the family.
 * 2. In each, the slice port with the service port's **name** and **protocol** (a port
 *    without a name, or with port 0, is ignored); the endpoint port is that slice port's
 *    number — the targetPort resolved on the pod.
 * 3. Per endpoint: its first address; `ready`/`serving` true when missing, `terminating`
 *    false when missing; `isLocal` = `nodeName` is this node; zone and node hints.
 * 4. The same `ip:port` twice counts once (the local copy wins); sorted by `ip:port` as strings.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/endpointslicecache.go
 */
export function endpointsForServicePort(
  info: ServicePortInfo,
  slices: readonly EndpointSlice[],
  nodeName: string,
  family: IPFamily = 'IPv4',
): Endpoint[] {
  // TODO(kata 06, task 1): walk the slices of the Service (label kubernetes.io/service-name, namespace, addressType), take the port of the same name and protocol, build one Endpoint per address; dedupe and sort by ip:port.
  throw new Error('kata 06-clusterip: endpointsForServicePort is not implemented yet — see lessons/06-clusterip.md')
}

/** What one sync decided for one service port (kata 07 adds nodePort rules from it). */
export interface ServicePortState extends CategorizedEndpoints {
  readonly info: ServicePortInfo
  /** Every endpoint of the port, before categorizing. */
  readonly endpoints: readonly Endpoint[]
  /** `KUBE-SVC-…`: the Cluster-policy chain (exists when it has endpoints). */
  readonly clusterPolicyChain: string
  /** `KUBE-SVL-…`: the Local-policy chain (exists when this node has local endpoints). */
  readonly localPolicyChain: string
  /** `KUBE-EXT-…`: the chain external traffic (nodePort, …) goes through. */
  readonly externalChain: string
  /** Whether any usable endpoint exists anywhere (`hasAnyEndpoints`). */
  readonly hasEndpoints: boolean
}

export interface ProxierOptions {
  /** The node this kube-proxy runs on (`--hostname-override`), e.g. `kind-worker`. */
  nodeName: string
  /** The node's addresses, e.g. `['172.18.0.3']` (127.0.0.1 is always local). */
  nodeIPs: readonly string[]
  /** The node's labels; `topology.kubernetes.io/zone` is matched against zone hints. */
  nodeLabels?: Readonly<Record<string, string>>
  /** `--cluster-cidr` (`--detect-local-mode=ClusterCIDR`): sources in it are pods. Default 10.244.0.0/16. */
  clusterCIDR?: string
  /** The IP family of this proxier; default IPv4. */
  ipFamily?: IPFamily
  /** `--masquerade-all`: masquerade every connection to a cluster IP. */
  masqueradeAll?: boolean
  /** `iptables` (random choice, the default) or `ipvs` (round robin, IPVS's default `rr` scheduler). */
  mode?: 'iptables' | 'ipvs'
  /** Seed of the random endpoint choice; default 42. */
  seed?: number
}

/**
 * kube-proxy (iptables mode) on one node.
 *
 * `sync(services, slices)` rebuilds the rules (`syncProxyRules`); for every service port of
 * every Service with a cluster IP ({@link servicePortInfos}):
 * 1. Endpoints ({@link endpointsForServicePort}) are categorized ({@link categorizeEndpoints}).
 * 2. The internal chain is `KUBE-SVC-…` (Cluster policy) or, with internalTrafficPolicy
 *    Local, `KUBE-SVL-…`. No usable endpoint anywhere → filter `KUBE-SERVICES` rule
 *    `-d <clusterIP> --dport <port> -j REJECT`, comment `<svc port> has no endpoints`
 *    (the client gets "connection refused" at once). Internal policy Local and none on
 *    this node, but some elsewhere → the same rule with `-j DROP`, comment
 *    `<svc port> has no local endpoints` (the client times out).
 * 3. Otherwise nat `KUBE-SERVICES`: `-m <proto> -p <proto> -d <clusterIP> --dport <port>
 *    -j <internal chain>`, comment `<svc port> cluster IP`; and in the internal chain first
 *    `… ! -s <cluster CIDR> -j KUBE-MARK-MASQ` (traffic that is not from a pod is
 *    masqueraded; every connection with `masqueradeAll`).
 * 4. `KUBE-SVC-…` holds the cluster endpoints and `KUBE-SVL-…` the local ones (each only
 *    when it has endpoints), written as in {@link computeProbability}'s chain.
 * 5. Each reachable endpoint gets `KUBE-SEP-…`: `-s <its IP> -j KUBE-MARK-MASQ` (a pod
 *    that reaches itself through the Service — hairpin — is masqueraded), then
 *    (`-m recent --name <this chain> --set` with ClientIP) `-j DNAT --to-destination <ip:port>`.
 *
 * `trace(packet)` lists every endpoint a new connection could reach (kube-proxy's
 * packetFlowTest); `route(packet, at)` makes one connection at time `at` (seconds) — a
 * seeded random choice, or round robin in `ipvs` mode — and keeps the session-affinity
 * state: a client sticks to its endpoint while its **last new connection** through that
 * endpoint is at most `timeoutSeconds` old (only a connection's first packet traverses
 * the nat table, so packets inside a connection do not refresh it).
 *
 * An output of `""` means no rule matched: nothing owns a cluster IP, so a port the Service
 * does not declare (or ping) is never answered and the client times out.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
 */
export class Proxier {
  readonly nodeName: string
  readonly nodeIPs: readonly string[]
  readonly nodeLabels: Readonly<Record<string, string>>
  readonly clusterCIDR: string
  readonly ipFamily: IPFamily
  readonly masqueradeAll: boolean
  /** The rules of the last sync. */
  protected ruleset = new Ruleset()
  private states: ServicePortState[] = []
  private readonly netfilter: Netfilter

  constructor(options: ProxierOptions) {
    this.nodeName = options.nodeName
    this.nodeIPs = [...options.nodeIPs]
    this.nodeLabels = { ...(options.nodeLabels ?? {}) }
    this.clusterCIDR = options.clusterCIDR ?? CLUSTER_CIDR
    this.ipFamily = options.ipFamily ?? 'IPv4'
    this.masqueradeAll = options.masqueradeAll ?? false
    this.netfilter = new Netfilter({
      localIPs: this.nodeIPs,
      random: new Random(options.seed ?? DEFAULT_SEED),
      scheduler: options.mode === 'ipvs' ? 'rr' : 'random',
    })
  }

  /** The node's rules after the last {@link sync}. */
  get rules(): Ruleset {
    return this.ruleset
  }

  /** What the last {@link sync} decided per service port, in Service (namespace/name) order. */
  get servicePorts(): readonly ServicePortState[] {
    return this.states
  }

  /** `syncProxyRules`: rebuilds this node's rules from the Services and EndpointSlices. */
  sync(services: readonly Service[], slices: readonly EndpointSlice[]): void {
    // TODO(kata 06, task 1): build a new Ruleset: for every service port, categorize its endpoints and write the
    // KUBE-SERVICES, KUBE-SVC/KUBE-SVL and KUBE-SEP rules (or the REJECT/DROP filter rule); then set
    // this.ruleset and this.states.
    throw new Error('kata 06-clusterip: Proxier.sync is not implemented yet — see lessons/06-clusterip.md')
  }

  /** Every endpoint a new connection could reach, and whether some path masquerades it. */
  trace(packet: Packet): Verdict {
    return tracePacket(this.ruleset, packet, this.nodeIPs)
  }

  /** One new connection at time `at` (seconds): the endpoint it is DNATed to, or REJECT/DROP/"". */
  route(packet: Packet, at = 0): Verdict {
    return this.netfilter.connect(this.ruleset, packet, at)
  }
}

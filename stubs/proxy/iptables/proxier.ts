// ────────────────────────────────────────────────────────────────────────
// Kata 06 · core path: you write
//   task 2 (endpoint-choice): writeServiceToEndpointRules
//   task 3 (service-chains): Proxier.writeInternalRules
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
import { extend } from '../../../lib/object.ts'
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
  return formatFixed(1 / n, 10)
}

/**
 * Go's `%0.<digits>f` of a positive float64 below 1e21 (`1/n` is one): its exact binary
 * value, rounded half to even. `toFixed` rounds the exact value too, but a tie up. A tie is
 * a value with exactly `digits + 1` binary fraction digits, as 2^-k has k decimal digits,
 * the last a 5: 1/2048 = 0.00048828125 prints as 0.0004882812.
 */
function formatFixed(x: number, digits: number): string {
  const text = x.toFixed(digits)
  const tie = Number.isInteger(x * 2 ** (digits + 1)) && !Number.isInteger(x * 2 ** digits)
  if (!tie) return text
  // toFixed took the larger neighbour: when it is odd, Go takes the even one just below.
  const last = Number(text.at(-1))
  return last % 2 === 1 ? `${text.slice(0, -1)}${last - 1}` : text
}

export type IPFamily = 'IPv4' | 'IPv6'

/** Go's `<` on strings (byte order), as kube-proxy sorts service port names and endpoint strings. */
function compareStrings(a: string, b: string): number {
  if (a < b) return -1
  return a > b ? 1 : 0
}

function familyOf(ip: string | undefined): IPFamily | undefined {
  const parsed = ip ? parseIP(ip) : undefined
  if (!parsed) return undefined
  return parsed.kind() === 'ipv4' ? 'IPv4' : 'IPv6'
}

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
  const spec = service.spec ?? {}
  if (spec.type === 'ExternalName') return []
  const clusterIP = [...(spec.clusterIPs ?? []), spec.clusterIP ?? ''].find((ip) => familyOf(ip) === family)
  if (!spec.clusterIP || spec.clusterIP === 'None' || !clusterIP) return []
  const namespace = service.metadata?.namespace ?? ''
  const serviceName = service.metadata?.name ?? ''
  const clientIP = spec.sessionAffinity === 'ClientIP'
  const lbVIPs = (service.status?.loadBalancer?.ingress ?? [])
    .filter((ing) => ing.ip && (ing.ipMode === undefined || ing.ipMode === 'VIP') && familyOf(ing.ip) === family)
    .map((ing) => ing.ip!)
  return (spec.ports ?? []).map((port: ServicePort) => ({
    name: `${namespace}/${serviceName}${port.name ? `:${port.name}` : ''}`,
    namespace,
    serviceName,
    portName: port.name ?? '',
    clusterIP,
    port: port.port,
    protocol: (port.protocol ?? 'TCP') as ServicePortInfo['protocol'],
    nodePort: port.nodePort ?? 0,
    sessionAffinity: clientIP ? 'ClientIP' : 'None',
    stickyMaxAgeSeconds: clientIP ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS) : 0,
    externalIPs: (spec.externalIPs ?? []).filter((ip) => familyOf(ip) === family),
    loadBalancerVIPs: lbVIPs,
    loadBalancerSourceRanges: (spec.loadBalancerSourceRanges ?? []).map((r) => r.trim()),
    healthCheckNodePort: needsHealthCheck(service) ? (spec.healthCheckNodePort ?? 0) : 0,
    internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    externalPolicyLocal: externallyAccessible(service) && spec.externalTrafficPolicy === 'Local',
  }))
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
  const byEndpoint = new Map<string, Endpoint>()
  for (const slice of slices) {
    if ((slice.metadata?.namespace ?? '') !== info.namespace) continue
    if (slice.metadata?.labels?.[LABEL_SERVICE_NAME] !== info.serviceName) continue
    if (slice.addressType !== family) continue
    for (const port of slice.ports ?? []) {
      if (port.name == null || !port.port) continue
      if (port.name !== info.portName || (port.protocol ?? 'TCP') !== info.protocol) continue
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses?.[0]
        if (!ip) continue
        const hints = ep.hints as { forZones?: { name: string }[]; forNodes?: { name: string }[] } | undefined
        const isLocal = ep.nodeName != null && ep.nodeName === nodeName
        const endpoint: Endpoint = {
          endpoint: joinHostPort(ip, port.port),
          ip,
          port: port.port,
          ready: ep.conditions?.ready ?? true,
          serving: ep.conditions?.serving ?? true,
          terminating: ep.conditions?.terminating ?? false,
          isLocal,
          nodeName: ep.nodeName,
          zoneHints: hints?.forZones?.length ? new Set(hints.forZones.map((z) => z.name)) : null,
          nodeHints: hints?.forNodes?.length ? new Set(hints.forNodes.map((n) => n.name)) : null,
        }
        if (!byEndpoint.has(endpoint.endpoint) || isLocal) byEndpoint.set(endpoint.endpoint, endpoint)
      }
    }
  }
  return [...byEndpoint.values()].sort((a, b) => compareStrings(a.endpoint, b.endpoint))
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
 * The `KUBE-SEP-…` chain of one endpoint of a service port (kube-proxy's
 * `endpointInfo.ChainName`): {@link servicePortEndpointChainName} of the port's name, its
 * protocol in lower case and the endpoint's `ip:port`.
 */
export function endpointChainName(info: ServicePortInfo, ep: Endpoint): string {
  return servicePortEndpointChainName(info.name, info.protocol.toLowerCase() as IPTablesProtocol, ep.endpoint)
}

/**
 * The rules of one service port's policy chain (`writeServiceToEndpointRules`): how
 * KUBE-SVC-… (or KUBE-SVL-…) picks one endpoint for each **new** connection. Every rule
 * jumps to the endpoint's chain `KUBE-SEP-…` ({@link endpointChainName}`(info, ep)`), with
 * the comment `<svc port> -> <ip:port>` (`snackbar/order:http -> 10.244.1.5:8080`).
 *
 * 1. Declare the chain (`rs.addChain('nat', chain)`).
 * 2. With `sessionAffinity: ClientIP`, first one rule per endpoint, in order:
 *    `recent: { name: <its SEP chain>, action: 'rcheck', seconds: info.stickyMaxAgeSeconds }`
 *    (`-m recent --name KUBE-SEP-… --rcheck --seconds 10800 --reap`): a client seen
 *    through that endpoint within the timeout goes back to it.
 * 3. Then one rule per endpoint i of n, in order: all but the last with
 *    `probability: computeProbability(n - i)` (`-m statistic --mode random --probability
 *    0.3333333333`), the last with none — so each endpoint gets 1/n of the new connections
 *    (rule 0 takes 1/n, rule 1 half of the rest when n is 3, …).
 *
 * The rules the chain starts with (the masquerade rule of {@link Proxier.writeInternalRules})
 * are already there; these are appended after them.
 *
 * @example writeServiceToEndpointRules(rs, orderHTTP, 'KUBE-SVC-…', [a, b]) // two rules:
 *   // -A KUBE-SVC-… -m comment --comment "snackbar/order:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-…
 *   // -A KUBE-SVC-… -m comment --comment "snackbar/order:http -> 10.244.2.7:8080" -j KUBE-SEP-…
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
 */
export function writeServiceToEndpointRules(rs: Ruleset, info: ServicePortInfo, chain: string, endpoints: readonly Endpoint[]): void {
  // TODO(kata 06, task 2): declare the chain; with ClientIP one recent --rcheck rule per endpoint first; then one rule per endpoint,
  // all but the last with --probability computeProbability(n - i), each jumping to the endpoint's KUBE-SEP chain.
  throw new Error('kata 06-clusterip: writeServiceToEndpointRules is not implemented yet — see lessons/06-clusterip.md')
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
 *    when the port uses them and has some), written by {@link writeServiceToEndpointRules}.
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
    const rs = new Ruleset()
    for (const chain of [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL]) rs.addChain('filter', chain)
    for (const chain of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ]) rs.addChain('nat', chain)
    const states: ServicePortState[] = []
    const keyed = services.map((service) => ({ key: `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`, service }))
    const sorted = keyed.sort((a, b) => compareStrings(a.key, b.key)).map((k) => k.service)
    // Slices grouped by Service once, so a sync stays linear in the number of Services.
    const slicesOf = new Map<string, EndpointSlice[]>()
    for (const slice of slices) {
      const key = `${slice.metadata?.namespace ?? ''}/${slice.metadata?.labels?.[LABEL_SERVICE_NAME] ?? ''}`
      const group = slicesOf.get(key)
      if (group) group.push(slice)
      else slicesOf.set(key, [slice])
    }
    for (const service of sorted) {
      const own = slicesOf.get(`${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`) ?? []
      for (const info of servicePortInfos(service, this.ipFamily)) {
        const state = this.servicePortState(info, own)
        this.writeInternalRules(rs, state)
        if ((state.clusterEndpoints?.length ?? 0) > 0 && usesClusterEndpoints(info)) {
          writeServiceToEndpointRules(rs, info, state.clusterPolicyChain, state.clusterEndpoints ?? [])
        }
        if ((state.localEndpoints?.length ?? 0) > 0 && usesLocalEndpoints(info)) {
          writeServiceToEndpointRules(rs, info, state.localPolicyChain, state.localEndpoints ?? [])
        }
        states.push(state)
      }
    }
    this.ruleset = rs
    this.states = states
  }

  /**
   * What this node decides for one service port ({@link sync} does it for every port): its
   * endpoints ({@link endpointsForServicePort} of the Service's slices), categorized
   * ({@link categorizeEndpoints}), and the names of its chains.
   */
  servicePortState(info: ServicePortInfo, slices: readonly EndpointSlice[]): ServicePortState {
    const endpoints = endpointsForServicePort(info, slices, this.nodeName, this.ipFamily)
    const cat = categorizeEndpoints(endpoints, info, this.nodeName, this.nodeLabels)
    const protocol = info.protocol.toLowerCase() as IPTablesProtocol
    // extend (lib/object.ts), not a spread: the states share one hidden class.
    return extend(cat, {
      info,
      endpoints,
      clusterPolicyChain: servicePortPolicyClusterChain(info.name, protocol),
      localPolicyChain: servicePortPolicyLocalChainName(info.name, protocol),
      externalChain: serviceExternalChainName(info.name, protocol),
      hasEndpoints: cat.hasAnyEndpoints,
    })
  }

  /**
   * The rules of one service port for its cluster IP, on this node: the way in
   * (KUBE-SERVICES), or the refusal, and the way out of every endpoint chain (KUBE-SEP).
   * {@link sync} calls it for every port, then {@link writeServiceToEndpointRules} fills the
   * policy chains. `s` is what {@link servicePortState} decided; `vip` below is
   * `protocol: <info.protocol in lower case>, destination: { address: info.clusterIP },
   * dport: info.port` (`-m tcp -p tcp -d 10.96.0.20 --dport 80`).
   *
   * 1. The internal chain is `s.localPolicyChain` (KUBE-SVL-…) with
   *    `info.internalPolicyLocal`, else `s.clusterPolicyChain` (KUBE-SVC-…).
   * 2. Endpoints for internal traffic exist when `s.hasEndpoints` and not
   *    (`internalPolicyLocal` with no `s.localEndpoints`). Then:
   *    - nat KUBE-SERVICES: `{ comment: '<svc port> cluster IP', ...vip, jump: <internal chain> }`;
   *    - first rule of the internal chain: `{ comment: '<svc port> cluster IP', ...vip,
   *      source: { address: this.clusterCIDR, negated: true }, jump: 'KUBE-MARK-MASQ' }`
   *      (`! -s 10.244.0.0/16`: what does not come from a pod is masqueraded), without
   *      `source` when `this.masqueradeAll`.
   * 3. No usable endpoint anywhere (`!s.hasEndpoints`): filter KUBE-SERVICES
   *    `{ comment: '<svc port> has no endpoints', ...vip, jump: 'REJECT' }` — the client
   *    sees "connection refused" at once.
   * 4. Endpoints elsewhere but none on this node for internalTrafficPolicy Local: filter
   *    KUBE-SERVICES `{ comment: '<svc port> has no local endpoints', ...vip, jump: 'DROP' }`
   *    — the client times out.
   * 5. For every endpoint of `s.allReachableEndpoints` (none when it is null), its chain
   *    {@link endpointChainName}`(info, ep)`:
   *    `{ comment: info.name, source: { address: ep.ip }, jump: 'KUBE-MARK-MASQ' }` (a pod
   *    that reaches itself through the Service is masqueraded), then `{ comment: info.name,
   *    protocol, jump: 'DNAT', toDestination: ep.endpoint }` — with ClientIP affinity also
   *    `recent: { name: <this chain>, action: 'set' }`, which records the client.
   *
   * `<svc port>` is `info.name` (`snackbar/order:http`). Nothing else is written: a port or
   * protocol the Service does not declare matches no rule at all.
   *
   * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
   */
  writeInternalRules(rs: Ruleset, s: ServicePortState): void {
    // TODO(kata 06, task 3): KUBE-SERVICES → the internal chain and its masquerade rule, or the REJECT/DROP filter rule;
    // then a KUBE-SEP chain per reachable endpoint: masquerade hairpin traffic, DNAT to ip:port.
    throw new Error('kata 06-clusterip: Proxier.writeInternalRules is not implemented yet — see lessons/06-clusterip.md')
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

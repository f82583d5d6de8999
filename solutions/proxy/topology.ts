// Which endpoints kube-proxy may send a service port's traffic to, on one node:
// ready ones (or, when there are none, the ones still serving while they terminate),
// all of them for the Cluster traffic policy, only this node's for Local, and — when
// the EndpointSlice controller left topology hints — the ones hinted for this node or zone.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/topology.go

/** Node label holding the node's zone (compared with the endpoints' zone hints). */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone'

/**
 * One endpoint of one service port, as kube-proxy's endpoint cache holds it
 * (`BaseEndpointInfo`, built from an EndpointSlice endpoint and the slice's port).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/endpoint.go
 */
export interface Endpoint {
  /** `Endpoint.String()`: `10.244.1.5:8080`, `[fd00:10:244::5]:8080` — the DNAT target. */
  readonly endpoint: string
  readonly ip: string
  readonly port: number
  /** `conditions.ready` (missing counts as true). */
  readonly ready: boolean
  /** `conditions.serving` (missing counts as true). */
  readonly serving: boolean
  /** `conditions.terminating` (missing counts as false). */
  readonly terminating: boolean
  /** Whether `nodeName` is the node this kube-proxy runs on. */
  readonly isLocal: boolean
  readonly nodeName?: string | undefined
  /** `hints.forZones[].name`; `null` when the endpoint has no zone hint. */
  readonly zoneHints: ReadonlySet<string> | null
  /** `hints.forNodes[].name`; `null` when the endpoint has no node hint. */
  readonly nodeHints: ReadonlySet<string> | null
}

/**
 * One port of one Service, as kube-proxy sees it (`BaseServicePortInfo`).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/serviceport.go
 */
export interface ServicePortInfo {
  /** `ServicePortName.String()`: `snackbar/order:http`, or `snackbar/order` for an unnamed port. */
  readonly name: string
  readonly namespace: string
  readonly serviceName: string
  /** The port's `name` (`""` when unnamed). */
  readonly portName: string
  /** The cluster IP of kube-proxy's IP family. */
  readonly clusterIP: string
  readonly port: number
  readonly protocol: 'TCP' | 'UDP' | 'SCTP'
  /** `ports[].nodePort`; 0 when the port has none. */
  readonly nodePort: number
  readonly sessionAffinity: 'None' | 'ClientIP'
  /** `sessionAffinityConfig.clientIP.timeoutSeconds` (10800 by default) when ClientIP. */
  readonly stickyMaxAgeSeconds: number
  readonly externalIPs: readonly string[]
  /** `status.loadBalancer.ingress[].ip` whose `ipMode` is `VIP` or unset. */
  readonly loadBalancerVIPs: readonly string[]
  readonly loadBalancerSourceRanges: readonly string[]
  /** `spec.healthCheckNodePort` of a LoadBalancer with externalTrafficPolicy Local; else 0. */
  readonly healthCheckNodePort: number
  /** `internalTrafficPolicy: Local`. */
  readonly internalPolicyLocal: boolean
  /** `externalTrafficPolicy: Local` on an externally accessible Service. */
  readonly externalPolicyLocal: boolean
}

/** The parts of a {@link ServicePortInfo} that decide which endpoints are used. */
export type TrafficPolicyInfo = Pick<
  ServicePortInfo,
  'internalPolicyLocal' | 'externalPolicyLocal' | 'nodePort' | 'externalIPs' | 'loadBalancerVIPs'
>

/**
 * `ExternallyAccessible`: the port can be reached some other way than its cluster IP —
 * it has a nodePort, an external IP or a load-balancer VIP.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/serviceport.go
 */
export function externallyAccessible(info: TrafficPolicyInfo): boolean {
  return info.nodePort !== 0 || info.loadBalancerVIPs.length > 0 || info.externalIPs.length > 0
}

/**
 * `UsesClusterEndpoints`: internalTrafficPolicy is Cluster, or the port accepts external
 * traffic at all (even with externalTrafficPolicy Local, pod traffic to a nodePort is
 * short-circuited to the cluster-wide endpoints).
 */
export function usesClusterEndpoints(info: TrafficPolicyInfo): boolean {
  return !info.internalPolicyLocal || externallyAccessible(info)
}

/** `UsesLocalEndpoints`: internalTrafficPolicy Local, or externalTrafficPolicy Local on an externally accessible port. */
export function usesLocalEndpoints(info: TrafficPolicyInfo): boolean {
  return info.internalPolicyLocal || (info.externalPolicyLocal && externallyAccessible(info))
}

/** `""` (no topology), `PreferSameZone` or `PreferSameNode`. */
export type TopologyMode = '' | 'PreferSameZone' | 'PreferSameNode'

/**
 * `topologyModeFromHints`: looks only at **ready** endpoints.
 * 1. No ready endpoint → `""`.
 * 2. Every ready endpoint has a node hint and one is for `nodeName` → `PreferSameNode`
 *    (the PreferSameTrafficDistribution gate, beta and on in 1.34).
 * 3. Every ready endpoint has a zone hint and one is for `zone` → `PreferSameZone`.
 * 4. Otherwise `""` — hints are ignored as soon as one ready endpoint lacks them.
 */
export function topologyModeFromHints(endpoints: readonly Endpoint[], nodeName: string, zone: string): TopologyMode {
  // Stryker disable next-line BooleanLiteral: with no ready endpoint forNode and forZone stay false, so the mode is '' either way
  let hasReady = false
  let allNodeHints = true
  let forNode = false
  let allZoneHints = true
  let forZone = false
  for (const ep of endpoints) {
    if (!ep.ready) continue
    hasReady = true
    if (!ep.nodeHints || ep.nodeHints.size === 0) allNodeHints = false
    else if (ep.nodeHints.has(nodeName)) forNode = true
    if (!ep.zoneHints || ep.zoneHints.size === 0) allZoneHints = false
    else if (ep.zoneHints.has(zone)) forZone = true
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral: with no ready endpoint forNode and forZone stay false, so the mode is '' either way
  if (!hasReady) return ''
  if (allNodeHints && forNode) return 'PreferSameNode'
  if (allZoneHints && forZone) return 'PreferSameZone'
  return ''
}

/** `availableForTopology`: whether an endpoint may be used under a topology mode. */
export function availableForTopology(ep: Endpoint, mode: TopologyMode, nodeName: string, zone: string): boolean {
  switch (mode) {
    case '':
      return true
    case 'PreferSameNode':
      // Stryker disable next-line OptionalChaining,BooleanLiteral: the mode is only chosen when every ready endpoint has hints, and only ready endpoints are asked
      return ep.nodeHints?.has(nodeName) ?? false
    case 'PreferSameZone':
      // Stryker disable next-line OptionalChaining,BooleanLiteral: the mode is only chosen when every ready endpoint has hints, and only ready endpoints are asked
      return ep.zoneHints?.has(zone) ?? false
  }
}

/**
 * The result of {@link categorizeEndpoints}. `null` means "this service port never uses
 * this kind of endpoint" (Go's nil); `[]` means "it does, and there are none".
 */
export interface CategorizedEndpoints {
  /** Endpoints for the Cluster policy; `null` when the port never uses it. */
  clusterEndpoints: Endpoint[] | null
  /** Endpoints for the Local policy; `null` when the port never uses it, or (as in Go) when this node has none. */
  localEndpoints: Endpoint[] | null
  /** Every endpoint this node may send the port's traffic to (the union of the two). */
  allReachableEndpoints: Endpoint[] | null
  /** Whether any usable endpoint exists anywhere in the cluster: REJECT when false, DROP when only remote ones exist. */
  hasAnyEndpoints: boolean
}

/**
 * `CategorizeEndpoints`.
 *
 * 1. No endpoints at all → everything `null`, `hasAnyEndpoints: false`.
 * 2. If the port {@link usesClusterEndpoints}: cluster endpoints = the **ready** ones
 *    available for the topology mode ({@link topologyModeFromHints}, zone from the node
 *    label `topology.kubernetes.io/zone`); if that is empty, the ones that are **serving
 *    and terminating** (topology ignored). Not-ready, not-serving endpoints are never used.
 *    Any cluster endpoint ⇒ `hasAnyEndpoints`.
 * 3. If it does not {@link usesLocalEndpoints}: all reachable = cluster endpoints; done.
 * 4. Local: any ready endpoint (or serving-terminating one) anywhere ⇒ `hasAnyEndpoints`.
 *    Local endpoints = this node's ready ones; if it has none, this node's serving and
 *    terminating ones; if it has neither, `null`. Topology hints are ignored.
 * 5. If it does not use cluster endpoints: all reachable = local endpoints.
 * 6. With no topology filtering and only ready local endpoints, all reachable = cluster
 *    endpoints (a superset); otherwise the union of both lists.
 *
 * Endpoints keep the order they were given in; a merged list is sorted by `ip:port`
 * (Go builds it from a map, in no particular order).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/topology.go
 */
export function categorizeEndpoints(
  endpoints: readonly Endpoint[],
  svcInfo: TrafficPolicyInfo,
  nodeName: string,
  nodeLabels?: Readonly<Record<string, string>>,
): CategorizedEndpoints {
  const result: CategorizedEndpoints = { clusterEndpoints: null, localEndpoints: null, allReachableEndpoints: null, hasAnyEndpoints: false }
  if (endpoints.length === 0) return result

  // Stryker disable next-line StringLiteral: read only when the port uses cluster endpoints, which sets it first
  let topologyMode: TopologyMode = ''
  // Stryker disable next-line BooleanLiteral: without topology, ready local endpoints are among the cluster ones: the merged list is the same set
  let useServingTerminating = false
  const usesCluster = usesClusterEndpoints(svcInfo)
  if (usesCluster) {
    // Stryker disable next-line StringLiteral: no endpoint is hinted for an unnamed zone, whatever stands for it
    const zone = nodeLabels?.[LABEL_TOPOLOGY_ZONE] ?? ''
    topologyMode = topologyModeFromHints(endpoints, nodeName, zone)
    result.clusterEndpoints = endpoints.filter((ep) => ep.ready && availableForTopology(ep, topologyMode, nodeName, zone))
    if (result.clusterEndpoints.length === 0) {
      result.clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating)
    }
    if (result.clusterEndpoints.length > 0) result.hasAnyEndpoints = true
  }

  if (!usesLocalEndpoints(svcInfo)) {
    result.allReachableEndpoints = result.clusterEndpoints
    return result
  }

  let localReady = false
  let localServingTerminating = false
  for (const ep of endpoints) {
    if (ep.ready) {
      result.hasAnyEndpoints = true
      if (ep.isLocal) localReady = true
    } else if (ep.serving && ep.terminating) {
      result.hasAnyEndpoints = true
      if (ep.isLocal) localServingTerminating = true
    }
  }
  if (localReady) {
    result.localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready)
  } else if (localServingTerminating) {
    useServingTerminating = true
    result.localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating)
  }

  if (!usesCluster) {
    result.allReachableEndpoints = result.localEndpoints
    return result
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: without topology or the terminating fallback the merged list is the cluster list as a set
  if (topologyMode === '' && !useServingTerminating) {
    result.allReachableEndpoints = result.clusterEndpoints
    return result
  }
  const merged = new Map<string, Endpoint>()
  // Stryker disable next-line ArrayDeclaration: a port that uses cluster endpoints always has a cluster list here
  for (const ep of [...(result.clusterEndpoints ?? []), ...(result.localEndpoints ?? [])]) merged.set(ep.endpoint, ep)
  // Stryker disable next-line MethodExpression,ArrowFunction,ConditionalExpression,EqualityOperator,UnaryOperator: Go builds it from a map, in no order: any order is faithful, the sort only keeps the model's output stable
  result.allReachableEndpoints = [...merged.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0))
  return result
}

// Builders and messages for the kube-proxy checks (katas 06 ClusterIP and 07 NodePort):
// Services and EndpointSlices as the API server stores them, and failure messages that
// say what happened to a connection in Kubernetes terms.
import type { Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1'
import type { Endpoint as SliceEndpoint, EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { CategorizedEndpoints, Endpoint, TrafficPolicyInfo } from '@impl/proxy/topology.ts'
import { expect } from 'vitest'
import { StatusError } from '../../lib/api/errors.ts'
import { bullets, listDiff } from './explain.ts'

/** One endpoint of a slice: a pod IP, its node and its conditions (ready unless said otherwise). */
export interface EP {
  ip: string
  node?: string
  ready?: boolean
  serving?: boolean
  terminating?: boolean
  /** `hints.forZones` */
  zones?: string[]
  /** `hints.forNodes` */
  nodes?: string[]
}

export interface SlicePort {
  name?: string
  port: number
  protocol?: 'TCP' | 'UDP' | 'SCTP'
}

/**
 * An EndpointSlice of Service `namespace/service`, as the EndpointSlice controller writes
 * it: `conditions` always set (a not-ready pod is `ready: false, serving: false`).
 */
export function endpointSlice(
  namespace: string,
  service: string,
  endpoints: readonly EP[],
  ports: readonly SlicePort[],
  opts: { name?: string; addressType?: 'IPv4' | 'IPv6' } = {},
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: opts.name ?? `${service}-x7k2p`,
      namespace,
      labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
    },
    addressType: opts.addressType ?? 'IPv4',
    endpoints: endpoints.map((e): SliceEndpoint => {
      const ready = e.ready ?? true
      return {
        addresses: [e.ip],
        conditions: { ready, serving: e.serving ?? ready, terminating: e.terminating ?? false },
        ...(e.node ? { nodeName: e.node } : {}),
        ...(e.zones || e.nodes
          ? { hints: { ...(e.zones ? { forZones: e.zones.map((name) => ({ name })) } : {}), ...(e.nodes ? { forNodes: e.nodes.map((name) => ({ name })) } : {}) } as SliceEndpoint['hints'] }
          : {}),
      }
    }),
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  }
}

export interface SvcOptions extends Omit<ServiceSpec, 'ports'> {
  namespace?: string
  name: string
  ports?: ServicePort[]
  ingressIPs?: string[]
}

/** A Service as stored (defaulted): `type` ClusterIP, `internalTrafficPolicy` Cluster, TCP ports, clusterIPs. */
export function svc(o: SvcOptions): Service {
  const { namespace, name, ports, ingressIPs, ...spec } = o
  const type = spec.type ?? 'ClusterIP'
  const external = type === 'NodePort' || type === 'LoadBalancer' || (spec.externalIPs?.length ?? 0) > 0
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: namespace ?? 'snackbar' },
    spec: {
      type,
      sessionAffinity: 'None',
      ...(type === 'ExternalName' ? {} : { internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }),
      ...(external ? { externalTrafficPolicy: 'Cluster' } : {}),
      ...(spec.clusterIP ? { clusterIPs: [spec.clusterIP] } : {}),
      ...spec,
      ports: (ports ?? [{ port: 80 }]).map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p })),
    },
    ...(ingressIPs ? { status: { loadBalancer: { ingress: ingressIPs.map((ip) => ({ ip })) } } } : {}),
  }
}

/** What the rules did, in words a learner knows from `curl`. */
export function describeOutput(v: { output: string; masq: boolean }): string {
  switch (v.output) {
    case '':
      return 'matched no kube-proxy rule (nothing owns that address and port: the client times out)'
    case 'REJECT':
      return 'REJECTed (the client sees "connection refused" at once)'
    case 'DROP':
      return 'DROPped (the client waits and times out)'
    case 'ACCEPT':
      return 'ACCEPTed by the node itself'
  }
  const masq = v.masq ? 'masqueraded: the pod sees the node as the client' : 'not masqueraded: the pod sees the real client address'
  return `DNATed to ${v.output} (${masq})`
}

export interface Flow {
  sourceIP: string
  destIP: string
  destPort: number
  protocol?: 'TCP' | 'UDP' | 'SCTP'
}

/** `TCP 10.96.0.20:80 from 10.244.1.5 on kind-worker`. */
export function flowText(f: Flow, node?: string): string {
  return `${f.protocol ?? 'TCP'} ${f.destIP}:${f.destPort} from ${f.sourceIP}${node ? ` on ${node}` : ''}`
}

/** A failure message for one connection: what happened, what kube-proxy does, the rules that matched. */
export function flowMessage(
  f: Flow,
  got: { output: string; masq: boolean; matched?: readonly string[] },
  want: { output: string; masq: boolean },
  opts: { node?: string; why?: string } = {},
): string {
  return [
    `${flowText(f, opts.node)}: ${describeOutput(got)}`,
    `kube-proxy: ${describeOutput(want)}${opts.why ? ` — ${opts.why}` : ''}`,
    `rules that matched:\n${bullets(got.matched ?? [])}`,
  ].join('\n')
}

/** Matches an error message exactly, not as a substring. */
export function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
}

// ---------------------------------------------------------------------------
// CategorizeEndpoints rows (topology_test.go): endpoints `ip:port` with R/S/T/L flags.

export function ep(endpoint: string, f: { ready?: boolean; serving?: boolean; terminating?: boolean; local?: boolean; zones?: string[]; nodes?: string[] } = {}): Endpoint {
  const ready = f.ready ?? true
  const [ip, port] = endpoint.split(':')
  return {
    endpoint,
    ip: ip!,
    port: Number(port),
    ready,
    serving: f.serving ?? ready,
    terminating: f.terminating ?? false,
    isLocal: f.local ?? false,
    nodeName: f.local ? 'test-node' : 'other-node',
    zoneHints: f.zones ? new Set(f.zones) : null,
    nodeHints: f.nodes ? new Set(f.nodes) : null,
  }
}
export const policy = (p: Partial<TrafficPolicyInfo> = {}): TrafficPolicyInfo => ({
  internalPolicyLocal: false,
  externalPolicyLocal: false,
  nodePort: 0,
  externalIPs: [],
  loadBalancerVIPs: [],
  ...p,
})

export interface CategorizeRow {
  name: string
  svc: TrafficPolicyInfo
  endpoints: Endpoint[]
  zone?: string
  /** null = must be null (never used); [] = empty or null, as Go's test accepts. */
  cluster: string[] | null
  local: string[] | null
  all?: string[]
  onlyRemote?: boolean
}

/** Go's checkExpectedEndpoints: `null` must be null; otherwise the same set (null counts as empty). */
export function checkCategory(what: string, want: string[] | null, got: readonly Endpoint[] | null, ctx: string): void {
  if (want === null) {
    expect(got, `${ctx}: ${what} should be null (this service port never uses them), got [${(got ?? []).map((e) => e.endpoint).join(', ')}]`).toBeNull()
    return
  }
  const g = (got ?? []).map((e) => e.endpoint).sort()
  const w = [...want].sort()
  expect(g, `${ctx}: ${what}\n${listDiff(w, g)}`).toEqual(w)
}

export function runCategorizeRow(tc: CategorizeRow, categorize: (endpoints: readonly Endpoint[], svcInfo: TrafficPolicyInfo, nodeName: string, nodeLabels?: Readonly<Record<string, string>>) => CategorizedEndpoints): void {
  const got = categorize(tc.endpoints, tc.svc, 'test-node', tc.zone !== undefined ? { 'topology.kubernetes.io/zone': tc.zone } : {})
  const ctx = `endpoints [${tc.endpoints.map((e) => `${e.endpoint}${e.ready ? ' R' : ''}${e.serving ? ' S' : ''}${e.terminating ? ' T' : ''}${e.isLocal ? ' L' : ''}`).join(', ')}]`
  checkCategory('cluster endpoints', tc.cluster, got.clusterEndpoints, ctx)
  checkCategory('local endpoints', tc.local, got.localEndpoints, ctx)
  const all = tc.all ?? (tc.local === null ? tc.cluster : tc.cluster === null ? tc.local : [])
  checkCategory('all reachable endpoints', all, got.allReachableEndpoints, ctx)
  const hasAny = (all?.length ?? 0) > 0 || (tc.onlyRemote ?? false)
  expect(got.hasAnyEndpoints, `${ctx}: hasAnyEndpoints decides REJECT (false) vs DROP/route (true)`).toBe(hasAny)
}


/** The API server's refusal thrown by `fn`; fails when the registry accepted the Service. */
export function statusOf(fn: () => unknown): StatusError {
  try {
    fn()
  } catch (e) {
    if (e instanceof StatusError) return e
    throw e
  }
  throw new Error('the registry accepted the Service; the API server refuses it')
}

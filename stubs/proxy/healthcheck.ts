// ────────────────────────────────────────────────────────────────────────
// Kata 08 · core path: you write
//   task 2 (health-checks): serveHealthCheck and probeBackend
// Each is marked TODO(kata 08) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 08`.
// ────────────────────────────────────────────────────────────────────────
// Health checks: how a cloud load balancer learns which nodes to send a Service's
// traffic to. With `externalTrafficPolicy: Local` kube-proxy opens the Service's
// `healthCheckNodePort` on every node and answers 200 only where the Service has a
// ready endpoint; with `Cluster` the load balancer checks kube-proxy's own `/healthz`
// on port 10256. A node that is down answers nothing, so the load balancer stops
// sending to it — that is why a dead node no longer hurts clients of a LoadBalancer
// Service, while `http://<dead node>:<nodePort>/` simply times out.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/healthcheck/service_health.go
import type { Node, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'

/** kube-proxy's `--healthz-bind-address` port: `/healthz` and `/livez`. */
export const KUBE_PROXY_HEALTHZ_PORT = 10256
/** Taint the Cluster Autoscaler puts on a node it is about to delete. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler'

/** Where a load balancer sends its health-check requests: `GET http://<node>:<port><path>`. */
export interface HealthCheckTarget {
  path: string
  port: number
}

/** What kube-proxy's health-check server answers. */
export interface HealthCheckResponse {
  status: 200 | 503
  headers: {
    'Content-Type': 'application/json'
    'X-Content-Type-Options': 'nosniff'
    /** The number of local endpoints, as a decimal string. */
    'X-Load-Balancing-Endpoint-Weight': string
  }
  body: string
}

/**
 * `RequestsOnlyLocalTraffic`: a NodePort or LoadBalancer Service with
 * `externalTrafficPolicy: Local`. ClusterIP and ExternalName Services never do, whatever
 * the field says.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function requestsOnlyLocalTraffic(service: Service): boolean {
  const type = service.spec?.type
  if (type !== 'LoadBalancer' && type !== 'NodePort') return false
  return service.spec?.externalTrafficPolicy === 'Local'
}

/**
 * `NeedsHealthCheck`: only a **LoadBalancer** Service that
 * {@link requestsOnlyLocalTraffic} gets a `healthCheckNodePort` and a health-check
 * server; a NodePort Service with `externalTrafficPolicy: Local` does not.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function needsHealthCheck(service: Service): boolean {
  return service.spec?.type === 'LoadBalancer' && requestsOnlyLocalTraffic(service)
}

/**
 * `GetServiceHealthCheckPathPort`: the path and port a cloud programs into the load
 * balancer's health check — `/healthz` on `spec.healthCheckNodePort` when the Service
 * {@link needsHealthCheck} and the port is set; otherwise `{path: '', port: 0}` (the
 * cloud then checks kube-proxy itself, see {@link probeBackend}).
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function getServiceHealthCheckPathPort(service: Service): HealthCheckTarget {
  if (!needsHealthCheck(service)) return { path: '', port: 0 }
  const port = service.spec?.healthCheckNodePort ?? 0
  return port === 0 ? { path: '', port: 0 } : { path: '/healthz', port }
}

/**
 * kube-proxy's `LocalReadyEndpoints` for one Service: how many distinct endpoint IPs of
 * its EndpointSlices are
 * 1. on this node (`nodeName` equals `nodeName`), and
 * 2. ready (`conditions.ready` true or unset) — a terminating endpoint is not ready, so
 *    a node whose only endpoints are terminating fails its health check and drains.
 * An endpoint counts once however many ports the Service has; a slice without ports
 * gives kube-proxy no endpoints at all.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/endpointschangetracker.go
 */
export function localReadyEndpoints(slices: readonly EndpointSlice[], nodeName: string): number {
  const ips = new Set<string>()
  for (const slice of slices) {
    if ((slice.ports ?? []).length === 0) continue
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0]
      if (ip === undefined) continue
      if (ep.nodeName !== nodeName) continue
      if (ep.conditions?.ready === false) continue
      ips.add(ip)
    }
  }
  return ips.size
}

/**
 * What kube-proxy's health-check server sends with either status: headers
 * `Content-Type: application/json`, `X-Content-Type-Options: nosniff` and
 * `X-Load-Balancing-Endpoint-Weight: <localEndpoints>`, and a tab-indented JSON body
 * without a trailing newline:
 * ```
 * {
 * 	"service": {
 * 		"namespace": "snackbar",
 * 		"name": "order"
 * 	},
 * 	"localEndpoints": 2,
 * 	"serviceProxyHealthy": true
 * }
 * ```
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/healthcheck/service_health.go
 */
function healthCheckResponse(service: Service, status: 200 | 503, localEndpoints: number, proxyHealthy: boolean): HealthCheckResponse {
  const namespace = service.metadata?.namespace ?? ''
  const name = service.metadata?.name ?? ''
  const body = [
    '{',
    '\t"service": {',
    `\t\t"namespace": ${JSON.stringify(namespace)},`,
    `\t\t"name": ${JSON.stringify(name)}`,
    '\t},',
    `\t"localEndpoints": ${localEndpoints},`,
    `\t"serviceProxyHealthy": ${proxyHealthy}`,
    '}',
  ].join('\n')
  return {
    status,
    headers: {
      'Content-Type': 'application/json',
      'X-Content-Type-Options': 'nosniff',
      'X-Load-Balancing-Endpoint-Weight': String(localEndpoints),
    },
    body,
  }
}

/**
 * `hcHandler.ServeHTTP`: kube-proxy's answer on `healthCheckNodePort` for one Service,
 * when a load balancer asks `GET /healthz`.
 *
 * 1. Nothing listens (`undefined`) unless the Service has a health-check port:
 *    {@link getServiceHealthCheckPathPort} names a port other than 0 (a LoadBalancer
 *    with `externalTrafficPolicy: Local` and its `healthCheckNodePort`).
 * 2. Status **200** when `localEndpoints > 0` **and** `proxyHealthy`, else **503** — which
 *    tells the load balancer not to use this node: a node without a ready pod of the
 *    Service would drop the traffic (Local never forwards it to another node).
 * 3. The answer is {@link healthCheckResponse}`(service, status, localEndpoints,
 *    proxyHealthy)`: kube-proxy's headers and JSON body.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/healthcheck/service_health.go
 */
export function serveHealthCheck(service: Service, localEndpoints: number, proxyHealthy: boolean): HealthCheckResponse | undefined {
  // TODO(kata 08, task 2): undefined without a health-check port; 200 with local endpoints and a healthy kube-proxy, else 503.
  throw new Error('kata 08-loadbalancer: serveHealthCheck is not implemented yet — see lessons/08-loadbalancer.md')
}

/** The state of kube-proxy on a node: running and in sync, running but stale, or not answering at all (node down). */
export type KubeProxyState = 'healthy' | 'unhealthy' | 'down'

/** One backend node of a load balancer, as its health checker finds it. */
export interface BackendNode {
  node: Node
  kubeProxy: KubeProxyState
  /** {@link localReadyEndpoints} of the Service on this node. */
  localEndpoints: number
}

/** What one health-check probe of a load balancer gets back from one node. */
export interface ProbeResult {
  target: HealthCheckTarget
  /** The HTTP status; `undefined` when nothing answers (the probe times out). */
  status: 200 | 503 | undefined
}

/**
 * One health-check probe of a cloud load balancer against one backend node: returns
 * `{target, status}`.
 *
 * 1. `target`: {@link getServiceHealthCheckPathPort} when its port is not 0
 *    (`externalTrafficPolicy: Local`), else kube-proxy's own `/healthz` on
 *    {@link KUBE_PROXY_HEALTHZ_PORT}, 10256 (`Cluster`: any node can forward to any
 *    endpoint, so only kube-proxy itself matters).
 * 2. `backend.kubeProxy` is `'down'` (the node is off): nothing answers, `status` is
 *    `undefined` — the probe times out.
 * 3. `Local`: the status of {@link serveHealthCheck}`(service, backend.localEndpoints,
 *    kubeProxy === 'healthy')` — 503 on a node without a ready pod of the Service.
 * 4. `Cluster`: 200 when kube-proxy is `'healthy'` and the node is not on its way out —
 *    no `metadata.deletionTimestamp` and no taint with key {@link TO_BE_DELETED_TAINT}
 *    (any effect) — else 503, so a node about to be removed drains.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/healthcheck/proxy_health.go
 */
export function probeBackend(service: Service, backend: BackendNode): ProbeResult {
  // TODO(kata 08, task 2): which port and path the load balancer probes, and what this node answers.
  throw new Error('kata 08-loadbalancer: probeBackend is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * The nodes a cloud load balancer actually sends new connections to: the backends
 * (in the order given) whose {@link probeBackend} answers 200. With
 * `externalTrafficPolicy: Local` that is only nodes with a ready endpoint of the
 * Service — the client IP is kept and no node drops the traffic; with `Cluster`,
 * every node whose kube-proxy is up.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/healthcheck/service_health.go
 */
export function healthyBackends(service: Service, backends: readonly BackendNode[]): string[] {
  const answering = backends.filter((b) => probeBackend(service, b).status === 200)
  return answering.map((b) => b.node.metadata?.name ?? '')
}

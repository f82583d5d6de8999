// The EXTERNAL-IP column of `kubectl get svc`, computed by the API server's table
// printer: where a client outside the cluster reaches the Service, if anywhere.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/printers/internalversion/printers.go
import type { LoadBalancerStatus, Service } from 'kubernetes-types/core/v1'

/** `loadBalancerWidth`: the column is cut beyond this many bytes (not with `-o wide`). */
export const LOAD_BALANCER_WIDTH = 16

/**
 * `loadBalancerStatusStringer`: the load balancer's addresses as one cell.
 * 1. Per ingress entry its `ip`, or else its `hostname` (entries with neither are skipped).
 * 2. Duplicates removed and the rest **sorted** as strings, joined by `,`.
 * 3. Unless `wide`, a result longer than 16 characters is cut to its first 13 + `...`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/printers/internalversion/printers.go
 */
export function loadBalancerStatusStringer(status: LoadBalancerStatus | undefined, wide = false): string {
  const set = new Set<string>()
  // Stryker disable next-line ArrayDeclaration: a stray entry has neither ip nor hostname and is skipped like none
  for (const ing of status?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip)
    else if (ing.hostname) set.add(ing.hostname)
  }
  // Go's sort.Strings compares bytes; for IPs and DNS names (ASCII) that is JS's default order.
  const joined = [...set].sort().join(',')
  return !wide && joined.length > LOAD_BALANCER_WIDTH ? `${joined.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : joined
}

/**
 * `getServiceExternalIP`: the EXTERNAL-IP cell of one Service, by `spec.type` (an unset
 * type is read as ClusterIP, the default):
 * - ClusterIP, NodePort: `spec.externalIPs` joined by `,` (`80.11.12.10,80.11.12.11`), or
 *   `<none>` — a NodePort Service shows no node addresses here.
 * - LoadBalancer: `loadBalancerStatusStringer(status.loadBalancer, wide)` — the ingress
 *   addresses, sorted, cut to `2.3.4.5,3.4.5...` past 16 characters unless `wide` — then
 *   every `spec.externalIPs` appended with `,`, uncut (`3.4.5.6,80.11.12.10`); neither:
 *   **`<pending>`** — nothing has written `status.loadBalancer` yet (no cloud provider,
 *   another controller's `loadBalancerClass`, an exhausted pool, or a provisioning error).
 * - ExternalName: `spec.externalName` (`''` when unset).
 * - Any other type: `<unknown>`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/printers/internalversion/printers.go
 */
export function externalIPColumn(service: Service, wide = false): string {
  // Stryker disable next-line OptionalChaining: a Service from the API server always has a spec (a struct in Go)
  const externalIPs = service.spec?.externalIPs ?? []
  // Stryker disable next-line OptionalChaining,StringLiteral: the API server defaults spec.type to ClusterIP, so a stored Service always has one
  switch (service.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>'
    case 'LoadBalancer': {
      const lbIPs = loadBalancerStatusStringer(service.status?.loadBalancer, wide)
      if (externalIPs.length > 0) return [...(lbIPs ? lbIPs.split(',') : []), ...externalIPs].join(',')
      return lbIPs || '<pending>'
    }
    case 'ExternalName':
      // Stryker disable next-line OptionalChaining,StringLiteral: validation requires spec.externalName on an ExternalName Service
      return service.spec?.externalName ?? ''
    default:
      return '<unknown>'
  }
}

// Who may reach a LoadBalancer Service's IP, and which IPs kube-proxy captures.
//
// `spec.loadBalancerSourceRanges` (or the older annotation
// `service.beta.kubernetes.io/load-balancer-source-ranges`) is a client allow-list:
// the cloud programs it into its load balancer or firewall, and kube-proxy enforces
// the spec field itself for VIP-style load balancers, whose traffic reaches the node
// with the client's own source IP. NodePorts are never filtered by it.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
import type { Service } from 'kubernetes-types/core/v1'
// You will need CIDR math (Go-strict parsing, network numbers):
//   import { cidrContains, formatCIDR, parseCIDR, parseIP } from '../../lib/net/ipint.ts'

/** `v1.AnnotationLoadBalancerSourceRangesKey`. */
export const LOAD_BALANCER_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges'
/** `defaultLoadBalancerSourceRanges`: what an unset allow-list means. */
export const DEFAULT_LOAD_BALANCER_SOURCE_RANGES = '0.0.0.0/0'

/** The source ranges of a Service do not parse; the message is the cloud-provider helper's. */
export class InvalidSourceRangesError extends Error {
  override name = 'InvalidSourceRangesError'
}

/**
 * `GetLoadBalancerSourceRanges`: the client CIDRs allowed to use the load balancer,
 * normalised and sorted.
 *
 * 1. `spec.loadBalancerSourceRanges`, if it has entries (the annotation is then ignored).
 *    A bad entry throws {@link InvalidSourceRangesError}:
 *    `service.Spec.LoadBalancerSourceRanges: [10.0.0.1/33] is not valid. Expecting a list
 *    of IP ranges. For example, 10.0.0.0/24. Error msg: invalid CIDR address: 10.0.0.1/33`.
 * 2. Else the annotation, trimmed, split on `,` (each part trimmed); empty or absent
 *    means `0.0.0.0/0`. A bad part throws: `service.beta.kubernetes.io/load-balancer-source-ranges:
 *    10.0.0.1/32, is not valid. Expecting a comma-separated list of source IP ranges.
 *    For example, 10.0.0.0/24,192.168.2.0/24` (a trailing comma leaves an empty part).
 * 3. Each CIDR is reduced to its network and duplicates merge.
 *
 * Simplified: Go's sloppy parser also accepts IPv4 octets with leading zeros; this one does not.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function getLoadBalancerSourceRanges(service: Service): string[] {
  // TODO(kata 08): the spec field, else the annotation (default 0.0.0.0/0); normalise, de-duplicate, sort.
  throw new Error('kata 08-loadbalancer: getLoadBalancerSourceRanges is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * `IsAllowAll`: whether the (normalised) ranges contain `0.0.0.0/0`. Only the IPv4
 * all-range counts: `::/0` alone does not make a load balancer open to everyone.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function isAllowAll(ranges: readonly string[]): boolean {
  // TODO(kata 08): is 0.0.0.0/0 among the ranges?
  throw new Error('kata 08-loadbalancer: isAllowAll is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * Whether the cloud's load balancer lets a client in: the client IP lies in one of
 * {@link getLoadBalancerSourceRanges} (the spec field, or else the annotation), or the
 * ranges {@link isAllowAll}. Invalid ranges throw {@link InvalidSourceRangesError}. A client
 * text that is no IP (`203.0.113.7:40000`, with its port) lies in no range.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function allowedSource(service: Service, clientIP: string): boolean {
  // TODO(kata 08): allow-all, or the client IP inside one of the ranges.
  throw new Error('kata 08-loadbalancer: allowedSource is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * kube-proxy's firewall (`KUBE-FW-…`) for traffic to a load-balancer IP it captures:
 * 1. only `spec.loadBalancerSourceRanges` counts — kube-proxy ignores the annotation;
 * 2. entries are trimmed (validation let whitespace through), and only those of the
 *    client's IP family apply;
 * 3. no entry of that family: no firewall, every client passes;
 * 4. otherwise the client IP must lie in one of them.
 * A client text that is no IP (`203.0.113.7:40000`, with its port) is dropped.
 * Traffic to a nodePort never goes through this firewall.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/serviceport.go
 */
export function proxyAllowsSource(service: Service, clientIP: string): boolean {
  // TODO(kata 08): spec field only, trimmed, same family as the client; none means no firewall.
  throw new Error('kata 08-loadbalancer: proxyAllowsSource is not implemented yet — see lessons/08-loadbalancer.md')
}

/**
 * The load-balancer IPs kube-proxy captures on every node (`LoadBalancerVIPs`), so that
 * a packet for one is handled like external traffic wherever it arrives: every
 * `status.loadBalancer.ingress[].ip` whose `ipMode` is `VIP` or unset. An entry with
 * `ipMode: Proxy` (the load balancer proxies and sends traffic to the nodes itself) or
 * with only a `hostname` is not captured.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/serviceport.go
 */
export function loadBalancerVIPs(service: Service): string[] {
  // TODO(kata 08): ingress IPs whose ipMode is VIP or unset.
  throw new Error('kata 08-loadbalancer: loadBalancerVIPs is not implemented yet — see lessons/08-loadbalancer.md')
}

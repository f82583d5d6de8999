// Who may reach a LoadBalancer Service's IP, and which IPs kube-proxy captures.
//
// `spec.loadBalancerSourceRanges` (or the older annotation
// `service.beta.kubernetes.io/load-balancer-source-ranges`) is a client allow-list:
// the cloud programs it into its load balancer or firewall, and kube-proxy enforces
// the spec field itself for VIP-style load balancers, whose traffic reaches the node
// with the client's own source IP. NodePorts are never filtered by it.
// @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
import type { Service } from 'kubernetes-types/core/v1'
import { cidrContains, formatCIDR, parseCIDR, parseIP, type ParsedCIDR } from '../../lib/net/ipint.ts'

/** `v1.AnnotationLoadBalancerSourceRangesKey`. */
export const LOAD_BALANCER_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges'
/** `defaultLoadBalancerSourceRanges`: what an unset allow-list means. */
export const DEFAULT_LOAD_BALANCER_SOURCE_RANGES = '0.0.0.0/0'

/** The source ranges of a Service do not parse; the message is the cloud-provider helper's. */
export class InvalidSourceRangesError extends Error {
  override name = 'InvalidSourceRangesError'
}

/** Go's `net.ParseCIDR` error text. */
function invalidCIDR(text: string): string {
  return `invalid CIDR address: ${text}`
}

/**
 * Parses CIDRs like `utilnet.ParseIPNets`: each one trimmed, normalised to its network
 * (`10.0.0.1/24` → `10.0.0.0/24`, `192.168.0.0/0` → `0.0.0.0/0`), duplicates merged.
 * Returns the first text that fails, or the set.
 */
function parseIPNets(specs: readonly string[]): { nets: Map<string, ParsedCIDR> } | { bad: string } {
  const nets = new Map<string, ParsedCIDR>()
  for (const raw of specs) {
    const spec = raw.trim()
    const cidr = parseCIDR(spec)
    if (!cidr) return { bad: spec }
    nets.set(formatCIDR(cidr.network, cidr.prefix, cidr.family), cidr)
  }
  return { nets }
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
  // Stryker disable next-line OptionalChaining: the API server defaults every Service's spec, so it is always there
  const specs = service.spec?.loadBalancerSourceRanges ?? []
  if (specs.length > 0) {
    const parsed = parseIPNets(specs)
    if ('bad' in parsed) {
      throw new InvalidSourceRangesError(
        `service.Spec.LoadBalancerSourceRanges: [${specs.join(' ')}] is not valid. Expecting a list of IP ranges. For example, 10.0.0.0/24. Error msg: ${invalidCIDR(parsed.bad)}`,
      )
    }
    return [...parsed.nets.keys()].sort()
  }
  // Stryker disable next-line OptionalChaining: every Service the API server holds has metadata (its name)
  const annotations = service.metadata?.annotations
  let value = (annotations?.[LOAD_BALANCER_SOURCE_RANGES_ANNOTATION] ?? '').trim()
  if (value === '') value = DEFAULT_LOAD_BALANCER_SOURCE_RANGES
  const parsed = parseIPNets(value.split(','))
  if ('bad' in parsed) {
    throw new InvalidSourceRangesError(
      `${LOAD_BALANCER_SOURCE_RANGES_ANNOTATION}: ${value} is not valid. Expecting a comma-separated list of source IP ranges. For example, 10.0.0.0/24,192.168.2.0/24`,
    )
  }
  return [...parsed.nets.keys()].sort()
}

/**
 * `IsAllowAll`: whether the (normalised) ranges contain `0.0.0.0/0`. Only the IPv4
 * all-range counts: `::/0` alone does not make a load balancer open to everyone.
 *
 * @see https://github.com/kubernetes/cloud-provider/blob/kubernetes-1.34.0/service/helpers/helper.go
 */
export function isAllowAll(ranges: readonly string[]): boolean {
  return ranges.includes(DEFAULT_LOAD_BALANCER_SOURCE_RANGES)
}

function inAny(ranges: readonly string[], clientIP: string): boolean {
  const ip = parseIP(clientIP)
  if (!ip) return false
  return ranges.some((r) => {
    const c = parseCIDR(r)
    return !!c && cidrContains(c.network, c.prefix, c.family, ip)
  })
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
  const ranges = getLoadBalancerSourceRanges(service)
  return isAllowAll(ranges) || inAny(ranges, clientIP)
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
  const ip = parseIP(clientIP)
  if (!ip) return false
  const family = ip.kind() === 'ipv4' ? 4 : 6
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: the API server defaults every Service's spec, and a stray entry that is no CIDR is dropped like an absent list
  const ranges = (service.spec?.loadBalancerSourceRanges ?? [])
    .map((r) => parseCIDR(r.trim()))
    .filter((c): c is ParsedCIDR => !!c && c.family === family)
  if (ranges.length === 0) return true
  return ranges.some((c) => cidrContains(c.network, c.prefix, c.family, ip))
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
  // Stryker disable next-line ArrayDeclaration: a stray entry has no ip and is dropped like an absent list
  return (service.status?.loadBalancer?.ingress ?? [])
    .filter((ing) => !!ing.ip && (ing.ipMode === undefined || ing.ipMode === 'VIP'))
    .map((ing) => ing.ip!)
}

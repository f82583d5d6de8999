// Formatters and builders for kata 03's checks: Endpoints subsets written the way
// TestPackSubsets reads them — {A=[1.2.3.4] N=[5.6.7.8] P=[http:80/TCP]} — and
// compared as sets, since Kubernetes orders ports and subsets by a hash.
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod } from 'kubernetes-types/core/v1'

/** `1.2.3.4`, `1.2.3.4/uid-1` (targetRef with a UID) or `1.2.3.4(ref foo)` (targetRef named foo, no UID). */
export function addrText(a: EndpointAddress): string {
  const ref = a.targetRef
  if (!ref) return a.ip
  if (ref.uid) return `${a.ip}/${ref.uid}`
  return ref.name ? `${a.ip}(ref ${ref.name})` : `${a.ip}(ref)`
}

/** `111`, `http:8080/TCP`. */
export function portText(p: EndpointPort): string {
  return `${p.name ? `${p.name}:` : ''}${p.port}${p.protocol ? `/${p.protocol}` : ''}${p.appProtocol ? ` (${p.appProtocol})` : ''}`
}

/** One subset; addresses in the order given, ports sorted (they form a set). */
export function subsetText(s: EndpointSubset): string {
  const parts: string[] = []
  if (s.addresses?.length) parts.push(`A=[${s.addresses.map(addrText).join(',')}]`)
  if (s.notReadyAddresses?.length) parts.push(`N=[${s.notReadyAddresses.map(addrText).join(',')}]`)
  parts.push(`P=[${(s.ports ?? []).map(portText).sort().join(',')}]`)
  return `{${parts.join(' ')}}`
}

/** Subsets as a sorted list of {@link subsetText}: equal lists = equal sets of subsets. */
export function subsetSet(subsets: readonly EndpointSubset[] | undefined): string[] {
  return (subsets ?? []).map(subsetText).sort()
}

export function subsetsText(subsets: readonly EndpointSubset[] | undefined): string {
  const set = subsetSet(subsets)
  return set.length ? set.join(', ') : '[] (no subsets)'
}

/**
 * Builds a subset from the TestPackSubsets notation: addresses `ip`, `ip/uid` (targetRef
 * with that UID) or `ip(ref name)` (targetRef with that name and no UID); ports numbers.
 */
export function S(o: { A?: string[]; N?: string[]; P?: (number | EndpointPort)[] }): EndpointSubset {
  const addr = (t: string): EndpointAddress => {
    const ref = /^(.*)\(ref (.*)\)$/.exec(t)
    if (ref) return { ip: ref[1]!, targetRef: { name: ref[2]! } }
    const [ip, uid] = t.split('/')
    return uid ? { ip: ip!, targetRef: { uid } } : { ip: ip! }
  }
  return {
    ...(o.A ? { addresses: o.A.map(addr) } : {}),
    ...(o.N ? { notReadyAddresses: o.N.map(addr) } : {}),
    ...(o.P ? { ports: o.P.map((p) => (typeof p === 'number' ? { port: p } : p)) } : {}),
  }
}

/** The distinct IPs of `addresses` (ready) and `notReadyAddresses` over all subsets, sorted. */
export function ipsOf(ep: Endpoints | undefined): { ready: string[]; notReady: string[] } {
  const ready = new Set<string>()
  const notReady = new Set<string>()
  for (const s of ep?.subsets ?? []) {
    for (const a of s.addresses ?? []) ready.add(a.ip)
    for (const a of s.notReadyAddresses ?? []) notReady.add(a.ip)
  }
  return { ready: [...ready].sort(), notReady: [...notReady].sort() }
}

/** `addresses [10.0.0.1] notReadyAddresses []`. */
export function ipsText(ips: { ready: readonly string[]; notReady: readonly string[] }): string {
  return `addresses [${ips.ready.join(', ')}] notReadyAddresses [${ips.notReady.join(', ')}]`
}

/** `Endpoints snackbar/order: want addresses [..] notReadyAddresses [..], got … — why`. */
export function endpointsMessage(
  where: string,
  want: { ready: readonly string[]; notReady: readonly string[] },
  got: Endpoints | undefined,
  why: string,
): string {
  const gotText = got ? ipsText(ipsOf(got)) : 'no Endpoints object at all'
  return `Endpoints ${where}: want ${ipsText(want)}, got ${gotText} — ${why}`
}

/** A pod with several IPs (dual-stack): `status.podIP` is the first, `status.podIPs` all. */
export function withIPs(p: Pod, ips: string[]): Pod {
  return { ...p, status: { ...p.status, podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } }
}

/** The pod's Ready condition set to `ready`, with a `lastTransitionTime`. */
export function withReady(p: Pod, ready: boolean, lastTransitionTime?: string): Pod {
  return {
    ...p,
    status: {
      ...p.status,
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', ...(lastTransitionTime ? { lastTransitionTime } : {}) },
      ],
    },
  }
}

// From what the zone found to DNS records (CoreDNS plugin/backend_lookup.go): the
// backend ({@link ServiceBackend}, the kubernetes plugin) lists entries for a name —
// an IP, a CNAME target or a text — and these builders turn them into the records of
// one query type: A/AAAA (following CNAMEs), SRV with the targets' addresses, TXT,
// CNAME, PTR, NS and the zone's SOA.
import { formatIP, formatRR, fqdn, isSubDomain, parseIP } from '../../lib/dns/rr.ts'
import type { QType } from './records.ts'

/** CoreDNS stops following a CNAME chain after this many links. */
export const MAX_CNAME_CHAIN = 8

/**
 * `msg.Service`: one thing the backend found for a name. `host` is an IP (an address
 * record), a name (a CNAME) or `''` with `text` set (a TXT); `target` is the name it is
 * known by (the SRV target, and the owner of its address in the extra section); `port`
 * is the service port (-1: the Service has no ports; 0: not a port at all).
 */
export interface Entry {
  host: string
  port: number
  target: string
  ttl: number
  text?: string
}

export type HostType = 'A' | 'AAAA' | 'CNAME' | 'TXT'

/** `msg.Service.HostType`: what record an entry makes. */
export function hostType(e: Entry): HostType {
  if (e.text !== undefined) return 'TXT'
  const ip = parseIP(e.host)
  if (!ip) return 'CNAME'
  return ip.kind() === 'ipv4' ? 'A' : 'AAAA'
}

/** `plugin.ServiceBackend`: what the record builders need from the zone. */
export interface ServiceBackend {
  /** `Services`: the entries of a name for a query type; throws a name error when the name does not exist. */
  services(zone: string, qname: string, qtype: QType): Entry[]
  /** `Reverse`: the names an address in a reverse zone is known by. */
  reverse(zone: string, qname: string): Entry[]
  /** What the DNS outside the cluster answers (CoreDNS's `forward` plugin), as zone-file lines. */
  upstream(name: string, qtype: QType): string[]
  /** `IsNameError`: whether an error means "this name does not exist". */
  isNameError(err: unknown): boolean
  /** `MinTTL` / the `ttl` option. */
  readonly ttl: number
  /** `Serial`: the SOA serial. */
  readonly serial: number
  /** The address of `ns.dns.<zone>`, the zone's name server. */
  readonly nameserverIP: string
}

/**
 * `plugin.A` / `plugin.AAAA`: the address records of `qname`, following CNAMEs.
 *
 * 1. An entry with an IP of the family gives one record, each IP once.
 * 2. A CNAME entry gives `qname CNAME <target>`, then the target's own records: asked of
 *    the zone when the target is inside it (a CNAME whose target has no records is left
 *    out, a target that does not exist too), of upstream otherwise (the CNAME alone when
 *    upstream has nothing).
 * 3. A CNAME to the name itself (or below it), one already followed, or a chain longer than
 *    {@link MAX_CNAME_CHAIN} is not followed.
 *
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/backend_lookup.go
 */
export function address(b: ServiceBackend, zone: string, qname: string, previous: readonly string[], family: 'A' | 'AAAA'): string[] {
  const entries = b.services(zone, qname, family)
  const out: string[] = []
  const seen = new Set<string>()
  for (const e of entries) {
    const what = hostType(e)
    if (what === 'CNAME') {
      const target = fqdn(e.host)
      // x CNAME x (or a name below x) is a loop.
      if (isSubDomain(qname, target)) continue
      const cname = formatRR({ name: qname, ttl: e.ttl, type: 'CNAME', data: target })
      if (previous.length >= MAX_CNAME_CHAIN || previous.includes(cname)) continue
      if (isSubDomain(zone, target)) {
        try {
          const next = address(b, zone, target, [...previous, cname], family)
          if (next.length > 0) out.push(cname, ...next)
        } catch (err) {
          if (!b.isNameError(err)) throw err
        }
        continue
      }
      out.push(cname, ...b.upstream(target, family))
      continue
    }
    if (what === family && !seen.has(e.host)) {
      seen.add(e.host)
      out.push(formatRR({ name: qname, ttl: e.ttl, type: family, data: formatIP(parseIP(e.host)!) }))
    }
  }
  return out
}

/**
 * `plugin.SRV`: `[answer, extra]`.
 *
 * 1. Every entry with a port and an address (not -1, not a CNAME) gives `qname SRV 0
 *    <weight> <port> <target>`, each (target, port) once; weight ⌊100/N⌋ with N the
 *    number of entries before duplicates collapse (at least 1).
 * 2. The extra section holds `<target> A|AAAA <host>`, each (target, address) once.
 *
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/backend_lookup.go
 */
export function srv(b: ServiceBackend, zone: string, qname: string): [string[], string[]] {
  const entries = b.services(zone, qname, 'SRV')
  const records: string[] = []
  const extra: string[] = []
  const seen = new Set<string>()
  // Every entry weighs 100 in a single priority: each gets 100 * 100 / (100 * N).
  const total = 100 * entries.length
  for (const e of entries) {
    if (e.port === -1) continue // no ports: no SRV
    const weight = Math.max(1, Math.floor((100 / total) * 100))
    const what = hostType(e)
    if (what !== 'A' && what !== 'AAAA') continue
    const srvKey = `${e.target} port ${e.port}`
    if (!seen.has(srvKey)) {
      seen.add(srvKey)
      records.push(formatRR({ name: qname, ttl: e.ttl, type: 'SRV', data: `0 ${weight} ${e.port} ${e.target}` }))
    }
    const addrKey = `${e.target} addr ${e.host}`
    if (!seen.has(addrKey)) {
      seen.add(addrKey)
      extra.push(formatRR({ name: e.target, ttl: e.ttl, type: what, data: formatIP(parseIP(e.host)!) }))
    }
  }
  return [records, extra]
}

/** `plugin.TXT`: the text entries (only `dns-version` has one). */
export function txt(b: ServiceBackend, zone: string, qname: string): string[] {
  return b.services(zone, qname, 'TXT').map((e) => {
    // Stryker disable next-line StringLiteral: the backend gives a TXT question only entries with a text
    const text = e.text ?? ''
    return formatRR({ name: qname, ttl: e.ttl, type: 'TXT', data: `"${text}"` })
  })
}

/** `plugin.CNAME`: the first entry, if it is a name. */
export function cname(b: ServiceBackend, zone: string, qname: string): string[] {
  // Stryker disable next-line StringLiteral: KubeDNS.services treats every type but TXT and SRV alike
  const first = b.services(zone, qname, 'CNAME')[0]
  if (!first || hostType(first) !== 'CNAME') return []
  return [formatRR({ name: qname, ttl: first.ttl, type: 'CNAME', data: fqdn(first.host) })]
}

/** `plugin.PTR`: the names of an address, each once. */
export function ptr(b: ServiceBackend, zone: string, qname: string): string[] {
  const out: string[] = []
  for (const e of b.reverse(zone, qname)) {
    const line = formatRR({ name: qname, ttl: e.ttl, type: 'PTR', data: fqdn(e.host) })
    // Stryker disable next-line ConditionalExpression: ServeDNS removes duplicate records from the answer anyway
    if (!out.includes(line)) out.push(line)
  }
  return out
}

/** `plugin.NS`: `[answer, extra]`, the zone's one name server `ns.dns.<zone>` and its address. */
export function ns(b: ServiceBackend, zone: string, qname: string): [string[], string[]] {
  const nsName = `ns.dns.${zone}`
  const ip = parseIP(b.nameserverIP)
  // Stryker disable next-line ArrayDeclaration: with no NS record the answer is NODATA, which carries no extra section
  if (!ip) return [[], []]
  return [
    [formatRR({ name: qname, ttl: b.ttl, type: 'NS', data: nsName })],
    [formatRR({ name: nsName, ttl: b.ttl, type: ip.kind() === 'ipv4' ? 'A' : 'AAAA', data: formatIP(ip) })],
  ]
}

/** `plugin.SOA`: the zone's SOA record; TTL min(300, ttl), minimum TTL = ttl. */
export function soa(b: ServiceBackend, zone: string): string {
  return formatRR({
    name: zone,
    ttl: Math.min(300, b.ttl),
    type: 'SOA',
    data: `ns.dns.${zone} hostmaster.${zone} ${b.serial} 7200 1800 86400 ${b.ttl}`,
  })
}

// Wrong: the name is tried as written first, and the search list only after it fails —
// whatever ndots says, as if every name were "probably already complete".
import { parseRR, sameName } from '../../../lib/dns/rr.ts'
import type { DNSServer, Rcode } from '../../../solutions/dns/records.ts'
import type { DNSConfig } from '../../../solutions/dns/resolvconf.ts'
import type { Flavour, Resolution } from '../../../solutions/dns/resolver.ts'

export * from '../../../solutions/dns/resolver.ts'

export function candidates(name: string, resolvConf: DNSConfig, _flavour: Flavour = 'glibc'): string[] {
  if (name.endsWith('.')) return [name]
  return [...new Set([`${name}.`, ...resolvConf.searches.map((d) => `${name}.${d}.`)])]
}

export function resolve(name: string, qtype: 'A' | 'AAAA', resolvConf: DNSConfig, zone: DNSServer, flavour: Flavour = 'glibc'): Resolution {
  const tried: string[] = []
  let rcode: Rcode = 'NXDOMAIN'
  for (const candidate of candidates(name, resolvConf, flavour)) {
    tried.push(candidate)
    const res = zone.serveDNS(candidate, qtype)
    rcode = res.rcode
    if (res.rcode !== 'NOERROR') continue
    let current = candidate
    for (let hop = 0; hop <= 8; hop++) {
      const here = res.answer.map(parseRR).filter((rr) => sameName(rr.name, current))
      const addresses = here.filter((rr) => rr.type === qtype).map((rr) => rr.data)
      if (addresses.length > 0) return { found: true, answeredBy: candidate, answer: res.answer, addresses, tried, rcode }
      const cname = here.find((rr) => rr.type === 'CNAME')
      if (!cname) break
      current = cname.data
    }
    if (flavour === 'musl') break
  }
  return { found: false, answer: [], addresses: [], tried, rcode }
}

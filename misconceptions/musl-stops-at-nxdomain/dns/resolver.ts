// Misconception: musl ends its search at the first name that does not answer with an
// address, NXDOMAIN included, instead of only at NODATA.
import { parseRR, sameName } from '../../../lib/dns/rr.ts'
import type { DNSServer, Rcode } from '../../../solutions/dns/records.ts'
import type { DNSConfig } from '../../../solutions/dns/resolvconf.ts'
import { candidates, type Flavour, type Resolution } from '../../../solutions/dns/resolver.ts'

export * from '../../../solutions/dns/resolver.ts'

export function resolve(name: string, qtype: 'A' | 'AAAA', resolvConf: DNSConfig, zone: DNSServer, flavour: Flavour = 'glibc'): Resolution {
  const tried: string[] = []
  let rcode: Rcode = 'NXDOMAIN'
  for (const candidate of candidates(name, resolvConf, flavour)) {
    tried.push(candidate)
    const res = zone.serveDNS(candidate, qtype)
    rcode = res.rcode
    if (res.rcode === 'NOERROR') {
      let current = candidate
      for (let hop = 0; hop <= 8; hop++) {
        const here = res.answer.map(parseRR).filter((rr) => sameName(rr.name, current))
        const addresses = here.filter((rr) => rr.type === qtype).map((rr) => rr.data)
        if (addresses.length > 0) return { found: true, answeredBy: candidate, answer: res.answer, addresses, tried, rcode }
        const cname = here.find((rr) => rr.type === 'CNAME')
        if (!cname) break
        current = cname.data
      }
    }
    // Wrong: musl is taken to stop at any name without an address, NXDOMAIN too.
    if (flavour === 'musl') break
  }
  return { found: false, answer: [], addresses: [], tried, rcode }
}

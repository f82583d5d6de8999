// The pod's stub resolver: how `curl http://order/` turns `order` into the names it
// actually asks the cluster DNS for, using the search list and `ndots` of the
// resolv.conf the kubelet wrote (./resolvconf.ts), and when it stops asking.
import { parseRR, sameName } from '../../lib/dns/rr.ts'
import type { DNSServer, Rcode } from './records.ts'
import type { DNSConfig } from './resolvconf.ts'

/** Which C library's resolver: glibc (Debian, Ubuntu, distroless) or musl (Alpine). */
export type Flavour = 'glibc' | 'musl'

/** `ndots` when resolv.conf does not set it (glibc `res_init.c`, musl `resolvconf.c`). */
export const DEFAULT_NDOTS = 1
/** Both libraries cap `ndots` at 15 (`RES_MAXNDOTS`). */
export const MAX_NDOTS = 15
/** A stub resolver follows at most this many CNAMEs in one answer. */
const MAX_CNAME_CHAIN = 8

/**
 * The `ndots` a resolv.conf sets: the number of the **last** `ndots:N` option (`ndots:0`
 * included), capped at {@link MAX_NDOTS} (15); {@link DEFAULT_NDOTS} (1) without one. An
 * option that is not exactly `ndots:<digits>` (`ndots:`, `ndots:x`, `ndots5`) is ignored.
 *
 * @see https://man7.org/linux/man-pages/man5/resolv.conf.5.html
 */
export function ndotsOf(resolvConf: DNSConfig): number {
  let n = DEFAULT_NDOTS
  for (const op of resolvConf.options) {
    const m = /^ndots:(\d+)$/.exec(op)
    if (m) n = Math.min(Number(m[1]), MAX_NDOTS)
  }
  return n
}

/**
 * The fully qualified names a resolver asks for, in order, for the name an
 * application gave it:
 *
 * 1. A name ending in `.` is absolute: only itself.
 * 2. glibc (`res_search`): with at least `ndots` dots, the name as is first, then
 *    `<name>.<domain>` for each search domain; with fewer dots, the search domains
 *    first and the name as is last.
 * 3. musl: with fewer than `ndots` dots, the search domains then the name as is; with
 *    `ndots` dots or more, only the name as is — never the search list.
 *
 * A search domain `.` stands for the root (the name as is); no name is listed twice.
 *
 * @example candidates('order', { servers: [], searches: ['other.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] })
 *   // ['order.other.svc.cluster.local.', 'order.svc.cluster.local.', 'order.cluster.local.', 'order.']
 * @see https://github.com/bminor/glibc/blob/glibc-2.41/resolv/res_query.c
 * @see https://git.musl-libc.org/cgit/musl/tree/src/network/lookup_name.c?h=v1.2.5
 */
export function candidates(
  name: string,
  resolvConf: DNSConfig,
  // Stryker disable next-line StringLiteral: only 'musl' is ever tested for, so any other default reads as glibc
  flavour: Flavour = 'glibc',
): string[] {
  if (name.endsWith('.')) return [name]
  const dots = name.split('.').length - 1
  const ndots = ndotsOf(resolvConf)
  const asIs = `${name}.`
  const searched = resolvConf.searches.map((d) => {
    const domain = d.replace(/^\.+|\.+$/g, '')
    return domain === '' ? asIs : `${name}.${domain}.`
  })
  let out: string[]
  if (flavour === 'musl') out = dots >= ndots ? [asIs] : [...searched, asIs]
  else out = dots >= ndots ? [asIs, ...searched] : [...searched, asIs]
  return [...new Set(out)]
}

/** What {@link resolve} found, and how. */
export interface Resolution {
  /** Whether some name answered with at least one address. */
  found: boolean
  /** The name that answered (fully qualified), when found. */
  answeredBy?: string
  /** That answer's records (zone-file lines), CNAMEs included; `[]` when not found. */
  answer: string[]
  /** The addresses at the end of the answer's CNAME chain. */
  addresses: string[]
  /** Every name asked, in order. */
  tried: string[]
  /** The rcode of the last response. */
  rcode: Rcode
}

/**
 * Resolves a name the way a pod's resolver does (`getaddrinfo` for one address family):
 *
 * 1. Ask `zone.serveDNS(candidate, qtype)` for each of {@link candidates} in turn; every
 *    name asked goes to `tried`, and `rcode` is always that of the last response.
 * 2. An answer counts when it is NOERROR and, following its CNAMEs from the name asked
 *    (`followChain(answer, candidate, qtype)`, given below), ends in records of the asked
 *    type: that stops the search with `found: true`, `answeredBy` the candidate, `answer`
 *    its response's answer section and `addresses` the end of the chain.
 * 3. NXDOMAIN goes on to the next candidate. NOERROR without addresses (NODATA)
 *    goes on with glibc, but **ends the search with musl** (its "failure in the
 *    root scope is final": a NODATA answer is taken as the name's final word).
 * 4. Nothing found: `found: false`, no `answeredBy`, `answer` and `addresses` empty.
 *
 * The model asks one query type per name; real resolvers usually send A and AAAA together.
 *
 * @see https://github.com/bminor/glibc/blob/glibc-2.41/resolv/res_query.c
 * @see https://git.musl-libc.org/cgit/musl/tree/src/network/lookup_name.c?h=v1.2.5
 */
export function resolve(
  name: string,
  qtype: 'A' | 'AAAA',
  resolvConf: DNSConfig,
  zone: DNSServer,
  // Stryker disable next-line StringLiteral: only 'musl' is ever tested for, so any other default reads as glibc
  flavour: Flavour = 'glibc',
): Resolution {
  const tried: string[] = []
  // Stryker disable next-line StringLiteral: candidates never lists no name (the name as is is always there), so the loop always sets rcode
  let rcode: Rcode = 'NXDOMAIN'
  for (const candidate of candidates(name, resolvConf, flavour)) {
    tried.push(candidate)
    const res = zone.serveDNS(candidate, qtype)
    rcode = res.rcode
    if (res.rcode !== 'NOERROR') continue
    const addresses = followChain(res.answer, candidate, qtype)
    if (addresses.length > 0) return { found: true, answeredBy: candidate, answer: res.answer, addresses, tried, rcode }
    if (flavour === 'musl') break
  }
  return { found: false, answer: [], addresses: [], tried, rcode }
}

/** The data of the `qtype` records owned by `name`, or by the end of its CNAME chain. */
function followChain(answer: readonly string[], name: string, qtype: string): string[] {
  const rrs = answer.map(parseRR)
  let current = name
  for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
    const here = rrs.filter((rr) => sameName(rr.name, current))
    const addrs = here.filter((rr) => rr.type === qtype).map((rr) => rr.data)
    if (addrs.length > 0) return addrs
    const cname = here.find((rr) => rr.type === 'CNAME')
    if (!cname) return []
    current = cname.data
  }
  return []
}

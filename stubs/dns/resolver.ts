// ────────────────────────────────────────────────────────────────────────
// Kata 05 · core path: you write
//   task 4 (search-path): ndotsOf, candidates and resolve
// Each is marked TODO(kata 05) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 05`.
// ────────────────────────────────────────────────────────────────────────
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
  // TODO(kata 05, task 4): the last ndots:N option, capped at 15; 1 without one.
  throw new Error('kata 05-dns: ndotsOf is not implemented yet — see lessons/05-dns.md')
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
export function candidates(name: string, resolvConf: DNSConfig, flavour: Flavour = 'glibc'): string[] {
  // TODO(kata 05, task 4): absolute names alone; otherwise the search list and the name as is, ordered by dots vs ndots (glibc/musl differ).
  throw new Error('kata 05-dns: candidates is not implemented yet — see lessons/05-dns.md')
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
  flavour: Flavour = 'glibc',
): Resolution {
  // TODO(kata 05, task 4): ask each candidate; stop at a NOERROR answer whose CNAME chain ends in addresses (musl also stops at NODATA).
  throw new Error('kata 05-dns: resolve is not implemented yet — see lessons/05-dns.md')
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

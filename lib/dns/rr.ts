// Resource records as zone-file lines, the way CoreDNS's tests write them
// (`svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1`), plus the small name and
// address helpers every DNS module of the course needs. Given code: the learner
// does not write it.
//
// One convention everywhere: fields separated by single spaces, owner names
// fully qualified (trailing dot), class always IN, TXT strings quoted.

/** One resource record. `data` is the RDATA in presentation format (`10.0.0.1`, `0 100 80 svc1.testns.svc.cluster.local.`). */
export interface RR {
  name: string
  ttl: number
  type: string
  data: string
}

/** `name ttl IN type data`, single spaces. */
export function formatRR(rr: RR): string {
  return `${rr.name} ${rr.ttl} IN ${rr.type} ${rr.data}`
}

/** A record line of the tests' style, whatever the whitespace: `name ttl [IN] type data…`. */
export function parseRR(line: string): RR {
  const f = line.trim().split(/\s+/)
  const [name, ttl] = f
  let i = 2
  if (f[i]?.toUpperCase() === 'IN') i++
  const type = f[i]
  if (name === undefined || ttl === undefined || type === undefined || !/^\d+$/.test(ttl)) {
    throw new Error(`not a resource record line: ${JSON.stringify(line)}`)
  }
  return { name: fqdn(name), ttl: Number(ttl), type: type.toUpperCase(), data: f.slice(i + 1).join(' ') }
}

/** The name with exactly one trailing dot (`cluster.local` → `cluster.local.`); `''` is the root `.`. */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`
}

/** DNS names compare case-insensitively, with or without the trailing dot. */
export function sameName(a: string, b: string): boolean {
  return fqdn(a).toLowerCase() === fqdn(b).toLowerCase()
}

/** Whether `child` is `parent` or below it (`dns.IsSubDomain`), case-insensitively. */
export function isSubDomain(parent: string, child: string): boolean {
  const p = fqdn(parent).toLowerCase()
  const c = fqdn(child).toLowerCase()
  return p === '.' || c === p || c.endsWith(`.${p}`)
}

// Addresses are parsed and printed as Go does, by the course's one IP helper.
export { formatIP, parseIP } from '../net/ipint.ts'

// IP addresses as whole numbers, for allocators that walk a range or index a
// bitmap (the node CIDR allocator, host-local IPAM). Parsing and printing go
// through ipaddr.js; only the +1 / shift / mask steps are done on a bigint.
//
// Parsing is as strict as Go's `net.ParseIP` (no leading zeros, no short IPv4
// forms) and an IPv4-mapped IPv6 address is an IPv4 address, as Go's `To4()`
// makes it. Printing is Go's `net.IP.String()`: dotted quad, or RFC 5952.
import ipaddr from 'ipaddr.js'

export type IPAddress = ipaddr.IPv4 | ipaddr.IPv6
export type Family = 4 | 6

/**
 * The number of a dotted quad `a.b.c.d` (each part 0–255 without leading zeros), read
 * character by character: addresses are parsed millions of times at scale.
 */
export function dottedQuad(text: string): number | undefined {
  let n = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48
    if (c === -2) {
      if (digits === 0 || ++dots > 3) return undefined
      n = n * 256 + part
      part = 0
      digits = 0
    } else if (c >= 0 && c <= 9) {
      if (digits > 0 && part === 0) return undefined // a leading zero
      part = part * 10 + c
      if (++digits > 3 || part > 255) return undefined
    } else return undefined
  }
  return dots === 3 && digits > 0 ? n * 256 + part : undefined
}

/** Parses an IP address like Go's `net.ParseIP`; `undefined` when it is not one. */
export function parseIP(text: string): IPAddress | undefined {
  const quad = dottedQuad(text)
  if (quad !== undefined) return new ipaddr.IPv4([quad >>> 24, (quad >>> 16) & 255, (quad >>> 8) & 255, quad & 255])
  if (!text.includes(':') || !ipaddr.IPv6.isValid(text)) return undefined
  const v6 = ipaddr.IPv6.parse(text)
  if (v6.zoneId !== undefined) return undefined
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6
}

/**
 * Go's `utilnet.IsIPv6String`: a valid IPv6 address that is not IPv4-mapped
 * (`::ffff:a.b.c.d` counts as IPv4, as `net.IP.To4()` makes it).
 */
export function isIPv6String(text: string | undefined): boolean {
  // Every IPv6 address has a colon; without one there is nothing to parse.
  if (!text?.includes(':')) return false
  const ip = parseIP(text)
  return ip !== undefined && familyOf(ip) === 6
}

export function familyOf(ip: IPAddress): Family {
  return ip.kind() === 'ipv4' ? 4 : 6
}

/** 32 or 128. */
export function bitsOf(family: Family): number {
  return family === 4 ? 32 : 128
}

/** The address as an unsigned whole number. */
export function toBigInt(ip: IPAddress): bigint {
  if (ip.kind() === 'ipv4') {
    // Four octets fit a number: one conversion instead of four bigint steps.
    const [a, b, c, d] = (ip as ipaddr.IPv4).octets as [number, number, number, number]
    return BigInt(a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d)
  }
  return ip.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n)
}

/** The address of a family with this number (taken modulo the family's size). */
export function fromBigInt(n: bigint, family: Family): IPAddress {
  if (family === 4) {
    const v = Number(BigInt.asUintN(32, n))
    return new ipaddr.IPv4([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255])
  }
  const bytes: number[] = []
  let rest = BigInt.asUintN(bitsOf(family), n)
  for (let i = 0; i < bitsOf(family) / 8; i++) {
    bytes.unshift(Number(rest & 0xffn))
    rest >>= 8n
  }
  return ipaddr.fromByteArray(bytes)
}

/** Go's `net.IP.String()`: `10.244.1.2`, `2001:db8::1`. */
export function formatIP(ip: IPAddress): string {
  return ip.kind() === 'ipv4' ? ip.toString() : (ip as ipaddr.IPv6).toRFC5952String()
}

/** The netmask of a prefix length, as a number: `/24` of IPv4 is 0xffffff00. */
export function maskOf(prefix: number, family: Family): bigint {
  const bits = BigInt(bitsOf(family))
  const p = BigInt(prefix)
  return ((1n << bits) - 1n) ^ ((1n << (bits - p)) - 1n)
}

export interface ParsedCIDR {
  /** The address as written (host bits kept), like CNI's `types.ParseCIDR`. */
  ip: IPAddress
  prefix: number
  family: Family
  /** The network address (host bits cleared), like Go's `net.ParseCIDR`. */
  network: bigint
}

/** Parses `10.244.0.0/16`; `undefined` when the text is not a CIDR. */
export function parseCIDR(text: string): ParsedCIDR | undefined {
  const slash = text.indexOf('/')
  if (slash < 0) return undefined
  const ip = parseIP(text.slice(0, slash))
  const prefixText = text.slice(slash + 1)
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined
  const family = familyOf(ip)
  const prefix = Number(prefixText)
  if (prefix > bitsOf(family)) return undefined
  return { ip, prefix, family, network: toBigInt(ip) & maskOf(prefix, family) }
}

/** `10.244.1.0/24` from a network number and a prefix length. */
export function formatCIDR(network: bigint, prefix: number, family: Family): string {
  return `${formatIP(fromBigInt(network, family))}/${prefix}`
}

/** Whether the address lies in the network `network/prefix` of the same family. */
export function cidrContains(network: bigint, prefix: number, family: Family, ip: IPAddress): boolean {
  return familyOf(ip) === family && (toBigInt(ip) & maskOf(prefix, family)) === network
}

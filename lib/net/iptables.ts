// A small model of the netfilter rules kube-proxy writes, and of the kernel that
// evaluates them. Given code: the katas write the *rules* (which chains, which
// matches, which targets — that is kube-proxy's job); this file only knows what
// iptables does with them, so that a connection can be traced through them.
//
// What is modelled: the `filter` and `nat` tables as kube-proxy fills them; the
// matches `-s`/`-d` (address or CIDR, `!` negation), `-m addrtype --src-type/--dst-type
// LOCAL`, `-p`/`--dport`, `-m statistic --mode random --probability`, `-m recent
// --set` / `--rcheck --seconds --reap`; the targets DNAT, KUBE-MARK-MASQ, REJECT, DROP,
// ACCEPT, RETURN and jumps to user chains. Conntrack is one rule: only the first packet
// of a connection goes through `nat` — which is why `connect()` is per connection.
//
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier_test.go (tracePacket)
import * as crypto from 'node:crypto'
import { Random } from '../random.ts'
import { dottedQuad, familyOf, maskOf, parseCIDR, parseIP, toBigInt } from './ipint.ts'

export type Table = 'filter' | 'nat'
/** Protocol as iptables writes it (`-p tcp`); the API's `TCP` lower-cased. */
export type IPTablesProtocol = 'tcp' | 'udp' | 'sctp'

/** Kube-proxy's fixed chains. */
export const KUBE_SERVICES = 'KUBE-SERVICES'
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES'
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS'
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ'
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING'
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL'

/** `-s` / `-d`: an address or a CIDR; `negated` writes `! -s …`. */
export interface AddressMatch {
  address: string
  negated?: boolean
}

/** `-m recent`: `--set` records the source address, `--rcheck --seconds N --reap` looks it up. */
export type RecentMatch = { name: string; action: 'set' } | { name: string; action: 'rcheck'; seconds: number }

/**
 * One `-A CHAIN …` rule. Every field is a match that must hold (they are ANDed), except
 * `jump` (`-j`) and `toDestination` (`--to-destination`, for DNAT).
 */
export interface Rule {
  /** `-m comment --comment …` (quoted when it has a space, as kube-proxy writes it). */
  comment?: string
  /** `-m addrtype --src-type LOCAL`: the source is one of this node's addresses. */
  srcType?: 'LOCAL'
  /** `-m addrtype --dst-type LOCAL`: the destination is one of this node's addresses. */
  dstType?: 'LOCAL'
  recent?: RecentMatch
  /** `-m tcp -p tcp` */
  protocol?: IPTablesProtocol
  /** `-d` */
  destination?: AddressMatch
  /** `--dport` */
  dport?: number
  /** `-s` */
  source?: AddressMatch
  /** `-m statistic --mode random --probability 0.5000000000` */
  probability?: string
  /** A chain name, or `DNAT`, `KUBE-MARK-MASQ`, `REJECT`, `DROP`, `ACCEPT`, `RETURN`. */
  jump: string
  /** `--to-destination 10.244.1.5:8080` (DNAT only). */
  toDestination?: string
}

/** One chain: its rules in order, and the index {@link Ruleset.candidates} builds over them. */
interface Chain {
  rules: Rule[]
  /** Built when a packet first walks the chain; dropped when the chain changes. */
  index: ChainIndex | undefined
}

/** One node's kube-proxy rules: chains of the `filter` and `nat` tables, in order. */
export class Ruleset {
  private readonly tables: Record<Table, Map<string, Chain>> = { filter: new Map(), nat: new Map() }

  /** Declares a chain (`:KUBE-SVC-… - [0:0]`) if it does not exist yet. */
  addChain(table: Table, chain: string): void {
    this.declare(table, chain)
  }

  /** Appends a rule (`-A chain …`), declaring the chain if needed. */
  append(table: Table, chain: string, rule: Rule): void {
    const c = this.declare(table, chain)
    c.rules.push(rule)
    c.index = undefined
  }

  private declare(table: Table, chain: string): Chain {
    let c = this.tables[table].get(chain)
    if (!c) this.tables[table].set(chain, (c = { rules: [], index: undefined }))
    return c
  }

  /**
   * The positions of the rules of a chain that a packet to `destKey` could match, in
   * order: every rule without an exact `-d <ip>` match, and the rules whose `-d` is that
   * IP (every rule of a short chain). A chain like KUBE-SERVICES holds one rule per service port; looking its packet's
   * destination up, as the kernel's nftables maps do, keeps 10,000 Services fast while the
   * first-match order of iptables is kept exactly.
   */
  candidates(table: Table, chain: string, destKey: AddrKey | undefined): readonly number[] {
    const c = this.tables[table].get(chain)
    return c ? candidatesOf(c, destKey) : []
  }

  /** @internal The chain itself, for the walk of a packet. */
  chainOf(table: Table, chain: string): Chain | undefined {
    return this.tables[table].get(chain)
  }

  hasChain(table: Table, chain: string): boolean {
    return this.tables[table].has(chain)
  }

  /** The rules of a chain, in order (none for a chain that does not exist). */
  rules(table: Table, chain: string): readonly Rule[] {
    return this.tables[table].get(chain)?.rules ?? []
  }

  /** The chains of a table, in the order they were declared. */
  chains(table: Table): string[] {
    return [...this.tables[table].keys()]
  }

  /** The rules of one chain as `iptables-save` lines. */
  lines(table: Table, chain: string): string[] {
    return this.rules(table, chain).map((r) => formatRule(chain, r))
  }

  /** The whole ruleset as `iptables-save` prints it (chains sorted, as kube-proxy's tests sort them). */
  save(): string {
    const out: string[] = []
    for (const table of ['filter', 'nat'] as const) {
      out.push(`*${table}`)
      const chains = this.chains(table).sort()
      for (const c of chains) out.push(`:${c} - [0:0]`)
      for (const c of chains) out.push(...this.lines(table, c))
      out.push('COMMIT')
    }
    return out.join('\n') + '\n'
  }
}

/** {@link Ruleset.candidates} of one chain. */
function candidatesOf(c: Chain, destKey: AddrKey | undefined): readonly number[] {
  const index = (c.index ??= buildIndex(c.rules))
  const keyed = destKey === undefined ? undefined : index.byDest?.get(destKey)
  if (!keyed) return index.unkeyed
  if (index.unkeyed.length === 0) return keyed
  const merged = (index.merged ??= new Map()).get(destKey!)
  if (merged) return merged
  // Merge two ascending lists of positions.
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < index.unkeyed.length || j < keyed.length) {
    if (j >= keyed.length || (i < index.unkeyed.length && index.unkeyed[i]! < keyed[j]!)) out.push(index.unkeyed[i++]!)
    else out.push(keyed[j++]!)
  }
  index.merged.set(destKey!, out)
  return out
}

interface ChainIndex {
  /** The chain each rule jumps to, found on the first jump: a walk does not look chains up by name. */
  targets: (Chain | undefined)[]
  /** Positions of rules that do not name one exact destination IP (of every rule in a short chain). */
  unkeyed: readonly number[]
  /** Canonical destination IP → positions of the rules with exactly that `-d`. */
  byDest?: Map<AddrKey, number[]>
  /** Canonical destination IP → both lists merged, as {@link Ruleset.candidates} returned them. */
  merged?: Map<AddrKey, number[]>
}

/** A chain this short is walked rule by rule: an index would cost more than it saves. */
const SHORT_CHAIN = 32
/** `[0, 1, …, n-1]`: every position of a short chain of n rules, shared by all such chains. */
const everyPosition = Array.from({ length: SHORT_CHAIN + 1 }, (_, n) => Array.from({ length: n }, (_, i) => i))

function buildIndex(rules: readonly Rule[]): ChainIndex {
  if (rules.length <= SHORT_CHAIN) return { targets: [], unkeyed: everyPosition[rules.length]! }
  const unkeyed: number[] = []
  const index: ChainIndex = { targets: [], unkeyed, byDest: new Map() }
  rules.forEach((r, i) => {
    const d = r.destination
    if (!d || d.negated || d.address.includes('/')) {
      unkeyed.push(i)
      return
    }
    const key = canonical(d.address)
    const list = index.byDest!.get(key)
    if (list) list.push(i)
    else index.byDest!.set(key, [i])
  })
  return index
}

function quoteComment(c: string): string {
  return /\s/.test(c) ? `"${c}"` : c
}

function addr(flag: string, m: AddressMatch): string {
  return `${m.negated ? '! ' : ''}${flag} ${m.address}`
}

/** A rule as kube-proxy writes it: `-A KUBE-SVC-… -m comment --comment "…" … -j …`. */
export function formatRule(chain: string, r: Rule): string {
  const parts = [`-A ${chain}`]
  if (r.comment !== undefined) parts.push(`-m comment --comment ${quoteComment(r.comment)}`)
  if (r.srcType) parts.push(`-m addrtype --src-type ${r.srcType}`)
  if (r.dstType) parts.push(`-m addrtype --dst-type ${r.dstType}`)
  if (r.recent?.action === 'set') parts.push(`-m recent --name ${r.recent.name} --set`)
  if (r.recent?.action === 'rcheck') parts.push(`-m recent --name ${r.recent.name} --rcheck --seconds ${r.recent.seconds} --reap`)
  if (r.protocol) parts.push(`-m ${r.protocol} -p ${r.protocol}`)
  if (r.destination) parts.push(addr('-d', r.destination))
  if (r.dport !== undefined) parts.push(`--dport ${r.dport}`)
  if (r.source) parts.push(addr('-s', r.source))
  if (r.probability !== undefined) parts.push(`-m statistic --mode random --probability ${r.probability}`)
  parts.push(`-j ${r.jump}`)
  if (r.toDestination !== undefined) parts.push(`--to-destination ${r.toDestination}`)
  return parts.join(' ')
}

// ---------------------------------------------------------------------------
// Chain names: "KUBE-SVC-" + the first 16 characters of base32(sha256(name + protocol)).

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * sha256 of a short text, one character per byte: `crypto.hash` (Node ≥ 20.12) costs a
 * third of a Hash object, and a string spares a Buffer per chain name.
 */
const sha256 = (text: string): string =>
  typeof crypto.hash === 'function'
    ? crypto.hash('sha256', text, 'binary')
    : String.fromCharCode(...crypto.createHash('sha256').update(text).digest())

/**
 * `prefix` and the first 16 base32 characters of sha256 (they encode its first 10 bytes,
 * 80 bits), made as one flat string: a name pieced together would be copied flat the
 * first time a chain is looked up by it, once per chain of a 10,000-Service ruleset.
 */
function hash16(text: string, prefix = ''): string {
  const digest = sha256(text)
  const codes: number[] = []
  for (let i = 0; i < prefix.length; i++) codes.push(prefix.charCodeAt(i))
  let bits = 0
  let value = 0
  for (let i = 0; i < 10; i++) {
    value = ((value << 8) | digest.charCodeAt(i)) & 0xffff
    bits += 8
    while (bits >= 5) {
      codes.push(BASE32_CODES[(value >>> (bits - 5)) & 31]!)
      bits -= 5
    }
  }
  return String.fromCharCode(...codes)
}
const BASE32_CODES = [...BASE32].map((c) => c.charCodeAt(0))

/** `portProtoHash`: 16 base32 characters of sha256(`ns/svc:port` + `tcp`). */
export function portProtoHash(servicePortName: string, protocol: IPTablesProtocol): string {
  return hash16(servicePortName + protocol)
}

/** `KUBE-SVC-…`: the chain of a service port's Cluster-policy endpoints. */
export function servicePortPolicyClusterChain(servicePortName: string, protocol: IPTablesProtocol): string {
  return hash16(servicePortName + protocol, 'KUBE-SVC-')
}

/** `KUBE-SVL-…`: the chain of a service port's Local-policy endpoints. */
export function servicePortPolicyLocalChainName(servicePortName: string, protocol: IPTablesProtocol): string {
  return hash16(servicePortName + protocol, 'KUBE-SVL-')
}

/** `KUBE-EXT-…`: where traffic to a service port's external destinations (nodePort, …) goes first. */
export function serviceExternalChainName(servicePortName: string, protocol: IPTablesProtocol): string {
  return hash16(servicePortName + protocol, 'KUBE-EXT-')
}

/** `KUBE-FW-…`: the loadBalancerSourceRanges firewall chain. */
export function serviceFirewallChainName(servicePortName: string, protocol: IPTablesProtocol): string {
  return hash16(servicePortName + protocol, 'KUBE-FW-')
}

/** `KUBE-SEP-…`: one endpoint's chain (hairpin masquerade + DNAT). */
export function servicePortEndpointChainName(servicePortName: string, protocol: IPTablesProtocol, endpoint: string): string {
  return hash16(servicePortName + protocol + endpoint, 'KUBE-SEP-')
}

// ---------------------------------------------------------------------------
// Evaluation

/** The first packet of a connection, as a client sends it. */
export interface Packet {
  sourceIP: string
  destIP: string
  destPort: number
  /** Default `TCP`. */
  protocol?: 'TCP' | 'UDP' | 'SCTP'
}

/** What the rules did with a packet (the `output` and `masq` of kube-proxy's packetFlowTest). */
export interface Verdict {
  /**
   * The DNAT destination (`10.244.1.5:8080`), several joined by `, ` when tracing every
   * possible one; `REJECT`, `DROP` or `ACCEPT`; or `""` when no kube-proxy rule matched.
   */
  output: string
  /** Whether the packet was marked for masquerading (SNAT to the node's address). */
  masq: boolean
  /** The rules that matched, in order, as `iptables-save` lines. */
  matched: string[]
}

interface Flow {
  source: Addr | undefined
  sourceText: string
  dest: Addr | undefined
  destText: string
  /** The destination in canonical form, the key of a chain's destination index. */
  destKey: AddrKey | undefined
  protocol: IPTablesProtocol
  dport: number
}

interface Walk {
  mode: 'trace' | 'connect'
  local: Set<AddrKey>
  outputs: string[]
  masq: boolean
  /** The rules that matched so far, and the chain each is in (two lists: a walk makes no pair per hop). */
  matchedRules: Rule[]
  matchedChains: string[]
  at: number
  kernel?: Netfilter
}

/**
 * An address as the kernel compares it: its family and its bits — an IPv4 address as a
 * number, so that `-s`/`-d` matches cost no parsing and no bigint arithmetic.
 */
interface Addr {
  family: 4 | 6
  bits: number | bigint
}

/**
 * An address as a key, equal for equal addresses however they are written
 * (`::ffff:10.0.0.1`): an IPv4 address is its number, which a Map hashes without making a
 * string per packet; an IPv6 one is `6/<bits>`.
 */
type AddrKey = number | string
const keyOf = (a: Addr): AddrKey => (a.family === 4 ? (a.bits as number) : `6/${a.bits}`)

/** A `-s`/`-d` network: `bits` with the host part cleared. */
interface AddrMatch {
  family: 4 | 6
  bits: number | bigint
  prefix: number
}

function toAddr(text: string): Addr | undefined {
  const ip = parseIP(text)
  if (!ip) return undefined
  const family = familyOf(ip)
  const bits = family === 4 ? Number(toBigInt(ip)) : toBigInt(ip)
  return { family, bits }
}

// A dotted quad is read directly (cheaper than a lookup); other addresses and the
// networks of rules are parsed once and remembered — there are few of them.
const parsed = new Map<string, Addr | undefined>()
const networks = new Map<string, AddrMatch | undefined>()

function addrOf(text: string): Addr | undefined {
  const quad = dottedQuad(text)
  if (quad !== undefined) return { family: 4, bits: quad }
  let a = parsed.get(text)
  if (a === undefined && !parsed.has(text)) parsed.set(text, (a = toAddr(text)))
  return a
}

/** A rule's `-s`/`-d` network (`10.244.0.0/16`). */
function networkOf(address: string): AddrMatch | undefined {
  let m = networks.get(address)
  if (m === undefined && !networks.has(address)) {
    const c = parseCIDR(address)
    networks.set(address, (m = c && { family: c.family, bits: c.family === 4 ? Number(c.network) : c.network, prefix: c.prefix }))
  }
  return m
}

function canonical(ip: string): AddrKey {
  const a = addrOf(ip)
  return a ? keyOf(a) : ip
}

/** Whether `ip` lies in the network `m` (same family, same first `prefix` bits). */
function inNetwork(m: AddrMatch, ip: Addr): boolean {
  const prefix = m.prefix
  if (m.family === 4) {
    // 32-bit arithmetic: `>>> 32` would shift by nothing, so /0 is its own case.
    return prefix === 0 || (((ip.bits as number) ^ (m.bits as number)) >>> (32 - prefix)) === 0
  }
  return ((ip.bits as bigint) & maskOf(prefix, 6)) === m.bits
}

function addressMatches(rule: AddressMatch, ip: Addr | undefined): boolean {
  let hit = false
  if (ip && rule.address.includes('/')) {
    const m = networkOf(rule.address)
    hit = m !== undefined && m.family === ip.family && inNetwork(m, ip)
  } else if (ip) {
    const other = addrOf(rule.address)
    hit = other !== undefined && other.family === ip.family && other.bits === ip.bits
  }
  return rule.negated ? !hit : hit
}

function matches(rule: Rule, f: Flow, w: Walk): boolean {
  if (rule.source && !addressMatches(rule.source, f.source)) return false
  if (rule.srcType === 'LOCAL' && !w.local.has(f.source ? keyOf(f.source) : f.sourceText)) return false
  if (rule.protocol && rule.protocol !== f.protocol) return false
  if (rule.destination && !addressMatches(rule.destination, f.dest)) return false
  if (rule.dstType === 'LOCAL' && !w.local.has(f.destKey ?? f.destText)) return false
  if (rule.dport !== undefined && rule.dport !== f.dport) return false
  if (rule.recent?.action === 'rcheck') {
    // The tracer of kube-proxy's tests cannot know history: it never matches.
    if (w.mode === 'trace' || !w.kernel) return false
    if (!w.kernel.recentCheck(rule.recent.name, f.sourceText, w.at, rule.recent.seconds)) return false
  }
  return true
}

const MAX_DEPTH = 32

/** `--probability 0.3333333333` as a number; a ruleset holds only a few distinct ones. */
function probabilityOf(text: string): number {
  let p = probabilities.get(text)
  if (p === undefined) probabilities.set(text, (p = Number(text)))
  return p
}
const probabilities = new Map<string, number>()

/** Walks the chain named `chain` (`c`, undefined when it does not exist). */
function runChain(rs: Ruleset, table: Table, chain: string, c: Chain | undefined, f: Flow, w: Walk, depth = 0): boolean {
  if (depth > MAX_DEPTH) throw new Error(`iptables: too many levels of jumps at ${chain} (a loop?)`)
  if (!c) return false
  const rules = c.rules
  // A short chain (most: one per service port and per endpoint, many walked once) is
  // walked as it is: an index for it would outlive the walk and cost the heap more.
  const short = rules.length <= SHORT_CHAIN
  const order = short ? everyPosition[rules.length]! : candidatesOf(c, f.destKey)
  const targets = short ? undefined : c.index!.targets
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!
    const rule = rules[i]!
    // IPVS-like round robin: a run of statistic rules and the rule after it is one group.
    if (w.mode === 'connect' && w.kernel?.scheduler === 'rr' && rule.probability !== undefined) {
      let end = i
      while (end < rules.length - 1 && rules[end]!.probability !== undefined) end++
      const group = rules.slice(i, end + 1).filter((r) => matches(r, f, w))
      if (group.length > 0) {
        const pick = group[w.kernel.nextRoundRobin(table, chain, group.length)]!
        w.matchedRules.push(pick)
        w.matchedChains.push(chain)
        if (runChain(rs, table, pick.jump, rs.chainOf(table, pick.jump), f, w, depth + 1)) return true
      }
      // Skip the rest of the group.
      while (k + 1 < order.length && order[k + 1]! <= end) k++
      continue
    }
    if (!matches(rule, f, w)) continue
    if (w.mode === 'connect' && rule.probability !== undefined && w.kernel) {
      if (!(w.kernel.draw() < probabilityOf(rule.probability))) continue
    }
    w.matchedRules.push(rule)
    w.matchedChains.push(chain)
    if (w.mode === 'connect' && rule.recent?.action === 'set') w.kernel?.recentSet(rule.recent.name, f.sourceText, w.at)
    switch (rule.jump) {
      case KUBE_MARK_MASQ:
        w.masq = true
        continue
      case 'ACCEPT':
      case 'REJECT':
      case 'DROP':
        w.outputs.push(rule.jump)
        return true
      case 'DNAT':
        w.outputs.push(rule.toDestination ?? '')
        return true
      case 'RETURN':
        return false
      default: {
        const target = targets ? (targets[i] ??= rs.chainOf(table, rule.jump)) : rs.chainOf(table, rule.jump)
        const terminated = runChain(rs, table, rule.jump, target, f, w, depth + 1)
        // Tracing every possibility: after a probabilistic jump, keep collecting.
        if (terminated && (w.mode === 'connect' || rule.probability === undefined)) return true
      }
    }
  }
  return false
}

/** The host part of `10.244.1.5:80` or `[fd00::5]:80`. */
export function hostOf(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'))
  const i = hostPort.lastIndexOf(':')
  return i < 0 ? hostPort : hostPort.slice(0, i)
}

/** `net.JoinHostPort`: `10.244.1.5:80`, `[fd00::5]:80`. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

function flowOf(p: Packet, destIP = p.destIP): Flow {
  const dest = addrOf(destIP)
  return {
    source: addrOf(p.sourceIP),
    sourceText: p.sourceIP,
    dest,
    destText: destIP,
    destKey: dest && keyOf(dest),
    protocol: (p.protocol ?? 'TCP').toLowerCase() as IPTablesProtocol,
    dport: p.destPort,
  }
}

const FILTER_CHAINS = [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL]

function evaluate(rs: Ruleset, p: Packet, w: Walk): Verdict {
  // nat first (PREROUTING/OUTPUT → KUBE-SERVICES); a DNAT changes the destination the
  // filter rules then see.
  runChain(rs, 'nat', KUBE_SERVICES, rs.chainOf('nat', KUBE_SERVICES), flowOf(p), w)
  const dest = w.outputs.length > 0 ? hostOf(w.outputs[0]!) : p.destIP
  const filtered = flowOf(p, dest)
  for (const chain of FILTER_CHAINS) {
    if (runChain(rs, 'filter', chain, rs.chainOf('filter', chain), filtered, w) && w.mode === 'connect') break
  }
  return new WalkVerdict(w)
}

/**
 * A {@link Verdict} whose matched rules are written out only when someone reads them:
 * routing many connections needs the endpoint, not the iptables-save text of every hop.
 * Printed (`console.log`) or turned into JSON, it is the plain `{ output, masq, matched }`.
 */
class WalkVerdict implements Verdict {
  readonly output: string
  readonly masq: boolean
  readonly #rules: readonly Rule[]
  readonly #chains: readonly string[]
  #lines: string[] | undefined

  constructor(w: Walk) {
    this.output = w.outputs.join(', ')
    this.masq = w.masq
    this.#rules = w.matchedRules
    this.#chains = w.matchedChains
  }

  get matched(): string[] {
    return (this.#lines ??= this.#rules.map((rule, i) => formatRule(this.#chains[i]!, rule)))
  }

  toJSON(): Verdict {
    return { output: this.output, masq: this.masq, matched: this.matched }
  }

  /** How Node's console.log shows it (a symbol of the registry: nothing to import, and inert in a browser). */
  [Symbol.for('nodejs.util.inspect.custom')](): Verdict {
    return this.toJSON()
  }
}

function localSet(localIPs: readonly string[]): Set<AddrKey> {
  return new Set(['127.0.0.1', '::1', ...localIPs].map(canonical))
}

/**
 * Every way the rules could handle a packet, like kube-proxy's `tracePacket` test helper:
 * all endpoints of a probabilistic choice are listed (`10.180.0.1:80, 10.180.0.2:80`),
 * session-affinity lookups never match, and `masq` is true if any path marks the packet.
 *
 * @param localIPs the node's own addresses (`127.0.0.1` and `::1` are always local)
 */
export function tracePacket(rules: Ruleset, packet: Packet, localIPs: readonly string[]): Verdict {
  return evaluate(rules, packet, { mode: 'trace', local: localSet(localIPs), outputs: [], masq: false, matchedRules: [], matchedChains: [], at: 0 })
}

export interface NetfilterOptions {
  /** The node's own addresses (for `--src-type`/`--dst-type LOCAL`). */
  localIPs: readonly string[]
  /** Draws for `-m statistic --mode random`; default seed 42. */
  random?: Random
  /**
   * `random` (iptables `-m statistic`, the default) or `rr`: a chain's endpoint rules are
   * taken in turn, like IPVS's default round-robin scheduler. Simplified: the model keeps
   * the iptables chains and only changes how one of them is chosen.
   */
  scheduler?: 'random' | 'rr'
}

/**
 * One node's netfilter: the rules plus the state the kernel keeps between connections —
 * the `recent` lists behind session affinity and the round-robin positions.
 */
export class Netfilter {
  readonly scheduler: 'random' | 'rr'
  private readonly local: Set<AddrKey>
  private readonly random: Random
  private readonly recent = new Map<string, Map<AddrKey, number>>()
  private readonly rr = new Map<string, number>()

  constructor(options: NetfilterOptions) {
    this.local = localSet(options.localIPs)
    this.random = options.random ?? new Random()
    this.scheduler = options.scheduler ?? 'random'
  }

  /**
   * The first packet of one new connection at time `at` (seconds): one endpoint chosen,
   * `recent` lists consulted and updated. Later packets of the connection follow conntrack
   * and never see the rules again.
   */
  connect(rules: Ruleset, packet: Packet, at = 0): Verdict {
    return evaluate(rules, packet, { mode: 'connect', local: this.local, outputs: [], masq: false, matchedRules: [], matchedChains: [], at, kernel: this })
  }

  /** A float in [0, 1) for `-m statistic --mode random`. */
  draw(): number {
    return this.random.float()
  }

  /** The next position of a round-robin group of `n`. */
  nextRoundRobin(table: Table, chain: string, n: number): number {
    const key = `${table}/${chain}`
    const i = this.rr.get(key) ?? 0
    this.rr.set(key, i + 1)
    return i % n
  }

  /** `-m recent --name <name> --set`: remember that `source` went this way at `at`. */
  recentSet(name: string, source: string, at: number): void {
    let list = this.recent.get(name)
    if (!list) this.recent.set(name, (list = new Map()))
    list.set(canonical(source), at)
  }

  /**
   * `-m recent --name <name> --rcheck --seconds <s> --reap`: whether `source` is in the
   * list and was last set at most `s` seconds ago; `--reap` forgets older entries.
   */
  recentCheck(name: string, source: string, at: number, seconds: number): boolean {
    const list = this.recent.get(name)
    if (!list) return false
    for (const [k, t] of list) if (at - t > seconds) list.delete(k)
    const t = list.get(canonical(source))
    return t !== undefined && at - t <= seconds
  }
}

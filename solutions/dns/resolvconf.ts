// The pod's /etc/resolv.conf: the kubelet decides its nameservers, search list and
// options from the pod's dnsPolicy and dnsConfig (pkg/kubelet/network/dns), and the
// container runtime writes them to the file.
import type { Pod, PodDNSConfigOption } from 'kubernetes-types/core/v1'
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from '../../lib/cluster/defaults.ts'

/** The kubelet's default resolver options for cluster DNS (`defaultDNSOptions`). */
export const DEFAULT_DNS_OPTIONS: readonly string[] = ['ndots:5']
/** `validation.MaxDNSNameservers`: glibc reads at most 3 nameserver lines. */
export const MAX_DNS_NAMESERVERS = 3
/** `validation.MaxDNSSearchPaths` (since ExpandedDNSConfig, GA in 1.28; 6 before). */
export const MAX_DNS_SEARCH_PATHS = 32
/** `validation.MaxDNSSearchListChars`: the joined search line (256 before ExpandedDNSConfig). */
export const MAX_DNS_SEARCH_LIST_CHARS = 2048
/** `DNS1123SubdomainMaxLength`: a longer search path is dropped (glibc 2.28 aborts on it). */
export const MAX_SEARCH_PATH_LENGTH = 253

/**
 * The DNS settings the kubelet hands to the container runtime (CRI `DNSConfig`);
 * also what `/etc/resolv.conf` holds.
 */
export interface DNSConfig {
  servers: string[]
  searches: string[]
  options: string[]
}

/** How the kubelet sets up a pod's DNS (`podDNSType`). */
export type PodDNSType = 'podDNSCluster' | 'podDNSHost' | 'podDNSNone'

/** An event the kubelet records while forming a pod's DNS config. */
export interface DNSEvent {
  /** What the event is about: the pod, or the node (for kubelet misconfiguration). */
  object: 'Pod' | 'Node'
  type: 'Warning'
  reason: 'DNSConfigForming' | 'MissingClusterDNS'
  message: string
}

/** A value and the events recorded while computing it. */
export interface Formed<T> {
  value: T
  events: DNSEvent[]
}

/** `getPodDNSType` on a dnsPolicy the API server would have rejected. */
export class InvalidDNSPolicyError extends Error {
  override name = 'InvalidDNSPolicyError'
  constructor(readonly policy: string) {
    super(`invalid DNSPolicy=${policy}`)
  }
}

/**
 * `parseResolvConf` on a malformed file. The message is Go's aggregate error's: each
 * distinct message once, and `[a, b]` only when there are several distinct ones.
 */
export class ResolvConfParseError extends Error {
  override name = 'ResolvConfParseError'
  constructor(readonly errors: readonly string[]) {
    const distinct = [...new Set(errors)]
    super(distinct.length === 1 ? distinct[0]! : `[${distinct.join(', ')}]`)
  }
}

/** The kubelet's DNS flags (KubeletConfiguration). */
export interface KubeletDNS {
  /** `clusterDNS`: the cluster DNS Service IPs. Default `[10.96.0.10]`; `[]` = not configured. */
  clusterDNS?: readonly string[]
  /** `clusterDomain`. Default `cluster.local`; `''` = no cluster search paths. */
  clusterDomain?: string
  /**
   * The node's resolv.conf (`--resolv-conf`, parsed), the base of every pod's config.
   * Default: an empty file. `null` stands for `--resolv-conf=""`: pods that use the
   * node's DNS get `nameserver 127.0.0.1` and `search .`.
   */
  hostDNS?: DNSConfig | null
  /** The node's IPs (only used with `hostDNS: null`: `::1` for an IPv6 node, `127.0.0.1` for an IPv4 one). Default: none, which gives `127.0.0.1` too. */
  nodeIPs?: readonly string[]
}

/**
 * Reads a resolv.conf (`parseResolvConf`):
 *
 * 1. Lines starting with `#` (after spaces) and empty lines are skipped.
 * 2. `nameserver X` lines accumulate (a bare `nameserver` is the error
 *    `nameserver list is empty `, with its trailing space).
 * 3. `search a b` replaces any earlier search line; a trailing dot is dropped from each domain.
 * 4. `options a b` replaces any earlier options line.
 *
 * Anything after the second field of a nameserver line is ignored (`nameserver 1.2.3.4 #comment`).
 *
 * @throws {ResolvConfParseError} when a line is malformed.
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/network/dns/dns.go
 */
export function parseResolvConf(text: string): { nameservers: string[]; searches: string[]; options: string[] } {
  const nameservers: string[] = []
  let searches: string[] = []
  let options: string[] = []
  const errors: string[] = []
  for (const line of text.split('\n')) {
    // A comment's first field starts with '#' and an empty line's is '': neither is a keyword,
    // so both are skipped as the kubelet skips them.
    const fields = line.trim().split(/\s+/)
    if (fields[0] === 'nameserver') {
      if (fields.length >= 2) nameservers.push(fields[1]!)
      else errors.push('nameserver list is empty ')
    }
    if (fields[0] === 'search') searches = fields.slice(1).map((s) => (s.endsWith('.') ? s.slice(0, -1) : s))
    if (fields[0] === 'options') options = fields.slice(1)
  }
  if (errors.length > 0) throw new ResolvConfParseError(errors)
  return { nameservers, searches, options }
}

/**
 * How the pod's DNS is set up (`getPodDNSType`):
 *
 * | dnsPolicy | hostNetwork false | hostNetwork true |
 * | --- | --- | --- |
 * | `ClusterFirst` (the default) | podDNSCluster | podDNSHost (falls back to Default) |
 * | `ClusterFirstWithHostNet` | podDNSCluster | podDNSCluster |
 * | `Default` | podDNSHost | podDNSHost |
 * | `None` | podDNSNone | podDNSNone |
 *
 * An unset dnsPolicy is `ClusterFirst` (the API server's default).
 *
 * @throws {InvalidDNSPolicyError} `invalid DNSPolicy=<policy>` for anything else.
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/network/dns/dns.go
 */
export function getPodDNSType(pod: Pod): PodDNSType {
  // Stryker disable next-line OptionalChaining: the API server stores every pod with a spec
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst'
  switch (policy) {
    case 'None':
      return 'podDNSNone'
    case 'ClusterFirstWithHostNet':
      return 'podDNSCluster'
    case 'ClusterFirst':
      // Stryker disable next-line OptionalChaining: the API server stores every pod with a spec
      return pod.spec?.hostNetwork ? 'podDNSHost' : 'podDNSCluster'
    case 'Default':
      return 'podDNSHost'
    default:
      throw new InvalidDNSPolicyError(policy)
  }
}

/**
 * The search list of a cluster-DNS pod (`generateSearchesForDNSClusterFirst`):
 * `<ns>.svc.<domain>`, `svc.<domain>`, `<domain>` (`<ns>` is the pod's namespace, `<domain>`
 * the kubelet's cluster domain), then the node's search domains `hostSearch`; a domain
 * listed twice is kept once, where it first appears (`omitDuplicates`, given below).
 * Without a cluster domain (`''`): a copy of the node's list as it is.
 *
 * @example generateSearchesForDNSClusterFirst(['ec2.internal'], podInSnackbar)
 *   // ['snackbar.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'ec2.internal']
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/network/dns/dns.go
 */
export function generateSearchesForDNSClusterFirst(
  hostSearch: readonly string[],
  pod: Pod,
  clusterDomain: string = CLUSTER_DOMAIN,
): string[] {
  if (clusterDomain === '') return [...hostSearch]
  // Stryker disable next-line OptionalChaining,StringLiteral: the API server stores metadata on every pod, with its namespace set
  const ns = pod.metadata?.namespace ?? ''
  return omitDuplicates([`${ns}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain, ...hostSearch])
}

/**
 * Cuts a search list to what resolvers accept (`formDNSSearchFitsLimits`):
 *
 * 1. at most {@link MAX_DNS_SEARCH_PATHS} domains (the first ones);
 * 2. domains longer than {@link MAX_SEARCH_PATH_LENGTH} characters are dropped;
 * 3. while the line (`join(' ')`) is longer than {@link MAX_DNS_SEARCH_LIST_CHARS},
 *    domains are dropped from the end.
 *
 * If anything was cut, one `DNSConfigForming` warning on the pod:
 * `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: <line>`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/network/dns/dns.go
 */
export function formDNSSearchFitsLimits(search: readonly string[]): Formed<string[]> {
  let exceeded = false
  let out = [...search]
  if (out.length > MAX_DNS_SEARCH_PATHS) {
    out = out.slice(0, MAX_DNS_SEARCH_PATHS)
    exceeded = true
  }
  const short = out.filter((s) => s.length <= MAX_SEARCH_PATH_LENGTH)
  if (short.length !== out.length) exceeded = true
  out = short
  while (out.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    out.pop()
    exceeded = true
  }
  const events: DNSEvent[] = exceeded
    ? [
        {
          object: 'Pod',
          type: 'Warning',
          reason: 'DNSConfigForming',
          message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(' ')}`,
        },
      ]
    : []
  return { value: out, events }
}

/**
 * Keeps the first {@link MAX_DNS_NAMESERVERS} nameservers (`formDNSNameserversFitsLimits`),
 * with a `DNSConfigForming` warning on the pod when some were dropped:
 * `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: <a b c>`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/network/dns/dns.go
 */
export function formDNSNameserversFitsLimits(nameservers: readonly string[]): Formed<string[]> {
  if (nameservers.length <= MAX_DNS_NAMESERVERS) return { value: [...nameservers], events: [] }
  const value = nameservers.slice(0, MAX_DNS_NAMESERVERS)
  return {
    value,
    events: [
      {
        object: 'Pod',
        type: 'Warning',
        reason: 'DNSConfigForming',
        message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${value.join(' ')}`,
      },
    ],
  }
}

/**
 * Merges the pod's `dnsConfig.options` into existing options (`mergeDNSOptions`): by
 * name, the pod's value wins; `name:value`, or just `name` without a value.
 * The kubelet goes through a Go map, so its order is random; the model keeps the
 * first-seen order.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/network/dns/dns.go
 */
export function mergeDNSOptions(existing: readonly string[], podOptions: readonly PodDNSConfigOption[] = []): string[] {
  const merged = new Map<string, string>()
  for (const op of existing) {
    const i = op.indexOf(':')
    if (i === -1) merged.set(op, '')
    else merged.set(op.slice(0, i), op.slice(i + 1))
  }
  // Stryker disable next-line StringLiteral: validation requires a name on every dnsConfig option
  for (const op of podOptions) merged.set(op.name ?? '', op.value ?? '')
  return [...merged].map(([name, value]) => (value === '' ? name : `${name}:${value}`))
}

/**
 * The DNS settings of a pod (`GetPodDNS`), and the events recorded on the way:
 *
 * 1. Start from the node's resolv.conf (`hostDNS`).
 * 2. By {@link getPodDNSType} (an invalid policy is treated as ClusterFirst):
 *    - podDNSNone: start from nothing instead;
 *    - podDNSCluster with a clusterDNS: nameservers = clusterDNS only, search =
 *      {@link generateSearchesForDNSClusterFirst}, options = `ndots:5`;
 *      without a clusterDNS: `MissingClusterDNS` warnings on the node and the pod, then as podDNSHost;
 *    - podDNSHost: the node's settings (with `hostDNS: null`: `127.0.0.1` and `search .`).
 * 3. Append `pod.spec.dnsConfig`: its nameservers and searches after the others
 *    (duplicates removed), its options merged by {@link mergeDNSOptions}.
 * 4. Fit the limits ({@link formDNSNameserversFitsLimits}, {@link formDNSSearchFitsLimits}).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/network/dns/dns.go
 */
export function getPodDNS(pod: Pod, kubelet: KubeletDNS = {}): Formed<DNSConfig> {
  const clusterDNS = kubelet.clusterDNS ?? [CLUSTER_DNS_IP]
  const clusterDomain = kubelet.clusterDomain ?? CLUSTER_DOMAIN
  const host = kubelet.hostDNS
  const events: DNSEvent[] = []
  let config: DNSConfig = host ? { servers: [...host.servers], searches: [...host.searches], options: [...host.options] } : { servers: [], searches: [], options: [] }

  let dnsType: PodDNSType
  try {
    dnsType = getPodDNSType(pod)
  } catch (err) {
    // Stryker disable next-line ConditionalExpression: getPodDNSType throws nothing else; the rethrow keeps a bug in the model visible
    if (!(err instanceof InvalidDNSPolicyError)) throw err
    dnsType = 'podDNSCluster' // "Falling back to DNSClusterFirst policy."
  }

  let useHost = dnsType === 'podDNSHost'
  if (dnsType === 'podDNSNone') {
    config = { servers: [], searches: [], options: [] }
  } else if (dnsType === 'podDNSCluster') {
    if (clusterDNS.length > 0) {
      config.servers = [...clusterDNS]
      config.searches = generateSearchesForDNSClusterFirst(config.searches, pod, clusterDomain)
      config.options = [...DEFAULT_DNS_OPTIONS]
    } else {
      const msg = `kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`
      events.push({ object: 'Node', type: 'Warning', reason: 'MissingClusterDNS', message: msg })
      // Stryker disable next-line StringLiteral: the API server stores every pod with a name, a namespace and a uid
      const { name = '', namespace = '', uid = '' } = pod.metadata ?? {}
      const desc = `${name}_${namespace}(${uid})`
      events.push({ object: 'Pod', type: 'Warning', reason: 'MissingClusterDNS', message: `pod: ${JSON.stringify(desc)}. ${msg}` })
      useHost = true
    }
  }
  if (useHost && host === null) {
    // --resolv-conf="": "use the nameserver on the local machine".
    kubelet.nodeIPs?.forEach((ip) => config.servers.push(ip.includes(':') ? '::1' : '127.0.0.1'))
    if (config.servers.length === 0) config.servers.push('127.0.0.1')
    config.searches = ['.']
  }

  // Stryker disable next-line OptionalChaining: the API server stores every pod with a spec
  const podConfig = pod.spec?.dnsConfig
  if (podConfig) {
    config = {
      servers: omitDuplicates([...config.servers, ...(podConfig.nameservers ?? [])]),
      searches: omitDuplicates([...config.searches, ...(podConfig.searches ?? [])]),
      options: mergeDNSOptions(config.options, podConfig.options ?? []),
    }
  }
  const servers = formDNSNameserversFitsLimits(config.servers)
  const searches = formDNSSearchFitsLimits(config.searches)
  return {
    value: { servers: servers.value, searches: searches.value, options: config.options },
    events: [...events, ...servers.events, ...searches.events],
  }
}

/**
 * The text of `/etc/resolv.conf` as containerd writes it (`parseDNSOptions`): a
 * `search` line, one `nameserver` line per server, an `options` line — each only if
 * non-empty, every line ending in a newline. An empty config gives `''` (containerd
 * then copies the node's file instead).
 *
 * @example formatResolvConf({ servers: ['10.96.0.10'], searches: ['snackbar.svc.cluster.local'], options: ['ndots:5'] })
 *   // 'search snackbar.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n'
 * @see https://github.com/containerd/containerd/blob/v2.1.0/internal/cri/server/podsandbox/sandbox_run_linux.go
 */
export function formatResolvConf(config: DNSConfig): string {
  let text = ''
  if (config.searches.length > 0) text += `search ${config.searches.join(' ')}\n`
  for (const s of config.servers) text += `nameserver ${s}\n`
  if (config.options.length > 0) text += `options ${config.options.join(' ')}\n`
  return text
}

function omitDuplicates(items: readonly string[]): string[] {
  return [...new Set(items)]
}

// ────────────────────────────────────────────────────────────────────────
// Kata 05 · core path: you write
//   task 1 (service-records): parseRequest, endpointHostname, KubeDNS.constructor and KubeDNS.serveDNS
// Each is marked TODO(kata 05) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 05`.
// ────────────────────────────────────────────────────────────────────────
// The cluster DNS zone as CoreDNS's kubernetes plugin answers it: a Service is a
// name (`order.snackbar.svc.cluster.local.`), a ClusterIP Service answers its
// cluster IP, a headless one its ready endpoints, a named port an SRV record,
// an ExternalName a CNAME — and a name that does not exist answers NXDOMAIN
// while an existing name without the asked type answers NOERROR with no records.
//
// The model is the plugin's query path only: CoreDNS's informers, caches and
// zone transfer are out of it; the objects are handed to the constructor.
import type { EndpointAddress, Endpoints, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from '../../lib/cluster/defaults.ts'
import { formatIP, formatRR, fqdn, isSubDomain, parseIP, parseRR, sameName } from '../../lib/dns/rr.ts'

/** The Kubernetes DNS schema version CoreDNS serves at `dns-version.<zone>` (`DNSSchemaVersion`). */
export const DNS_SCHEMA_VERSION = '1.1.0'
/** TTL of the `dns-version` TXT record. */
export const DNS_SCHEMA_TTL = 28800
/** The plugin's default TTL (`defaultTTL`); the `ttl` option takes 0–3600 (kubeadm's Corefile says 30). */
export const DEFAULT_TTL = 5
/**
 * SOA serial. CoreDNS puts the Unix time of the last Service/Endpoints change there;
 * the model has no clock, so it uses the serial of CoreDNS's own test vectors.
 */
export const SOA_SERIAL = 1499347823
/** The label of EndpointSlices that names their Service (`discovery.LabelServiceName`). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name'

export type PodMode = 'disabled' | 'insecure' | 'verified'
export type Rcode = 'NOERROR' | 'NXDOMAIN'
/** The query types the model knows; any other type is answered like CoreDNS does (a "fake" A lookup decides NXDOMAIN vs NODATA). */
export type QType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'PTR' | 'TXT' | 'SOA' | 'NS' | 'MX' | 'HINFO'

/**
 * A DNS response: the rcode and the three record sections as zone-file lines
 * (`svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1`, see `lib/dns/rr.ts`).
 * NXDOMAIN and NODATA (NOERROR with an empty answer) carry the zone's SOA in `ns`.
 */
export interface DNSResponse {
  rcode: Rcode
  answer: string[]
  extra: string[]
  ns: string[]
}

/** Anything that answers DNS questions: the cluster zone, or a test double. */
export interface DNSServer {
  serveDNS(qname: string, qtype: QType): DNSResponse
}

/** `errInvalidRequest`: a name in the zone that does not fit the Kubernetes grammar. */
export class InvalidQueryNameError extends Error {
  override name = 'InvalidQueryNameError'
  constructor() {
    super('invalid query name')
  }
}

/**
 * A query name taken apart (`recordRequest`). Fields a name does not have are `''`;
 * `port` and `protocol` lose their leading underscore.
 */
export interface RecordRequest {
  port: string
  protocol: string
  endpoint: string
  service: string
  namespace: string
  /** `svc`, `pod`, or `''` for the zone apex, `svc.<zone>` and `pod.<zone>`. */
  podOrSvc: string
}

/**
 * Takes a query name apart by the Kubernetes DNS grammar (`parseRequest`):
 *
 * 1. Strip the zone; `''`, `svc` and `pod` alone give an empty request (NODATA).
 * 2. Read labels right to left: the last must be `svc` or `pod`
 *    (else {@link InvalidQueryNameError}), then the namespace, then the service
 *    (for `pod` names: the pod's dashed IP).
 * 3. One label left is an endpoint (`172-0-0-2.hdls1.testns.svc…`); two are
 *    `_port._protocol` (`_http._tcp.svc1.testns.svc…`).
 * 4. More labels are a name too long to answer: {@link InvalidQueryNameError}.
 *
 * Names are compared case-insensitively later; this function does not change case.
 * Wildcards (`*`) were removed in CoreDNS 1.9.0 and are ordinary labels here.
 *
 * @example parseRequest('_http._tcp.webs.mynamespace.svc.inter.webs.tests.', 'inter.webs.tests.')
 *   // { port: 'http', protocol: 'tcp', endpoint: '', service: 'webs', namespace: 'mynamespace', podOrSvc: 'svc' }
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/parse.go
 */
export function parseRequest(name: string, zone: string): RecordRequest {
  // TODO(kata 05, task 1): strip the zone, then read svc|pod, namespace, service, and an endpoint or _port._proto.
  throw new Error('kata 05-dns: parseRequest is not implemented yet — see lessons/05-dns.md')
}

/**
 * The name of one endpoint under its Service (`endpointHostname`):
 *
 * 1. the address's `hostname` (set by the endpoints controllers for a pod with
 *    `hostname` and a `subdomain` equal to a headless Service's name);
 * 2. else, with the `endpoint_pod_names` option, the pod's name (`targetRef.name`);
 * 3. else the IP with `.` → `-` (`172.0.0.2` → `172-0-0-2`), or for IPv6 `:` → `-`,
 *    plus a `0` if that leaves a trailing `-` (`5678:abcd::1` → `5678-abcd--1`,
 *    `fd00::` → `fd00--0`): a DNS label cannot end with a dash.
 *
 * The IP is used as written in the object, not re-formatted.
 *
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/kubernetes.go
 */
export function endpointHostname(addr: EndpointAddress, endpointNameMode = false): string {
  // TODO(kata 05, task 1): the hostname, else (with endpointNameMode) the pod name, else the IP with dashes.
  throw new Error('kata 05-dns: endpointHostname is not implemented yet — see lessons/05-dns.md')
}

/** What the zone is built from: the API objects CoreDNS watches. */
export interface ZoneObjects {
  services: readonly Service[]
  /**
   * Endpoints objects (what kata 03's endpoints controller writes). Only `addresses`
   * count: `notReadyAddresses` are never published.
   */
  endpoints?: readonly Endpoints[]
  /**
   * EndpointSlices (what CoreDNS watches since Kubernetes 1.19), tied to their Service by
   * the `kubernetes.io/service-name` label. An endpoint counts when `conditions.ready`
   * is true or unset. Pass Endpoints or EndpointSlices for a Service, not both.
   */
  endpointSlices?: readonly EndpointSlice[]
  /** Pods, for `pods verified`. */
  pods?: readonly Pod[]
  /**
   * The namespaces that exist. Default: those of the given objects plus `default`,
   * `kube-system`, `kube-public` and `kube-node-lease`. A name in a namespace that does
   * not exist is NXDOMAIN.
   */
  namespaces?: readonly string[]
}

/** The plugin's options (the `kubernetes` block of the Corefile). */
export interface ZoneOptions {
  /** The cluster domain. Default `cluster.local`. The zone also serves `in-addr.arpa.` and `ip6.arpa.`, as kubeadm's Corefile does. */
  zone?: string
  /** `ttl`, 0–3600. Default 5. */
  ttl?: number
  /** `pods disabled|insecure|verified`. Default `disabled` (kubeadm's Corefile says `insecure`). */
  pods?: PodMode
  /** `endpoint_pod_names`: name endpoints without a hostname by their pod's name. */
  endpointPodNames?: boolean
  /**
   * The world outside the cluster, as zone-file lines (`ext.interwebs.test. 5 IN A 1.2.3.4`):
   * what CoreDNS's `forward` plugin would find upstream. Default: nothing, so an
   * ExternalName to an outside name answers with its CNAME alone.
   */
  upstream?: readonly string[]
  /** The address behind `ns.dns.<zone>` (CoreDNS's own Service IP). Default 10.96.0.10. */
  nameserverIP?: string
  /** SOA serial. Default {@link SOA_SERIAL}. */
  serial?: number
}

// msg.Service: one thing the backend found. `host` is an IP (an address record), a
// name (a CNAME) or '' with `text` set (a TXT); `target` is the name it is known by
// (the SRV target / extra owner); port -1 is CoreDNS's "no ports" sentinel.
interface Entry {
  host: string
  port: number
  target: string
  ttl: number
  text?: string
}

type HostType = 'A' | 'AAAA' | 'CNAME' | 'TXT'

// CoreDNS's object.EndpointAddress / EndpointPort: what it keeps of both Endpoints and
// EndpointSlices. Only ready addresses are kept at all.
interface EpAddress {
  ip: string
  hostname?: string
  targetRefName?: string
}
interface EpPort {
  port: number
  name: string
  protocol: string
}
interface EpSubset {
  addresses: EpAddress[]
  ports: EpPort[]
}
interface Eps {
  namespace: string
  service: string
  subsets: EpSubset[]
}

/** errNoItems / errNsNotExposed / errInvalidRequest: the name does not exist. */
class NameError extends Error {}

const REVERSE_ZONES = ['in-addr.arpa.', 'ip6.arpa.'] as const
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']
/** CoreDNS stops following a CNAME chain after this many links. */
const MAX_CNAME_CHAIN = 8

const match = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
const matchPortAndProtocol = (aPort: string, bPort: string, aProto: string, bProto: string) =>
  (aPort === '' || match(aPort, bPort)) && (aProto === '' || match(aProto, bProto))

/**
 * The cluster zone, answering queries like CoreDNS's kubernetes plugin (`ServeDNS`,
 * `Records`, `findServices`, `findPods`, `Reverse`, and the record builders of
 * `plugin/backend_lookup.go`).
 *
 * Rules, by name:
 * 1. `<svc>.<ns>.svc.<zone>` A/AAAA: a ClusterIP Service answers its cluster IPs of
 *    that family — **also with no endpoints**; a headless Service one record per
 *    **ready** endpoint IP, NXDOMAIN when none is ready; an ExternalName a CNAME to
 *    `externalName`, followed by the target's records (in-zone targets are resolved
 *    here, outside ones by `upstream`).
 * 2. `<endpoint>.<svc>.<ns>.svc.<zone>`: the ready endpoints whose
 *    {@link endpointHostname} is `<endpoint>` (headless or not); none ⇒ NXDOMAIN.
 * 3. SRV: one entry per (address, matching port); `_port._proto.` picks a named port,
 *    a bare name takes every port. Priority 0, weight ⌊100 / N⌋ (N = entries before
 *    duplicates collapse, at least 1); the target is the Service name (ClusterIP) or
 *    the endpoint's name (headless), whose address goes to `extra`. Ports-less
 *    Services and endpoints give no SRV.
 * 4. PTR `<reversed ip>.in-addr.arpa.`: a Service whose cluster IP it is, else every
 *    ready endpoint with that IP → `<endpoint>.<svc>.<ns>.svc.<zone>.`.
 * 5. `<dashed-ip>.<ns>.pod.<zone>`: per the `pods` option — `disabled` NXDOMAIN,
 *    `insecure` the IP the name spells, `verified` only if a pod of that namespace has it.
 * 6. `dns-version.<zone>` TXT `"1.1.0"`; the zone apex answers SOA and NS.
 * 7. NXDOMAIN for a name that does not exist (unknown Service, namespace or endpoint,
 *    a name that breaks the grammar); NOERROR with no answer (NODATA) for a name that
 *    exists without records of the asked type — `<ns>.svc.<zone>`, `svc.<zone>`,
 *    AAAA of an IPv4-only Service. Both carry the SOA in `ns`.
 *
 * All names compare case-insensitively; answers are owned by the name as asked.
 *
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/kubernetes.go
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/handler.go
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/reverse.go
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/backend_lookup.go
 * @see https://github.com/kubernetes/dns/blob/master/docs/specification.md
 */
export class KubeDNS implements DNSServer {
  private readonly zone!: string
  private readonly ttl!: number
  private readonly podMode!: PodMode
  private readonly endpointNameMode!: boolean
  private readonly upstream!: string[]
  private readonly nameserverIP!: string
  private readonly serial!: number
  private readonly services!: readonly Service[]
  private readonly eps!: Eps[]
  private readonly pods!: readonly Pod[]
  private readonly namespaces!: Set<string>

  constructor(objects: ZoneObjects, options: ZoneOptions = {}) {
    // TODO(kata 05, task 1): keep what serveDNS needs: the zone (`cluster.local.`), ttl, pods mode, and each
    // Service's ready endpoint addresses from Endpoints (`addresses` only) and EndpointSlices (ready ≠ false).
    throw new Error('kata 05-dns: the KubeDNS constructor is not implemented yet — see lessons/05-dns.md')
  }

  /**
   * Answers one question (`ServeDNS`): A, AAAA, SRV, PTR, CNAME, TXT, SOA, NS; any
   * other type gets NXDOMAIN or NODATA by whether the name exists. A name outside the
   * zone and the reverse zones is passed to `upstream`.
   */
  serveDNS(qname: string, qtype: QType): DNSResponse {
    // TODO(kata 05, task 1): find the zone, parse the name, look up Services, endpoints or pods, build the records.
    throw new Error('kata 05-dns: KubeDNS.serveDNS is not implemented yet — see lessons/05-dns.md')
  }

  // --- the backend (plugin/kubernetes) -------------------------------------------

  /** `Records`: parse the name, check the namespace, find pods or services. */
  private records(zone: string, name: string): Entry[] {
    const r = parseRequest(name, zone)
    if (r.podOrSvc === '') return []
    if (REVERSE_ZONES.some((z) => isSubDomain(z, zone))) throw new NameError()
    if (!this.namespaceExposed(r.namespace)) throw new NameError()
    return r.podOrSvc === 'pod' ? this.findPods(r, zone) : this.findServices(r, zone)
  }

  private namespaceExposed(namespace: string): boolean {
    return this.namespaces.has(namespace.toLowerCase())
  }

  private findServices(r: RecordRequest, zone: string): Entry[] {
    if (r.service === '') return [] // `<ns>.svc.<zone>`: NODATA
    const out: Entry[] = []
    let found = false
    for (const svc of this.services) {
      const svcName = svc.metadata?.name ?? ''
      const svcNs = svc.metadata?.namespace ?? 'default'
      if (!match(r.namespace, svcNs) || !match(r.service, svcName)) continue
      const spec = svc.spec ?? {}
      const svcTarget = `${svcName}.${svcNs}.svc.${zone}`

      if (spec.type === 'ExternalName') {
        // An ExternalName has no endpoints, so no names below it.
        if (r.endpoint !== '') continue
        const host = spec.externalName ?? ''
        // An externalName that is an IP address is not published.
        if (host !== '' && !parseIP(host)) {
          out.push({ host, port: 0, target: svcTarget, ttl: this.ttl })
          found = true
        }
        continue
      }

      const clusterIPs = spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP ?? '']
      if (clusterIPs[0] === 'None' || r.endpoint !== '') {
        // Headless Service, or a name below any Service: its ready endpoints.
        for (const ep of this.eps) {
          if (!match(ep.namespace, svcNs) || !match(ep.service, svcName)) continue
          for (const subset of ep.subsets) {
            for (const addr of subset.addresses) {
              const host = endpointHostname(
                { ip: addr.ip, hostname: addr.hostname, targetRef: { name: addr.targetRefName } },
                this.endpointNameMode,
              )
              if (r.endpoint !== '' && !match(r.endpoint, host)) continue
              for (const p of subset.ports) {
                if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue
                out.push({ host: addr.ip, port: p.port, target: `${host}.${svcTarget}`, ttl: this.ttl })
                found = true
              }
            }
          }
        }
        continue
      }

      // ClusterIP Service: its cluster IPs, endpoints or not.
      const ports = spec.ports?.length ? spec.ports : [{ port: -1, name: '', protocol: '' }]
      for (const p of ports) {
        // The API server defaults an empty protocol to TCP.
        if (!matchPortAndProtocol(r.port, p.name ?? '', r.protocol, p.protocol || (p.port === -1 ? '' : 'TCP'))) continue
        found = true
        for (const ip of clusterIPs) out.push({ host: ip, port: p.port, target: svcTarget, ttl: this.ttl })
      }
    }
    if (!found) throw new NameError()
    return out
  }

  private findPods(r: RecordRequest, zone: string): Entry[] {
    if (this.podMode === 'disabled') throw new NameError()
    const podname = r.service
    if (podname === '') return [] // `<ns>.pod.<zone>`: NODATA
    const dashes = podname.split('-').length - 1
    const ip = dashes === 3 && !podname.includes('--') ? podname.replaceAll('-', '.') : podname.replaceAll('-', ':')
    const target = `${podname}.${r.namespace}.pod.${zone}`
    if (this.podMode === 'insecure') {
      if (!parseIP(ip)) throw new NameError()
      return [{ host: ip, port: 0, target, ttl: this.ttl }]
    }
    const out: Entry[] = this.pods
      .filter((p) => p.status?.podIP === ip && match(r.namespace, p.metadata?.namespace ?? 'default'))
      .map(() => ({ host: ip, port: 0, target, ttl: this.ttl }))
    if (out.length === 0) throw new NameError()
    return out
  }

  /** `Reverse` / `serviceRecordForIP`: the names an IP is known by. */
  private reverse(zone: string, qname: string): Entry[] {
    const ip = extractAddressFromReverse(qname)
    if (ip === undefined) {
      this.records(zone, qname.toLowerCase())
      return []
    }
    const primary = this.zone
    for (const svc of this.services) {
      const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : [svc.spec?.clusterIP ?? '']
      if (ips.some((x) => sameIP(x, ip))) {
        return [{ host: `${svc.metadata?.name}.${svc.metadata?.namespace ?? 'default'}.svc.${primary}`, port: 0, target: '', ttl: this.ttl }]
      }
    }
    const out: Entry[] = []
    for (const ep of this.eps) {
      for (const subset of ep.subsets) {
        for (const addr of subset.addresses) {
          if (!sameIP(addr.ip, ip)) continue
          const host = endpointHostname({ ip: addr.ip, hostname: addr.hostname, targetRef: { name: addr.targetRefName } }, this.endpointNameMode)
          out.push({ host: `${host}.${ep.service}.${ep.namespace}.svc.${primary}`, port: 0, target: '', ttl: this.ttl })
        }
      }
    }
    if (out.length === 0) throw new NameError()
    return out
  }

  // --- the record builders (plugin/backend_lookup.go) ------------------------------

  /** `plugin.NS`: the zone's one name server, `ns.dns.<zone>`, and its address. */
  private ns(zone: string, qname: string): [string[], string[]] {
    const nsName = `ns.dns.${zone}`
    const ip = parseIP(this.nameserverIP)
    if (!ip) return [[], []]
    return [
      [formatRR({ name: qname, ttl: this.ttl, type: 'NS', data: nsName })],
      [formatRR({ name: nsName, ttl: this.ttl, type: ip.kind() === 'ipv4' ? 'A' : 'AAAA', data: formatIP(ip) })],
    ]
  }

  // --- outside the zone: the `forward` plugin, modelled by `upstream` ----------------

}

/**
 * `dnsutil.ExtractAddressFromReverse`: `100.0.0.10.in-addr.arpa.` → `10.0.0.100`,
 * 32 nibbles under `ip6.arpa.` → an IPv6 address; `undefined` if the name holds no
 * complete address.
 */
function extractAddressFromReverse(name: string): string | undefined {
  const n = fqdn(name).toLowerCase()
  let ip: ReturnType<typeof parseIP>
  if (n.endsWith('.in-addr.arpa.')) {
    ip = parseIP(n.slice(0, -'.in-addr.arpa.'.length).split('.').reverse().join('.'))
  } else if (n.endsWith('.ip6.arpa.')) {
    const nibbles = n.slice(0, -'.ip6.arpa.'.length).split('.').reverse()
    if (nibbles.length !== 32 || nibbles.some((x) => !/^[0-9a-f]$/.test(x))) return undefined
    const groups: string[] = []
    for (let i = 0; i < 32; i += 4) groups.push(nibbles.slice(i, i + 4).join(''))
    ip = parseIP(groups.join(':'))
  }
  return ip ? formatIP(ip) : undefined
}

function sameIP(a: string, b: string): boolean {
  const x = parseIP(a)
  const y = parseIP(b)
  return !!x && !!y && x.kind() === y.kind() && x.toNormalizedString() === y.toNormalizedString()
}


// The cluster DNS zone as CoreDNS's kubernetes plugin answers it: a Service is a
// name (`order.snackbar.svc.cluster.local.`), a ClusterIP Service answers its
// cluster IP, a headless one its ready endpoints, a named port an SRV record,
// an ExternalName a CNAME — and a name that does not exist answers NXDOMAIN
// while an existing name without the asked type answers NOERROR with no records.
//
// The model is the plugin's query path only: CoreDNS's informers, caches and
// zone transfer are out of it; the objects are handed to the constructor. Beside this
// file: how a name is read (./parse.ts), what the zone keeps of the objects
// (./object.ts) and how entries become records (./backend_lookup.ts).
import type { EndpointAddress, Endpoints, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from '../../lib/cluster/defaults.ts'
import { formatIP, formatRR, fqdn, isSubDomain, parseIP, parseRR, sameName } from '../../lib/dns/rr.ts'
import { address, cname, hostType, MAX_CNAME_CHAIN, ns, ptr, soa, srv, txt, type Entry, type ServiceBackend } from './backend_lookup.ts'
import * as object from './object.ts'
import { InvalidQueryNameError, parseRequest, trimZone, type RecordRequest } from './parse.ts'

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
export const LABEL_SERVICE_NAME = object.LABEL_SERVICE_NAME

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
  if (addr.hostname) return addr.hostname
  if (endpointNameMode && addr.targetRef?.name) return addr.targetRef.name
  if (addr.ip.includes('.')) return addr.ip.replaceAll('.', '-')
  if (addr.ip.includes(':')) {
    const name = addr.ip.replaceAll(':', '-')
    return name.endsWith('-') ? `${name}0` : name
  }
  return ''
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

/** errNoItems / errNsNotExposed: the name does not exist. */
class NameError extends Error {}

const REVERSE_ZONES = ['in-addr.arpa.', 'ip6.arpa.'] as const
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

/** Names compare case-insensitively. */
const match = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
/** The key of a namespace and name in the zone's indexes: names match whatever their case. */
const nameKey = (namespace: string, name: string) => `${namespace}/${name}`.toLowerCase()
/** A list the objects may leave out. */
const orEmpty = <T>(xs: readonly T[] | undefined): readonly T[] => xs ?? []
/** A pod's namespace; a manifest without one is in `default`, where the API server puts it. */
// Stryker disable next-line OptionalChaining: the API server stores metadata on every pod
const podNamespace = (p: Pod) => p.metadata?.namespace ?? 'default'

function group<T>(index: Map<string, T[]>, key: string, item: T): void {
  const list = index.get(key)
  if (list) list.push(item)
  else index.set(key, [item])
}

/**
 * Whether a port (`bPort`, `bProto`) answers the question's `_port._proto` (`aPort`,
 * `aProto`): an empty label in the question matches anything, case-insensitively.
 */
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
export class KubeDNS implements DNSServer, ServiceBackend {
  readonly ttl: number
  readonly nameserverIP: string
  readonly serial: number
  private readonly zone: string
  private readonly podMode: PodMode
  private readonly endpointNameMode: boolean
  private readonly upstreamRecords: string[]
  private readonly serviceList: object.Service[]
  private readonly eps: object.Endpoints[]
  private readonly pods: readonly Pod[]
  private readonly namespaces: Set<string>
  /** `ns/name` (lower case) → the Services and the Endpoints of that name: a query looks its name up, as CoreDNS's indexes do. */
  private readonly servicesByName = new Map<string, object.Service[]>()
  private readonly endpointsByService = new Map<string, object.Endpoints[]>()

  constructor(objects: ZoneObjects, options: ZoneOptions = {}) {
    this.zone = fqdn(options.zone ?? CLUSTER_DOMAIN).toLowerCase()
    this.ttl = options.ttl ?? DEFAULT_TTL
    this.podMode = options.pods ?? 'disabled'
    this.endpointNameMode = options.endpointPodNames ?? false
    this.upstreamRecords = (options.upstream ?? []).map((l) => formatRR(parseRR(l)))
    this.nameserverIP = options.nameserverIP ?? CLUSTER_DNS_IP
    this.serial = options.serial ?? SOA_SERIAL
    this.serviceList = objects.services.map(object.toService)
    this.pods = orEmpty(objects.pods)
    this.eps = [...orEmpty(objects.endpoints).map(object.toEndpoints), ...orEmpty(objects.endpointSlices).map(object.endpointSliceToEndpoints)]
    const namespaces = objects.namespaces ?? [
      ...SYSTEM_NAMESPACES,
      ...this.serviceList.map((s) => s.namespace),
      ...this.eps.map((e) => e.namespace),
      ...this.pods.map(podNamespace),
    ]
    this.namespaces = new Set(namespaces.map((n) => n.toLowerCase()))
    for (const svc of this.serviceList) group(this.servicesByName, nameKey(svc.namespace, svc.name), svc)
    for (const ep of this.eps) group(this.endpointsByService, nameKey(ep.namespace, ep.service), ep)
  }

  /** The Services of this namespace and name (CoreDNS's `SvcIndex`). */
  private servicesNamed(namespace: string, name: string): readonly object.Service[] {
    return this.servicesByName.get(nameKey(namespace, name)) ?? []
  }

  /**
   * Answers one question (`ServeDNS`): A, AAAA, SRV, PTR, CNAME, TXT, SOA, NS; any
   * other type gets NXDOMAIN or NODATA by whether the name exists. A name outside the
   * zone and the reverse zones is passed to `upstream`.
   */
  serveDNS(qname: string, qtype: QType): DNSResponse {
    const asked = fqdn(qname)
    const name = asked.toLowerCase()
    const zone = [this.zone, ...REVERSE_ZONES].filter((z) => isSubDomain(z, name)).sort((a, b) => b.length - a.length)[0]
    if (zone === undefined) return this.forward(asked, qtype)
    // The zone keeps the case of the question (`zone = qname[len(qname)-len(zone):]`).
    const zoneAsAsked = asked.slice(asked.length - zone.length)
    let records: string[] = []
    let extra: string[] = []
    try {
      switch (qtype) {
        case 'A':
        case 'AAAA':
          records = address(this, zoneAsAsked, asked, [], qtype)
          break
        case 'TXT':
          records = txt(this, zoneAsAsked, asked)
          break
        case 'CNAME':
          records = cname(this, zoneAsAsked, asked)
          break
        case 'PTR':
          records = ptr(this, zoneAsAsked, asked)
          break
        case 'SRV':
          ;[records, extra] = srv(this, zoneAsAsked, asked)
          break
        case 'SOA':
          if (name === zone) records = [soa(this, zoneAsAsked)]
          break
        case 'NS':
          if (name === zone) {
            ;[records, extra] = ns(this, zoneAsAsked, asked)
            break
          }
          this.services(zoneAsAsked, asked, qtype)
          break
        default:
          // CoreDNS's "fake" A lookup, only to tell NXDOMAIN from NODATA: does the name exist?
          this.services(zoneAsAsked, asked, qtype)
      }
    } catch (err) {
      // Stryker disable next-line ConditionalExpression: nothing the zone calls throws any other error; the rethrow keeps a bug in the model visible
      if (this.isNameError(err)) {
        return { rcode: 'NXDOMAIN', answer: [], extra: [], ns: [soa(this, zoneAsAsked)] }
      }
      throw err
    }
    if (records.length === 0) return { rcode: 'NOERROR', answer: [], extra: [], ns: [soa(this, zoneAsAsked)] }
    return { rcode: 'NOERROR', answer: dedup(records), extra: dedup(extra), ns: [] }
  }

  // --- the backend (plugin/kubernetes) -------------------------------------------

  /** `Services`: what the backend has for this name, for this query type. */
  services(zone: string, qname: string, qtype: QType): Entry[] {
    const name = qname.toLowerCase()
    if (qtype === 'TXT') {
      // Only `dns-version.<zone>` has a TXT record; every other TXT question is NODATA.
      const base = trimZone(name, zone)
      if (base !== 'dns-version') return []
      // Stryker disable next-line StringLiteral: a TXT entry is read by its text, its host is never looked at
      return [{ host: '', port: 0, target: name, ttl: DNS_SCHEMA_TTL, text: DNS_SCHEMA_VERSION }]
    }
    if (name === `ns.dns.${zone.toLowerCase()}`) {
      return [{ host: this.nameserverIP, port: 0, target: qname, ttl: this.ttl }]
    }
    const entries = this.records(zone, name)
    // SRV for ExternalName Services is not implemented in CoreDNS: drop the CNAMEs.
    return qtype === 'SRV' ? entries.filter((e) => hostType(e) !== 'CNAME') : entries
  }

  /** `Records`: parse the name, check the namespace, find pods or services. */
  private records(zone: string, name: string): Entry[] {
    const r = parseRequest(name, zone)
    if (r.podOrSvc === '') return []
    if (REVERSE_ZONES.some((z) => isSubDomain(z, zone))) throw new NameError()
    if (!this.namespaceExposed(r.namespace)) throw new NameError()
    return r.podOrSvc === 'pod' ? this.findPods(r, zone) : this.findServices(r, zone)
  }

  /** Whether the zone serves this namespace (it exists). */
  private namespaceExposed(namespace: string): boolean {
    return this.namespaces.has(namespace.toLowerCase())
  }

  /**
   * `findServices`: the entries of `<svc>.<ns>.svc.<zone>` and the names below it. Every
   * Service of that name and namespace answers: an ExternalName its CNAME target, a
   * headless Service (or any Service, for a name below it) {@link KubeDNS.endpointEntries},
   * a ClusterIP Service {@link KubeDNS.clusterIPEntries}. No entry at all: NXDOMAIN.
   */
  private findServices(r: RecordRequest, zone: string): Entry[] {
    if (r.service === '') return [] // `<ns>.svc.<zone>`: NODATA
    const out: Entry[] = []
    for (const svc of this.servicesNamed(r.namespace, r.service)) {
      if (svc.type === 'ExternalName') {
        // An ExternalName has no endpoints, so no names below it; an externalName that is
        // an IP address is not published (validation refuses an empty one).
        if (r.endpoint === '' && !parseIP(svc.externalName)) {
          // Stryker disable next-line StringLiteral: a CNAME entry is read by its host; its target only names SRV records, and SRV drops CNAMEs
          out.push({ host: svc.externalName, port: 0, target: `${svc.name}.${svc.namespace}.svc.${zone}`, ttl: this.ttl })
        }
      } else if (svc.clusterIPs[0] === 'None' || r.endpoint !== '') {
        out.push(...this.endpointEntries(r, svc, zone))
      } else {
        out.push(...this.clusterIPEntries(r, svc, zone))
      }
    }
    if (out.length === 0) throw new NameError()
    return out
  }

  /**
   * What the name of a ClusterIP Service answers (the "ClusterIP service" part of
   * CoreDNS's `findServices`): its cluster IPs, **whether or not any endpoint is ready** —
   * the cluster IP exists as long as the Service does.
   *
   * One entry per port of `svc.ports` that matches the question's `_port._proto`
   * (`matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)`: a name without
   * them matches every port) and per IP of `svc.clusterIPs`:
   * `{ host: <cluster IP>, port: p.port, target: '<svc>.<ns>.svc.<zone>', ttl: this.ttl }`
   * (`zone` ends with a dot: `svc1.testns.svc.cluster.local.`).
   *
   * The given record builders make the answer from these entries: A takes the IPv4
   * cluster IPs, AAAA the IPv6 ones (an IPv4-only Service answers AAAA with NODATA), SRV
   * `0 <weight> <port> <target>` with the target's address in the extra section. No entry
   * at all makes the name NXDOMAIN: `_https._tcp.svc1…` when svc1 has no port `https`.
   *
   * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/kubernetes.go
   */
  private clusterIPEntries(r: RecordRequest, svc: object.Service, zone: string): Entry[] {
    const out: Entry[] = []
    for (const p of svc.ports) {
      if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue
      for (const ip of svc.clusterIPs) out.push({ host: ip, port: p.port, target: `${svc.name}.${svc.namespace}.svc.${zone}`, ttl: this.ttl })
    }
    return out
  }

  /**
   * What a headless Service's name answers, and every name below a Service
   * (`<endpoint>.<svc>.<ns>.svc.<zone>`, headless or not): the "endpoint query or headless
   * service" part of CoreDNS's `findServices`. Its **ready** endpoints, never a cluster IP.
   *
   * For each address of the Service's endpoints ({@link KubeDNS.epIndex}: subsets of
   * addresses and ports):
   * 1. skip it unless `addr.ready` (it was in `addresses`, not `notReadyAddresses`, or its
   *    EndpointSlice condition `ready` is not false);
   * 2. its name is {@link endpointHostname}`(addr, this.endpointNameMode)`: the hostname,
   *    the pod name with `endpoint_pod_names`, or the dashed IP (`172-0-0-2`);
   * 3. a question with an endpoint label (`r.endpoint`) takes only the addresses of that
   *    name (`match`, case-insensitive);
   * 4. one entry per port of the subset that matches `_port._proto` (as for a ClusterIP
   *    Service): `{ host: addr.ip, port: p.port, target: '<name>.<svc>.<ns>.svc.<zone>', ttl: this.ttl }`.
   *
   * So `web-0.nginx.snackbar.svc.cluster.local.` answers web-0's IP, the headless name one
   * A record per ready IPv4 endpoint, SRV one record per endpoint name. No entry: NXDOMAIN —
   * a headless Service whose endpoints are all not ready has no name at all.
   *
   * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/kubernetes.go
   */
  private endpointEntries(r: RecordRequest, svc: object.Service, zone: string): Entry[] {
    const out: Entry[] = []
    for (const subset of this.epIndex(svc).flatMap((ep) => ep.subsets)) {
      for (const addr of subset.addresses) {
        if (!addr.ready) continue
        const host = endpointHostname(addr, this.endpointNameMode)
        if (r.endpoint !== '' && !match(r.endpoint, host)) continue
        for (const p of subset.ports) {
          if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue
          out.push({ host: addr.ip, port: p.port, target: `${host}.${svc.name}.${svc.namespace}.svc.${zone}`, ttl: this.ttl })
        }
      }
    }
    return out
  }

  /** `EpIndex`: the Endpoints (and EndpointSlices) of one Service. */
  private epIndex(svc: object.Service): object.Endpoints[] {
    return this.endpointsByService.get(nameKey(svc.namespace, svc.name)) ?? []
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
      .filter((p) => p.status?.podIP === ip && match(r.namespace, podNamespace(p)))
      .map(() => ({ host: ip, port: 0, target, ttl: this.ttl }))
    if (out.length === 0) throw new NameError()
    return out
  }

  /** `Reverse` / `serviceRecordForIP`: the names an IP is known by. */
  reverse(zone: string, qname: string): Entry[] {
    const ip = extractAddressFromReverse(qname)
    if (ip === undefined) {
      this.records(zone, qname.toLowerCase())
      return []
    }
    const primary = this.zone
    for (const svc of this.serviceList) {
      if (svc.clusterIPs.some((x) => sameIP(x, ip))) {
        return [this.ptrEntry(`${svc.name}.${svc.namespace}.svc.${primary}`)]
      }
    }
    const out: Entry[] = []
    for (const ep of this.eps) {
      for (const subset of ep.subsets) {
        for (const addr of subset.addresses) {
          if (!addr.ready || !sameIP(addr.ip, ip)) continue
          const host = endpointHostname(addr, this.endpointNameMode)
          out.push(this.ptrEntry(`${host}.${ep.service}.${ep.namespace}.svc.${primary}`))
        }
      }
    }
    if (out.length === 0) throw new NameError()
    return out
  }

  /** A name an address is known by: the PTR record's data, which is also the name it stands for. */
  private ptrEntry(name: string): Entry {
    return { host: name, port: 0, target: name, ttl: this.ttl }
  }

  /** `IsNameError`: the name does not exist — no such object, or a name outside the grammar. */
  isNameError(err: unknown): boolean {
    // Stryker disable next-line ConditionalExpression: nothing the zone calls throws any other error
    return err instanceof NameError || err instanceof InvalidQueryNameError
  }

  // --- outside the zone: the `forward` plugin, modelled by `upstream` ----------------

  /** What upstream DNS answers for `name`: its records of the type, or its CNAME chain to them. */
  upstream(name: string, qtype: QType, depth = 0): string[] {
    const mine = this.upstreamRecords.filter((l) => sameName(parseRR(l).name, name))
    const direct = mine.filter((l) => parseRR(l).type === qtype)
    if (direct.length > 0 || depth >= MAX_CNAME_CHAIN) return direct
    const link = mine.find((l) => parseRR(l).type === 'CNAME')
    return link ? [link, ...this.upstream(parseRR(link).data, qtype, depth + 1)] : []
  }

  private forward(qname: string, qtype: QType): DNSResponse {
    if (!this.upstreamRecords.some((l) => sameName(parseRR(l).name, qname))) return { rcode: 'NXDOMAIN', answer: [], extra: [], ns: [] }
    return { rcode: 'NOERROR', answer: this.upstream(qname, qtype), extra: [], ns: [] }
  }
}

/**
 * `dnsutil.ExtractAddressFromReverse`: `100.0.0.10.in-addr.arpa.` → `10.0.0.100`,
 * the labels under `ip6.arpa.` reversed and joined four by four into groups (32 nibbles →
 * an IPv6 address; a 33rd to 35th label is left out, as `reverse6` does); `undefined` if
 * that is no address.
 */
function extractAddressFromReverse(name: string): string | undefined {
  const n = fqdn(name).toLowerCase()
  let ip: ReturnType<typeof parseIP>
  if (n.endsWith('.in-addr.arpa.')) {
    ip = parseIP(n.slice(0, -'.in-addr.arpa.'.length).split('.').reverse().join('.'))
  } else if (n.endsWith('.ip6.arpa.')) {
    const nibbles = n.slice(0, -'.ip6.arpa.'.length).split('.').reverse()
    const groups: string[] = []
    for (let i = 0; i + 4 <= nibbles.length; i += 4) groups.push(nibbles.slice(i, i + 4).join(''))
    ip = parseIP(groups.join(':'))
  }
  return ip ? formatIP(ip) : undefined
}

/** Whether `a` is the address `ip`, which is in canonical form (as {@link extractAddressFromReverse} gives it). */
function sameIP(a: string, ip: string): boolean {
  const x = parseIP(a)
  return x !== undefined && formatIP(x) === ip
}

function dedup(lines: readonly string[]): string[] {
  return [...new Set(lines)]
}

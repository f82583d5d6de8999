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
// Given helpers: zone-file lines (formatRR/parseRR), names (fqdn, isSubDomain, sameName), strict IPs (parseIP, formatIP).
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
  // TODO(kata 05): strip the zone, then read svc|pod, namespace, service, and an endpoint or _port._proto.
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
  // TODO(kata 05): the hostname, else (with endpointNameMode) the pod name, else the IP with dashes.
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
  constructor(objects: ZoneObjects, options: ZoneOptions = {}) {
    // TODO(kata 05): keep what serveDNS needs: the zone (`cluster.local.`), ttl, pods mode, and each
    // Service's ready endpoint addresses from Endpoints (`addresses` only) and EndpointSlices (ready ≠ false).
    throw new Error('kata 05-dns: the KubeDNS constructor is not implemented yet — see lessons/05-dns.md')
  }

  /**
   * Answers one question (`ServeDNS`): A, AAAA, SRV, PTR, CNAME, TXT, SOA, NS; any
   * other type gets NXDOMAIN or NODATA by whether the name exists. A name outside the
   * zone and the reverse zones is passed to `upstream`.
   */
  serveDNS(qname: string, qtype: QType): DNSResponse {
    // TODO(kata 05): find the zone, parse the name, look up Services, endpoints or pods, build the records.
    throw new Error('kata 05-dns: KubeDNS.serveDNS is not implemented yet — see lessons/05-dns.md')
  }
}

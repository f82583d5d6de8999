// Kata 05: more rows for the cluster zone, each pinning a rule of CoreDNS's kubernetes
// plugin the first tables leave open: the namespaces a zone knows without being told,
// names under the reverse zones and outside the cluster zone, endpoints spread over
// several EndpointSlices, the long forms of pod names, and upstream CNAME chains.
// @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/kubernetes.go
// @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/pkg/dnsutil/reverse.go
import type { EndpointAddress, Endpoints, Pod, PodDNSConfig, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { QType, ZoneObjects, ZoneOptions } from '@impl/dns/records.ts'
import type { DNSConfig, KubeletDNS } from '@impl/dns/resolvconf.ts'
import type { Entry, ServiceBackend } from '@impl/dns/backend_lookup.ts'
import { addr, clusterIP, endpoints, externalName, headless, HTTP, slice, svc, type Want } from './dns.ts'
import { pod } from './fixtures.ts'

export interface ServeRow {
  name: string
  q: string
  qtype: QType
  want: Want
  why: string
  objects?: ZoneObjects
  options?: ZoneOptions
}

const soaOf = (zone: string) => `${zone} 5 IN SOA ns.dns.${zone} hostmaster.${zone} 1499347823 7200 1800 86400 5`
const NX: Want = { rcode: 'NXDOMAIN', ns: [soaOf('cluster.local.')] }
const NODATA: Want = { rcode: 'NOERROR', ns: [soaOf('cluster.local.')] }
const ok = (answer: string[], extra: string[] = []): Want => ({ rcode: 'NOERROR', answer, extra })

const ORDER: Service = svc('order', 'snackbar', clusterIP(['10.96.0.20']))
/** A zone given no namespace list: it knows the system namespaces and those of its objects. */
const UNLISTED: ZoneObjects = {
  services: [ORDER],
  endpoints: [endpoints('legacy', 'billing', [{ addresses: [addr('10.244.3.5')], ports: [HTTP] }])],
  endpointSlices: [slice('metrics-x1', 'monitoring', 'metrics', [{ addresses: ['10.244.4.6'] }])],
}

/** The cluster zone's grammar and namespaces (task query-names). */
export const ZONE_NAME_ROWS: ServeRow[] = [
  ...['default', 'kube-system', 'kube-public', 'kube-node-lease'].map(
    (ns): ServeRow => ({
      name: `${ns}.svc.cluster.local. A: the ${ns} namespace exists in every cluster, so its name is NODATA`,
      q: `${ns}.svc.cluster.local.`,
      qtype: 'A',
      objects: UNLISTED,
      want: NODATA,
      why: `a zone not told its namespaces serves default, kube-system, kube-public and kube-node-lease, and those of its objects`,
    }),
  ),
  {
    name: 'billing.svc.cluster.local. A: a namespace known only by its Endpoints object exists (NODATA)',
    q: 'billing.svc.cluster.local.',
    qtype: 'A',
    objects: UNLISTED,
    want: NODATA,
    why: 'the Endpoints billing/legacy live in billing, so that namespace exists',
  },
  {
    name: 'monitoring.svc.cluster.local. A: a namespace known only by an EndpointSlice exists (NODATA)',
    q: 'monitoring.svc.cluster.local.',
    qtype: 'A',
    objects: UNLISTED,
    want: NODATA,
    why: 'the EndpointSlice monitoring/metrics-x1 lives in monitoring, so that namespace exists',
  },
  {
    name: 'snackbar.svc.cluster.local. A: the namespace of a Service exists (NODATA)',
    q: 'snackbar.svc.cluster.local.',
    qtype: 'A',
    objects: UNLISTED,
    want: NODATA,
    why: 'the Service snackbar/order lives in snackbar, so that namespace exists',
  },
  {
    name: 'nowhere.svc.cluster.local. A: a namespace no object lives in is NXDOMAIN',
    q: 'nowhere.svc.cluster.local.',
    qtype: 'A',
    objects: UNLISTED,
    want: NX,
    why: 'only the system namespaces and those of the objects exist',
  },
  {
    name: 'order.snackbar.svc.in-addr.arpa. A: a Service name under in-addr.arpa. is NXDOMAIN',
    q: 'order.snackbar.svc.in-addr.arpa.',
    qtype: 'A',
    objects: UNLISTED,
    want: { rcode: 'NXDOMAIN', ns: [soaOf('in-addr.arpa.')] },
    why: 'Records answers no Service or pod name in a reverse zone (dnsutil.IsReverse), even one that reads as <svc>.<ns>.svc',
  },
  {
    name: 'order.snackbar.svc.ip6.arpa. A: a Service name under ip6.arpa. is NXDOMAIN',
    q: 'order.snackbar.svc.ip6.arpa.',
    qtype: 'A',
    objects: UNLISTED,
    want: { rcode: 'NXDOMAIN', ns: [soaOf('ip6.arpa.')] },
    why: 'Records answers no Service or pod name in a reverse zone (dnsutil.IsReverse), even one that reads as <svc>.<ns>.svc',
  },
  {
    name: '\u017fearch.snackbar.svc.cluster.local. A with a long s (ſ) is not the search Service (NXDOMAIN)',
    q: '\u017fearch.snackbar.svc.cluster.local.',
    qtype: 'A',
    objects: { ...UNLISTED, services: [ORDER, svc('search', 'snackbar', clusterIP(['10.96.0.21']))] },
    want: NX,
    why: 'names are looked up by their lower-case key, and ſ lower-cases to itself; only its upper case is S',
  },
  {
    name: '101.0.0.10.in-addr.arpa. PTR with the cluster domain arpa.: the longer zone in-addr.arpa. answers, with its own SOA',
    q: '101.0.0.10.in-addr.arpa.',
    qtype: 'PTR',
    objects: UNLISTED,
    options: { zone: 'arpa' },
    want: { rcode: 'NXDOMAIN', ns: [soaOf('in-addr.arpa.')] },
    why: 'a name in several zones of the plugin belongs to the longest of them (plugin.Zones.Matches)',
  },
  {
    name: 'example.com. A: a name outside the cluster zone is forwarded, and upstream answers it',
    q: 'example.com.',
    qtype: 'A',
    options: { upstream: ['example.com. 300 IN A 203.0.113.10', 'example.org. 300 IN A 203.0.113.11'] },
    want: ok(['example.com. 300 IN A 203.0.113.10']),
    why: 'CoreDNS forwards what is not in its zones; upstream knows example.com.',
  },
  {
    name: 'example.com. AAAA: upstream knows the name but not its AAAA record (NODATA, no SOA from the cluster zone)',
    q: 'example.com.',
    qtype: 'AAAA',
    options: { upstream: ['example.com. 300 IN A 203.0.113.10'] },
    want: { rcode: 'NOERROR' },
    why: 'the name exists upstream; the cluster zone adds no SOA to a forwarded answer',
  },
  {
    name: 'nowhere.example. A: a name upstream does not know is NXDOMAIN, with nothing from the cluster zone',
    q: 'nowhere.example.',
    qtype: 'A',
    options: { upstream: ['example.com. 300 IN A 203.0.113.10'] },
    want: { rcode: 'NXDOMAIN' },
    why: 'upstream has no such name; the cluster zone adds no SOA to a forwarded answer',
  },
]

const svc1Slices = [
  slice('svc1-aaaaa', 'testns', 'svc1', [{ addresses: ['10.244.1.4'] }]),
  slice('svc1-bbbbb', 'testns', 'svc1', [{ addresses: ['10.244.2.4'] }]),
]

/** What the zone keeps of its objects (task zone-objects). */
export const ZONE_OBJECT_ROWS: ServeRow[] = [
  {
    name: 'nginx.snackbar.svc.cluster.local. A: a headless Service with no Endpoints object yet has no name (NXDOMAIN)',
    q: 'nginx.snackbar.svc.cluster.local.',
    qtype: 'A',
    objects: { services: [svc('nginx', 'snackbar', headless([HTTP]))] },
    want: NX,
    why: 'the zone finds no endpoints of nginx at all, so the headless name has no address',
  },
  {
    name: 'svc1.testns.svc.cluster.local. A: a headless Service whose endpoints are split over two EndpointSlices answers both',
    q: 'svc1.testns.svc.cluster.local.',
    qtype: 'A',
    objects: { services: [svc('svc1', 'testns', headless([HTTP]))], endpointSlices: svc1Slices },
    want: ok(['svc1.testns.svc.cluster.local. 5 IN A 10.244.1.4', 'svc1.testns.svc.cluster.local. 5 IN A 10.244.2.4']),
    why: 'a Service has as many EndpointSlices as it needs; the zone indexes every one of them under the Service',
  },
]

/** endpointHostname rows beyond the first table: the default mode and addresses that are no IP. */
export const ENDPOINT_NAME_ROWS: { name: string; a: EndpointAddress; mode?: boolean; want: string }[] = [
  { name: 'endpointHostname: without the option given, endpoint_pod_names is off and the IP names the endpoint', a: addr('10.244.2.11', undefined, 'web-1'), want: '10-244-2-11' },
  { name: 'endpointHostname: with endpoint_pod_names, an endpoint without a targetRef is named by its IP', a: addr('10.244.2.11'), mode: true, want: '10-244-2-11' },
  { name: 'endpointHostname: an address that is neither IPv4 nor IPv6 gets no name', a: { ip: 'unknown' }, mode: false, want: '' },
]

/** Reverse names (task srv-and-ptr). */
export const REVERSE_ROWS: ServeRow[] = [
  {
    name: '10.1.244.10.in-addr.arpa. PTR: an endpoint of a headless Service points back to its name, past Services with no cluster IP',
    q: '10.1.244.10.in-addr.arpa.',
    qtype: 'PTR',
    objects: {
      services: [svc('payments', 'snackbar', externalName('pay.example.com')), svc('nginx', 'snackbar', headless([HTTP]))],
      endpoints: [endpoints('nginx', 'snackbar', [{ addresses: [addr('10.244.1.10', 'web-0')], ports: [HTTP] }])],
    },
    want: ok(['10.1.244.10.in-addr.arpa. 5 IN PTR web-0.nginx.snackbar.svc.cluster.local.']),
    why: 'a headless Service (clusterIP None) and an ExternalName have no cluster IP to match; the ready endpoint names the address',
  },
  {
    name: '<32 nibbles>.k8s.test. PTR with the cluster domain k8s.test: a reversed IPv6 address under the cluster zone is NXDOMAIN',
    q: `${Array(20).fill('0').join('.')}.4.4.2.0.0.1.0.0.0.0.d.f.k8s.test.`,
    qtype: 'PTR',
    objects: { services: [svc('web', 'snackbar', clusterIP(['fd00:10:244::']))] },
    options: { zone: 'k8s.test' },
    want: { rcode: 'NXDOMAIN', ns: [soaOf('k8s.test.')] },
    why: 'only names under ip6.arpa. spell an IPv6 address; in the cluster zone these labels break the grammar',
  },
  {
    name: '3.0.0.10.in-addr.arpa. PTR: either cluster IP of a dual-stack Service points back to it',
    q: '3.0.0.10.in-addr.arpa.',
    qtype: 'PTR',
    objects: { services: [svc('svc-dual-stack', 'testns', clusterIP(['10.0.0.3', '10::3']))] },
    want: ok(['3.0.0.10.in-addr.arpa. 5 IN PTR svc-dual-stack.testns.svc.cluster.local.']),
    why: 'serviceRecordForIP looks at every cluster IP of a Service, not only its first',
  },
  {
    name: '0.0…4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR: 31 nibbles are no address, NXDOMAIN',
    q: `${Array(19).fill('0').join('.')}.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa.`,
    qtype: 'PTR',
    objects: { services: [svc('web', 'snackbar', clusterIP(['fd00:10:244::']))] },
    want: { rcode: 'NXDOMAIN', ns: [soaOf('ip6.arpa.')] },
    why: 'reverse6 makes groups of four labels: 31 labels give seven groups, which parse as no IPv6 address',
  },
]

const PENDING: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'podns' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } }
const FOO: Pod = pod({ name: 'foo', namespace: 'podns', ip: '10.240.0.1' })
const NO_NAMESPACE: Pod = (() => {
  const p = pod({ name: 'bar', ip: '10.240.0.2' })
  delete p.metadata!.namespace
  return p
})()
/** An upstream chain ext.interwebs.test → c1 → … → c9, which has the address. */
const UPSTREAM_CHAIN = [
  'ext.interwebs.test. 5 IN CNAME c1.interwebs.test.',
  ...Array.from({ length: 8 }, (_, i) => `c${i + 1}.interwebs.test. 5 IN CNAME c${i + 2}.interwebs.test.`),
  'c9.interwebs.test. 5 IN A 1.2.3.9',
]
const EXTERNAL: ZoneObjects = { services: [svc('external', 'testns', externalName('ext.interwebs.test'))], namespaces: ['testns'] }

/** Pod names, the zone's own names and ExternalNames (task pods-and-special-names). */
export const SPECIAL_NAME_ROWS: ServeRow[] = [
  {
    name: 'no pods option: 10-240-0-1.podns.pod.cluster.local. A is NXDOMAIN, pods disabled is the default',
    q: '10-240-0-1.podns.pod.cluster.local.',
    qtype: 'A',
    objects: { services: [], pods: [FOO] },
    want: NX,
    why: 'a Corefile without `pods` answers no pod names',
  },
  {
    name: 'pods verified: 10-240-0-1.podns.pod.cluster.local. A answers in a namespace known only by its pod, past a pod with no IP yet',
    q: '10-240-0-1.podns.pod.cluster.local.',
    qtype: 'A',
    objects: { services: [], pods: [PENDING, FOO] },
    options: { pods: 'verified' },
    want: ok(['10-240-0-1.podns.pod.cluster.local. 5 IN A 10.240.0.1']),
    why: 'pod foo lives in podns, so that namespace exists; a pending pod without status has no IP to match',
  },
  {
    name: 'pods verified: 10-240-0-2.default.pod.cluster.local. A answers for a pod whose manifest names no namespace',
    q: '10-240-0-2.default.pod.cluster.local.',
    qtype: 'A',
    objects: { services: [], pods: [NO_NAMESPACE] },
    options: { pods: 'verified' },
    want: ok(['10-240-0-2.default.pod.cluster.local. 5 IN A 10.240.0.2']),
    why: 'a pod created without a namespace is in default',
  },
  {
    name: 'pods insecure: fd00-0-0-0-0-0-0-1.podns.pod.cluster.local. AAAA spells an IPv6 address without ::',
    q: 'fd00-0-0-0-0-0-0-1.podns.pod.cluster.local.',
    qtype: 'AAAA',
    objects: { services: [], namespaces: ['podns'] },
    options: { pods: 'insecure' },
    want: ok(['fd00-0-0-0-0-0-0-1.podns.pod.cluster.local. 5 IN AAAA fd00::1']),
    why: 'only a name of exactly three dashes (and no --) is IPv4; seven dashes are the colons of an IPv6 address',
  },
  {
    name: 'pods insecure: 10-240-0-1.podns.pod.cluster.local. SRV answers port 0 to the pod name, its address in extra',
    q: '10-240-0-1.podns.pod.cluster.local.',
    qtype: 'SRV',
    objects: { services: [], namespaces: ['podns'] },
    options: { pods: 'insecure' },
    want: ok(['10-240-0-1.podns.pod.cluster.local. 5 IN SRV 0 100 0 10-240-0-1.podns.pod.cluster.local.'], ['10-240-0-1.podns.pod.cluster.local. 5 IN A 10.240.0.1']),
    why: 'a pod entry has port 0 (not the -1 of a port-less Service), and its target is the pod name <dashed-ip>.<ns>.pod.<zone>',
  },
  {
    name: 'ns.dns.cluster.local. A: the name of the zone\'s name server answers the cluster DNS IP',
    q: 'ns.dns.cluster.local.',
    qtype: 'A',
    objects: { services: [] },
    want: ok(['ns.dns.cluster.local. 5 IN A 10.96.0.10']),
    why: 'ns.dns.<zone> is the NS of the zone (isDefaultNS), and answers the kube-dns Service IP',
  },
  {
    name: 'NS.DNS.Cluster.Local. A: the name server\'s name answers whatever its case',
    q: 'NS.DNS.Cluster.Local.',
    qtype: 'A',
    objects: { services: [] },
    options: { nameserverIP: '10.96.0.53' },
    want: ok(['NS.DNS.Cluster.Local. 5 IN A 10.96.0.53']),
    why: 'names compare case-insensitively, and the answer is owned by the name as asked',
  },
  {
    name: 'ns.dns.cluster.local. MX: the name server\'s name exists, so a type it lacks is NODATA',
    q: 'ns.dns.cluster.local.',
    qtype: 'MX',
    objects: { services: [] },
    want: NODATA,
    why: 'ns.dns.<zone> is outside the svc/pod grammar, but it exists',
  },
  {
    name: 'external.testns.svc.cluster.local. A: a target upstream knows only by AAAA gives the CNAME alone',
    q: 'external.testns.svc.cluster.local.',
    qtype: 'A',
    objects: EXTERNAL,
    options: { upstream: ['ext.interwebs.test. 5 IN AAAA 2001:db8::4'] },
    want: ok(['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.']),
    why: 'upstream answers the asked type, or follows a CNAME: an AAAA record is neither',
  },
  {
    name: 'external.testns.svc.cluster.local. A: upstream follows at most eight CNAMEs of the target\'s chain',
    q: 'external.testns.svc.cluster.local.',
    qtype: 'A',
    objects: EXTERNAL,
    options: { upstream: UPSTREAM_CHAIN },
    want: ok(['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', ...UPSTREAM_CHAIN.slice(0, 8)]),
    why: 'like the zone, upstream stops after eight CNAMEs: c9 and its address are never reached',
  },
  {
    name: 'external.testns.svc.cluster.local. A: a chain of seven upstream CNAMEs is followed to the address',
    q: 'external.testns.svc.cluster.local.',
    qtype: 'A',
    objects: EXTERNAL,
    options: { upstream: [...UPSTREAM_CHAIN.slice(0, 7), 'c7.interwebs.test. 5 IN A 1.2.3.7'] },
    want: ok(['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', ...UPSTREAM_CHAIN.slice(0, 7), 'c7.interwebs.test. 5 IN A 1.2.3.7']),
    why: 'upstream follows the target\'s CNAMEs to its address',
  },
]

/** A pod of snackbar as the kubelet gets it, with these DNS fields. */
export function dnsPod(dnsPolicy?: string, dnsConfig?: PodDNSConfig): Pod {
  const p = pod({ name: 'web', namespace: 'snackbar', uid: 'uid-web' })
  if (dnsPolicy !== undefined) p.spec!.dnsPolicy = dnsPolicy
  if (dnsConfig !== undefined) p.spec!.dnsConfig = dnsConfig
  return p
}

const NODE_DNS: DNSConfig = { servers: ['8.8.8.8'], searches: ['host.domain'], options: ['edns0'] }
const MISSING = 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.'

/** GetPodDNS on the paths the first tables leave open (task resolv-conf-rules). */
export const POD_DNS_ROWS: { name: string; pod: Pod; kubelet: KubeletDNS; want: DNSConfig; events?: string[] }[] = [
  {
    name: 'getPodDNS: an invalid dnsPolicy falls back to ClusterFirst, cluster DNS and the cluster search list',
    pod: dnsPod('invalidPolicy'),
    kubelet: { hostDNS: NODE_DNS },
    want: { servers: ['10.96.0.10'], searches: ['snackbar.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'host.domain'], options: ['ndots:5'] },
  },
  {
    name: 'getPodDNS: dnsPolicy Default with no node resolv.conf given is an empty config',
    pod: dnsPod('Default'),
    kubelet: {},
    want: { servers: [], searches: [], options: [] },
  },
  {
    name: 'getPodDNS: without clusterDNS and with --resolv-conf="", a ClusterFirst pod falls back to nameserver 127.0.0.1 and search "."',
    pod: dnsPod('ClusterFirst'),
    kubelet: { clusterDNS: [], hostDNS: null },
    want: { servers: ['127.0.0.1'], searches: ['.'], options: [] },
    events: [`Node MissingClusterDNS ${MISSING}`, `Pod MissingClusterDNS pod: "web_snackbar(uid-web)". ${MISSING}`],
  },
  {
    name: 'getPodDNS: with --resolv-conf="" on an IPv6 node, a Default pod gets nameserver ::1',
    pod: dnsPod('Default'),
    kubelet: { hostDNS: null, nodeIPs: ['fd00:10:1::3'] },
    want: { servers: ['::1'], searches: ['.'], options: [] },
  },
  {
    name: 'getPodDNS: with --resolv-conf="" on a dual-stack node, a Default pod gets one local nameserver per node IP',
    pod: dnsPod('Default'),
    kubelet: { hostDNS: null, nodeIPs: ['172.18.0.3', 'fd00:10:1::3'] },
    want: { servers: ['127.0.0.1', '::1'], searches: ['.'], options: [] },
  },
  {
    name: 'getPodDNS: a dnsConfig with only searches keeps the node nameservers and options',
    pod: dnsPod('Default', { searches: ['my.domain'] }),
    kubelet: { hostDNS: NODE_DNS },
    want: { servers: ['8.8.8.8'], searches: ['host.domain', 'my.domain'], options: ['edns0'] },
  },
  {
    name: 'getPodDNS: a dnsConfig with only nameservers keeps the node search list and options',
    pod: dnsPod('Default', { nameservers: ['10.0.0.11'] }),
    kubelet: { hostDNS: NODE_DNS },
    want: { servers: ['8.8.8.8', '10.0.0.11'], searches: ['host.domain'], options: ['edns0'] },
  },
  {
    name: 'getPodDNS: a dnsConfig with only options keeps the node nameservers and search list',
    pod: dnsPod('Default', { options: [{ name: 'ndots', value: '2' }] }),
    kubelet: { hostDNS: NODE_DNS },
    want: { servers: ['8.8.8.8'], searches: ['host.domain'], options: ['edns0', 'ndots:2'] },
  },
]

/** Endpoints and EndpointSlices with fields left out, as the zone keeps them (task zone-objects). */
export const ENDPOINTS_VIEW_ROWS: { name: string; endpoints?: Endpoints; slice?: EndpointSlice; want: unknown }[] = [
  {
    name: 'toEndpoints: an Endpoints object without subsets (no pod selected yet) has no addresses',
    endpoints: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'order', namespace: 'snackbar' } },
    want: { namespace: 'snackbar', service: 'order', subsets: [] },
  },
  {
    name: 'toEndpoints: a manifest without a namespace is in default, and a port without name or protocol keeps them empty',
    endpoints: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy' }, subsets: [{ addresses: [{ ip: '10.244.1.9' }], ports: [{ port: 8080 }] }] },
    want: { namespace: 'default', service: 'legacy', subsets: [{ addresses: [{ ip: '10.244.1.9', ready: true }], ports: [{ port: 8080, name: '', protocol: '' }] }] },
  },
  {
    name: 'endpointSliceToEndpoints: a slice without the kubernetes.io/service-name label belongs to no Service, and keeps the targetRef',
    slice: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'orphan-abcde' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.8'], targetRef: { kind: 'Pod', name: 'web-0', namespace: 'default' } }],
    },
    want: {
      namespace: 'default',
      service: '',
      subsets: [{ addresses: [{ ip: '10.244.1.8', targetRef: { kind: 'Pod', name: 'web-0', namespace: 'default' }, ready: true }], ports: [{ port: -1, name: '', protocol: '' }] }],
    },
  },
  {
    name: 'endpointSliceToEndpoints: a port without a number, name or protocol is port -1 with empty name and protocol',
    slice: { ...slice('web-abcde', 'snackbar', 'web', [{ addresses: ['10.244.1.8'] }]), ports: [{}] },
    want: { namespace: 'snackbar', service: 'web', subsets: [{ addresses: [{ ip: '10.244.1.8', ready: true }], ports: [{ port: -1, name: '', protocol: '' }] }] },
  },
]

/** A name error of {@link stubBackend}: the name does not exist. */
class NoSuchName extends Error {}

/**
 * A backend for the record builders alone, answering from a table of entries by name:
 * a name it lacks is a name error, a name mapped to an Error throws that error. It
 * records every question (`name type`), and the upstream names it is asked for.
 */
export function stubBackend(
  byName: Record<string, Entry[] | Error>,
): ServiceBackend & { asked: string[]; upstreamAsked: string[] } {
  const asked: string[] = []
  const upstreamAsked: string[] = []
  return {
    asked,
    upstreamAsked,
    ttl: 5,
    serial: 1499347823,
    nameserverIP: '10.96.0.10',
    services(_zone, qname, qtype) {
      asked.push(`${qname} ${qtype}`)
      const found = byName[qname]
      if (found instanceof Error) throw found
      if (!found) throw new NoSuchName(qname)
      return found
    },
    reverse: () => [],
    upstream(name) {
      upstreamAsked.push(name)
      return []
    },
    isNameError: (err) => err instanceof NoSuchName,
  }
}

/** Names and types the zone answers with NODATA through the CNAME and NS builders. */
export const BUILDER_ROWS: ServeRow[] = [
  {
    name: 'svc1.testns.svc.cluster.local. CNAME: a ClusterIP Service is no alias, NODATA',
    q: 'svc1.testns.svc.cluster.local.',
    qtype: 'CNAME',
    objects: { services: [svc('svc1', 'testns', clusterIP(['10.0.0.1']))] },
    want: NODATA,
    why: 'only an ExternalName Service answers CNAME; an address is no CNAME target',
  },
  {
    name: 'testns.svc.cluster.local. CNAME: a namespace has no CNAME record (NODATA)',
    q: 'testns.svc.cluster.local.',
    qtype: 'CNAME',
    objects: { services: [svc('svc1', 'testns', clusterIP(['10.0.0.1']))] },
    want: NODATA,
    why: 'the namespace name exists without any record',
  },
  {
    name: 'cluster.local. NS on an IPv6 cluster: the name server\'s address is an AAAA record',
    q: 'cluster.local.',
    qtype: 'NS',
    objects: { services: [] },
    options: { nameserverIP: 'fd00:10:96::a' },
    want: ok(['cluster.local. 5 IN NS ns.dns.cluster.local.'], ['ns.dns.cluster.local. 5 IN AAAA fd00:10:96::a']),
    why: 'the extra section holds ns.dns.<zone> with the record type of its address family',
  },
  {
    name: 'cluster.local. NS with a nameserver that is no IP address: no NS record (NODATA)',
    q: 'cluster.local.',
    qtype: 'NS',
    objects: { services: [] },
    options: { nameserverIP: 'kube-dns' },
    want: NODATA,
    why: 'plugin.NS needs an address for ns.dns.<zone>',
  },
]

// Kata 05 — Discovery by DNS.
// Vectors: CoreDNS v1.14.7 plugin/kubernetes handler_test.go TestServeDNS,
// handler_pod_{insecure,verified,disabled}_test.go, reverse_test.go TestReverse,
// parse_test.go; kubernetes pkg/kubelet/network/dns/dns_test.go; resolv.conf(5) for the search path.
import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { Endpoints, Pod, PodDNSConfig, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { endpointHostname, KubeDNS, type DNSResponse, type DNSServer, type QType, type ZoneObjects, type ZoneOptions } from '@impl/dns/records.ts'
import { InvalidQueryNameError, parseRequest, type RecordRequest } from '@impl/dns/parse.ts'
import {
  formatResolvConf,
  formDNSNameserversFitsLimits,
  formDNSSearchFitsLimits,
  generateSearchesForDNSClusterFirst,
  getPodDNS,
  getPodDNSType,
  InvalidDNSPolicyError,
  mergeDNSOptions,
  parseResolvConf,
  ResolvConfParseError,
  type DNSConfig,
  type KubeletDNS,
  type PodDNSType,
} from '@impl/dns/resolvconf.ts'
import { candidates, ndotsOf, resolve, type Flavour } from '@impl/dns/resolver.ts'
import { endpointSliceToEndpoints, toEndpoints, toService } from '@impl/dns/object.ts'
import { address, hostType, srv } from '@impl/dns/backend_lookup.ts'
import {
  addr,
  clusterIP,
  endpoints,
  expectCNAMEOrder,
  expectDNS,
  externalName,
  headless,
  HTTP,
  slice,
  svc,
  type Want,
} from './support/dns.ts'
import { zoneOf } from './support/dns-zone.ts'
import {
  BUILDER_ROWS,
  dnsPod,
  ENDPOINT_NAME_ROWS,
  ENDPOINTS_VIEW_ROWS,
  POD_DNS_ROWS,
  REVERSE_ROWS,
  SPECIAL_NAME_ROWS,
  stubBackend,
  ZONE_NAME_ROWS,
  ZONE_OBJECT_ROWS,
  type ServeRow,
} from './support/dns-rows.ts'
import { bullets, listDiff } from './support/explain.ts'
import { pod } from './support/fixtures.ts'
import { table } from './support/table.ts'
import { kata } from './support/task.ts'

const { task } = kata('05-dns')

// ---------------------------------------------------------------------------
// The TestServeDNS cluster (handler_test.go: svcIndex, epsIndex; only `testns` is exposed).

const TESTNS_SERVICES: Service[] = [
  svc('kubedns', 'kube-system', clusterIP(['10.0.0.10'], [{ name: 'dns', port: 53, protocol: 'UDP' }])),
  svc('svc1', 'testns', clusterIP(['10.0.0.1'])),
  svc('svcempty', 'testns', clusterIP(['10.0.0.1'])),
  svc('svc6', 'testns', clusterIP(['1234:abcd::1'])),
  svc('hdls1', 'testns', headless()),
  svc('external', 'testns', externalName('ext.interwebs.test')),
  svc('external-to-service', 'testns', externalName('svc1.testns.svc.cluster.local.')),
  svc('hdlsprtls', 'testns', headless()),
  svc('svc1', 'unexposedns', clusterIP(['10.0.0.2'])),
  svc('svc-dual-stack', 'testns', clusterIP(['10.0.0.3', '10::3'])),
]
const TESTNS_ENDPOINTS: Endpoints[] = [
  endpoints('kubedns', 'kube-system', [{ addresses: [addr('172.0.0.100')], ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }]),
  endpoints('svc1', 'testns', [{ addresses: [addr('172.0.0.1', 'ep1a')], ports: [HTTP] }]),
  endpoints('svcempty', 'testns', [{ ports: [HTTP] }]),
  endpoints('hdls1', 'testns', [
    {
      addresses: [
        addr('172.0.0.2'),
        addr('172.0.0.3'),
        addr('172.0.0.4', 'dup-name'),
        addr('172.0.0.5', 'dup-name'),
        addr('5678:abcd::1'),
        addr('5678:abcd::2'),
      ],
      ports: [HTTP],
    },
  ]),
  endpoints('hdlsprtls', 'testns', [{ addresses: [addr('172.0.0.20')] }]),
]
const TESTNS: ZoneObjects = { services: TESTNS_SERVICES, endpoints: TESTNS_ENDPOINTS, namespaces: ['testns'] }
const UPSTREAM = ['ext.interwebs.test. 5 IN A 1.2.3.4']

const SOA = 'cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1499347823 7200 1800 86400 5'
const SOA_REVERSE = 'in-addr.arpa. 5 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. 1499347823 7200 1800 86400 5'
const NX: Want = { rcode: 'NXDOMAIN', ns: [SOA] }
const NODATA: Want = { rcode: 'NOERROR', ns: [SOA] }
const ok = (answer: string[], extra: string[] = []): Want => ({ rcode: 'NOERROR', answer, extra })


function serve(row: ServeRow): DNSResponse {
  return new KubeDNS(row.objects ?? TESTNS, row.options ?? {}).serveDNS(row.q, row.qtype)
}

function serveTable(rows: ServeRow[]): void {
  table(rows, (row) => {
    const got = serve(row)
    expectDNS(got, row.q, row.qtype, row.want, row.why)
    expectCNAMEOrder(got.answer, row.q, row.qtype)
  })
}

// ---------------------------------------------------------------------------
// The course's kind cluster: the snackbar namespace.

const ORDER_IP = '10.96.0.20'
const SNACKBAR_SERVICES: Service[] = [
  svc('order', 'snackbar', clusterIP([ORDER_IP])),
  svc('nginx', 'snackbar', headless([{ name: 'web', port: 80, protocol: 'TCP' }])),
  svc('db', 'snackbar', headless([{ name: 'postgres', port: 5432, protocol: 'TCP' }])),
  svc('cache', 'snackbar', headless([{ name: 'redis', port: 6379, protocol: 'TCP' }])),
  svc('payments', 'snackbar', externalName('order.snackbar.svc.cluster.local')),
]
const SNACKBAR_ENDPOINTS: Endpoints[] = [
  // order's only pod is not Ready yet: no ready address at all.
  endpoints('order', 'snackbar', [{ notReadyAddresses: [addr('10.244.1.7', undefined, 'order-7d4b9-x2x9q')], ports: [HTTP] }]),
  // A StatefulSet behind the headless nginx Service: web-2 is not Ready.
  endpoints('nginx', 'snackbar', [
    {
      addresses: [addr('10.244.1.10', 'web-0', 'web-0'), addr('10.244.2.11', undefined, 'web-1')],
      notReadyAddresses: [addr('10.244.1.12', 'web-2', 'web-2')],
      ports: [{ name: 'web', port: 80, protocol: 'TCP' }],
    },
  ]),
  endpoints('db', 'snackbar', [{ notReadyAddresses: [addr('10.244.2.20', 'db-0', 'db-0')], ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }] }]),
]
const SNACKBAR_SLICES: EndpointSlice[] = [
  slice(
    'cache-x7k2p',
    'snackbar',
    'cache',
    [
      { addresses: ['10.244.1.30'], conditions: { ready: true } },
      { addresses: ['10.244.2.31'], conditions: { ready: false } },
      { addresses: ['10.244.2.32'], conditions: {} },
    ],
    [{ name: 'redis', port: 6379, protocol: 'TCP' }],
  ),
]
const SNACKBAR: ZoneObjects = { services: SNACKBAR_SERVICES, endpoints: SNACKBAR_ENDPOINTS, endpointSlices: SNACKBAR_SLICES }
const SNACKBAR_SOA = SOA

/** CoreDNS follows at most this many CNAMEs in one answer (`len(previousRecords) > 7` in plugin/backend_lookup.go). */
const MAX_CNAME_LINKS = 8
/**
 * The snackbar zone plus a chain of n ExternalName Services: payments-v2 → payments-v3 → …
 * → payments-v<n+1>, the last one to order, so payments-v2 is n CNAMEs from order's cluster IP.
 */
function cnameChain(n: number): ZoneObjects {
  const link = (i: number) => `payments-v${i}.snackbar.svc.cluster.local`
  const chain = Array.from({ length: n }, (_, i) => svc(`payments-v${i + 2}`, 'snackbar', externalName(i + 1 < n ? link(i + 3) : 'order.snackbar.svc.cluster.local')))
  return { ...SNACKBAR, services: [...SNACKBAR_SERVICES, ...chain] }
}
/** The n CNAME lines of {@link cnameChain}(n), in order. */
const chainCNAMEs = (n: number) =>
  Array.from({ length: n }, (_, i) => `payments-v${i + 2}.snackbar.svc.cluster.local. 5 IN CNAME ${i + 1 < n ? `payments-v${i + 3}` : 'order'}.snackbar.svc.cluster.local.`)

// The zone of the property checks: Services svc-0, svc-1, … in `prop`, ClusterIP
// (10.96.1.<i+1>) or headless, with endpoints 10.244.<i>.<j+1> ready or not, in Endpoints
// or an EndpointSlice.
interface PropertyService {
  headless: boolean
  viaSlices: boolean
  eps: { ready: boolean; hostname?: string | undefined }[]
}
function propertyZone(specs: PropertyService[]): ZoneObjects {
  const services: Service[] = []
  const eps: Endpoints[] = []
  const slices: EndpointSlice[] = []
  specs.forEach((s, i) => {
    const name = `svc-${i}`
    services.push(svc(name, 'prop', s.headless ? headless([HTTP]) : clusterIP([`10.96.1.${i + 1}`])))
    const ips = s.eps.map((_, j) => `10.244.${i}.${j + 1}`)
    if (s.viaSlices) {
      slices.push(slice(`${name}-abcde`, 'prop', name, s.eps.map((e, j) => ({ addresses: [ips[j]!], conditions: { ready: e.ready }, ...(e.hostname ? { hostname: e.hostname } : {}) }))))
    } else {
      const ready = s.eps.flatMap((e, j) => (e.ready ? [addr(ips[j]!, e.hostname)] : []))
      const notReady = s.eps.flatMap((e, j) => (e.ready ? [] : [addr(ips[j]!, e.hostname)]))
      eps.push(endpoints(name, 'prop', [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports: [HTTP] }]))
    }
  })
  return { services, endpoints: eps, endpointSlices: slices }
}
const describeEndpoints = (s: Omit<PropertyService, 'headless'>, i: number) =>
  `${s.eps.map((e, j) => `10.244.${i}.${j + 1}${e.ready ? '' : ' (not ready)'}`).join(', ') || 'none'} in ${s.viaSlices ? 'an EndpointSlice' : 'Endpoints'}`

// ===========================================================================

task('service-records', () => {
  serveTable([
    {
      name: 'svc1.testns.svc.cluster.local. A: a ClusterIP Service answers its cluster IP',
      q: 'svc1.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1']),
      why: 'the name of a ClusterIP Service is an A record for its cluster IP',
    },
    {
      name: 'svcempty.testns.svc.cluster.local. A: a ClusterIP Service without endpoints still answers its cluster IP',
      q: 'svcempty.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.1']),
      why: 'a ClusterIP Service resolves to its cluster IP even with no endpoints (only the `ignore empty_service` option changes that)',
    },
    {
      name: 'order.snackbar.svc.cluster.local. A: the order Service answers 10.96.0.20 while its only pod is not Ready',
      q: 'order.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: SNACKBAR,
      want: ok([`order.snackbar.svc.cluster.local. 5 IN A ${ORDER_IP}`]),
      why: 'a ClusterIP Service resolves to its cluster IP even with no endpoints; whether a connection then finds a pod is kube-proxy\'s business',
    },
    {
      name: 'svc1.testns.svc.cluster.local. AAAA: an IPv4-only Service has no AAAA record, which is NODATA, not NXDOMAIN',
      q: 'svc1.testns.svc.cluster.local.',
      qtype: 'AAAA',
      want: NODATA,
      why: 'the name exists, only not with this type: NOERROR, an empty answer and the SOA in the authority section',
    },
    {
      name: 'svc6.testns.svc.cluster.local. AAAA: an IPv6 Service answers its IPv6 cluster IP',
      q: 'svc6.testns.svc.cluster.local.',
      qtype: 'AAAA',
      want: ok(['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1']),
      why: 'an IPv6 cluster IP is an AAAA record',
    },
    {
      name: 'svc-dual-stack.testns.svc.cluster.local. A: a dual-stack Service answers its IPv4 cluster IP to A',
      q: 'svc-dual-stack.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3']),
      why: 'spec.clusterIPs holds one IP per family; A takes the IPv4 one',
    },
    {
      name: 'svc-dual-stack.testns.svc.cluster.local. AAAA: a dual-stack Service answers its IPv6 cluster IP to AAAA',
      q: 'svc-dual-stack.testns.svc.cluster.local.',
      qtype: 'AAAA',
      want: ok(['svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3']),
      why: 'spec.clusterIPs holds one IP per family; AAAA takes the IPv6 one',
    },
    {
      name: 'SVC1.TestNS.svc.cluster.local. A: names compare case-insensitively and the answer keeps the case asked',
      q: 'SVC1.TestNS.svc.cluster.local.',
      qtype: 'A',
      want: ok(['SVC1.TestNS.svc.cluster.local. 5 IN A 10.0.0.1']),
      why: 'DNS names are case-insensitive; the answer is owned by the name as it was asked',
    },
    {
      name: 'svc1.testns.svc.cluster.local (no trailing dot) A: the question is taken as fully qualified',
      q: 'svc1.testns.svc.cluster.local',
      qtype: 'A',
      want: ok(['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1']),
      why: 'a question on the wire is always absolute; answers are owned by the fully qualified name',
    },
    {
      name: 'svc1.testns.svc.cluster.local. A with ttl 30: the ttl option sets the TTL of every answer and of the SOA',
      q: 'svc1.testns.svc.cluster.local.',
      qtype: 'A',
      options: { ttl: 30 },
      want: ok(['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1']),
      why: "kubeadm's Corefile says `ttl 30`; the default is 5",
    },
  ])

  const svc1Extra = ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1']
  serveTable([
    {
      name: 'svc1.testns.svc.cluster.local. SRV: a bare SRV question answers every port, the target being the Service',
      q: 'svc1.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: ok(['svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'], svc1Extra),
      why: 'SRV gives priority 0, weight 100 for a single entry, the port, and the Service name whose A record goes to extra',
    },
    {
      name: 'svcempty.testns.svc.cluster.local. SRV: a ClusterIP Service without endpoints still has its SRV record',
      q: 'svcempty.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: ok(['svcempty.testns.svc.cluster.local. 5 IN SRV 0 100 80 svcempty.testns.svc.cluster.local.'], ['svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.1']),
      why: "a ClusterIP Service's records come from the Service, not from its endpoints",
    },
    {
      name: 'svc6.testns.svc.cluster.local. SRV: the extra record of an IPv6 Service is AAAA',
      q: 'svc6.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: ok(['svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local.'], ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1']),
      why: 'the target address goes to extra in its own family',
    },
    {
      name: '_http._tcp.svc1.testns.svc.cluster.local. SRV: a named port answers its SRV record',
      q: '_http._tcp.svc1.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: ok(['_http._tcp.svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'], svc1Extra),
      why: '_<port>._<proto>.<svc>.<ns>.svc.<zone> is the SRV record of the named port',
    },
    {
      name: '_http._tcp.svcempty.testns.svc.cluster.local. SRV: a named port of a Service without endpoints answers too',
      q: '_http._tcp.svcempty.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: ok(['_http._tcp.svcempty.testns.svc.cluster.local. 5 IN SRV 0 100 80 svcempty.testns.svc.cluster.local.'], ['svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.1']),
      why: "a ClusterIP Service's SRV records come from its ports",
    },
    {
      name: '_http._tcp.svc6.testns.svc.cluster.local. SRV: the named port of an IPv6 Service',
      q: '_http._tcp.svc6.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: ok(['_http._tcp.svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local.'], ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1']),
      why: 'the target address goes to extra as AAAA',
    },
    {
      name: '_https._tcp.svc1.testns.svc.cluster.local. SRV: a port name the Service does not have is NXDOMAIN',
      q: '_https._tcp.svc1.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: NX,
      why: 'svc1 has no port named https',
    },
    {
      name: '_http._udp.svc1.testns.svc.cluster.local. SRV: the protocol must match the port too',
      q: '_http._udp.svc1.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: NX,
      why: 'svc1 has http over TCP, not UDP',
    },
  ])

  test('property: the name of a ClusterIP Service always answers its cluster IP, whatever its endpoints', () => {
    const endpointArb = fc.record({ ready: fc.boolean(), hostname: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }) })
    const serviceArb = fc.record({ viaSlices: fc.boolean(), eps: fc.array(endpointArb, { maxLength: 5 }) })
    fc.assert(
      fc.property(fc.array(serviceArb, { minLength: 1, maxLength: 5 }), (specs) => {
        const zone = new KubeDNS(propertyZone(specs.map((s) => ({ ...s, headless: false }))))
        specs.forEach((s, i) => {
          const q = `svc-${i}.prop.svc.cluster.local.`
          const got = zone.serveDNS(q, 'A')
          const held = `cluster IP 10.96.1.${i + 1}; endpoints ${describeEndpoints(s, i)}`
          expect({ rcode: got.rcode, answer: got.answer }, `${q} A (${held}): want NOERROR with 10.96.1.${i + 1}, got ${got.rcode} ${got.answer.join(', ') || '(no records)'}`).toEqual({
            rcode: 'NOERROR',
            answer: [`${q} 5 IN A 10.96.1.${i + 1}`],
          })
        })
      }),
      { seed: 5005, numRuns: 120 },
    )
  })
})

// ===========================================================================

task('headless-and-endpoints', () => {
  serveTable([
    {
      name: 'hdls1.testns.svc.cluster.local. A: a headless Service answers one A record per ready IPv4 endpoint',
      q: 'hdls1.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok([
        'hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2',
        'hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3',
        'hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4',
        'hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5',
      ]),
      why: 'a headless Service has no cluster IP: its name answers the endpoints themselves',
    },
    {
      name: 'hdls1.testns.svc.cluster.local. AAAA: a headless Service answers one AAAA record per ready IPv6 endpoint',
      q: 'hdls1.testns.svc.cluster.local.',
      qtype: 'AAAA',
      want: ok(['hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1', 'hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2']),
      why: 'AAAA takes the IPv6 endpoints of a headless Service',
    },
    {
      name: 'hdlsprtls.testns.svc.cluster.local. A: a headless Service without ports still answers its endpoints',
      q: 'hdlsprtls.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20']),
      why: 'ports only matter for SRV; an endpoint without ports is still an address',
    },
    {
      name: '172-0-0-20.hdlsprtls.testns.svc.cluster.local. A: an endpoint without ports has a name too',
      q: '172-0-0-20.hdlsprtls.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['172-0-0-20.hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20']),
      why: 'every ready endpoint is named <dashed-ip>.<svc>.<ns>.svc.<zone> when it has no hostname',
    },
    {
      name: '172-0-0-2.hdls1.testns.svc.cluster.local. A: an endpoint is named by its dashed IP',
      q: '172-0-0-2.hdls1.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2']),
      why: 'an endpoint without hostname is named by its IP with dots turned into dashes',
    },
    {
      name: '172-0-0-3.hdls1.testns.svc.cluster.local. A: each endpoint answers only its own address',
      q: '172-0-0-3.hdls1.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3']),
      why: 'an endpoint name answers that endpoint alone',
    },
    {
      name: 'dup-name.hdls1.testns.svc.cluster.local. A: two endpoints with the same hostname both answer',
      q: 'dup-name.hdls1.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4', 'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5']),
      why: 'an endpoint with a hostname is named by it, and a name may cover several endpoints',
    },
    {
      name: '5678-abcd--2.hdls1.testns.svc.cluster.local AAAA: an IPv6 endpoint is named with colons turned into dashes',
      q: '5678-abcd--2.hdls1.testns.svc.cluster.local',
      qtype: 'AAAA',
      want: ok(['5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2']),
      why: '5678:abcd::2 is named 5678-abcd--2',
    },
    {
      name: '5678-abcd--1.hdls1.testns.svc.cluster.local. AAAA: the other IPv6 endpoint answers its own address',
      q: '5678-abcd--1.hdls1.testns.svc.cluster.local.',
      qtype: 'AAAA',
      want: ok(['5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1']),
      why: '5678:abcd::1 is named 5678-abcd--1',
    },
    {
      name: 'bogusendpoint.hdls1.testns.svc.cluster.local. A: an endpoint name that matches no endpoint is NXDOMAIN',
      q: 'bogusendpoint.hdls1.testns.svc.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'no endpoint of hdls1 is named bogusendpoint',
    },
    {
      name: 'ep1a.svc1.testns.svc.cluster.local. A: endpoint names work under a ClusterIP Service too',
      q: 'ep1a.svc1.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['ep1a.svc1.testns.svc.cluster.local. 5 IN A 172.0.0.1']),
      why: "a name below any Service answers that Service's ready endpoints of that name, not the cluster IP",
    },
    {
      name: 'nginx.snackbar.svc.cluster.local. A: a headless Service answers only its ready endpoints, a pod that is not Ready is left out',
      q: 'nginx.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: SNACKBAR,
      want: ok(['nginx.snackbar.svc.cluster.local. 5 IN A 10.244.1.10', 'nginx.snackbar.svc.cluster.local. 5 IN A 10.244.2.11']),
      why: 'only `addresses` are published; web-2 (10.244.1.12) is in notReadyAddresses',
    },
    {
      name: 'web-0.nginx.snackbar.svc.cluster.local. A: a StatefulSet pod is reachable by its hostname under the headless Service',
      q: 'web-0.nginx.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: SNACKBAR,
      want: ok(['web-0.nginx.snackbar.svc.cluster.local. 5 IN A 10.244.1.10']),
      why: 'a pod with hostname web-0 and subdomain nginx gets the endpoint hostname web-0',
    },
    {
      name: 'web-2.nginx.snackbar.svc.cluster.local. A: the hostname of a pod that is not Ready is NXDOMAIN',
      q: 'web-2.nginx.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: SNACKBAR,
      want: { rcode: 'NXDOMAIN', ns: [SNACKBAR_SOA] },
      why: 'web-2 is not Ready: its name is not published until it is',
    },
    {
      name: 'db.snackbar.svc.cluster.local. A: a headless Service whose endpoints are all not ready is NXDOMAIN',
      q: 'db.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: SNACKBAR,
      want: { rcode: 'NXDOMAIN', ns: [SNACKBAR_SOA] },
      why: 'a headless Service with no ready endpoint has no address to answer: the name does not exist',
    },
    {
      name: 'cache.snackbar.svc.cluster.local. A: from EndpointSlices, endpoints with ready true or unset answer, ready false does not',
      q: 'cache.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: SNACKBAR,
      want: ok(['cache.snackbar.svc.cluster.local. 5 IN A 10.244.1.30', 'cache.snackbar.svc.cluster.local. 5 IN A 10.244.2.32']),
      why: 'an EndpointSlice endpoint counts as ready unless conditions.ready is false',
    },
    {
      name: 'web-1.nginx.snackbar.svc.cluster.local. A: without endpoint_pod_names a pod name is not an endpoint name',
      q: 'web-1.nginx.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: SNACKBAR,
      want: { rcode: 'NXDOMAIN', ns: [SNACKBAR_SOA] },
      why: 'web-1 has no hostname, so its endpoint is named 10-244-2-11',
    },
    {
      name: 'web-1.nginx.snackbar.svc.cluster.local. A with endpoint_pod_names: an endpoint without hostname is named by its pod',
      q: 'web-1.nginx.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: SNACKBAR,
      options: { endpointPodNames: true },
      want: ok(['web-1.nginx.snackbar.svc.cluster.local. 5 IN A 10.244.2.11']),
      why: 'endpoint_pod_names names an endpoint without hostname after targetRef.name',
    },
    {
      name: '_http._tcp.hdls1.testns.svc.cluster.local. SRV: a headless Service answers one SRV per endpoint name, weight 100/6 = 16',
      q: '_http._tcp.hdls1.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: ok(
        [
          '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-2.hdls1.testns.svc.cluster.local.',
          '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 172-0-0-3.hdls1.testns.svc.cluster.local.',
          '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--1.hdls1.testns.svc.cluster.local.',
          '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 5678-abcd--2.hdls1.testns.svc.cluster.local.',
          '_http._tcp.hdls1.testns.svc.cluster.local. 5 IN SRV 0 16 80 dup-name.hdls1.testns.svc.cluster.local.',
        ],
        [
          '172-0-0-2.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.2',
          '172-0-0-3.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.3',
          '5678-abcd--1.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1',
          '5678-abcd--2.hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2',
          'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4',
          'dup-name.hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5',
        ],
      ),
      why: 'weight = ⌊100/N⌋ over the 6 entries before the two dup-name ones collapse into one SRV; each address still goes to extra',
    },
    {
      name: '_https._tcp.hdls1.testns.svc.cluster.local. SRV: a port name the endpoints of a headless Service do not have is NXDOMAIN',
      q: '_https._tcp.hdls1.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: NX,
      why: 'CoreDNS keeps only the endpoint ports that match _port._proto (matchPortAndProtocol); hdls1\'s endpoints serve http only',
    },
    {
      name: '_web._udp.nginx.snackbar.svc.cluster.local. SRV: the protocol of an endpoint port must match too',
      q: '_web._udp.nginx.snackbar.svc.cluster.local.',
      qtype: 'SRV',
      objects: SNACKBAR,
      want: { rcode: 'NXDOMAIN', ns: [SNACKBAR_SOA] },
      why: 'the nginx endpoints serve web over TCP, not UDP',
    },
  ])

  test('property: the name of a headless Service answers exactly its ready endpoint IPs, and is NXDOMAIN without one', () => {
    const endpointArb = fc.record({ ready: fc.boolean(), hostname: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }) })
    const serviceArb = fc.record({ viaSlices: fc.boolean(), eps: fc.array(endpointArb, { maxLength: 5 }) })
    fc.assert(
      fc.property(fc.array(serviceArb, { minLength: 1, maxLength: 5 }), (specs) => {
        const zone = new KubeDNS(propertyZone(specs.map((s) => ({ ...s, headless: true }))))
        specs.forEach((s, i) => {
          const q = `svc-${i}.prop.svc.cluster.local.`
          const got = zone.serveDNS(q, 'A')
          const want = s.eps.flatMap((e, j) => (e.ready ? [`10.244.${i}.${j + 1}`] : []))
          const held = `headless; endpoints ${describeEndpoints(s, i)}`
          if (want.length === 0) {
            expect(got.rcode, `${q} A (${held}): want NXDOMAIN, got ${got.rcode} ${got.answer.join(', ')} — a headless Service without ready endpoints has no name`).toBe('NXDOMAIN')
            return
          }
          const gotIPs = got.answer.map((l) => l.split(' ').at(-1)!).sort()
          expect(
            { rcode: got.rcode, ips: gotIPs },
            `${q} A (${held}): want NOERROR with ${want.join(', ')}, got ${got.rcode} ${gotIPs.join(', ') || '(no records)'}\n${listDiff([...want].sort(), gotIPs)}`,
          ).toEqual({ rcode: 'NOERROR', ips: [...want].sort() })
        })
      }),
      { seed: 5005, numRuns: 120 },
    )
  })
})

// ===========================================================================

// ===========================================================================

const SNACKBAR_POD = (spec: { dnsPolicy?: string; hostNetwork?: boolean; dnsConfig?: PodDNSConfig } = {}, namespace = 'snackbar'): Pod => {
  const p = pod({ name: 'web', namespace, uid: 'uid-web' })
  if (spec.dnsPolicy !== undefined) p.spec!.dnsPolicy = spec.dnsPolicy
  if (spec.hostNetwork !== undefined) p.spec!.hostNetwork = spec.hostNetwork
  if (spec.dnsConfig !== undefined) p.spec!.dnsConfig = spec.dnsConfig
  return p
}
const configText = (c: DNSConfig) => `nameservers [${c.servers.join(' ')}], search [${c.searches.join(' ')}], options [${c.options.join(' ')}]`

// dns_test.go TestGetPodDNSCustom: node resolv.conf "nameserver 8.8.8.8 / search host.domain",
// clusterDNS 10.0.0.10, clusterDomain kubernetes.io, pod in testNS.
const customKubelet: KubeletDNS = {
  clusterDNS: ['10.0.0.10'],
  clusterDomain: 'kubernetes.io',
  hostDNS: { servers: ['8.8.8.8'], searches: ['host.domain'], options: [] },
}
const podConfig: PodDNSConfig = { nameservers: ['10.0.0.11'], searches: ['my.domain'], options: [{ name: 'ndots', value: '3' }, { name: 'debug' }] }

type CustomRow = { name: string; dnsPolicy: string; hostNetwork?: boolean; dnsConfig?: PodDNSConfig; want: DNSConfig }
function checkCustom({ dnsPolicy, hostNetwork, dnsConfig, want }: CustomRow): void {
  const p = SNACKBAR_POD({ dnsPolicy, ...(hostNetwork !== undefined ? { hostNetwork } : {}), ...(dnsConfig ? { dnsConfig } : {}) }, 'testNS')
  const got = getPodDNS(p, customKubelet).value
  const msg = `dnsPolicy ${dnsPolicy}${hostNetwork ? ' (hostNetwork)' : ''}: want ${configText(want)}, got ${configText(got)}`
  expect(got.servers, msg).toEqual(want.servers)
  expect(got.searches, msg).toEqual(want.searches)
  expect([...got.options].sort(), msg).toEqual([...want.options].sort())
}

task('resolv-conf', () => {
  test('generateSearchesForDNSClusterFirst: the namespace, svc and cluster domains come first, then the node domains without duplicates', () => {
    const got = generateSearchesForDNSClusterFirst(['ec2.internal', 'cluster.local', 'corp.example'], SNACKBAR_POD())
    const want = ['snackbar.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'ec2.internal', 'corp.example']
    expect(got, `search list of a pod in snackbar on a node searching ec2.internal cluster.local corp.example:\n${listDiff(want, got)}`).toEqual(want)
  })

  table(
    [
      { name: 'generateSearchesForDNSClusterFirst: a node without search domains gives the three cluster domains', host: [], ns: 'billing', domain: 'cluster.local', want: ['billing.svc.cluster.local', 'svc.cluster.local', 'cluster.local'] },
      { name: 'generateSearchesForDNSClusterFirst: the cluster domain comes from the kubelet (clusterDomain kubernetes.io)', host: ['host.domain'], ns: 'testNS', domain: 'kubernetes.io', want: ['testNS.svc.kubernetes.io', 'svc.kubernetes.io', 'kubernetes.io', 'host.domain'] },
      { name: 'generateSearchesForDNSClusterFirst: a node domain equal to a cluster one is listed once, where the cluster puts it', host: ['svc.cluster.local', 'corp.example', 'corp.example'], ns: 'snackbar', domain: 'cluster.local', want: ['snackbar.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'] },
      { name: 'generateSearchesForDNSClusterFirst: without a cluster domain the node search list is kept as it is', host: ['corp.example', 'ec2.internal'], ns: 'snackbar', domain: '', want: ['corp.example', 'ec2.internal'] },
    ],
    ({ host, ns, domain, want }) => {
      const got = generateSearchesForDNSClusterFirst(host, SNACKBAR_POD({}, ns), domain)
      expect(got, `search list of a pod in ${ns}, cluster domain ${JSON.stringify(domain)}, node searching [${host.join(' ')}]:\n${listDiff(want, got)}`).toEqual(want)
    },
  )

  table(
    [
    {
      name: 'getPodDNS: ClusterFirst uses only the cluster nameserver, the cluster search list, and merges the pod dnsConfig after them',
      dnsPolicy: 'ClusterFirst',
      dnsConfig: podConfig,
      want: { servers: ['10.0.0.10', '10.0.0.11'], searches: ['testNS.svc.kubernetes.io', 'svc.kubernetes.io', 'kubernetes.io', 'host.domain', 'my.domain'], options: ['ndots:3', 'debug'] },
    },
    {
      name: 'getPodDNS: ClusterFirstWithHostNet on a hostNetwork pod still uses cluster DNS',
      dnsPolicy: 'ClusterFirstWithHostNet',
      hostNetwork: true,
      dnsConfig: podConfig,
      want: { servers: ['10.0.0.10', '10.0.0.11'], searches: ['testNS.svc.kubernetes.io', 'svc.kubernetes.io', 'kubernetes.io', 'host.domain', 'my.domain'], options: ['ndots:3', 'debug'] },
    },
    ],
    checkCustom,
  )

  test('resolv.conf of a pod in snackbar on a kubeadm node searching ec2.internal: search, nameserver 10.96.0.10, options ndots:5', () => {
    const kubelet: KubeletDNS = { hostDNS: { servers: ['172.31.0.2'], searches: ['ec2.internal'], options: ['timeout:2'] } }
    const text = formatResolvConf(getPodDNS(SNACKBAR_POD(), kubelet).value)
    const want = 'search snackbar.svc.cluster.local svc.cluster.local cluster.local ec2.internal\nnameserver 10.96.0.10\noptions ndots:5\n'
    expect(text, `cat /etc/resolv.conf in the pod:\nwant:\n${want}got:\n${text}`).toBe(want)
  })

  test('resolv.conf from the node file: parse the node resolv.conf, form the pod config, write it out', () => {
    const node = parseResolvConf('# generated by NetworkManager\nsearch corp.example\nnameserver 192.168.1.1\nnameserver 192.168.1.2\n')
    const text = formatResolvConf(getPodDNS(SNACKBAR_POD(), { hostDNS: { servers: node.nameservers, searches: node.searches, options: node.options } }).value)
    const want = 'search snackbar.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\noptions ndots:5\n'
    expect(text, `the node's nameservers are not in a ClusterFirst pod's file; its search domains are:\nwant:\n${want}got:\n${text}`).toBe(want)
  })
})

// ===========================================================================

const confFor = (ns: string, options: string[] = ['ndots:5'], extra: string[] = []): DNSConfig => ({
  servers: ['10.96.0.10'],
  searches: [`${ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local', ...extra],
  options,
})
const RESOLVER_ZONE: ZoneObjects = {
  services: [
    svc('order', 'snackbar', clusterIP([ORDER_IP])),
    svc('payments', 'snackbar', externalName('order.snackbar.svc.cluster.local')),
  ],
  endpoints: [endpoints('order', 'snackbar', [{ addresses: [addr('10.244.1.7')], ports: [HTTP] }])],
  namespaces: ['default', 'kube-system', 'snackbar', 'other'],
}
const WORLD = ['example.com. 300 IN A 203.0.113.10']
const zoneForResolver = (): DNSServer => new KubeDNS(RESOLVER_ZONE, { upstream: WORLD })

task('search-path', () => {
  const candRows: { name: string; query: string; conf: DNSConfig; flavour: Flavour; want: string[] }[] = [
    {
      name: 'candidates: a short name is tried with each search domain first, then as is',
      query: 'order',
      conf: confFor('other'),
      flavour: 'glibc',
      want: ['order.other.svc.cluster.local.', 'order.svc.cluster.local.', 'order.cluster.local.', 'order.'],
    },
    {
      name: 'candidates: order.snackbar has 1 dot < ndots 5, so the search list still comes first',
      query: 'order.snackbar',
      conf: confFor('other'),
      flavour: 'glibc',
      want: ['order.snackbar.other.svc.cluster.local.', 'order.snackbar.svc.cluster.local.', 'order.snackbar.cluster.local.', 'order.snackbar.'],
    },
    {
      name: 'candidates: the full Service name without the final dot has 4 dots < 5, so it is tried as is last',
      query: 'order.snackbar.svc.cluster.local',
      conf: confFor('other'),
      flavour: 'glibc',
      want: [
        'order.snackbar.svc.cluster.local.other.svc.cluster.local.',
        'order.snackbar.svc.cluster.local.svc.cluster.local.',
        'order.snackbar.svc.cluster.local.cluster.local.',
        'order.snackbar.svc.cluster.local.',
      ],
    },
    {
      name: 'candidates: a name ending in a dot is absolute and never searched',
      query: 'order.snackbar.svc.cluster.local.',
      conf: confFor('other'),
      flavour: 'glibc',
      want: ['order.snackbar.svc.cluster.local.'],
    },
    {
      name: 'candidates: the node search domains follow the cluster ones',
      query: 'example.com',
      conf: confFor('other', ['ndots:5'], ['ec2.internal']),
      flavour: 'glibc',
      want: ['example.com.other.svc.cluster.local.', 'example.com.svc.cluster.local.', 'example.com.cluster.local.', 'example.com.ec2.internal.', 'example.com.'],
    },
    {
      name: 'candidates: glibc tries a name with at least ndots dots as is first, then the search list',
      query: 'api.eu-west-1.prod.example.co.uk',
      conf: confFor('other'),
      flavour: 'glibc',
      want: ['api.eu-west-1.prod.example.co.uk.', 'api.eu-west-1.prod.example.co.uk.other.svc.cluster.local.', 'api.eu-west-1.prod.example.co.uk.svc.cluster.local.', 'api.eu-west-1.prod.example.co.uk.cluster.local.'],
    },
    {
      name: 'candidates: musl tries a name with at least ndots dots as is only, never the search list',
      query: 'api.eu-west-1.prod.example.co.uk',
      conf: confFor('other'),
      flavour: 'musl',
      want: ['api.eu-west-1.prod.example.co.uk.'],
    },
    {
      name: 'candidates: musl searches a short name like glibc does',
      query: 'order',
      conf: confFor('other'),
      flavour: 'musl',
      want: ['order.other.svc.cluster.local.', 'order.svc.cluster.local.', 'order.cluster.local.', 'order.'],
    },
    {
      name: 'candidates: with ndots:1 a name with one dot is tried as is first',
      query: 'order.snackbar',
      conf: confFor('other', ['ndots:1']),
      flavour: 'glibc',
      want: ['order.snackbar.', 'order.snackbar.other.svc.cluster.local.', 'order.snackbar.svc.cluster.local.', 'order.snackbar.cluster.local.'],
    },
    {
      name: 'candidates: a search domain "." is the root: the name as is, listed once',
      query: 'order',
      conf: { servers: ['127.0.0.1'], searches: ['.'], options: [] },
      flavour: 'glibc',
      want: ['order.'],
    },
    {
      name: 'candidates: without an ndots option the resolver default is 1',
      query: 'example.com',
      conf: confFor('other', []),
      flavour: 'glibc',
      want: ['example.com.', 'example.com.other.svc.cluster.local.', 'example.com.svc.cluster.local.', 'example.com.cluster.local.'],
    },
  ]
  table(candRows, ({ query, conf, flavour, want }) => {
    const got = candidates(query, conf, flavour)
    expect(got, `${flavour} resolving ${JSON.stringify(query)} with search ${conf.searches.join(' ')} and options ${conf.options.join(' ') || '(none)'} asks, in order:\n${listDiff(want, got)}\ngot:\n${bullets(got)}`).toEqual(want)
  })

  table(
    [
      { name: 'ndotsOf: options ndots:5 is 5', options: ['ndots:5'], want: 5 },
      { name: 'ndotsOf: without an ndots option the resolver default is 1', options: ['timeout:2', 'attempts:3'], want: 1 },
      { name: 'ndotsOf: no options at all is 1', options: [], want: 1 },
      { name: 'ndotsOf: the last ndots option wins (a pod dnsConfig can override the kubelet)', options: ['ndots:5', 'edns0', 'ndots:2'], want: 2 },
      { name: 'ndotsOf: ndots:0 is allowed, every name is tried as is first', options: ['ndots:0'], want: 0 },
      { name: 'ndotsOf: ndots is capped at 15', options: ['ndots:20'], want: 15 },
      { name: 'ndotsOf: an option that is not ndots:<number> is ignored', options: ['ndots:', 'ndots:x', 'ndots5'], want: 1 },
    ],
    ({ options, want }) => {
      const conf: DNSConfig = { servers: ['10.96.0.10'], searches: [], options }
      expect(ndotsOf(conf), `ndots of "options ${options.join(' ')}"`).toBe(want)
    },
  )

  // The zone here is a plain list of records, so what is checked is the resolver alone.
  const RECORDS = [
    'order.snackbar.svc.cluster.local. 5 IN A 10.96.0.20',
    'payments.snackbar.svc.cluster.local. 5 IN CNAME order.snackbar.svc.cluster.local.',
    'v6only.snackbar.svc.cluster.local. 5 IN AAAA fd00:10:96::20',
    'legacy.snackbar.svc.cluster.local. 5 IN CNAME v6only.snackbar.svc.cluster.local.',
    'v6only.svc.cluster.local. 5 IN A 10.96.0.99',
    'example.com. 300 IN A 203.0.113.10',
    // payments-v2 → … → payments-v9 → order: the eight CNAMEs CoreDNS puts in one answer at most.
    ...chainCNAMEs(MAX_CNAME_LINKS),
    'ping.snackbar.svc.cluster.local. 5 IN CNAME pong.snackbar.svc.cluster.local.',
    'pong.snackbar.svc.cluster.local. 5 IN CNAME ping.snackbar.svc.cluster.local.',
  ]
  interface ResolveRow {
    name: string
    query: string
    flavour?: Flavour
    found: boolean
    answeredBy?: string
    addresses: string[]
    asked: string[]
    rcode: 'NOERROR' | 'NXDOMAIN'
    why: string
  }
  const directRows: ResolveRow[] = [
    {
      name: 'resolve: the first candidate that answers with an address ends the search, and is the name that answered',
      query: 'order',
      found: true,
      answeredBy: 'order.snackbar.svc.cluster.local.',
      addresses: ['10.96.0.20'],
      asked: ['order.snackbar.svc.cluster.local. A'],
      rcode: 'NOERROR',
      why: 'the first search domain of a pod in snackbar completes order to the Service name',
    },
    {
      name: 'resolve: NXDOMAIN goes on to the next candidate',
      query: 'example.com',
      found: true,
      answeredBy: 'example.com.',
      addresses: ['203.0.113.10'],
      asked: ['example.com.snackbar.svc.cluster.local. A', 'example.com.svc.cluster.local. A', 'example.com.cluster.local. A', 'example.com. A'],
      rcode: 'NOERROR',
      why: 'three names that do not exist, then the name as written',
    },
    {
      name: 'resolve: a name no candidate answers is not found, and the rcode is that of the last question',
      query: 'ordr',
      found: false,
      addresses: [],
      asked: ['ordr.snackbar.svc.cluster.local. A', 'ordr.svc.cluster.local. A', 'ordr.cluster.local. A', 'ordr. A'],
      rcode: 'NXDOMAIN',
      why: 'every candidate is NXDOMAIN',
    },
    {
      name: 'resolve: a CNAME answer counts when its chain ends in an address; the addresses are those at the end of the chain',
      query: 'payments',
      found: true,
      answeredBy: 'payments.snackbar.svc.cluster.local.',
      addresses: ['10.96.0.20'],
      asked: ['payments.snackbar.svc.cluster.local. A'],
      rcode: 'NOERROR',
      why: 'payments is a CNAME to order, whose A record comes in the same answer',
    },
    {
      name: 'resolve: glibc goes on after an answer without an address of the type (NODATA), to a later candidate that has one',
      query: 'v6only',
      flavour: 'glibc',
      found: true,
      answeredBy: 'v6only.svc.cluster.local.',
      addresses: ['10.96.0.99'],
      asked: ['v6only.snackbar.svc.cluster.local. A', 'v6only.svc.cluster.local. A'],
      rcode: 'NOERROR',
      why: 'v6only.snackbar.svc.cluster.local. has only an AAAA record: NOERROR without an A record is not an answer',
    },
    {
      name: 'resolve: musl stops at the first NODATA, even when a later candidate has an address',
      query: 'v6only',
      flavour: 'musl',
      found: false,
      addresses: [],
      asked: ['v6only.snackbar.svc.cluster.local. A'],
      rcode: 'NOERROR',
      why: 'musl takes an existing name without records of the type as the final word',
    },
    {
      name: 'resolve: musl goes on after NXDOMAIN like glibc; only an existing name ends its search',
      query: 'example.com',
      flavour: 'musl',
      found: true,
      answeredBy: 'example.com.',
      addresses: ['203.0.113.10'],
      asked: ['example.com.snackbar.svc.cluster.local. A', 'example.com.svc.cluster.local. A', 'example.com.cluster.local. A', 'example.com. A'],
      rcode: 'NOERROR',
      why: 'musl\'s name_from_dns returns 0 on NXDOMAIN and the search goes on; NOERROR without an address (NODATA) is what stops it',
    },
    {
      name: 'resolve: a CNAME chain that ends without an address of the type is NODATA too',
      query: 'legacy',
      flavour: 'musl',
      found: false,
      addresses: [],
      asked: ['legacy.snackbar.svc.cluster.local. A'],
      rcode: 'NOERROR',
      why: 'legacy → v6only, which has no A record',
    },
    {
      name: 'resolve: an answer of eight CNAMEs is followed to the address at its end',
      query: 'payments-v2',
      found: true,
      answeredBy: 'payments-v2.snackbar.svc.cluster.local.',
      addresses: ['10.96.0.20'],
      asked: ['payments-v2.snackbar.svc.cluster.local. A'],
      rcode: 'NOERROR',
      why: 'payments-v2 → payments-v3 → … → payments-v9 → order: eight CNAMEs, as many as CoreDNS sends in one answer',
    },
    {
      name: 'resolve: an answer whose CNAMEs loop has no address, and the resolver goes on to the next name instead of going round',
      query: 'ping',
      found: false,
      addresses: [],
      asked: ['ping.snackbar.svc.cluster.local. A', 'ping.svc.cluster.local. A', 'ping.cluster.local. A', 'ping. A'],
      rcode: 'NXDOMAIN',
      why: 'ping → pong → ping never reaches an address record: NODATA for that name',
    },
  ]
  table(directRows, (tc) => {
    const zone = zoneOf(RECORDS)
    const got = resolve(tc.query, 'A', confFor('snackbar'), zone, tc.flavour ?? 'glibc')
    const head = `${tc.flavour ?? 'glibc'} in a pod of snackbar, A ${tc.query}: want ${tc.found ? tc.addresses.join(', ') : 'no address'}, got ${got.found ? got.addresses.join(', ') : 'no address'} — ${tc.why}`
    expect(zone.asked, `${head}\nquestions sent:\n${listDiff(tc.asked, zone.asked)}`).toEqual(tc.asked)
    expect({ found: got.found, answeredBy: got.answeredBy, addresses: got.addresses, rcode: got.rcode }, head).toEqual({
      found: tc.found,
      answeredBy: tc.answeredBy,
      addresses: tc.addresses,
      rcode: tc.rcode,
    })
    expect(got.tried, `${head}: tried lists every name asked`).toEqual(tc.asked.map((q) => q.split(' ')[0]))
    const answered = got.found ? zoneOf(RECORDS).serveDNS(tc.answeredBy!, 'A').answer : []
    expect(got.answer, `${head}: answer is the response of the name that answered, CNAMEs included ([] when not found)`).toEqual(answered)
  })
})

// ===========================================================================

task('find-by-name', () => {
  const resolveRows: { name: string; query: string; ns: string; qtype?: 'A' | 'AAAA'; flavour?: Flavour; found: boolean; addresses: string[]; tried: string[]; why: string }[] = [
    {
      name: 'resolve: order from a pod in other is NXDOMAIN after every candidate, the Service lives in snackbar',
      query: 'order',
      ns: 'other',
      found: false,
      addresses: [],
      tried: ['order.other.svc.cluster.local.', 'order.svc.cluster.local.', 'order.cluster.local.', 'order.'],
      why: 'a short name only finds Services of the pod\'s own namespace',
    },
    {
      name: 'resolve: order from a pod in snackbar is answered by the first candidate',
      query: 'order',
      ns: 'snackbar',
      found: true,
      addresses: [ORDER_IP],
      tried: ['order.snackbar.svc.cluster.local.'],
      why: 'the first search domain is the pod\'s own namespace',
    },
    {
      name: 'resolve: order.snackbar from another namespace is answered by the second candidate',
      query: 'order.snackbar',
      ns: 'other',
      found: true,
      addresses: [ORDER_IP],
      tried: ['order.snackbar.other.svc.cluster.local.', 'order.snackbar.svc.cluster.local.'],
      why: '<svc>.<ns> + svc.cluster.local is the Service name',
    },
    {
      name: 'resolve: order.snackbar.svc is answered by the third candidate',
      query: 'order.snackbar.svc',
      ns: 'other',
      found: true,
      addresses: [ORDER_IP],
      tried: ['order.snackbar.svc.other.svc.cluster.local.', 'order.snackbar.svc.svc.cluster.local.', 'order.snackbar.svc.cluster.local.'],
      why: '<svc>.<ns>.svc + cluster.local is the Service name',
    },
    {
      name: 'resolve: order.snackbar.svc.cluster.local is answered only after three NXDOMAINs, it has fewer than 5 dots',
      query: 'order.snackbar.svc.cluster.local',
      ns: 'other',
      found: true,
      addresses: [ORDER_IP],
      tried: [
        'order.snackbar.svc.cluster.local.other.svc.cluster.local.',
        'order.snackbar.svc.cluster.local.svc.cluster.local.',
        'order.snackbar.svc.cluster.local.cluster.local.',
        'order.snackbar.svc.cluster.local.',
      ],
      why: 'with ndots:5 even the full name is searched first; a final dot avoids that',
    },
    {
      name: 'resolve: order.snackbar.svc.cluster.local. with the final dot is asked once',
      query: 'order.snackbar.svc.cluster.local.',
      ns: 'other',
      found: true,
      addresses: [ORDER_IP],
      tried: ['order.snackbar.svc.cluster.local.'],
      why: 'an absolute name is never searched',
    },
    {
      name: 'resolve: example.com is answered upstream after every cluster suffix fails',
      query: 'example.com',
      ns: 'other',
      found: true,
      addresses: ['203.0.113.10'],
      tried: ['example.com.other.svc.cluster.local.', 'example.com.svc.cluster.local.', 'example.com.cluster.local.', 'example.com.'],
      why: 'an outside name with fewer than 5 dots costs three NXDOMAINs before the real question',
    },
    {
      name: 'resolve: payments follows the ExternalName CNAME to the order cluster IP',
      query: 'payments',
      ns: 'snackbar',
      found: true,
      addresses: [ORDER_IP],
      tried: ['payments.snackbar.svc.cluster.local.'],
      why: 'the answer is a CNAME to order.snackbar.svc.cluster.local. and its A record; the resolver follows the chain',
    },
    {
      name: 'resolve: glibc goes on after NODATA, order AAAA tries every candidate',
      query: 'order',
      ns: 'snackbar',
      qtype: 'AAAA',
      flavour: 'glibc',
      found: false,
      addresses: [],
      tried: ['order.snackbar.svc.cluster.local.', 'order.svc.cluster.local.', 'order.cluster.local.', 'order.'],
      why: 'glibc treats an empty NOERROR answer as "not here" and keeps searching',
    },
    {
      name: 'resolve: musl stops at the first NODATA, order AAAA asks one name only',
      query: 'order',
      ns: 'snackbar',
      qtype: 'AAAA',
      flavour: 'musl',
      found: false,
      addresses: [],
      tried: ['order.snackbar.svc.cluster.local.'],
      why: 'musl takes NOERROR without records as the final answer',
    },
  ]
  table(resolveRows, ({ query, ns, qtype, flavour, found, addresses, tried, why }) => {
    const got = resolve(query, qtype ?? 'A', confFor(ns), zoneForResolver(), flavour ?? 'glibc')
    const head = `${flavour ?? 'glibc'} in a pod of ${ns}, ${qtype ?? 'A'} ${query}: want ${found ? addresses.join(', ') : 'no address'} after ${tried.length} question(s), got ${got.found ? got.addresses.join(', ') : 'no address'} after ${got.tried.length} — ${why}`
    expect(got.tried, `${head}\nnames asked:\n${listDiff(tried, got.tried)}\ngot:\n${bullets(got.tried)}`).toEqual(tried)
    expect(got.found, head).toBe(found)
    expect(got.addresses, head).toEqual(addresses)
  })

  test('a pod older than the Service finds it: the name is asked when the program connects, not when the pod starts', () => {
    const conf = getPodDNS(SNACKBAR_POD()).value
    const before = resolve('order', 'A', conf, new KubeDNS({ services: [], namespaces: ['snackbar'] }))
    expect(before.found, 'order before the Service exists: NXDOMAIN for every candidate').toBe(false)
    const after = resolve('order', 'A', conf, new KubeDNS(SNACKBAR))
    expect(after.addresses, `the same pod, the same resolv.conf, after order was created: asked ${after.tried.join(', ')}`).toEqual([ORDER_IP])
  })

  table(
    [
      { name: 'from its own namespace, the kubelet\'s resolv.conf makes order the Service order.snackbar', ns: 'snackbar', query: 'order', want: [ORDER_IP] },
      { name: 'from billing, order is not found: no search domain of a billing pod leads to snackbar', ns: 'billing', query: 'order', want: [] },
      { name: 'from billing, order.snackbar is found through svc.cluster.local', ns: 'billing', query: 'order.snackbar', want: [ORDER_IP] },
      { name: 'from billing, the headless nginx.snackbar answers the ready pods only', ns: 'billing', query: 'nginx.snackbar', want: ['10.244.1.10', '10.244.2.11'] },
      { name: 'from billing, web-0.nginx.snackbar is one StatefulSet pod', ns: 'billing', query: 'web-0.nginx.snackbar', want: ['10.244.1.10'] },
    ],
    ({ ns, query, want }) => {
      const conf = getPodDNS(SNACKBAR_POD({}, ns)).value
      const got = resolve(query, 'A', conf, new KubeDNS({ ...SNACKBAR, namespaces: ['default', 'kube-system', 'snackbar', 'billing'] }))
      expect(got.addresses, `curl http://${query}/ from a pod in ${ns} (search ${conf.searches.join(' ')}): asked ${got.tried.join(', ')}`).toEqual(want)
    },
  )
})

// ===========================================================================
// The deep track: the given parts of the zone and of the kubelet.

task('query-names', () => {
  serveTable([
    {
      name: 'svc0.testns.svc.cluster.local. AAAA: a Service that does not exist is NXDOMAIN',
      q: 'svc0.testns.svc.cluster.local.',
      qtype: 'AAAA',
      want: NX,
      why: 'no Service svc0 in testns: the name does not exist',
    },
    {
      name: 'svc0.testns.svc.cluster.local. A: a Service that does not exist is NXDOMAIN with the SOA',
      q: 'svc0.testns.svc.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'no Service svc0 in testns: the name does not exist',
    },
    {
      name: 'svc0.svc-nons.svc.cluster.local. A: a name in a namespace that does not exist is NXDOMAIN',
      q: 'svc0.svc-nons.svc.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'the namespace svc-nons does not exist',
    },
    {
      name: 'svc1.unexposedns.svc.cluster.local. A: a Service of a namespace the zone does not serve is NXDOMAIN',
      q: 'svc1.unexposedns.svc.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'only the namespaces of the zone are answered (here: testns)',
    },
    {
      name: 'bogusendpoint.svc0.testns.svc.cluster.local. A: an endpoint of a Service that does not exist is NXDOMAIN',
      q: 'bogusendpoint.svc0.testns.svc.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'there is no Service svc0 in testns',
    },
    {
      name: 'testns.svc.cluster.local. A: a namespace is a name without records (NODATA)',
      q: 'testns.svc.cluster.local.',
      qtype: 'A',
      want: NODATA,
      why: '<ns>.svc.<zone> exists for an existing namespace but holds no record',
    },
    {
      name: 'svc.cluster.local. A: svc.<zone> is NODATA',
      q: 'svc.cluster.local.',
      qtype: 'A',
      want: NODATA,
      why: 'svc.<zone> is an empty non-terminal: it exists, with no records',
    },
    {
      name: 'pod.cluster.local. A: pod.<zone> is NODATA',
      q: 'pod.cluster.local.',
      qtype: 'A',
      want: NODATA,
      why: 'pod.<zone> is an empty non-terminal: it exists, with no records',
    },
    {
      name: 'svc.cluster.local. NS: an NS question below the apex is NODATA for an existing name',
      q: 'svc.cluster.local.',
      qtype: 'NS',
      want: NODATA,
      why: 'only the apex has NS records; svc.<zone> exists',
    },
    {
      name: 'testns.svc.cluster.local. NS: an NS question for a namespace is NODATA',
      q: 'testns.svc.cluster.local.',
      qtype: 'NS',
      want: NODATA,
      why: 'only the apex has NS records; the namespace name exists',
    },
    {
      name: 'foo.cluster.local. NS: a name that is neither svc nor pod is NXDOMAIN',
      q: 'foo.cluster.local.',
      qtype: 'NS',
      want: NX,
      why: 'the grammar only knows <…>.svc.<zone> and <…>.pod.<zone>',
    },
    {
      name: 'foo.svc.cluster.local. NS: a namespace that does not exist is NXDOMAIN for NS too',
      q: 'foo.svc.cluster.local.',
      qtype: 'NS',
      want: NX,
      why: 'an NS question below the apex is answered like A: NXDOMAIN if the name does not exist',
    },
    {
      name: 'svc1.testns.svc.cluster.local. TXT: a Service has no TXT record (NODATA)',
      q: 'svc1.testns.svc.cluster.local.',
      qtype: 'TXT',
      want: NODATA,
      why: 'the only TXT record of the zone is dns-version',
    },
    {
      name: 'svc1.testns.svc.cluster.local. SOA: only the apex has an SOA record, a Service answers NODATA',
      q: 'svc1.testns.svc.cluster.local.',
      qtype: 'SOA',
      want: NODATA,
      why: 'the SOA lives at the zone apex',
    },
    {
      name: 'a.b.svc1.testns.svc.cluster.local. A: a name with too many labels is NXDOMAIN',
      q: 'a.b.c.svc1.testns.svc.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'at most two labels (an endpoint, or _port._proto) go in front of <svc>.<ns>.svc.<zone>',
    },
  ])

  const parseRows: { name: string; query: string; want: RecordRequest }[] = [
    {
      name: 'parseRequest: _http._tcp.webs.mynamespace.svc.inter.webs.tests. is port http, protocol tcp of Service webs',
      query: '_http._tcp.webs.mynamespace.svc.inter.webs.tests.',
      want: { port: 'http', protocol: 'tcp', endpoint: '', service: 'webs', namespace: 'mynamespace', podOrSvc: 'svc' },
    },
    {
      name: 'parseRequest: 1-2-3-4.webs.mynamespace.svc.inter.webs.tests. is endpoint 1-2-3-4 of Service webs',
      query: '1-2-3-4.webs.mynamespace.svc.inter.webs.tests.',
      want: { port: '', protocol: '', endpoint: '1-2-3-4', service: 'webs', namespace: 'mynamespace', podOrSvc: 'svc' },
    },
    {
      name: 'parseRequest: the bare zone is an empty request',
      query: 'inter.webs.tests.',
      want: { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' },
    },
    {
      name: 'parseRequest: svc.<zone> alone is an empty request',
      query: 'svc.inter.webs.tests.',
      want: { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' },
    },
    {
      name: 'parseRequest: pod.<zone> alone is an empty request',
      query: 'pod.inter.webs.tests.',
      want: { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' },
    },
    {
      name: 'parseRequest: two empty labels in front of a Service are an empty port and protocol',
      query: '..webs.mynamespace.svc.inter.webs.tests.',
      want: { port: '', protocol: '', endpoint: '', service: 'webs', namespace: 'mynamespace', podOrSvc: 'svc' },
    },
    {
      name: 'parseRequest: any two labels in front of a Service are read as port and protocol, underscores stripped',
      query: 'us-west-2a._zone.webs.mynamespace.svc.inter.webs.tests.',
      want: { port: 'us-west-2a', protocol: 'zone', endpoint: '', service: 'webs', namespace: 'mynamespace', podOrSvc: 'svc' },
    },
    {
      name: 'parseRequest: a namespace name alone has no service',
      query: 'mynamespace.svc.inter.webs.tests.',
      want: { port: '', protocol: '', endpoint: '', service: '', namespace: 'mynamespace', podOrSvc: 'svc' },
    },
    {
      name: 'parseRequest: a pod name puts the dashed IP where a Service name would be',
      query: '10-244-1-7.snackbar.pod.inter.webs.tests.',
      want: { port: '', protocol: '', endpoint: '', service: '10-244-1-7', namespace: 'snackbar', podOrSvc: 'pod' },
    },
  ]
  table(parseRows, ({ query, want }) => {
    expect(parseRequest(query, 'inter.webs.tests.'), `parseRequest(${JSON.stringify(query)}) in zone inter.webs.tests.`).toEqual(want)
  })

  table(
    [
      { name: 'parseRequest: webs.mynamespace.pood.<zone> is invalid, the last label must be svc or pod', query: 'webs.mynamespace.pood.inter.webs.tests.' },
      { name: 'parseRequest: too.long.for.what.I.am.trying.to.pod.<zone> is invalid, too many labels', query: 'too.long.for.what.I.am.trying.to.pod.inter.webs.tests.' },
    ],
    ({ query }) => {
      expect(() => parseRequest(query, 'inter.webs.tests.'), `${query} breaks the Kubernetes DNS grammar: InvalidQueryNameError (invalid query name)`).toThrow(InvalidQueryNameError)
    },
  )

  serveTable(ZONE_NAME_ROWS)
})

task('zone-objects', () => {
  table(
    [
      { name: 'endpointHostname: the hostname field wins', a: addr('10.244.1.10', 'web-0', 'web-0-pod'), mode: true, want: 'web-0' },
      { name: 'endpointHostname: with endpoint_pod_names an endpoint without hostname takes its pod name', a: addr('10.244.2.11', undefined, 'web-1'), mode: true, want: 'web-1' },
      { name: 'endpointHostname: without endpoint_pod_names the pod name is ignored', a: addr('10.244.2.11', undefined, 'web-1'), mode: false, want: '10-244-2-11' },
      { name: 'endpointHostname: an IPv4 address becomes dashes', a: addr('172.0.0.2'), mode: false, want: '172-0-0-2' },
      { name: 'endpointHostname: an IPv6 address turns its colons into dashes', a: addr('5678:abcd::1'), mode: false, want: '5678-abcd--1' },
      { name: 'endpointHostname: an IPv6 address ending in :: gets a 0 so the label does not end with a dash', a: addr('fd00:10:244::'), mode: false, want: 'fd00-10-244--0' },
    ],
    ({ a, mode, want }) => {
      expect(endpointHostname(a, mode), `endpoint ${JSON.stringify(a)} (endpoint_pod_names ${mode ? 'on' : 'off'}) is named`).toBe(want)
    },
  )
  table(ENDPOINT_NAME_ROWS, ({ a, mode, want }) => {
    const got = mode === undefined ? endpointHostname(a) : endpointHostname(a, mode)
    expect(got, `endpoint ${JSON.stringify(a)} (endpoint_pod_names ${mode === undefined ? 'not given' : mode ? 'on' : 'off'}) is named`).toBe(want)
  })
  serveTable(ZONE_OBJECT_ROWS)
  table(ENDPOINTS_VIEW_ROWS, ({ endpoints: e, slice: sl, want }) => {
    const got = e ? toEndpoints(e) : endpointSliceToEndpoints(sl!)
    expect(got, `the zone's view of ${e ? 'Endpoints' : 'EndpointSlice'} ${JSON.stringify(e ?? sl)}`).toEqual(want)
  })


  table(
    [
      {
        name: 'toService: a ClusterIP Service keeps its name, namespace, cluster IPs and ports',
        service: svc('order', 'snackbar', clusterIP([ORDER_IP], [HTTP, { port: 9090 }])),
        want: { name: 'order', namespace: 'snackbar', type: 'ClusterIP', externalName: '', clusterIPs: [ORDER_IP], ports: [{ port: 80, name: 'http', protocol: 'TCP' }, { port: 9090, name: '', protocol: 'TCP' }] },
      },
      {
        name: 'toService: a Service without ports gets the port -1, so its name still exists',
        service: svc('hdlsprtls', 'testns', headless()),
        want: { name: 'hdlsprtls', namespace: 'testns', type: 'ClusterIP', externalName: '', clusterIPs: ['None'], ports: [{ port: -1, name: '', protocol: '' }] },
      },
      {
        name: 'toService: clusterIP alone stands for clusterIPs, and a missing namespace is default',
        service: { metadata: { name: 'legacy' }, spec: { clusterIP: '10.96.0.30', ports: [{ port: 80 }] } },
        want: { name: 'legacy', namespace: 'default', type: 'ClusterIP', externalName: '', clusterIPs: ['10.96.0.30'], ports: [{ port: 80, name: '', protocol: 'TCP' }] },
      },
      {
        name: 'toService: an ExternalName keeps its target',
        service: svc('payments', 'snackbar', externalName('pay.example.com', [])),
        want: { name: 'payments', namespace: 'snackbar', type: 'ExternalName', externalName: 'pay.example.com', clusterIPs: [''], ports: [{ port: -1, name: '', protocol: '' }] },
      },
    ],
    ({ service, want }) => {
      expect(toService(service), `the zone's view of Service ${service.metadata?.name}`).toEqual(want)
    },
  )

  test('toEndpoints: addresses are ready, notReadyAddresses are kept as not ready, a subset without ports gets the port -1', () => {
    const got = toEndpoints(
      endpoints('nginx', 'snackbar', [
        { addresses: [addr('10.244.1.10', 'web-0')], notReadyAddresses: [addr('10.244.1.12', 'web-2')], ports: [{ name: 'web', port: 80, protocol: 'TCP' }] },
        { addresses: [addr('10.244.2.11')] },
      ]),
    )
    expect(got, 'the zone\'s view of Endpoints snackbar/nginx').toEqual({
      namespace: 'snackbar',
      service: 'nginx',
      subsets: [
        { addresses: [{ ip: '10.244.1.10', hostname: 'web-0', ready: true }, { ip: '10.244.1.12', hostname: 'web-2', ready: false }], ports: [{ port: 80, name: 'web', protocol: 'TCP' }] },
        { addresses: [{ ip: '10.244.2.11', ready: true }], ports: [{ port: -1, name: '', protocol: '' }] },
      ],
    })
  })

  test('endpointSliceToEndpoints: the Service is the label, ready unless conditions.ready is false, one subset per slice', () => {
    const s = SNACKBAR_SLICES[0]!
    const got = endpointSliceToEndpoints(s)
    expect(got, 'the zone\'s view of EndpointSlice snackbar/cache-x7k2p').toEqual({
      namespace: 'snackbar',
      service: 'cache',
      subsets: [
        {
          addresses: [
            { ip: '10.244.1.30', ready: true },
            { ip: '10.244.2.31', ready: false },
            { ip: '10.244.2.32', ready: true },
          ],
          ports: [{ port: 6379, name: 'redis', protocol: 'TCP' }],
        },
      ],
    })
  })
})

// ===========================================================================

// reverse_test.go TestReverse: svc1 has cluster IP 192.168.1.100 and slices whose
// endpoints have hostnames; 10.0.0.99 is in svc1 and in svc2; 10.0.0.100 is in two
// slices of svc1 (EndpointSlice skew).
const REVERSE: ZoneObjects = {
  services: [svc('svc1', 'testns', clusterIP(['192.168.1.100'])), svc('svc2', 'testns', clusterIP(['192.168.1.101']))],
  endpointSlices: [
    slice('svc1-slice1', 'testns', 'svc1', [
      { addresses: ['10.0.0.100'], hostname: 'ep1a' },
      { addresses: ['10.0.0.99'], hostname: 'double-ep' },
    ]),
    slice('svc1-slice2', 'testns', 'svc1', [
      { addresses: ['1234:abcd::1'], hostname: 'ep1b' },
      { addresses: ['fd00:77:30::a'], hostname: 'ip6svc1ex' },
      { addresses: ['fd00:77:30::2:9ba6'], hostname: 'ip6svc1in' },
    ]),
    slice('svc1-ccccc', 'testns', 'svc1', [{ addresses: ['10.0.0.100'], hostname: 'ep1a' }]),
    slice('svc2-slice1', 'testns', 'svc2', [{ addresses: ['10.0.0.99'], hostname: 'double-ep' }]),
  ],
}


task('srv-and-ptr', () => {
  const svc1Extra = ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1']
  serveTable([
    {
      name: 'svc-dual-stack.testns.svc.cluster.local. SRV: two cluster IPs make two entries, weight 50, one SRV record',
      q: 'svc-dual-stack.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: ok(
        ['svc-dual-stack.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local.'],
        ['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3', 'svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3'],
      ),
      why: 'one entry per (port, cluster IP): N = 2, and the same target and port is one SRV record with both addresses in extra',
    },
    {
      name: 'hdlsprtls.testns.svc.cluster.local. SRV: endpoints without ports have no SRV record (NODATA)',
      q: 'hdlsprtls.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: NODATA,
      why: 'an SRV record needs a port; the name exists through its A records',
    },
    {
      name: 'order.snackbar.svc.cluster.local. SRV: a Service with two ports answers two SRV records of weight 50, one of them unnamed',
      q: 'order.snackbar.svc.cluster.local.',
      qtype: 'SRV',
      objects: { services: [svc('order', 'snackbar', clusterIP([ORDER_IP], [HTTP, { port: 9090, protocol: 'TCP' }]))] },
      want: ok(
        ['order.snackbar.svc.cluster.local. 5 IN SRV 0 50 80 order.snackbar.svc.cluster.local.', 'order.snackbar.svc.cluster.local. 5 IN SRV 0 50 9090 order.snackbar.svc.cluster.local.'],
        [`order.snackbar.svc.cluster.local. 5 IN A ${ORDER_IP}`],
      ),
      why: 'a bare SRV question takes every port, named or not; only _port._proto names need a port name',
    },
  ])

  const rev = (rows: Omit<ServeRow, 'objects'>[]) => serveTable(rows.map((r) => ({ ...r, objects: REVERSE })))
  rev([
    {
      name: '100.0.0.10.in-addr.arpa. PTR: an endpoint IP points back to its endpoint name',
      q: '100.0.0.10.in-addr.arpa.',
      qtype: 'PTR',
      want: ok(['100.0.0.10.in-addr.arpa. 5 IN PTR ep1a.svc1.testns.svc.cluster.local.']),
      why: 'a ready endpoint is known as <endpoint>.<svc>.<ns>.svc.<zone>; the same address in two slices is one PTR',
    },
    {
      name: '100.1.168.192.in-addr.arpa. PTR: a cluster IP points back to its Service',
      q: '100.1.168.192.in-addr.arpa.',
      qtype: 'PTR',
      want: ok(['100.1.168.192.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local.']),
      why: 'the reversed octets name the cluster IP 192.168.1.100 of svc1',
    },
    {
      name: '1.0…d.c.b.a.4.3.2.1.ip6.arpa. PTR: an IPv6 endpoint is found by its 32 reversed nibbles',
      q: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.',
      qtype: 'PTR',
      want: ok(['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. 5 IN PTR ep1b.svc1.testns.svc.cluster.local.']),
      why: 'ip6.arpa names spell the address nibble by nibble, backwards: 1234:abcd::1',
    },
    {
      name: 'a.0…3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. PTR: fd00:77:30::a points back to ip6svc1ex',
      q: 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.',
      qtype: 'PTR',
      want: ok(['a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ip6svc1ex.svc1.testns.svc.cluster.local.']),
      why: 'the nibbles spell fd00:77:30::a',
    },
    {
      name: '6.a.b.9.2…d.f.ip6.arpa. PTR: fd00:77:30::2:9ba6 points back to ip6svc1in',
      q: '6.a.b.9.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.',
      qtype: 'PTR',
      want: ok(['6.a.b.9.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ip6svc1in.svc1.testns.svc.cluster.local.']),
      why: 'the nibbles spell fd00:77:30::2:9ba6',
    },
    {
      name: '99.0.0.10.in-addr.arpa. PTR: an endpoint of two Services has two names',
      q: '99.0.0.10.in-addr.arpa.',
      qtype: 'PTR',
      want: ok(['99.0.0.10.in-addr.arpa. 5 IN PTR double-ep.svc1.testns.svc.cluster.local.', '99.0.0.10.in-addr.arpa. 5 IN PTR double-ep.svc2.testns.svc.cluster.local.']),
      why: 'a pod selected by two Services is an endpoint of each',
    },
    {
      name: '101.0.0.10.in-addr.arpa. PTR: an IP the cluster does not know is NXDOMAIN in the reverse zone',
      q: '101.0.0.10.in-addr.arpa.',
      qtype: 'PTR',
      want: { rcode: 'NXDOMAIN', ns: [SOA_REVERSE] },
      why: 'neither a cluster IP nor a ready endpoint has 10.0.0.101; the SOA is the reverse zone in-addr.arpa.',
    },
    {
      name: 'svc1.testns.svc.0.10.in-addr.arpa. A: Service names do not exist in the reverse zone',
      q: 'svc1.testns.svc.0.10.in-addr.arpa.',
      qtype: 'A',
      want: { rcode: 'NXDOMAIN', ns: [SOA_REVERSE] },
      why: 'the reverse zone holds only PTR names',
    },
    {
      name: 'example.org.cluster.local. PTR: a PTR question for a name that breaks the grammar is NXDOMAIN',
      q: 'example.org.cluster.local.',
      qtype: 'PTR',
      want: NX,
      why: 'example.org.cluster.local. is not a valid name of the cluster zone',
    },
    {
      name: 'svc1.testns.svc.cluster.local. PTR: a Service name has no PTR record (NODATA)',
      q: 'svc1.testns.svc.cluster.local.',
      qtype: 'PTR',
      want: NODATA,
      why: 'the name exists, PTR records live in the reverse zones',
    },
    {
      name: '100.0.0.10.cluster.local. PTR: a reversed address under the cluster zone is NXDOMAIN',
      q: '100.0.0.10.cluster.local.',
      qtype: 'PTR',
      want: NX,
      why: 'only in-addr.arpa. and ip6.arpa. names are reverse names',
    },
  ])
  serveTable(REVERSE_ROWS)

  test('srv: asks the backend for SRV entries; one SRV per (target, port) and one extra address per (target, IP); a CNAME entry gives none', () => {
    const web0 = 'web-0.nginx.snackbar.svc.cluster.local.'
    const b = stubBackend({
      'nginx.snackbar.svc.cluster.local.': [
        { host: '10.244.1.10', port: 80, target: web0, ttl: 5 },
        { host: '10.244.1.10', port: 80, target: web0, ttl: 5 },
        { host: 'fd00:10:244::a', port: 80, target: web0, ttl: 5 },
        { host: 'web.example.com', port: 80, target: 'alias.nginx.snackbar.svc.cluster.local.', ttl: 5 },
      ],
    })
    const [answer, extra] = srv(b, 'cluster.local.', 'nginx.snackbar.svc.cluster.local.')
    expect(b.asked, 'plugin.SRV asks the backend for the SRV entries of the name').toEqual(['nginx.snackbar.svc.cluster.local. SRV'])
    expect(answer, 'four entries (N = 4, weight 25), one (target, port): one SRV record; the CNAME entry has no address to point at').toEqual([`nginx.snackbar.svc.cluster.local. 5 IN SRV 0 25 80 ${web0}`])
    expect(extra, 'each address of the target once, A and AAAA').toEqual([`${web0} 5 IN A 10.244.1.10`, `${web0} 5 IN AAAA fd00:10:244::a`])
  })
})

// ===========================================================================

const FOO_POD: Pod = pod({ name: 'foo', namespace: 'podns', ip: '10.240.0.1' })
const PODS: ZoneObjects = { services: [], pods: [FOO_POD], namespaces: ['podns', 'svcns'] }

task('pods-and-special-names', () => {
  const podRows = (mode: 'insecure' | 'verified' | 'disabled', rows: Omit<ServeRow, 'objects' | 'options'>[]) =>
    serveTable(rows.map((r) => ({ ...r, objects: PODS, options: { pods: mode } })))

  podRows('insecure', [
    {
      name: 'pods insecure: 10-240-0-1.podns.pod.cluster.local. A answers 10.240.0.1',
      q: '10-240-0-1.podns.pod.cluster.local.',
      qtype: 'A',
      want: ok(['10-240-0-1.podns.pod.cluster.local. 5 IN A 10.240.0.1']),
      why: 'with `pods insecure` (kubeadm) a dashed IP answers the IP it spells',
    },
    {
      name: 'pods insecure: 172-0-0-2.podns.pod.cluster.local. A answers 172.0.0.2 though no pod has that IP',
      q: '172-0-0-2.podns.pod.cluster.local.',
      qtype: 'A',
      want: ok(['172-0-0-2.podns.pod.cluster.local. 5 IN A 172.0.0.2']),
      why: '`insecure` does not ask the API whether such a pod exists',
    },
    {
      name: 'pods insecure: blah.podns.pod.cluster.local. A is NXDOMAIN, blah spells no IP',
      q: 'blah.podns.pod.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'a pod name must parse as an IP',
    },
    {
      name: 'pods insecure: blah.podns.pod.cluster.local. AAAA is NXDOMAIN too',
      q: 'blah.podns.pod.cluster.local.',
      qtype: 'AAAA',
      want: NX,
      why: 'a pod name must parse as an IP',
    },
    {
      name: 'pods insecure: blah.podns.pod.cluster.local. HINFO is NXDOMAIN, any type of a missing name is',
      q: 'blah.podns.pod.cluster.local.',
      qtype: 'HINFO',
      want: NX,
      why: 'for a type the plugin does not serve, NXDOMAIN or NODATA still depends on whether the name exists',
    },
    {
      name: 'pods insecure: blah.pod-nons.pod.cluster.local. A is NXDOMAIN, the namespace does not exist',
      q: 'blah.pod-nons.pod.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'pod-nons is not a namespace',
    },
    {
      name: 'pods insecure: podns.pod.cluster.local. A is NODATA, a namespace has no address',
      q: 'podns.pod.cluster.local.',
      qtype: 'A',
      want: NODATA,
      why: '<ns>.pod.<zone> exists for an existing namespace but holds no record',
    },
    {
      name: 'pods insecure: 5678-abcd--1.podns.pod.cluster.local. AAAA spells an IPv6 address',
      q: '5678-abcd--1.podns.pod.cluster.local.',
      qtype: 'AAAA',
      want: ok(['5678-abcd--1.podns.pod.cluster.local. 5 IN AAAA 5678:abcd::1']),
      why: 'a name that is not four dashed numbers is read as IPv6 with dashes for colons',
    },
  ])

  podRows('verified', [
    {
      name: 'pods verified: 10-240-0-1.podns.pod.cluster.local. A answers, pod foo has that IP in podns',
      q: '10-240-0-1.podns.pod.cluster.local.',
      qtype: 'A',
      want: ok(['10-240-0-1.podns.pod.cluster.local. 5 IN A 10.240.0.1']),
      why: '`pods verified` answers only if a pod of that namespace has the IP',
    },
    {
      name: 'pods verified: 172-0-0-2.podns.pod.cluster.local. A is NXDOMAIN, no pod has that IP',
      q: '172-0-0-2.podns.pod.cluster.local.',
      qtype: 'A',
      want: NX,
      why: '`pods verified` checks the pods',
    },
    {
      name: 'pods verified: podns.pod.cluster.local. A is NODATA',
      q: 'podns.pod.cluster.local.',
      qtype: 'A',
      want: NODATA,
      why: 'the namespace exists, with no record of its own',
    },
    {
      name: 'pods verified: svcns.svc.cluster.local. A is NODATA',
      q: 'svcns.svc.cluster.local.',
      qtype: 'A',
      want: NODATA,
      why: 'the namespace svcns exists, with no record of its own',
    },
    {
      name: 'pods verified: pod-nons.pod.cluster.local. A is NXDOMAIN, the namespace does not exist',
      q: 'pod-nons.pod.cluster.local.',
      qtype: 'A',
      want: NX,
      why: 'pod-nons is not a namespace',
    },
  ])

  podRows('disabled', [
    {
      name: 'pods disabled: 10-240-0-1.podns.pod.cluster.local. A is NXDOMAIN even though pod foo has that IP',
      q: '10-240-0-1.podns.pod.cluster.local.',
      qtype: 'A',
      want: NX,
      why: "`pods disabled` is CoreDNS's default: no pod names at all",
    },
    {
      name: 'pods disabled: 172-0-0-2.podns.pod.cluster.local. A is NXDOMAIN',
      q: '172-0-0-2.podns.pod.cluster.local.',
      qtype: 'A',
      want: NX,
      why: '`pods disabled` answers no pod name',
    },
  ])

  serveTable([
    {
      name: 'dns-version.cluster.local. TXT: the zone says which Kubernetes DNS schema it follows',
      q: 'dns-version.cluster.local.',
      qtype: 'TXT',
      want: ok(['dns-version.cluster.local. 28800 IN TXT "1.1.0"']),
      why: 'dns-version.<zone> is TXT "1.1.0" with TTL 28800',
    },
    {
      name: 'external.testns.svc.cluster.local. CNAME: an ExternalName Service is a CNAME to its externalName',
      q: 'external.testns.svc.cluster.local.',
      qtype: 'CNAME',
      want: ok(['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.']),
      why: 'ExternalName is the fourth Service type: DNS only, no cluster IP, no proxying',
    },
    {
      name: 'external.testns.svc.cluster.local. A: an ExternalName answers its CNAME and what upstream DNS says about the target',
      q: 'external.testns.svc.cluster.local.',
      qtype: 'A',
      options: { upstream: UPSTREAM },
      want: ok(['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', 'ext.interwebs.test. 5 IN A 1.2.3.4']),
      why: 'a target outside the zone is looked up upstream and its records follow the CNAME',
    },
    {
      name: 'external.testns.svc.cluster.local. A without upstream: the CNAME alone, what follows is not the cluster zone',
      q: 'external.testns.svc.cluster.local.',
      qtype: 'A',
      want: ok(['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.']),
      why: 'the cluster zone knows only the CNAME; the target is resolved outside it',
    },
    {
      name: 'external-to-service.testns.svc.cluster.local A: an ExternalName pointing into the zone answers the CNAME and the target Service',
      q: 'external-to-service.testns.svc.cluster.local',
      qtype: 'A',
      want: ok(['external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.', 'svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1']),
      why: 'a target inside the zone is followed in the zone, the CNAME first',
    },
    {
      name: 'payments-v2.snackbar.svc.cluster.local. A: an ExternalName whose target is another ExternalName of the zone is followed link by link to the cluster IP',
      q: 'payments-v2.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: cnameChain(2),
      want: ok([...chainCNAMEs(2), `order.snackbar.svc.cluster.local. 5 IN A ${ORDER_IP}`]),
      why: 'each in-zone target is asked of the zone again, and its CNAME and records follow in order',
    },
    {
      name: 'payments-v2.snackbar.svc.cluster.local. A: a chain of eight CNAMEs inside the zone still reaches the cluster IP',
      q: 'payments-v2.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: cnameChain(MAX_CNAME_LINKS),
      want: ok([...chainCNAMEs(MAX_CNAME_LINKS), `order.snackbar.svc.cluster.local. 5 IN A ${ORDER_IP}`]),
      why: 'CoreDNS follows up to eight CNAMEs in one answer (backend_lookup.go adds a CNAME while fewer than eight are in it)',
    },
    {
      name: 'payments-v2.snackbar.svc.cluster.local. A: a ninth CNAME is not followed, so the whole chain is dropped (NODATA)',
      q: 'payments-v2.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: cnameChain(MAX_CNAME_LINKS + 1),
      want: NODATA,
      why: 'backend_lookup.go skips a CNAME once eight are in the answer (`len(previousRecords) > 7`); a CNAME whose target gave nothing is left out',
    },
    {
      name: 'ping.snackbar.svc.cluster.local. A: two ExternalNames naming each other are a CNAME loop, answered NODATA',
      q: 'ping.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: { services: [svc('ping', 'snackbar', externalName('pong.snackbar.svc.cluster.local')), svc('pong', 'snackbar', externalName('ping.snackbar.svc.cluster.local'))] },
      want: NODATA,
      why: 'a CNAME already in the answer is not followed again (dnsutil.DuplicateCNAME), and a loop never ends in an address',
    },
    {
      name: 'legacy.testns.svc.cluster.local. A: an ExternalName to an IPv6-only Service has no A record, and its CNAME is left out (NODATA)',
      q: 'legacy.testns.svc.cluster.local.',
      qtype: 'A',
      objects: { ...TESTNS, services: [...TESTNS_SERVICES, svc('legacy', 'testns', externalName('svc6.testns.svc.cluster.local'))] },
      want: NODATA,
      why: 'an in-zone target that answers nothing of the type adds nothing: CoreDNS adds the CNAME only with the records it leads to',
    },
    {
      name: 'legacy.testns.svc.cluster.local. AAAA: the same ExternalName answers AAAA with the CNAME and the IPv6 cluster IP',
      q: 'legacy.testns.svc.cluster.local.',
      qtype: 'AAAA',
      objects: { ...TESTNS, services: [...TESTNS_SERVICES, svc('legacy', 'testns', externalName('svc6.testns.svc.cluster.local'))] },
      want: ok(['legacy.testns.svc.cluster.local. 5 IN CNAME svc6.testns.svc.cluster.local.', 'svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1']),
      why: 'the target is asked for the same type as the question',
    },
    {
      name: 'moved.testns.svc.cluster.local. A: an ExternalName to a Service that does not exist is NODATA, not NXDOMAIN',
      q: 'moved.testns.svc.cluster.local.',
      qtype: 'A',
      objects: { ...TESTNS, services: [...TESTNS_SERVICES, svc('moved', 'testns', externalName('gone.testns.svc.cluster.local'))] },
      want: NODATA,
      why: 'the ExternalName exists; its target answering NXDOMAIN only leaves the CNAME out',
    },
    {
      name: 'external.testns.svc.cluster.local. A: a target that is itself a CNAME upstream is followed there too',
      q: 'external.testns.svc.cluster.local.',
      qtype: 'A',
      options: { upstream: ['ext.interwebs.test. 5 IN CNAME cdn.interwebs.test.', 'cdn.interwebs.test. 5 IN A 1.2.3.5'] },
      want: ok(['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', 'ext.interwebs.test. 5 IN CNAME cdn.interwebs.test.', 'cdn.interwebs.test. 5 IN A 1.2.3.5']),
      why: 'upstream DNS answers the whole chain of the outside name, and it follows the ExternalName CNAME',
    },
    {
      name: 'endpoint.external.testns.svc.cluster.local. CNAME: nothing exists below an ExternalName',
      q: 'endpoint.external.testns.svc.cluster.local.',
      qtype: 'CNAME',
      want: NX,
      why: 'an ExternalName Service has no endpoints, so no endpoint names',
    },
    {
      name: 'external.testns.svc.cluster.local. SRV: an ExternalName has no SRV record (NODATA)',
      q: 'external.testns.svc.cluster.local.',
      qtype: 'SRV',
      want: NODATA,
      why: 'CoreDNS does not answer SRV for ExternalName Services',
    },
    {
      name: 'legacy.snackbar.svc.cluster.local. A: an ExternalName that is an IP address is not published',
      q: 'legacy.snackbar.svc.cluster.local.',
      qtype: 'A',
      objects: { services: [svc('legacy', 'snackbar', externalName('10.1.2.3'))] },
      want: NX,
      why: 'externalName must be a DNS name; CoreDNS ignores one that parses as an IP (use a selector-less Service with Endpoints instead)',
    },
    {
      name: 'cluster.local. SOA: the zone apex answers its SOA record',
      q: 'cluster.local.',
      qtype: 'SOA',
      want: ok([SOA]),
      why: 'the SOA names ns.dns.<zone> and hostmaster.<zone>; its TTL is min(300, ttl) and its minimum TTL is ttl',
    },
    {
      name: 'cluster.local. NS: the zone apex answers ns.dns.cluster.local. and its address',
      q: 'cluster.local.',
      qtype: 'NS',
      want: ok(['cluster.local. 5 IN NS ns.dns.cluster.local.'], ['ns.dns.cluster.local. 5 IN A 10.96.0.10']),
      why: "the zone's name server is ns.dns.<zone>, the cluster DNS Service IP",
    },
    {
      name: 'cluster.local. A: the zone apex itself has no address (NODATA)',
      q: 'cluster.local.',
      qtype: 'A',
      want: NODATA,
      why: 'the apex exists and holds SOA and NS only',
    },
  ])
  serveTable(SPECIAL_NAME_ROWS)
  serveTable(BUILDER_ROWS)

  test('address: a CNAME to a name below the asked one is a loop, and a text entry no address: neither gives a record', () => {
    const text = { host: '', port: 0, target: 'loop.example.', ttl: 5, text: '1.1.0' }
    const b = stubBackend({ 'loop.example.': [{ host: 'www.loop.example', port: 0, target: 'loop.example.', ttl: 5 }, text] })
    expect(address(b, 'cluster.local.', 'loop.example.', [], 'A'), 'x CNAME www.x: backend_lookup.go skips it (Name.Matches); a TXT entry has no IP').toEqual([])
    expect(b.upstreamAsked, 'neither target is looked up upstream').toEqual([])
    const e = (host: string) => ({ host, port: 0, target: 'loop.example.', ttl: 5 })
    expect([text, e('10.0.0.1'), e('fd00::1'), e('ext.interwebs.test')].map(hostType), 'msg.Service.HostType: a text, an IPv4, an IPv6 address, a name').toEqual(['TXT', 'A', 'AAAA', 'CNAME'])
  })

  test('address: an error that does not mean "no such name" is passed on, not taken for NXDOMAIN', () => {
    const b = stubBackend({
      'payments.snackbar.svc.cluster.local.': [{ host: 'order.snackbar.svc.cluster.local', port: 0, target: 'payments.snackbar.svc.cluster.local.', ttl: 5 }],
      'order.snackbar.svc.cluster.local.': new Error('the API server is unreachable'),
    })
    expect(() => address(b, 'cluster.local.', 'payments.snackbar.svc.cluster.local.', [], 'A'), 'only IsNameError errors are swallowed while following a CNAME').toThrow('the API server is unreachable')
  })

  test('services: an ExternalName has a CNAME entry, but none for SRV (CoreDNS does not serve SRV for external Services)', () => {
    const zone = new KubeDNS(TESTNS)
    const name = 'external.testns.svc.cluster.local.'
    expect(zone.services('cluster.local.', name, 'A').map((e) => e.host), `${name} A: the backend lists the externalName to follow`).toEqual(['ext.interwebs.test'])
    expect(zone.services('cluster.local.', name, 'SRV'), `${name} SRV: the backend drops CNAME entries before the SRV builder sees them`).toEqual([])
  })
})

task('resolv-conf-rules', () => {
  // dns_test.go TestParseResolvConf
  const parseRows: { name: string; data: string; want: { nameservers: string[]; searches: string[]; options: string[] } }[] = [
    { name: 'parseResolvConf: an empty file has nothing', data: '', want: { nameservers: [], searches: [], options: [] } },
    { name: 'parseResolvConf: comments are skipped, also after leading spaces', data: ' #comment\n#comment', want: { nameservers: [], searches: [], options: [] } },
    { name: 'parseResolvConf: a nameserver line after a comment, with an empty search line', data: '#comment\nnameserver 1.2.3.4\nsearch', want: { nameservers: ['1.2.3.4'], searches: [], options: [] } },
    { name: 'parseResolvConf: tabs and spaces separate fields', data: '\tnameserver \t 1.2.3.4', want: { nameservers: ['1.2.3.4'], searches: [], options: [] } },
    { name: 'parseResolvConf: nameserver lines accumulate in order', data: 'nameserver 1.2.3.4\nnameserver 5.6.7.8', want: { nameservers: ['1.2.3.4', '5.6.7.8'], searches: [], options: [] } },
    { name: 'parseResolvConf: a comment after the nameserver is ignored', data: 'nameserver 1.2.3.4 #comment', want: { nameservers: ['1.2.3.4'], searches: [], options: [] } },
    { name: 'parseResolvConf: a trailing dot is dropped from search domains', data: 'search foo. bar', want: { nameservers: [], searches: ['foo', 'bar'], options: [] } },
    { name: 'parseResolvConf: the last search line wins', data: 'nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar', want: { nameservers: ['1.2.3.4', '5.6.7.8'], searches: ['bar'], options: [] } },
    { name: 'parseResolvConf: the last options line wins', data: 'options ndots:1\noptions ndots:5 attempts:3', want: { nameservers: [], searches: [], options: ['ndots:5', 'attempts:3'] } },
  ]
  table(parseRows, ({ data, want }) => {
    expect(parseResolvConf(data), `parseResolvConf(${JSON.stringify(data)})`).toEqual(want)
  })
  test('parseResolvConf: a nameserver line without an address is an error, nameserver list is empty', () => {
    expect(() => parseResolvConf('#comment\nnameserver'), 'a bare `nameserver` line: ResolvConfParseError "nameserver list is empty "').toThrow(ResolvConfParseError)
    expect(() => parseResolvConf('#comment\nnameserver'), 'the message keeps its trailing space').toThrow(/^nameserver list is empty $/)
  })

  // dns_test.go TestGetPodDNSType
  const typeRows: { name: string; dnsPolicy: string; hostNetwork: boolean; want: PodDNSType }[] = [
    { name: 'getPodDNSType: ClusterFirst without hostNetwork uses cluster DNS', dnsPolicy: 'ClusterFirst', hostNetwork: false, want: 'podDNSCluster' },
    { name: 'getPodDNSType: ClusterFirstWithHostNet with hostNetwork uses cluster DNS', dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true, want: 'podDNSCluster' },
    { name: 'getPodDNSType: ClusterFirstWithHostNet without hostNetwork uses cluster DNS', dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: false, want: 'podDNSCluster' },
    { name: 'getPodDNSType: Default without hostNetwork uses the node DNS', dnsPolicy: 'Default', hostNetwork: false, want: 'podDNSHost' },
    { name: 'getPodDNSType: Default with hostNetwork uses the node DNS', dnsPolicy: 'Default', hostNetwork: true, want: 'podDNSHost' },
    { name: 'getPodDNSType: ClusterFirst with hostNetwork falls back to the node DNS', dnsPolicy: 'ClusterFirst', hostNetwork: true, want: 'podDNSHost' },
    { name: 'getPodDNSType: None uses no DNS settings but its own', dnsPolicy: 'None', hostNetwork: false, want: 'podDNSNone' },
  ]
  table(typeRows, ({ dnsPolicy, hostNetwork, want }) => {
    expect(getPodDNSType(SNACKBAR_POD({ dnsPolicy, hostNetwork })), `dnsPolicy ${dnsPolicy}, hostNetwork ${hostNetwork}`).toBe(want)
  })
  test('getPodDNSType: an unknown dnsPolicy is an error, invalid DNSPolicy=invalidPolicy', () => {
    expect(() => getPodDNSType(SNACKBAR_POD({ dnsPolicy: 'invalidPolicy' })), 'dnsPolicy invalidPolicy').toThrow(InvalidDNSPolicyError)
    expect(() => getPodDNSType(SNACKBAR_POD({ dnsPolicy: 'invalidPolicy' })), 'dnsPolicy invalidPolicy').toThrow(/^invalid DNSPolicy=invalidPolicy$/)
  })
  test('getPodDNSType: a pod without dnsPolicy is ClusterFirst, the API default', () => {
    expect(getPodDNSType(SNACKBAR_POD()), 'no dnsPolicy: the API server defaults it to ClusterFirst').toBe('podDNSCluster')
  })


  // dns_test.go TestFormDNSSearchFitsLimits (ExpandedDNSConfig, GA) and TestFormDNSNameserversFitsLimits
  const list2048 = [`${'A'.repeat(128)}`, ...Array.from({ length: 15 }, () => 'A'.repeat(127))]
  const thirtyTwo = ['testNS.svc.TEST', 'svc.TEST', 'TEST', ...Array.from({ length: 29 }, (_, i) => String(i + 4))]
  const searchRows: { name: string; search: string[]; want: string[]; event?: string }[] = [
    { name: 'formDNSSearchFitsLimits: 3 search paths fit', search: ['testNS.svc.TEST', 'svc.TEST', 'TEST'], want: ['testNS.svc.TEST', 'svc.TEST', 'TEST'] },
    { name: 'formDNSSearchFitsLimits: 5 search paths fit', search: ['testNS.svc.TEST', 'svc.TEST', 'TEST', 'AAA', 'BBB'], want: ['testNS.svc.TEST', 'svc.TEST', 'TEST', 'AAA', 'BBB'] },
    {
      name: 'formDNSSearchFitsLimits: a 256-character search path is dropped with a DNSConfigForming warning',
      search: ['testNS.svc.TEST', 'svc.TEST', 'TEST', 'AAA', 'B'.repeat(256), 'BBB'],
      want: ['testNS.svc.TEST', 'svc.TEST', 'TEST', 'AAA', 'BBB'],
      event: 'Search Line limits were exceeded, some search paths have been omitted, the applied search line is: testNS.svc.TEST svc.TEST TEST AAA BBB',
    },
    { name: 'formDNSSearchFitsLimits: a search line of exactly 2048 characters fits', search: list2048, want: list2048 },
    {
      name: 'formDNSSearchFitsLimits: a search line of 2050 characters loses its last domain',
      search: [...list2048, 'B'],
      want: list2048,
      event: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${list2048.join(' ')}`,
    },
    { name: 'formDNSSearchFitsLimits: 32 search paths fit', search: thirtyTwo, want: thirtyTwo },
    {
      name: 'formDNSSearchFitsLimits: the 33rd search path is dropped',
      search: [...thirtyTwo, '33'],
      want: thirtyTwo,
      event: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${thirtyTwo.join(' ')}`,
    },
  ]
  table(searchRows, ({ search, want, event }) => {
    const got = formDNSSearchFitsLimits(search)
    expect(got.value, `search line of ${search.length} domains, ${search.join(' ').length} characters:\n${listDiff(want, got.value)}`).toEqual(want)
    const wantEvents = event ? [{ object: 'Pod', type: 'Warning', reason: 'DNSConfigForming', message: event }] : []
    expect(got.events, event ? 'the kubelet warns on the pod when it cuts the search line' : 'no warning when the search line fits').toEqual(wantEvents)
  })

  const nsRows: { name: string; servers: string[]; want: string[]; event: boolean }[] = [
    { name: 'formDNSNameserversFitsLimits: one nameserver fits', servers: ['127.0.0.1'], want: ['127.0.0.1'], event: false },
    { name: 'formDNSNameserversFitsLimits: three nameservers fit', servers: ['127.0.0.1', '10.0.0.10', '8.8.8.8'], want: ['127.0.0.1', '10.0.0.10', '8.8.8.8'], event: false },
    { name: 'formDNSNameserversFitsLimits: four nameservers are trimmed to three with a warning', servers: ['127.0.0.1', '10.0.0.10', '8.8.8.8', '1.2.3.4'], want: ['127.0.0.1', '10.0.0.10', '8.8.8.8'], event: true },
  ]
  table(nsRows, ({ servers, want, event }) => {
    const got = formDNSNameserversFitsLimits(servers)
    expect(got.value, `nameservers ${servers.join(' ')}: glibc reads at most 3`).toEqual(want)
    const wantEvents = event
      ? [{ object: 'Pod', type: 'Warning', reason: 'DNSConfigForming', message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${want.join(' ')}` }]
      : []
    expect(got.events, event ? 'a DNSConfigForming warning names the applied nameserver line' : 'no warning when the nameservers fit').toEqual(wantEvents)
  })

  // dns_test.go TestMergeDNSOptions (options compare as sets: the kubelet goes through a map)
  const three = '3'
  const mergeRows: { name: string; existing: string[]; options: { name: string; value?: string }[]; want: string[] }[] = [
    { name: 'mergeDNSOptions: no pod options keep the existing ones', existing: ['ndots:5', 'debug'], options: [], want: ['ndots:5', 'debug'] },
    {
      name: 'mergeDNSOptions: new options are added, with or without a value',
      existing: ['ndots:5', 'debug'],
      options: [{ name: 'single-request' }, { name: 'attempts', value: three }],
      want: ['ndots:5', 'debug', 'single-request', 'attempts:3'],
    },
    {
      name: "mergeDNSOptions: the pod's value wins for an option it repeats",
      existing: ['ndots:5', 'debug'],
      options: [{ name: 'ndots', value: three }, { name: 'debug' }, { name: 'single-request' }, { name: 'attempts', value: three }],
      want: ['ndots:3', 'debug', 'single-request', 'attempts:3'],
    },
  ]
  table(mergeRows, ({ existing, options, want }) => {
    const got = mergeDNSOptions(existing, options)
    expect([...got].sort(), `options ${existing.join(' ')} merged with the pod's ${JSON.stringify(options)}:\n${listDiff([...want].sort(), [...got].sort())}`).toEqual([...want].sort())
  })

  const customRows: CustomRow[] = [
    { name: 'getPodDNS: dnsPolicy None without dnsConfig has empty DNS settings', dnsPolicy: 'None', want: { servers: [], searches: [], options: [] } },
    {
      name: 'getPodDNS: dnsPolicy None takes exactly the pod dnsConfig',
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['203.0.113.1'], searches: ['my.domain', 'second.domain'], options: [{ name: 'ndots', value: '3' }, { name: 'debug' }] },
      want: { servers: ['203.0.113.1'], searches: ['my.domain', 'second.domain'], options: ['ndots:3', 'debug'] },
    },
    {
      name: "getPodDNS: Default uses the node's resolv.conf, merged with the pod dnsConfig",
      dnsPolicy: 'Default',
      dnsConfig: podConfig,
      want: { servers: ['8.8.8.8', '10.0.0.11'], searches: ['host.domain', 'my.domain'], options: ['ndots:3', 'debug'] },
    },
    {
      name: "getPodDNS: ClusterFirst on a hostNetwork pod gets the node's DNS, not the cluster's",
      dnsPolicy: 'ClusterFirst',
      hostNetwork: true,
      want: { servers: ['8.8.8.8'], searches: ['host.domain'], options: [] },
    },
  ]
  table(customRows, checkCustom)

  test('getPodDNS: with --resolv-conf="" a pod on the node DNS gets nameserver 127.0.0.1 and search "."', () => {
    const kubelet: KubeletDNS = { clusterDNS: ['203.0.113.1'], clusterDomain: 'kubernetes.io', hostDNS: null }
    const host = getPodDNS(SNACKBAR_POD({ dnsPolicy: 'Default' }), kubelet).value
    expect(host, `dnsPolicy Default, no node resolv.conf: ${configText(host)}`).toEqual({ servers: ['127.0.0.1'], searches: ['.'], options: [] })
    const cluster = getPodDNS(SNACKBAR_POD({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }), kubelet).value
    expect(cluster, `dnsPolicy ClusterFirstWithHostNet, no node resolv.conf: ${configText(cluster)}`).toEqual({
      servers: ['203.0.113.1'],
      searches: ['snackbar.svc.kubernetes.io', 'svc.kubernetes.io', 'kubernetes.io'],
      options: ['ndots:5'],
    })
  })

  test('getPodDNS: a kubelet without clusterDNS warns MissingClusterDNS on the node and the pod and gives the pod the node DNS', () => {
    const kubelet: KubeletDNS = { clusterDNS: [], hostDNS: { servers: ['172.18.0.1'], searches: ['ec2.internal'], options: ['edns0'] } }
    const got = getPodDNS(SNACKBAR_POD(), kubelet)
    expect(got.value, `ClusterFirst without clusterDNS: ${configText(got.value)}`).toEqual({ servers: ['172.18.0.1'], searches: ['ec2.internal'], options: ['edns0'] })
    const msg = 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.'
    expect(got.events, 'two MissingClusterDNS warnings: one on the node, one on the pod').toEqual([
      { object: 'Node', type: 'Warning', reason: 'MissingClusterDNS', message: msg },
      { object: 'Pod', type: 'Warning', reason: 'MissingClusterDNS', message: `pod: "web_snackbar(uid-web)". ${msg}` },
    ])
  })

  test('getPodDNS: a dnsConfig that adds a fourth nameserver is trimmed to three with a DNSConfigForming warning', () => {
    const p = SNACKBAR_POD({ dnsConfig: { nameservers: ['10.0.0.11', '10.0.0.12', '10.0.0.13'] } })
    const got = getPodDNS(p, {})
    expect(got.value.servers, `nameservers: ${got.value.servers.join(' ')}`).toEqual(['10.96.0.10', '10.0.0.11', '10.0.0.12'])
    expect(got.events.map((e) => e.message), 'the applied nameserver line is reported').toEqual([
      'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 10.0.0.11 10.0.0.12',
    ])
  })



  table(
    [
      {
        name: 'formatResolvConf: one nameserver line per server, search first and options last',
        config: { servers: ['10.0.0.10', '10.0.0.11'], searches: ['a.example', 'b.example'], options: ['ndots:2', 'edns0'] },
        want: 'search a.example b.example\nnameserver 10.0.0.10\nnameserver 10.0.0.11\noptions ndots:2 edns0\n',
      },
      { name: 'formatResolvConf: empty parts are left out', config: { servers: ['10.0.0.10'], searches: [], options: [] }, want: 'nameserver 10.0.0.10\n' },
      { name: 'formatResolvConf: an empty config is an empty file', config: { servers: [], searches: [], options: [] }, want: '' },
    ],
    ({ config, want }) => {
      const got = formatResolvConf(config)
      expect(got, `${configText(config)}:\nwant:\n${want}got:\n${got}`).toBe(want)
    },
  )
  table(POD_DNS_ROWS, ({ pod: p, kubelet, want, events = [] }) => {
    const got = getPodDNS(p, kubelet)
    const msg = `dnsPolicy ${p.spec?.dnsPolicy}: want ${configText(want)}, got ${configText(got.value)}`
    expect(got.value.servers, msg).toEqual(want.servers)
    expect(got.value.searches, msg).toEqual(want.searches)
    expect([...got.value.options].sort(), msg).toEqual([...want.options].sort())
    expect(got.events.map((e) => `${e.object} ${e.reason} ${e.message}`), 'the events the kubelet records').toEqual(events)
  })

  test('parseResolvConf: two bare nameserver lines are one error message, as Go\'s aggregate error prints each distinct message once', () => {
    let err: unknown
    try {
      parseResolvConf('nameserver\nnameserver 10.0.0.10\nnameserver')
    } catch (e) {
      err = e
    }
    expect(err, 'two bare `nameserver` lines: ResolvConfParseError').toBeInstanceOf(ResolvConfParseError)
    expect((err as ResolvConfParseError).message, 'utilerrors.NewAggregate prints a message seen twice once, without brackets').toBe('nameserver list is empty ')
    expect((err as ResolvConfParseError).name, 'the error is named').toBe('ResolvConfParseError')
    expect(new ResolvConfParseError(['first problem', 'second problem']).message, 'distinct messages are listed in brackets').toBe('[first problem, second problem]')
  })

  test('getPodDNSType: the error of an unknown dnsPolicy is named InvalidDNSPolicyError', () => {
    expect(() => getPodDNSType(dnsPod('invalidPolicy')), 'dnsPolicy invalidPolicy').toThrow(expect.objectContaining({ name: 'InvalidDNSPolicyError' }))
  })

  test('formDNSSearchFitsLimits: a search path of exactly 253 characters (a whole DNS-1123 subdomain) is kept', () => {
    const long = `${'a'.repeat(249)}.com`
    const got = formDNSSearchFitsLimits(['snackbar.svc.cluster.local', long])
    expect(got.value, 'a path is dropped only when longer than 253 characters').toEqual(['snackbar.svc.cluster.local', long])
    expect(got.events, 'no warning when every path fits').toEqual([])
  })

  test('mergeDNSOptions: without pod options the existing ones are kept', () => {
    expect(mergeDNSOptions(['ndots:5', 'edns0']), 'mergeDNSOptions(existing) with the pod options left out').toEqual(['ndots:5', 'edns0'])
  })
})

// Kata 04 — Discovery by environment.
// Vectors: envvars_test.go TestFromServices, expand_test.go (doExpansionTest,
// TestMapReference, TestMappingDual), kubelet_pods_test.go TestMakeEnvironmentVariables.
import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { EnvVar as V1EnvVar, Pod, Service, ServicePort } from 'kubernetes-types/core/v1'
import { fromServices, isServiceIPSet, makeEnvVariableName, makeLinkVariables, type EnvVar } from '@impl/kubelet/envvars.ts'
import { expand, mappingFuncFor } from '@impl/expansion/expand.ts'
import {
  getServiceEnvVarMap,
  getServiceMap,
  Kubelet,
  makeEnvironmentVariables,
  NilEnableServiceLinksError,
  ServicesNotSyncedError,
  startContainer,
} from '@impl/kubelet/kubelet_pods.ts'
import { KUBERNETES_SERVICE } from '../lib/cluster/defaults.ts'
import { bullets, listDiff } from './support/explain.ts'
import { pod, service } from './support/fixtures.ts'
import { cases } from './support/table.ts'
import { kata } from './support/task.ts'

// Core tasks stand alone: the variables through fromServices (with the given
// makeLinkVariables), the Services a pod sees through getServiceMap. The
// container-start task runs both through the given kubelet: the environment is
// computed once, when a container starts.
const { task } = kata('04-env-vars')

// ---------------------------------------------------------------------------
// Builders and messages

/** A Service as the kubelet tests build it: name, namespace, cluster IP, ports. */
function svc(name: string, namespace: string, clusterIP: string, ports: ServicePort[]): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { bar: 'baz' }, clusterIP, ports },
  }
}

/** `buildService(name, ns, ip, "TCP", port)` of kubelet_pods_test.go. */
function tcpSvc(name: string, namespace: string, clusterIP: string, port: number): Service {
  return svc(name, namespace, clusterIP, [{ port, protocol: 'TCP' }])
}

/** The seven variables of a Service with one unnamed TCP port, as `NAME=value` lines. */
function tcpVars(prefix: string, ip: string, port: number): string[] {
  const p = `${prefix}_PORT_${port}_TCP`
  return [
    `${prefix}_SERVICE_HOST=${ip}`,
    `${prefix}_SERVICE_PORT=${port}`,
    `${prefix}_PORT=tcp://${ip}:${port}`,
    `${p}=tcp://${ip}:${port}`,
    `${p}_PROTO=tcp`,
    `${p}_PORT=${port}`,
    `${p}_ADDR=${ip}`,
  ]
}

const lines = (env: readonly EnvVar[]) => env.map((e) => `${e.name}=${e.value}`)
const sortedLines = (env: readonly EnvVar[]) => lines(env).sort()
const mapLines = (m: ReadonlyMap<string, string>) => [...m].map(([k, v]) => `${k}=${v}`).sort()
const sorted = (xs: readonly string[]) => [...xs].sort()
const has = (env: readonly EnvVar[] | undefined, name: string) => (env ?? []).some((e) => e.name === name)
const valueOf = (env: readonly EnvVar[] | undefined, name: string) => (env ?? []).find((e) => e.name === name)?.value

function envMessage(who: string, want: readonly string[], got: readonly string[]): string {
  return `${who}:\n${listDiff(want, got)}`
}

// The API server's own Service on a kubeadm/kind cluster.
const kubernetesSvc = service({
  name: KUBERNETES_SERVICE.name,
  namespace: KUBERNETES_SERVICE.namespace,
  selector: null,
  clusterIP: KUBERNETES_SERVICE.clusterIP,
  ports: [{ ...KUBERNETES_SERVICE.port }],
})
const KUBEADM_KUBERNETES_VARS = [
  'KUBERNETES_SERVICE_HOST=10.96.0.1',
  'KUBERNETES_SERVICE_PORT=443',
  'KUBERNETES_SERVICE_PORT_HTTPS=443',
  'KUBERNETES_PORT=tcp://10.96.0.1:443',
  'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
  'KUBERNETES_PORT_443_TCP_PROTO=tcp',
  'KUBERNETES_PORT_443_TCP_PORT=443',
  'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
]
const ORDER_IP = '10.96.0.231'
const orderSvc = service({ name: 'order', namespace: 'snackbar', clusterIP: ORDER_IP, ports: [{ port: 80 }] })
const ORDER_VARS = tcpVars('ORDER', ORDER_IP, 80)

interface PodSpec {
  name?: string
  namespace?: string
  /** `undefined` leaves `spec.enableServiceLinks` unset (a pod that skipped API defaulting). */
  enableServiceLinks?: boolean | undefined
  env?: V1EnvVar[]
  /** `kubernetes.io/config.source` annotation. */
  source?: string
}

/** A one-container pod (`app`); service links on unless said otherwise. */
function appPod(o: PodSpec = {}): Pod {
  const p = pod({ name: o.name ?? 'web', namespace: o.namespace ?? 'snackbar', labels: { app: o.name ?? 'web' } })
  if (!('enableServiceLinks' in o)) p.spec!.enableServiceLinks = true
  else if (o.enableServiceLinks !== undefined) p.spec!.enableServiceLinks = o.enableServiceLinks
  if (o.env) p.spec!.containers[0]!.env = o.env
  if (o.source !== undefined) p.metadata!.annotations = { 'kubernetes.io/config.source': o.source }
  return p
}

function envOf(p: Pod, services: readonly Service[], opts: Parameters<typeof makeEnvironmentVariables>[3] = {}): EnvVar[] {
  return makeEnvironmentVariables(p, p.spec!.containers[0]!, services, opts)
}

/** Matches an error message exactly, not as a substring. */
const exactly = (message: string) => new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

const ref = (p: Pod) => `${p.metadata!.namespace}/${p.metadata!.name}`

// ---------------------------------------------------------------------------
// §1.5 — the Services of TestMakeEnvironmentVariables.
const SELECTION_SERVICES: Service[] = [
  tcpSvc('kubernetes', 'default', '1.2.3.1', 8081),
  tcpSvc('test', 'test1', '1.2.3.3', 8083),
  tcpSvc('kubernetes', 'test2', '1.2.3.4', 8084),
  tcpSvc('test', 'test2', '1.2.3.5', 8085),
  tcpSvc('test', 'test2', 'None', 8085),
  tcpSvc('test', 'test2', '', 8085),
  tcpSvc('not-special', 'default', '1.2.3.8', 8088),
  tcpSvc('not-special', 'default', 'None', 8088),
  tcpSvc('not-special', 'default', '', 8088),
]
const K_DEFAULT = tcpVars('KUBERNETES', '1.2.3.1', 8081)

interface SelectionRow {
  name: string
  ns: string
  links: boolean
  user: V1EnvVar[]
  /** The Services the pod sees, `name → namespace/name clusterIP`, sorted. */
  sees: string[]
  want: string[]
}
const SELECTION_ROWS: SelectionRow[] = [
  {
    name: 'api server = N; kubelet = Y: a pod in test1 with service links off sees only the kubernetes Service of default',
    ns: 'test1',
    links: false,
    user: [{ name: 'FOO', value: 'BAZ' }],
    sees: ['kubernetes → default/kubernetes 1.2.3.1'],
    want: [...K_DEFAULT],
  },
  {
    name: "api server = N; kubelet = Y; service env vars: a pod in test1 with service links on sees test1's test and default's kubernetes",
    ns: 'test1',
    links: true,
    user: [{ name: 'FOO', value: 'BAZ' }],
    sees: ['kubernetes → default/kubernetes 1.2.3.1', 'test → test1/test 1.2.3.3'],
    want: [...tcpVars('TEST', '1.2.3.3', 8083), ...K_DEFAULT],
  },
  {
    name: 'master service in pod ns: a pod in test2 with service links off gets kubernetes from default, not its own',
    ns: 'test2',
    links: false,
    user: [{ name: 'FOO', value: 'ZAP' }],
    sees: ['kubernetes → default/kubernetes 1.2.3.1'],
    want: [...K_DEFAULT],
  },
  {
    name: "master service in pod ns, service env vars: a pod in test2 with service links on gets its own kubernetes (1.2.3.4:8084), not default's",
    ns: 'test2',
    links: true,
    user: [{ name: 'FOO', value: 'ZAP' }],
    sees: ['kubernetes → test2/kubernetes 1.2.3.4', 'test → test2/test 1.2.3.5'],
    want: [...tcpVars('TEST', '1.2.3.5', 8085), ...tcpVars('KUBERNETES', '1.2.3.4', 8084)],
  },
  {
    name: 'pod in master service ns: a pod in default with service links off sees only kubernetes',
    ns: 'default',
    links: false,
    user: [],
    sees: ['kubernetes → default/kubernetes 1.2.3.1'],
    want: [...K_DEFAULT],
  },
  {
    name: 'pod in master service ns, service env vars: a pod in default with service links on sees not-special and kubernetes',
    ns: 'default',
    links: true,
    user: [],
    sees: ['kubernetes → default/kubernetes 1.2.3.1', 'not-special → default/not-special 1.2.3.8'],
    want: [...tcpVars('NOT_SPECIAL', '1.2.3.8', 8088), ...K_DEFAULT],
  },
]

task('from-services', () => {
  const cases: { name: string; input: string; want: string }[] = [
    { name: 'a one-word Service name is upper-cased: order gives ORDER', input: 'order', want: 'ORDER' },
    { name: 'the dash of foo-bar becomes an underscore: FOO_BAR', input: 'foo-bar', want: 'FOO_BAR' },
    { name: 'digits are kept and every dash replaced: abc-123 gives ABC_123', input: 'abc-123', want: 'ABC_123' },
    { name: 'every one of several dashes is replaced: q-u-u-x gives Q_U_U_X', input: 'q-u-u-x', want: 'Q_U_U_X' },
    { name: 'the API server Service kubernetes gives the KUBERNETES prefix', input: 'kubernetes', want: 'KUBERNETES' },
    { name: 'a port name is converted the same way: u-d-p gives U_D_P', input: 'u-d-p', want: 'U_D_P' },
    { name: 'an all-digit port name stays as it is: 8083 gives 8083', input: '8083', want: '8083' },
    { name: 'a versioned Service name order-api-v2 gives ORDER_API_V2', input: 'order-api-v2', want: 'ORDER_API_V2' },
  ]
  for (const c of cases) {
    test(c.name, () => {
      const got = makeEnvVariableName(c.input)
      expect(got, `Service ${c.input} gives variables named ${got}_SERVICE_HOST…; the kubelet names them ${c.want}_SERVICE_HOST…`).toBe(c.want)
    })
  }

  test('every DNS-1035 Service name gives a prefix a shell accepts, of the same length (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/), (name) => {
        const got = makeEnvVariableName(name)
        expect(got, `Service ${name} gives the prefix ${JSON.stringify(got)}, which a shell cannot use as a variable name`).toMatch(
          /^[A-Z][A-Z0-9_]*$/,
        )
        expect(got.length, `Service ${name}: only "-" is replaced, one character for one`).toBe(name.length)
      }),
      { seed: 404, numRuns: 150 },
    )
  })

  test('TestFromServices: seven Services give exactly these 52 variables, in this order', () => {
    const services: Service[] = [
      svc('foo-bar', '', '1.2.3.4', [{ port: 8080, protocol: 'TCP' }]),
      svc('abc-123', '', '5.6.7.8', [
        { name: 'u-d-p', port: 8081, protocol: 'UDP' },
        { name: 't-c-p', port: 8081, protocol: 'TCP' },
      ]),
      svc('q-u-u-x', '', '9.8.7.6', [
        { port: 8082, protocol: 'TCP' },
        { name: '8083', port: 8083, protocol: 'TCP' },
      ]),
      svc('svrc-clusterip-none', '', 'None', [{ port: 8082, protocol: 'TCP' }]),
      svc('svrc-clusterip-empty', '', '', [{ port: 8082, protocol: 'TCP' }]),
      svc('super-ipv6', '', '2001:DB8::', [
        { name: 'u-d-p', port: 8084, protocol: 'UDP' },
        { name: 't-c-p', port: 8084, protocol: 'TCP' },
      ]),
      svc('sctp-1', '', '1.2.3.4', [{ port: 777, protocol: 'SCTP' }]),
    ]
    const want = [
      'FOO_BAR_SERVICE_HOST=1.2.3.4',
      'FOO_BAR_SERVICE_PORT=8080',
      'FOO_BAR_PORT=tcp://1.2.3.4:8080',
      'FOO_BAR_PORT_8080_TCP=tcp://1.2.3.4:8080',
      'FOO_BAR_PORT_8080_TCP_PROTO=tcp',
      'FOO_BAR_PORT_8080_TCP_PORT=8080',
      'FOO_BAR_PORT_8080_TCP_ADDR=1.2.3.4',
      'ABC_123_SERVICE_HOST=5.6.7.8',
      'ABC_123_SERVICE_PORT=8081',
      'ABC_123_SERVICE_PORT_U_D_P=8081',
      'ABC_123_SERVICE_PORT_T_C_P=8081',
      'ABC_123_PORT=udp://5.6.7.8:8081',
      'ABC_123_PORT_8081_UDP=udp://5.6.7.8:8081',
      'ABC_123_PORT_8081_UDP_PROTO=udp',
      'ABC_123_PORT_8081_UDP_PORT=8081',
      'ABC_123_PORT_8081_UDP_ADDR=5.6.7.8',
      'ABC_123_PORT_8081_TCP=tcp://5.6.7.8:8081',
      'ABC_123_PORT_8081_TCP_PROTO=tcp',
      'ABC_123_PORT_8081_TCP_PORT=8081',
      'ABC_123_PORT_8081_TCP_ADDR=5.6.7.8',
      'Q_U_U_X_SERVICE_HOST=9.8.7.6',
      'Q_U_U_X_SERVICE_PORT=8082',
      'Q_U_U_X_SERVICE_PORT_8083=8083',
      'Q_U_U_X_PORT=tcp://9.8.7.6:8082',
      'Q_U_U_X_PORT_8082_TCP=tcp://9.8.7.6:8082',
      'Q_U_U_X_PORT_8082_TCP_PROTO=tcp',
      'Q_U_U_X_PORT_8082_TCP_PORT=8082',
      'Q_U_U_X_PORT_8082_TCP_ADDR=9.8.7.6',
      'Q_U_U_X_PORT_8083_TCP=tcp://9.8.7.6:8083',
      'Q_U_U_X_PORT_8083_TCP_PROTO=tcp',
      'Q_U_U_X_PORT_8083_TCP_PORT=8083',
      'Q_U_U_X_PORT_8083_TCP_ADDR=9.8.7.6',
      'SUPER_IPV6_SERVICE_HOST=2001:DB8::',
      'SUPER_IPV6_SERVICE_PORT=8084',
      'SUPER_IPV6_SERVICE_PORT_U_D_P=8084',
      'SUPER_IPV6_SERVICE_PORT_T_C_P=8084',
      'SUPER_IPV6_PORT=udp://[2001:DB8::]:8084',
      'SUPER_IPV6_PORT_8084_UDP=udp://[2001:DB8::]:8084',
      'SUPER_IPV6_PORT_8084_UDP_PROTO=udp',
      'SUPER_IPV6_PORT_8084_UDP_PORT=8084',
      'SUPER_IPV6_PORT_8084_UDP_ADDR=2001:DB8::',
      'SUPER_IPV6_PORT_8084_TCP=tcp://[2001:DB8::]:8084',
      'SUPER_IPV6_PORT_8084_TCP_PROTO=tcp',
      'SUPER_IPV6_PORT_8084_TCP_PORT=8084',
      'SUPER_IPV6_PORT_8084_TCP_ADDR=2001:DB8::',
      'SCTP_1_SERVICE_HOST=1.2.3.4',
      'SCTP_1_SERVICE_PORT=777',
      'SCTP_1_PORT=sctp://1.2.3.4:777',
      'SCTP_1_PORT_777_SCTP=sctp://1.2.3.4:777',
      'SCTP_1_PORT_777_SCTP_PROTO=sctp',
      'SCTP_1_PORT_777_SCTP_PORT=777',
      'SCTP_1_PORT_777_SCTP_ADDR=1.2.3.4',
    ]
    const got = lines(fromServices(services))
    expect(got, envMessage('FromServices over foo-bar, abc-123, q-u-u-x, two Services without IP, super-ipv6, sctp-1 (order is part of the contract)', want, got)).toEqual(want)
  })

  test('the kubeadm kubernetes Service (10.96.0.1, port https 443→6443) gives the eight KUBERNETES_ variables every pod sees', () => {
    const got = lines(fromServices([kubernetesSvc]))
    expect(got, envMessage('Service default/kubernetes on a kind cluster', KUBEADM_KUBERNETES_VARS, got)).toEqual(KUBEADM_KUBERNETES_VARS)
  })

  test('the snackbar order Service (one unnamed port 80) gives ORDER_SERVICE_HOST, ORDER_SERVICE_PORT=80 and the tcp link variables', () => {
    const got = lines(fromServices([orderSvc]))
    expect(got, envMessage('Service snackbar/order', ORDER_VARS, got)).toEqual(ORDER_VARS)
  })

  const noIP: { name: string; service: Service }[] = [
    { name: 'a headless Service (clusterIP None) gives no variables: there is no IP to point at', service: service({ name: 'order-pods', clusterIP: 'None' }) },
    { name: 'a Service whose clusterIP is still empty gives no variables', service: svc('pending', 'snackbar', '', [{ port: 80, protocol: 'TCP' }]) },
    {
      name: 'an ExternalName Service gives no variables: it has a DNS name, not a cluster IP',
      service: service({ name: 'payments', type: 'ExternalName', externalName: 'pay.example.com', selector: null }),
    },
  ]
  for (const c of noIP) {
    test(c.name, () => {
      const got = lines(fromServices([c.service, orderSvc]))
      expect(got, envMessage(`Services ${c.service.metadata!.name} (clusterIP ${JSON.stringify(c.service.spec!.clusterIP ?? '')}) and order`, ORDER_VARS, got)).toEqual(ORDER_VARS)
    })
  }

  test('an IPv6 cluster IP is bracketed inside the tcp:// URLs only, and raw in _SERVICE_HOST and _ADDR', () => {
    const s = svc('order', 'snackbar', 'fd00:10:96::e7', [{ port: 80, protocol: 'TCP' }])
    const got = lines(fromServices([s]))
    const want = [
      'ORDER_SERVICE_HOST=fd00:10:96::e7',
      'ORDER_SERVICE_PORT=80',
      'ORDER_PORT=tcp://[fd00:10:96::e7]:80',
      'ORDER_PORT_80_TCP=tcp://[fd00:10:96::e7]:80',
      'ORDER_PORT_80_TCP_PROTO=tcp',
      'ORDER_PORT_80_TCP_PORT=80',
      'ORDER_PORT_80_TCP_ADDR=fd00:10:96::e7',
    ]
    expect(got, envMessage('IPv6 Service order (net.JoinHostPort brackets only host:port)', want, got)).toEqual(want)
  })

  test('UDP and SCTP ports are lower-case in values (udp://, _PROTO=sctp) and upper-case in names (_53_UDP)', () => {
    const s = svc('dns', 'snackbar', '10.96.0.53', [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'sig', port: 3868, protocol: 'SCTP' },
    ])
    const want = [
      'DNS_SERVICE_HOST=10.96.0.53',
      'DNS_SERVICE_PORT=53',
      'DNS_SERVICE_PORT_DNS=53',
      'DNS_SERVICE_PORT_SIG=3868',
      'DNS_PORT=udp://10.96.0.53:53',
      'DNS_PORT_53_UDP=udp://10.96.0.53:53',
      'DNS_PORT_53_UDP_PROTO=udp',
      'DNS_PORT_53_UDP_PORT=53',
      'DNS_PORT_53_UDP_ADDR=10.96.0.53',
      'DNS_PORT_3868_SCTP=sctp://10.96.0.53:3868',
      'DNS_PORT_3868_SCTP_PROTO=sctp',
      'DNS_PORT_3868_SCTP_PORT=3868',
      'DNS_PORT_3868_SCTP_ADDR=10.96.0.53',
    ]
    const got = lines(fromServices([s]))
    expect(got, envMessage('Service dns with a UDP and an SCTP port', want, got)).toEqual(want)
  })

  test('a port without a protocol is taken as TCP', () => {
    const s = svc('order', 'snackbar', ORDER_IP, [{ port: 80 }])
    const got = lines(fromServices([s]))
    expect(got, envMessage('Service order whose port has no protocol', ORDER_VARS, got)).toEqual(ORDER_VARS)
  })

  test("NAME_SERVICE_PORT is the first port's number, and only the first port gets the bare NAME_PORT", () => {
    const s = svc('order', 'snackbar', ORDER_IP, [
      { name: 'http', port: 80, protocol: 'TCP' },
      { name: 'metrics', port: 9090, protocol: 'TCP' },
    ])
    const env = fromServices([s])
    expect(valueOf(env, 'ORDER_SERVICE_PORT'), 'ORDER_SERVICE_PORT is the first port').toBe('80')
    expect(valueOf(env, 'ORDER_SERVICE_PORT_HTTP')).toBe('80')
    expect(valueOf(env, 'ORDER_SERVICE_PORT_METRICS')).toBe('9090')
    expect(valueOf(env, 'ORDER_PORT'), 'ORDER_PORT (Docker link) is the first port').toBe(`tcp://${ORDER_IP}:80`)
    const bare = env.filter((e) => e.name === 'ORDER_PORT')
    expect(bare.length, `ORDER_PORT appears ${bare.length} times; Docker special-cases only the first port`).toBe(1)
    expect(valueOf(env, 'ORDER_PORT_9090_TCP')).toBe(`tcp://${ORDER_IP}:9090`)
  })

  test('a dual-stack Service gives variables for its primary spec.clusterIP only, never clusterIPs[1]', () => {
    const s = svc('order', 'snackbar', ORDER_IP, [{ port: 80, protocol: 'TCP' }])
    s.spec!.clusterIPs = [ORDER_IP, 'fd00:10:96::e7']
    s.spec!.ipFamilies = ['IPv4', 'IPv6']
    s.spec!.ipFamilyPolicy = 'PreferDualStack'
    const got = lines(fromServices([s]))
    expect(got, envMessage('dual-stack Service order', ORDER_VARS, got)).toEqual(ORDER_VARS)
  })

  test('for any valid Service, every variable name is a valid shell name and no value holds a newline (property)', () => {
    const portName = fc
      .stringMatching(/^[a-z0-9]{1,4}(-[a-z0-9]{1,4}){0,2}$/)
      .filter((n) => n.length <= 15 && /[a-z]/.test(n))
    const port = fc.record({
      name: portName,
      port: fc.integer({ min: 1, max: 65535 }),
      protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', undefined),
    })
    const arbService = fc.record({
      name: fc.stringMatching(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/),
      ip: fc.oneof(fc.ipV4(), fc.ipV6()),
      ports: fc.uniqueArray(port, { minLength: 1, maxLength: 4, selector: (p) => p.name }),
    })
    fc.assert(
      fc.property(arbService, ({ name, ip, ports }) => {
        const s = svc(
          name,
          'snackbar',
          ip,
          ports.map((p) => (p.protocol ? p : { name: p.name, port: p.port })),
        )
        for (const e of fromServices([s])) {
          expect(e.name, `Service ${name} gives ${JSON.stringify(e.name)}, not a name a shell (or envFrom validation) accepts`).toMatch(/^[A-Z_][A-Z0-9_]*$/)
          expect(e.value.includes('\n'), `${e.name}=${JSON.stringify(e.value)} holds a newline`).toBe(false)
        }
      }),
      { seed: 4, numRuns: 120 },
    )
  })
})

// ---------------------------------------------------------------------------
task('which-services', () => {
  /** A Service map as `name → namespace/name clusterIP` lines, sorted. */
  const seen = (m: ReadonlyMap<string, Service>) =>
    [...m].map(([name, s]) => `${name} → ${s.metadata?.namespace}/${s.metadata?.name} ${s.spec?.clusterIP}`).sort()

  for (const row of SELECTION_ROWS) {
    test(`getServiceMap: ${row.name}`, () => {
      const got = seen(getServiceMap(SELECTION_SERVICES, row.ns, row.links))
      expect(got, envMessage(`Services a pod in ${row.ns} sees (enableServiceLinks: ${row.links})`, row.sees, got)).toEqual(row.sees)
    })
  }

  test("getServiceMap: the pod's own kubernetes Service wins whatever order the informer lists the Services in", () => {
    const want = ['kubernetes → test2/kubernetes 1.2.3.4', 'test → test2/test 1.2.3.5']
    for (const [order, services] of [
      ['as listed', SELECTION_SERVICES],
      ['reversed', [...SELECTION_SERVICES].reverse()],
    ] as const) {
      const got = seen(getServiceMap(services, 'test2', true))
      expect(got, envMessage(`pod in test2, service links on, Services ${order}: the master kubernetes is added only if the name is still free, the pod's own replaces it`, want, got)).toEqual(want)
    }
  })

  const cases: { name: string; services: Service[]; ns: string; links: boolean; master?: string; want: string[] }[] = [
    {
      name: 'Services of other namespaces are never seen, not even with service links on',
      services: [
        kubernetesSvc,
        orderSvc,
        service({ name: 'payment', namespace: 'billing', clusterIP: '10.96.0.77', ports: [{ port: 8080 }] }),
        service({ name: 'order', namespace: 'billing', clusterIP: '10.96.0.78', ports: [{ port: 80 }] }),
      ],
      ns: 'snackbar',
      links: true,
      want: ['kubernetes → default/kubernetes 10.96.0.1', `order → snackbar/order ${ORDER_IP}`],
    },
    {
      name: "headless and ExternalName Services of the pod's namespace are not seen: they have no cluster IP",
      services: [
        kubernetesSvc,
        service({ name: 'order-pods', clusterIP: 'None' }),
        service({ name: 'payments', type: 'ExternalName', externalName: 'pay.example.com', selector: null }),
        orderSvc,
      ],
      ns: 'snackbar',
      links: true,
      want: ['kubernetes → default/kubernetes 10.96.0.1', `order → snackbar/order ${ORDER_IP}`],
    },
    {
      name: 'with service links off a pod still sees the kubernetes Service, even in a namespace without any Service',
      services: [kubernetesSvc, orderSvc],
      ns: 'empty',
      links: false,
      want: ['kubernetes → default/kubernetes 10.96.0.1'],
    },
    {
      name: 'with service links off a pod does not see the Services of its own namespace',
      services: [kubernetesSvc, orderSvc],
      ns: 'snackbar',
      links: false,
      want: ['kubernetes → default/kubernetes 10.96.0.1'],
    },
    {
      name: 'a kubelet started with --master-service-namespace=test2 gives every pod the kubernetes Service of test2',
      services: SELECTION_SERVICES,
      ns: 'test1',
      links: false,
      master: 'test2',
      want: ['kubernetes → test2/kubernetes 1.2.3.4'],
    },
    {
      name: 'a Service named kubernetes in another namespace is not the master Service: listed first, it still loses to default/kubernetes',
      services: [tcpSvc('kubernetes', 'test2', '1.2.3.4', 8084), tcpSvc('kubernetes', 'default', '1.2.3.1', 8081)],
      ns: 'test1',
      links: false,
      want: ['kubernetes → default/kubernetes 1.2.3.1'],
    },
    {
      name: 'a cluster whose only kubernetes Service is in another namespace gives a pod with service links off no KUBERNETES_ variables',
      services: [tcpSvc('kubernetes', 'test2', '1.2.3.4', 8084), orderSvc],
      ns: 'snackbar',
      links: false,
      want: [],
    },
    {
      name: 'only the name kubernetes is special: not-special of the master namespace needs service links and a pod of that namespace',
      services: SELECTION_SERVICES,
      ns: 'test1',
      links: true,
      want: ['kubernetes → default/kubernetes 1.2.3.1', 'test → test1/test 1.2.3.3'],
    },
  ]
  for (const c of cases) {
    test(`getServiceMap: ${c.name}`, () => {
      const got = seen(c.master ? getServiceMap(c.services, c.ns, c.links, c.master) : getServiceMap(c.services, c.ns, c.links))
      const who = `Services a pod in ${c.ns} sees (enableServiceLinks: ${c.links}${c.master ? `, --master-service-namespace=${c.master}` : ''})`
      expect(got, envMessage(who, c.want, got)).toEqual(c.want)
    })
  }
})

// ---------------------------------------------------------------------------
task('container-start', () => {
  for (const row of SELECTION_ROWS) {
    test(row.name, () => {
      const got = mapLines(getServiceEnvVarMap(SELECTION_SERVICES, row.ns, row.links))
      const want = sorted(row.want)
      expect(got, envMessage(`service variables of a pod in ${row.ns} (enableServiceLinks: ${row.links})`, want, got)).toEqual(want)
    })
  }

  test("the pod's own kubernetes Service wins whatever order the informer lists the Services in", () => {
    const want = sorted([...tcpVars('TEST', '1.2.3.5', 8085), ...tcpVars('KUBERNETES', '1.2.3.4', 8084)])
    for (const [order, services] of [
      ['as listed', SELECTION_SERVICES],
      ['reversed', [...SELECTION_SERVICES].reverse()],
    ] as const) {
      const got = mapLines(getServiceEnvVarMap(services, 'test2', true))
      expect(got, envMessage(`pod in test2, service links on, Services ${order}: the master kubernetes is added only if the name is still free`, want, got)).toEqual(want)
    }
  })

  test('Services of other namespaces never reach a pod, not even with service links on', () => {
    const payment = service({ name: 'payment', namespace: 'billing', clusterIP: '10.96.0.77', ports: [{ port: 8080 }] })
    const orderInBilling = service({ name: 'order', namespace: 'billing', clusterIP: '10.96.0.78', ports: [{ port: 80 }] })
    const got = mapLines(getServiceEnvVarMap([kubernetesSvc, orderSvc, payment, orderInBilling], 'snackbar', true))
    const want = sorted([...KUBEADM_KUBERNETES_VARS, ...ORDER_VARS])
    expect(got, envMessage('pod in snackbar: billing/payment and billing/order are in another namespace', want, got)).toEqual(want)
  })

  test("headless and ExternalName Services of the pod's namespace add nothing, even with service links on", () => {
    const headless = service({ name: 'order-pods', clusterIP: 'None' })
    const external = service({ name: 'payments', type: 'ExternalName', externalName: 'pay.example.com', selector: null })
    const got = mapLines(getServiceEnvVarMap([kubernetesSvc, headless, external, orderSvc], 'snackbar', true))
    const want = sorted([...KUBEADM_KUBERNETES_VARS, ...ORDER_VARS])
    expect(got, envMessage('pod in snackbar with a headless and an ExternalName Service', want, got)).toEqual(want)
  })

  test('a kubelet started with --master-service-namespace=test2 injects the kubernetes Service of test2 into every pod', () => {
    const got = mapLines(getServiceEnvVarMap(SELECTION_SERVICES, 'test1', false, 'test2'))
    const want = sorted(tcpVars('KUBERNETES', '1.2.3.4', 8084))
    expect(got, envMessage('pod in test1, service links off, master service namespace test2', want, got)).toEqual(want)
  })

  test('with service links off a pod still sees the KUBERNETES_ variables, even in a namespace without any Service', () => {
    const got = mapLines(getServiceEnvVarMap([kubernetesSvc, orderSvc], 'empty', false))
    const want = sorted(KUBEADM_KUBERNETES_VARS)
    expect(got, envMessage('pod in namespace empty, enableServiceLinks: false (client-go in-cluster config needs KUBERNETES_SERVICE_HOST)', want, got)).toEqual(want)
  })

  for (const row of SELECTION_ROWS) {
    test(`the container of ${row.name.split(':')[0]} gets its own env plus exactly those service variables`, () => {
      const p = appPod({ name: 'test-pod', namespace: row.ns, enableServiceLinks: row.links, env: row.user })
      const got = sortedLines(envOf(p, SELECTION_SERVICES))
      const want = sorted([...row.user.map((e) => `${e.name}=${e.value}`), ...row.want])
      expect(got, envMessage(`environment of pod ${ref(p)} (enableServiceLinks: ${row.links}), compared as a set`, want, got)).toEqual(want)
    })
  }

  test('ORDER_URL=http://$(ORDER_SERVICE_HOST):$(ORDER_SERVICE_PORT)/ expands to the order Service as the container starts', () => {
    const p = appPod({ env: [{ name: 'ORDER_URL', value: 'http://$(ORDER_SERVICE_HOST):$(ORDER_SERVICE_PORT)/' }] })
    const env = envOf(p, [kubernetesSvc, orderSvc])
    expect(valueOf(env, 'ORDER_URL'), `pod ${ref(p)}: service variables are in the expansion mapping`).toBe(`http://${ORDER_IP}:80/`)
  })

  test('with enableServiceLinks false, $(KUBERNETES_SERVICE_HOST) still expands but $(ORDER_SERVICE_HOST) stays literal', () => {
    const p = appPod({
      enableServiceLinks: false,
      env: [
        { name: 'API', value: 'https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)' },
        { name: 'ORDER', value: '$(ORDER_SERVICE_HOST)' },
      ],
    })
    const env = envOf(p, [kubernetesSvc, orderSvc])
    expect(valueOf(env, 'API')).toBe('https://10.96.0.1:443')
    expect(valueOf(env, 'ORDER'), `pod ${ref(p)} has enableServiceLinks: false, so Service order is not in its environment`).toBe('$(ORDER_SERVICE_HOST)')
    const leaked = lines(env).filter((l) => l.startsWith('ORDER_'))
    expect(leaked, `pod ${ref(p)} (enableServiceLinks: false) sees order's variables:\n${bullets(leaked)}`).toEqual([])
  })

  test('the creation-order trap: a container started before Service order has no ORDER_SERVICE_HOST, even after order is created', () => {
    const kubelet = new Kubelet()
    kubelet.updateServices([kubernetesSvc])
    const web = appPod({ name: 'web' })
    kubelet.startContainer(web, 'app')
    kubelet.updateServices([kubernetesSvc, orderSvc]) // kubectl apply -f order-service.yaml
    const now = kubelet.container('snackbar', 'web', 'app')
    expect(now?.state, 'container app of pod snackbar/web').toBe('Running')
    expect(valueOf(now?.env, 'KUBERNETES_SERVICE_HOST'), 'pod snackbar/web sees the kubernetes Service that existed at start').toBe('10.96.0.1')
    expect(
      has(now?.env, 'ORDER_SERVICE_HOST'),
      `pod snackbar/web sees ORDER_SERVICE_HOST=${valueOf(now?.env, 'ORDER_SERVICE_HOST')}, but its container started before Service order existed — env vars are computed at container start and never updated`,
    ).toBe(false)
  })

  test('restarting the container recomputes its environment: it now sees ORDER_SERVICE_HOST, with restartCount 1', () => {
    const kubelet = new Kubelet()
    kubelet.updateServices([kubernetesSvc])
    const web = appPod({ name: 'web' })
    kubelet.startContainer(web, 'app')
    kubelet.updateServices([kubernetesSvc, orderSvc])
    const restarted = kubelet.startContainer(web, 'app') // the process exited; the kubelet starts it again
    expect(
      valueOf(restarted.env, 'ORDER_SERVICE_HOST'),
      'pod snackbar/web sees no ORDER_SERVICE_HOST after its container restarted: a restart computes the env again from the Services that exist now',
    ).toBe(ORDER_IP)
    expect(restarted.restartCount, 'RESTARTS in kubectl get pods').toBe(1)
    expect(kubelet.container('snackbar', 'web', 'app'), 'kubelet.container() returns the restarted container').toEqual(restarted)
  })

  test('a pod whose container starts after Service order exists sees ORDER_SERVICE_HOST from its first start', () => {
    const kubelet = new Kubelet()
    kubelet.updateServices([kubernetesSvc, orderSvc])
    const rec = kubelet.startContainer(appPod({ name: 'web' }), 'app')
    const got = sorted(lines(rec.env).filter((l) => l.startsWith('ORDER_')))
    expect(got, envMessage('pod snackbar/web started after Service order', sorted(ORDER_VARS), got)).toEqual(sorted(ORDER_VARS))
    expect(rec.restartCount).toBe(0)
  })

  test('deleting a Service does not remove its variables from a running container; the next restart does', () => {
    const kubelet = new Kubelet()
    kubelet.updateServices([kubernetesSvc, orderSvc])
    const web = appPod({ name: 'web' })
    kubelet.startContainer(web, 'app')
    kubelet.updateServices([kubernetesSvc]) // kubectl delete svc order
    expect(
      valueOf(kubelet.container('snackbar', 'web', 'app')?.env, 'ORDER_SERVICE_HOST'),
      'pod snackbar/web lost ORDER_SERVICE_HOST while running: a process environment cannot change; only a restart recomputes it',
    ).toBe(ORDER_IP)
    const restarted = kubelet.startContainer(web, 'app')
    expect(has(restarted.env, 'ORDER_SERVICE_HOST'), 'after the restart Service order is gone, and so is ORDER_SERVICE_HOST').toBe(false)
  })

  test('a Service recreated with a new cluster IP leaves a running container pointing at the old IP until it restarts', () => {
    const kubelet = new Kubelet()
    kubelet.updateServices([kubernetesSvc, orderSvc])
    const web = appPod({ name: 'web' })
    kubelet.startContainer(web, 'app')
    const recreated = service({ name: 'order', namespace: 'snackbar', clusterIP: '10.96.0.232', ports: [{ port: 80 }] })
    kubelet.updateServices([kubernetesSvc, recreated])
    expect(
      valueOf(kubelet.container('snackbar', 'web', 'app')?.env, 'ORDER_SERVICE_HOST'),
      'pod snackbar/web: the stale ORDER_SERVICE_HOST stays until the container restarts (DNS has no such problem)',
    ).toBe(ORDER_IP)
    expect(valueOf(kubelet.startContainer(web, 'app').env, 'ORDER_SERVICE_HOST')).toBe('10.96.0.232')
  })

  test('a kubelet whose informer has not listed Services leaves an API pod Waiting, and starts it once Services are listed', () => {
    const kubelet = new Kubelet()
    const web = appPod({ name: 'web' })
    const first = kubelet.startContainer(web, 'app')
    expect([first.state, first.reason, first.message], 'pod snackbar/web before the informer synced').toEqual([
      'Waiting',
      'CreateContainerConfigError',
      'services have not yet been read at least once, cannot construct envvars',
    ])
    kubelet.updateServices([kubernetesSvc, orderSvc])
    const second = kubelet.startContainer(web, 'app')
    expect(second.state).toBe('Running')
    expect(valueOf(second.env, 'KUBERNETES_SERVICE_HOST'), 'the retry sees KUBERNETES_SERVICE_HOST, which is why the kubelet waits').toBe('10.96.0.1')
    expect(second.restartCount, 'a container that never ran has not restarted').toBe(0)
  })

  test('a static pod starts before the kubelet has listed any Service, with only its own variables', () => {
    const kubelet = new Kubelet()
    const etcd = appPod({ name: 'etcd-kind-control-plane', namespace: 'kube-system', source: 'file', env: [{ name: 'ETCDCTL_API', value: '3' }] })
    const rec = kubelet.startContainer(etcd, 'app')
    expect([rec.state, lines(rec.env)], 'static pod kube-system/etcd-kind-control-plane').toEqual(['Running', ['ETCDCTL_API=3']])
  })

  test('enableServiceLinks: false keeps ORDER_ out even after a restart, while KUBERNETES_ is always there', () => {
    const kubelet = new Kubelet()
    kubelet.updateServices([kubernetesSvc, orderSvc])
    const web = appPod({ name: 'web', enableServiceLinks: false })
    kubelet.startContainer(web, 'app')
    const rec = kubelet.startContainer(web, 'app')
    const got = sortedLines(rec.env)
    expect(got, envMessage('pod snackbar/web with enableServiceLinks: false, after a restart', sorted(KUBEADM_KUBERNETES_VARS), got)).toEqual(sorted(KUBEADM_KUBERNETES_VARS))
  })
})

// ---------------------------------------------------------------------------
task('link-variables', () => {
  const ipSet: { ip: string | undefined; want: boolean }[] = [
    { ip: '10.96.0.231', want: true },
    { ip: 'fd00:10:96::1', want: true },
    { ip: 'None', want: false },
    { ip: '', want: false },
    { ip: undefined, want: false },
  ]
  test('isServiceIPSet is true for any cluster IP and false for None, empty and missing', () => {
    for (const c of ipSet) {
      const s = svc('order', 'snackbar', c.ip ?? '', [{ port: 80 }])
      if (c.ip === undefined) delete s.spec!.clusterIP
      expect(isServiceIPSet(s), `clusterIP ${JSON.stringify(c.ip)}`).toBe(c.want)
    }
  })

  test('makeLinkVariables gives the Docker-link variables of every port, in spec order, and none of the _SERVICE_ ones', () => {
    const s = svc('abc-123', '', '5.6.7.8', [
      { name: 'u-d-p', port: 8081, protocol: 'UDP' },
      { name: 't-c-p', port: 8081, protocol: 'TCP' },
    ])
    const want = [
      'ABC_123_PORT=udp://5.6.7.8:8081',
      'ABC_123_PORT_8081_UDP=udp://5.6.7.8:8081',
      'ABC_123_PORT_8081_UDP_PROTO=udp',
      'ABC_123_PORT_8081_UDP_PORT=8081',
      'ABC_123_PORT_8081_UDP_ADDR=5.6.7.8',
      'ABC_123_PORT_8081_TCP=tcp://5.6.7.8:8081',
      'ABC_123_PORT_8081_TCP_PROTO=tcp',
      'ABC_123_PORT_8081_TCP_PORT=8081',
      'ABC_123_PORT_8081_TCP_ADDR=5.6.7.8',
    ]
    const got = lines(makeLinkVariables(s))
    expect(got, envMessage('makeLinkVariables(abc-123)', want, got)).toEqual(want)
  })

})

// ---------------------------------------------------------------------------
task('expansion', () => {
  // expand_test.go doExpansionTest, in its order.
  const vectors: { name: string; input: string; want: string }[] = [
    { name: 'whole string', input: '$(VAR_A)', want: 'A' },
    { name: 'repeat', input: '$(VAR_A)-$(VAR_A)', want: 'A-A' },
    { name: 'beginning', input: '$(VAR_A)-1', want: 'A-1' },
    { name: 'middle', input: '___$(VAR_B)___', want: '___B___' },
    { name: 'end', input: '___$(VAR_C)', want: '___C' },
    { name: 'compound', input: '$(VAR_A)_$(VAR_B)_$(VAR_C)', want: 'A_B_C' },
    { name: 'escape & expand', input: '$$(VAR_B)_$(VAR_A)', want: '$(VAR_B)_A' },
    { name: 'compound escape', input: '$$(VAR_A)_$$(VAR_B)', want: '$(VAR_A)_$(VAR_B)' },
    { name: 'mixed in escapes', input: 'f000-$$VAR_A', want: 'f000-$VAR_A' },
    { name: 'backslash escape ignored', input: 'foo\\$(VAR_C)bar', want: 'foo\\Cbar' },
    { name: 'double backslash escape ignored', input: 'foo\\\\$(VAR_C)bar', want: 'foo\\\\Cbar' },
    { name: 'lots of backslashes', input: 'foo\\\\\\\\$(VAR_A)bar', want: 'foo\\\\\\\\Abar' },
    { name: 'nested var references', input: '$(VAR_A$(VAR_B))', want: '$(VAR_A$(VAR_B))' },
    { name: 'nested var references second type', input: '$(VAR_A$(VAR_B)', want: '$(VAR_A$(VAR_B)' },
    { name: 'value is a reference', input: '$(VAR_REF)', want: '$(VAR_A)' },
    { name: 'value is a reference x 2', input: '%%$(VAR_REF)--$(VAR_REF)%%', want: '%%$(VAR_A)--$(VAR_A)%%' },
    { name: 'empty var', input: 'foo$(VAR_EMPTY)bar', want: 'foobar' },
    { name: 'unterminated expression', input: 'foo$(VAR_Awhoops!', want: 'foo$(VAR_Awhoops!' },
    { name: 'expression without operator', input: 'f00__(VAR_A)__', want: 'f00__(VAR_A)__' },
    { name: 'shell special vars pass through', input: '$?_boo_$!', want: '$?_boo_$!' },
    { name: 'bare operators are ignored', input: '$VAR_A', want: '$VAR_A' },
    { name: 'undefined vars are passed through', input: '$(VAR_DNE)', want: '$(VAR_DNE)' },
    { name: 'multiple (even) operators, var undefined', input: '$$$$$$(BIG_MONEY)', want: '$$$(BIG_MONEY)' },
    { name: 'multiple (even) operators, var defined', input: '$$$$$$(VAR_A)', want: '$$$(VAR_A)' },
    { name: 'multiple (odd) operators, var undefined', input: '$$$$$$$(GOOD_ODDS)', want: '$$$$(GOOD_ODDS)' },
    { name: 'multiple (odd) operators, var defined', input: '$$$$$$$(VAR_A)', want: '$$$A' },
    { name: 'missing open expression', input: '$VAR_A)', want: '$VAR_A)' },
    { name: 'shell syntax ignored', input: '${VAR_A}', want: '${VAR_A}' },
    { name: 'trailing incomplete expression not consumed', input: '$(VAR_B)_______$(A', want: 'B_______$(A' },
    { name: 'trailing incomplete expression, no content, is not consumed', input: '$(VAR_C)_______$(', want: 'C_______$(' },
    { name: 'operator at end of input string is preserved', input: '$(VAR_A)foobarzab$', want: 'Afoobarzab$' },
    { name: 'shell escaped incomplete expr', input: 'foo-\\$(VAR_A', want: 'foo-\\$(VAR_A' },
    { name: 'lots of $( in middle', input: '--$($($($($--', want: '--$($($($($--' },
    { name: 'lots of $( in beginning', input: '$($($($($--foo$(', want: '$($($($($--foo$(' },
    { name: 'lots of $( at end', input: 'foo0--$($($($(', want: 'foo0--$($($($(' },
    { name: 'escaped operators in variable names are not escaped', input: '$(foo$$var)', want: '$(foo$$var)' },
    { name: 'newline not expanded', input: '\n', want: '\n' },
  ]
  const context = { VAR_A: 'A', VAR_B: 'B', VAR_C: 'C', VAR_REF: '$(VAR_A)', VAR_EMPTY: '' }
  for (const v of vectors) {
    test(`expansion vector "${v.name}": ${JSON.stringify(v.input)} expands to ${JSON.stringify(v.want)}`, () => {
      const got = expand(v.input, mappingFuncFor(context))
      expect(got, `env value ${JSON.stringify(v.input)} with VAR_A=A VAR_B=B VAR_C=C VAR_REF=$(VAR_A) VAR_EMPTY="" became ${JSON.stringify(got)}; the kubelet gives ${JSON.stringify(v.want)}`).toBe(v.want)
    })
  }

  test('TestMappingDual: every vector expands the same when the variables are split over two contexts', () => {
    const mapping = mappingFuncFor({ VAR_A: 'A', VAR_EMPTY: '' }, new Map([['VAR_B', 'B'], ['VAR_C', 'C'], ['VAR_REF', '$(VAR_A)']]))
    const wrong = vectors
      .map((v) => ({ v, got: expand(v.input, mapping) }))
      .filter(({ v, got }) => got !== v.want)
      .map(({ v, got }) => `${v.name}: ${JSON.stringify(v.input)} gave ${JSON.stringify(got)}, want ${JSON.stringify(v.want)}`)
    expect(wrong, `with VAR_A, VAR_EMPTY in the first context and VAR_B, VAR_C, VAR_REF in the second:\n${bullets(wrong)}`).toEqual([])
  })

  test('TestMapReference: FOO=bar, ZOO=$(FOO)-1, BLU=$(ZOO)-2 become bar, bar-1, bar-1-2 when expanded in declaration order', () => {
    const declared = new Map<string, string>([
      ['FOO', 'bar'],
      ['ZOO', '$(FOO)-1'],
      ['BLU', '$(ZOO)-2'],
    ])
    const mapping = mappingFuncFor(declared, new Map())
    for (const [name, value] of [
      ['FOO', 'bar'],
      ['ZOO', '$(FOO)-1'],
      ['BLU', '$(ZOO)-2'],
    ] as const) {
      declared.set(name, expand(value, mapping))
    }
    const got = [...declared].map(([k, v]) => `${k}=${v}`)
    const want = ['FOO=bar', 'ZOO=bar-1', 'BLU=bar-1-2']
    expect(got, envMessage('each value expanded against the variables as they stand (a Map read at lookup time)', want, got)).toEqual(want)
  })

  test('mappingFuncFor: the first context that defines a name wins, even with an empty value', () => {
    const mapping = mappingFuncFor({ ORDER_SERVICE_HOST: '' }, { ORDER_SERVICE_HOST: ORDER_IP, ORDER_SERVICE_PORT: '80' })
    expect(mapping('ORDER_SERVICE_HOST'), 'the container declared ORDER_SERVICE_HOST="" first; it wins over the service variable').toBe('')
    expect(mapping('ORDER_SERVICE_PORT'), 'not in the first context: found in the second').toBe('80')
  })

  test('mappingFuncFor: a name no context defines comes back as $(NAME), and a value found is never expanded again', () => {
    const mapping = mappingFuncFor({ REF: '$(ORDER_SERVICE_HOST)' }, { ORDER_SERVICE_HOST: ORDER_IP })
    expect(mapping('PAYMENT_SERVICE_HOST'), 'an undefined reference stays verbatim').toBe('$(PAYMENT_SERVICE_HOST)')
    expect(mapping('REF'), 'a value is returned as is').toBe('$(ORDER_SERVICE_HOST)')
  })

  test('names that only exist on Object.prototype (constructor, toString, __proto__) are undefined references', () => {
    const mapping = mappingFuncFor({ VAR_A: 'A' }, new Map([['VAR_B', 'B']]))
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const got = expand(`$(${name})`, mapping)
      expect(got, `$(${name}) is not a variable of the container; it must stay verbatim, got ${JSON.stringify(got)}`).toBe(`$(${name})`)
    }
  })

  test('a value without any $ comes back unchanged (property)', () => {
    const mapping = mappingFuncFor({ VAR_A: 'A' })
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).filter((s) => !s.includes('$')),
        (s) => {
          expect(expand(s, mapping), `expand(${JSON.stringify(s)})`).toBe(s)
        },
      ),
      { seed: 44, numRuns: 150 },
    )
  })

  test('doubling every $ of any text escapes it completely: it expands back to the text (property)', () => {
    const mapping = mappingFuncFor({ VAR_A: 'A', VAR_B: 'B' })
    const text = fc.array(fc.constantFrom('$', '(', ')', 'VAR_A', 'VAR_B', '{', '}', '-', 'x', '\\'), { maxLength: 16 }).map((xs) => xs.join(''))
    fc.assert(
      fc.property(text, (s) => {
        const escaped = s.split('$').join('$$')
        expect(expand(escaped, mapping), `expand(${JSON.stringify(escaped)}): "$$" is one literal "$"`).toBe(s)
      }),
      { seed: 444, numRuns: 150 },
    )
  })
})

// ---------------------------------------------------------------------------
task('environment', () => {
  test('api server = Y, kubelet = Y: variables the container declares itself are kept once, and KUBERNETES_ is added', () => {
    const user = [{ name: 'FOO', value: 'BAR' }, ...tcpVars('TEST', '1.2.3.3', 8083).map((l) => ({ name: l.split('=')[0]!, value: l.slice(l.indexOf('=') + 1) }))]
    const p = appPod({ name: 'test-pod', namespace: 'test1', enableServiceLinks: false, env: user })
    const got = sortedLines(envOf(p, SELECTION_SERVICES))
    const want = sorted(['FOO=BAR', ...tcpVars('TEST', '1.2.3.3', 8083), ...K_DEFAULT])
    expect(got, envMessage(`environment of pod ${ref(p)}`, want, got)).toEqual(want)
  })

  test('a variable the container declares overrides the service variable of the same name, which is dropped', () => {
    const p = appPod({ env: [{ name: 'ORDER_SERVICE_HOST', value: 'order.snackbar.svc.cluster.local' }] })
    const env = envOf(p, [kubernetesSvc, orderSvc])
    const hosts = lines(env.filter((e) => e.name === 'ORDER_SERVICE_HOST'))
    expect(hosts, `pod ${ref(p)} has ${hosts.length} ORDER_SERVICE_HOST entries:\n${bullets(hosts)}\nthe declared one replaces the kubelet's`).toEqual([
      'ORDER_SERVICE_HOST=order.snackbar.svc.cluster.local',
    ])
    expect(valueOf(env, 'ORDER_SERVICE_PORT'), 'the other ORDER_ variables stay').toBe('80')
  })

  test('env expansion: earlier variables and the downward API expand, later and undefined ones stay literal (enableServiceLinks false)', () => {
    const p = appPod({
      name: 'dapi-test-pod-name',
      namespace: 'test1',
      enableServiceLinks: false,
      env: [
        { name: 'TEST_LITERAL', value: 'test-test-test' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'OUT_OF_ORDER_TEST', value: '$(OUT_OF_ORDER_TARGET)' },
        { name: 'OUT_OF_ORDER_TARGET', value: 'FOO' },
        { name: 'EMPTY_VAR' },
        { name: 'EMPTY_TEST', value: 'foo-$(EMPTY_VAR)' },
        { name: 'POD_NAME_TEST2', value: 'test2-$(POD_NAME)' },
        { name: 'POD_NAME_TEST3', value: '$(POD_NAME_TEST2)-3' },
        { name: 'LITERAL_TEST', value: 'literal-$(TEST_LITERAL)' },
        { name: 'TEST_UNDEFINED', value: '$(UNDEFINED_VAR)' },
      ],
    })
    const want = sorted([
      'TEST_LITERAL=test-test-test',
      'POD_NAME=dapi-test-pod-name',
      'POD_NAME_TEST2=test2-dapi-test-pod-name',
      'POD_NAME_TEST3=test2-dapi-test-pod-name-3',
      'LITERAL_TEST=literal-test-test-test',
      'OUT_OF_ORDER_TEST=$(OUT_OF_ORDER_TARGET)',
      'OUT_OF_ORDER_TARGET=FOO',
      'TEST_UNDEFINED=$(UNDEFINED_VAR)',
      'EMPTY_VAR=',
      'EMPTY_TEST=foo-',
      ...K_DEFAULT,
    ])
    const got = sortedLines(envOf(p, SELECTION_SERVICES))
    expect(got, envMessage(`environment of pod ${ref(p)}`, want, got)).toEqual(want)
  })

  test('env expansion, service env vars: $(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT) expands to the Service of the pod namespace', () => {
    const p = appPod({
      name: 'dapi-test-pod-name',
      namespace: 'test1',
      enableServiceLinks: true,
      env: [
        { name: 'TEST_LITERAL', value: 'test-test-test' },
        { name: 'SERVICE_VAR_TEST', value: '$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)' },
        { name: 'TEST_UNDEFINED', value: '$(UNDEFINED_VAR)' },
      ],
    })
    const want = sorted([
      'TEST_LITERAL=test-test-test',
      'SERVICE_VAR_TEST=1.2.3.3:8083',
      'TEST_UNDEFINED=$(UNDEFINED_VAR)',
      ...tcpVars('TEST', '1.2.3.3', 8083),
      ...K_DEFAULT,
    ])
    const got = sortedLines(envOf(p, SELECTION_SERVICES))
    expect(got, envMessage(`environment of pod ${ref(p)}`, want, got)).toEqual(want)
  })

  test('TestMapReference in a container: FOO=bar, ZOO=$(FOO)-1, BLU=$(ZOO)-2 start as bar, bar-1, bar-1-2', () => {
    const p = appPod({
      env: [
        { name: 'FOO', value: 'bar' },
        { name: 'ZOO', value: '$(FOO)-1' },
        { name: 'BLU', value: '$(ZOO)-2' },
      ],
    })
    const env = envOf(p, [kubernetesSvc])
    const got = ['FOO', 'ZOO', 'BLU'].map((n) => `${n}=${valueOf(env, n)}`)
    const want = ['FOO=bar', 'ZOO=bar-1', 'BLU=bar-1-2']
    expect(got, envMessage(`pod ${ref(p)}`, want, got)).toEqual(want)
  })

  test('a reference to a variable declared later stays literal: A=$(B), B=x starts with A=$(B)', () => {
    const p = appPod({
      env: [
        { name: 'A', value: '$(B)' },
        { name: 'B', value: 'x' },
      ],
    })
    const env = envOf(p, [kubernetesSvc])
    expect(valueOf(env, 'A'), `pod ${ref(p)}: only variables declared earlier (and service variables) are visible to $(B)`).toBe('$(B)')
    expect(valueOf(env, 'B')).toBe('x')
  })

  test('in expansion, a variable the container declared earlier beats the service variable of the same name', () => {
    const p = appPod({
      env: [
        { name: 'ORDER_SERVICE_HOST', value: 'order.snackbar' },
        { name: 'ORDER_URL', value: 'http://$(ORDER_SERVICE_HOST)/' },
      ],
    })
    const env = envOf(p, [kubernetesSvc, orderSvc])
    expect(valueOf(env, 'ORDER_URL'), 'MappingFuncFor(declared, serviceEnv) looks at the container first').toBe('http://order.snackbar/')
  })

  test('a name declared twice keeps one entry with the later value, which may refer to the earlier one', () => {
    const p = appPod({
      env: [
        { name: 'OPTS', value: '-v' },
        { name: 'OPTS', value: '$(OPTS) --port=$(ORDER_SERVICE_PORT)' },
      ],
    })
    const env = envOf(p, [kubernetesSvc, orderSvc])
    const opts = lines(env.filter((e) => e.name === 'OPTS'))
    expect(opts, `pod ${ref(p)}`).toEqual(['OPTS=-v --port=80'])
  })

  test('an unset pod.spec.enableServiceLinks fails with the kubelet error "nil pod.spec.enableServiceLinks encountered, cannot construct envvars"', () => {
    const p = appPod({ enableServiceLinks: undefined })
    expect(() => envOf(p, [kubernetesSvc])).toThrow(NilEnableServiceLinksError)
    expect(() => envOf(p, [kubernetesSvc])).toThrow(exactly('nil pod.spec.enableServiceLinks encountered, cannot construct envvars'))
  })

  test('a pod whose enableServiceLinks is null (JSON null, a nil *bool) fails like an unset one', () => {
    const p = appPod({ enableServiceLinks: undefined })
    ;(p.spec as { enableServiceLinks: boolean | null }).enableServiceLinks = null
    expect(() => envOf(p, [kubernetesSvc]), 'the kubelet tests pod.spec.EnableServiceLinks == nil: null is nil, not false').toThrow(NilEnableServiceLinksError)
  })

  // podFieldSelectorRuntimeValue and fieldpath.ExtractFieldPathAsString: what each downward-API fieldRef reads.
  const DOWNWARD_ROWS: { fieldPath: string; want: string; bare?: boolean }[] = [
    { fieldPath: 'metadata.name', want: 'web' },
    { fieldPath: 'metadata.namespace', want: 'snackbar' },
    { fieldPath: 'metadata.uid', want: 'uid-snackbar-web' },
    { fieldPath: "metadata.labels['app']", want: 'web' },
    { fieldPath: "metadata.labels['tier']", want: '' },
    { fieldPath: "metadata.annotations['example.com/team']", want: 'kitchen' },
    { fieldPath: "metadata.annotations['example.com/team']", want: '', bare: true },
    { fieldPath: 'spec.nodeName', want: 'kind-worker' },
    { fieldPath: 'spec.serviceAccountName', want: 'order-reader' },
    { fieldPath: 'status.podIP', want: '10.244.1.2' },
    { fieldPath: 'status.podIPs', want: '10.244.1.2,fd00:10:244:1::2' },
    { fieldPath: 'status.hostIP', want: '172.18.0.3' },
    { fieldPath: 'status.hostIPs', want: '172.18.0.3' },
  ]
  cases(
    DOWNWARD_ROWS,
    (row) => `valueFrom.fieldRef ${row.fieldPath} reads ${JSON.stringify(row.want)} from pod snackbar/web on kind-worker${row.bare ? ', which has no annotations' : ''}`,
    (row) => {
      const p = appPod({ name: 'web', env: [{ name: 'FIELD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: row.fieldPath } } }] })
      if (!row.bare) p.metadata!.annotations = { 'example.com/team': 'kitchen' }
      p.spec!.serviceAccountName = 'order-reader'
      p.status!.podIPs = [{ ip: '10.244.1.2' }, { ip: 'fd00:10:244:1::2' }]
      const got = valueOf(envOf(p, [kubernetesSvc]), 'FIELD')
      expect(got, `FIELD from fieldRef ${row.fieldPath} (the kubelet's podFieldSelectorRuntimeValue; status.hostIP is the InternalIP of the pod's node)`).toBe(row.want)
    },
  )

  test('a kubelet started with --master-service-namespace=test2 gives every container the kubernetes Service of test2', () => {
    const kubelet = new Kubelet({ masterServiceNamespace: 'test2' })
    kubelet.updateServices(SELECTION_SERVICES)
    const rec = kubelet.startContainer(appPod({ name: 'test-pod', namespace: 'test1', enableServiceLinks: false }), 'app')
    const got = sortedLines(rec.env)
    const want = sorted(tcpVars('KUBERNETES', '1.2.3.4', 8084))
    expect(got, envMessage('container app of pod test1/test-pod, service links off, kubelet flag --master-service-namespace=test2', want, got)).toEqual(want)
  })

  test("if services aren't synced, non-static pods should fail with \"services have not yet been read at least once, cannot construct envvars\"", () => {
    for (const source of [undefined, 'api']) {
      const p = appPod({ namespace: 'test1', enableServiceLinks: false, source })
      expect(() => envOf(p, [], { servicesSynced: false }), `pod with config.source ${JSON.stringify(source)}`).toThrow(ServicesNotSyncedError)
      expect(() => envOf(p, [], { servicesSynced: false })).toThrow(exactly('services have not yet been read at least once, cannot construct envvars'))
    }
  })

  test("if services aren't synced, static pods should succeed (config.source file or http)", () => {
    for (const source of ['file', 'http']) {
      const p = appPod({ name: 'etcd-kind-control-plane', namespace: 'test1', enableServiceLinks: false, source, env: [{ name: 'FOO', value: 'BAR' }] })
      const got = lines(envOf(p, [], { servicesSynced: false }))
      expect(got, `static pod ${ref(p)} (config.source ${source}) starts even though the informer has listed nothing`).toEqual(['FOO=BAR'])
    }
  })

  test("the model's documented order: the container's variables as declared, then the service variables sorted by name", () => {
    const p = appPod({
      env: [
        { name: 'ZED', value: 'z' },
        { name: 'ALPHA', value: 'a' },
      ],
    })
    const got = lines(envOf(p, [orderSvc, kubernetesSvc]))
    const want = ['ZED=z', 'ALPHA=a', ...sorted([...KUBEADM_KUBERNETES_VARS, ...ORDER_VARS])]
    expect(got, envMessage(`pod ${ref(p)} (Kubernetes leaves the order unspecified; this model fixes it so kubectl exec env is reproducible)`, want, got)).toEqual(want)
  })

  test('startContainer freezes the environment it computed: the record and its variables cannot be changed afterwards', () => {
    const p = appPod()
    const services = [kubernetesSvc, orderSvc]
    const rec = startContainer(p, 'app', services)
    expect(rec.state, `container app of pod ${ref(p)}`).toBe('Running')
    expect(valueOf(rec.env, 'ORDER_SERVICE_HOST')).toBe(ORDER_IP)
    expect(Object.isFrozen(rec), 'the container record is frozen').toBe(true)
    expect(Object.isFrozen(rec.env), 'the environment list of a running process is frozen').toBe(true)
    expect(rec.env.every((e) => Object.isFrozen(e)), 'each variable is frozen').toBe(true)
    services.pop()
    expect(valueOf(rec.env, 'ORDER_SERVICE_HOST'), 'removing Service order from the list afterwards changes nothing').toBe(ORDER_IP)
  })

  test('each container of a pod gets its own env: starting sidecar of snackbar/web records that pod and that container', () => {
    const p = appPod({ name: 'web', env: [{ name: 'ROLE', value: 'app' }] })
    p.spec!.containers.push({ name: 'sidecar', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', env: [{ name: 'ROLE', value: 'sidecar' }] })
    const rec = startContainer(p, 'sidecar', [kubernetesSvc])
    expect({ pod: rec.pod, container: rec.container, ROLE: valueOf(rec.env, 'ROLE') }, 'the record of container sidecar (kubectl get pod web -o jsonpath={.status.containerStatuses})').toEqual({
      pod: 'snackbar/web',
      container: 'sidecar',
      ROLE: 'sidecar',
    })
    expect(() => startContainer(p, 'db', [kubernetesSvc]), 'pod snackbar/web has no container db').toThrow(exactly('container "db" not found in pod snackbar/web'))
  })

  test('the model refuses what it does not model: envFrom and valueFrom other than fieldRef throw instead of being skipped', () => {
    const fromConfigMap = appPod({ env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'order-config', key: 'mode' } } }] })
    expect(() => envOf(fromConfigMap, [kubernetesSvc]), 'valueFrom.configMapKeyRef is outside the model').toThrow(/configMapKeyRef/)
    const withEnvFrom = appPod()
    withEnvFrom.spec!.containers[0]!.envFrom = [{ configMapRef: { name: 'order-config' } }]
    expect(() => envOf(withEnvFrom, [kubernetesSvc]), 'envFrom is outside the model').toThrow(/envFrom/)
    // Not a kubelet error: starting the container must not turn it into CreateContainerConfigError.
    expect(() => startContainer(withEnvFrom, 'app', [kubernetesSvc]), 'startContainer with envFrom is outside the model too').toThrow(/envFrom/)
  })

  test('a container whose environment cannot be built stays Waiting with reason CreateContainerConfigError and the kubelet message', () => {
    const cases = [
      { p: appPod({ enableServiceLinks: undefined }), opts: {}, message: 'nil pod.spec.enableServiceLinks encountered, cannot construct envvars' },
      { p: appPod(), opts: { servicesSynced: false }, message: 'services have not yet been read at least once, cannot construct envvars' },
    ]
    for (const c of cases) {
      const rec = startContainer(c.p, 'app', [kubernetesSvc], c.opts)
      expect({ state: rec.state, reason: rec.reason, message: rec.message, env: rec.env }, `kubectl get pod ${c.p.metadata!.name} would show CreateContainerConfigError`).toEqual({
        state: 'Waiting',
        reason: 'CreateContainerConfigError',
        message: c.message,
        env: [],
      })
    }
  })

})

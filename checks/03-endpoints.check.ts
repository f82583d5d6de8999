import fc from 'fast-check'
import type { EndpointPort, EndpointSubset, Endpoints, Node, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { expect, test } from 'vitest'
import { lessEndpointAddress, repackSubsets, sortSubsets } from '@impl/api/v1/endpoints/util.ts'
import { findPort, isPodReady, isPodTerminal, NoSuitablePortError } from '@impl/api/v1/pod/util.ts'
import {
  endpointPortFromServicePort,
  EndpointsController,
  newEndpoints,
  NoMatchingEndpointError,
  podToEndpointAddressForService,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  syncService,
  truncateEndpoints,
} from '@impl/controller/endpoints.ts'
import { getAddressTypesForService, getEndpointAddresses, getEndpointPorts, podToEndpoint, setEndpointSliceLabels, syncService as syncEndpointSlices } from '@impl/controller/endpointslice.ts'
import { Random } from '../lib/random.ts'
import { labelsText } from './support/explain.ts'
import {
  addrText,
  endpointsMessage,
  ipsOf,
  portText,
  S,
  subsetSet,
  subsetText,
  subsetsText,
  withIPs,
  withReady,
} from './support/endpoints.ts'
import { listServices, portsOf, reconcileRows, TRIGGER, v6FirstPod } from './support/endpoints-reconcile.ts'
import { badSliceSizes, sliceLabelRows, slicePortRows, sliceSyncRows } from './support/endpointslice-rows.ts'
import { pod, service } from './support/fixtures.ts'
// One test per row, titled from the row (test.each would cut long names at 40 characters).
import { cases as table } from './support/table.ts'
import { kata } from './support/task.ts'

// Core tasks observe the learner's function through the given code around it: the
// Endpoints through syncService with the given pod rules (eligibility, readiness,
// findPort) and newEndpoints; the endpoint conditions through podToEndpoint and the
// given EndpointSlice reconciler.
const { task } = kata('03-endpoints')

const NONE = { ready: [] as string[], notReady: [] as string[] }
const ready = (...ips: string[]) => ({ ready: ips, notReady: [] as string[] })
const notReady = (...ips: string[]) => ({ ready: [] as string[], notReady: ips })


task('sync-service', () => {
  // endpoints_controller_test.go TestSyncServiceAddresses: Service ns/foo, selector foo=bar,
  // ClusterIP 1.1.1.1, port 80; one pod 10.1.1.1.
  type Phase = 'Running' | 'Unknown' | 'Pending' | 'Failed' | 'Succeeded'
  const rows: [Phase, boolean, boolean, boolean, [number, number]][] = [
    ['Running', true, false, false, [1, 0]],
    ['Running', true, true, false, [0, 0]],
    ['Running', false, false, true, [1, 0]],
    ['Running', false, true, true, [1, 0]],
    ['Unknown', true, false, false, [1, 0]],
    ['Unknown', true, true, false, [0, 0]],
    ['Unknown', false, false, false, [0, 1]],
    ['Unknown', false, false, true, [1, 0]],
    ['Unknown', false, true, true, [1, 0]],
    ['Pending', true, false, false, [1, 0]],
    ['Pending', true, true, false, [0, 0]],
    ['Pending', false, false, false, [0, 1]],
    ['Pending', false, false, true, [1, 0]],
    ['Pending', false, true, true, [1, 0]],
    ['Failed', false, false, false, [0, 0]],
    ['Failed', false, false, true, [0, 0]],
    ['Succeeded', false, false, false, [0, 0]],
    ['Succeeded', false, false, true, [0, 0]],
  ]
  const addressCases = rows.map(([phase, isReady, deleting, pnra, [r, n]]) => ({
    name: `${phase === 'Unknown' ? 'an' : 'a'} ${phase} pod with Ready=${isReady}${deleting ? ', being deleted,' : ''} behind publishNotReadyAddresses=${pnra} gives ${r} ready and ${n} not-ready addresses`,
    phase,
    isReady,
    deleting,
    pnra,
    want: { ready: r ? ['10.1.1.1'] : [], notReady: n ? ['10.1.1.1'] : [] },
    why:
      phase === 'Failed' || phase === 'Succeeded'
        ? 'a Succeeded or Failed pod is never an endpoint'
        : deleting && !pnra
          ? 'a pod being deleted leaves Endpoints unless the Service publishes not-ready addresses'
          : pnra
            ? 'publishNotReadyAddresses puts every usable pod in addresses'
            : isReady
              ? 'its Ready condition is True; the phase does not matter'
              : 'its Ready condition is False, so it belongs in notReadyAddresses',
  }))
  table(addressCases, (c) => `TestSyncServiceAddresses: ${c.name}`, ({ phase, isReady, deleting, pnra, want, why }) => {
    const svc = service({ name: 'foo', namespace: 'ns', selector: { foo: 'bar' }, clusterIP: '1.1.1.1', ports: [{ port: 80 }], publishNotReadyAddresses: pnra })
    const p = pod({ name: 'pod0', namespace: 'ns', labels: { foo: 'bar' }, ip: '10.1.1.1', phase, ready: isReady, deleting })
    const got = syncService(svc, [p])
    expect(ipsOf(got), endpointsMessage('ns/foo', want, got, `pod pod0 (${phase}, Ready=${isReady}${deleting ? ', deletionTimestamp set' : ''}): ${why}`)).toEqual(want)
  })

  test('a Service of type ExternalName gets no Endpoints from the controller', () => {
    const svc = service({ name: 'payments', type: 'ExternalName', externalName: 'payments.example.com', selector: { app: 'payments' } })
    expect(syncService(svc, [pod({ name: 'payments-1', labels: { app: 'payments' } })]), 'ExternalName Services are answered by DNS with a CNAME; syncService must return undefined').toBeUndefined()
  })

  test('a Service without selector gets no Endpoints from the controller: they are the user\'s to write', () => {
    const svc = service({ name: 'legacy-db', selector: null })
    expect(syncService(svc, [pod({ name: 'db-0', labels: { app: 'legacy-db' } })]), 'spec.selector is missing; syncService must return undefined and leave the Endpoints alone').toBeUndefined()
  })

  const order = service({ name: 'order', selector: { app: 'order' } })
  const selection: { name: string; pods: Pod[]; want: { ready: string[]; notReady: string[] }; why: string }[] = [
    {
      name: 'a pod in another namespace with matching labels is ignored',
      pods: [pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2' }), pod({ name: 'order-1', namespace: 'kitchen', labels: { app: 'order' }, ip: '10.244.2.9' })],
      want: ready('10.244.1.2'),
      why: 'a Service selects pods of its own namespace only; kitchen/order-1 belongs to another namespace',
    },
    {
      name: 'a pod must carry every label of the selector, and may carry more',
      pods: [
        pod({ name: 'order-1', labels: { app: 'order', tier: 'web' }, ip: '10.244.1.2' }),
        pod({ name: 'payments-1', labels: { app: 'payments', tier: 'web' }, ip: '10.244.1.3' }),
        pod({ name: 'unlabelled', labels: {}, ip: '10.244.1.4' }),
      ],
      want: ready('10.244.1.2'),
      why: 'selector {app: order} matches order-1 only (its extra label tier does not matter)',
    },
    {
      name: 'a pod that has no IP yet is left out',
      pods: [pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2' }), pod({ name: 'order-2', labels: { app: 'order' }, ip: null, phase: 'Pending', ready: false })],
      want: ready('10.244.1.2'),
      why: 'order-2 has no status.podIP: there is nothing to send traffic to',
    },
    {
      name: 'a pod that is not Ready goes to notReadyAddresses',
      pods: [pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2' }), pod({ name: 'order-7d4', labels: { app: 'order' }, ip: '10.244.1.3', ready: false })],
      want: { ready: ['10.244.1.2'], notReady: ['10.244.1.3'] },
      why: 'pod order-7d4 is not Ready, so it belongs in notReadyAddresses',
    },
  ]
  table(selection, (c) => `${c.name}`, ({ pods, want, why }) => {
    const got = syncService(order, pods)
    expect(ipsOf(got), endpointsMessage('snackbar/order', want, got, why)).toEqual(want)
  })

  test('an empty selector {} selects every pod of the Service\'s namespace', () => {
    const svc = service({ name: 'everything', selector: {} })
    const pods = [pod({ name: 'a', labels: { app: 'x' }, ip: '10.244.1.2' }), pod({ name: 'b', ip: '10.244.1.3' }), pod({ name: 'c', namespace: 'kitchen', ip: '10.244.1.4' })]
    const got = syncService(svc, pods)
    expect(ipsOf(got), endpointsMessage('snackbar/everything', ready('10.244.1.2', '10.244.1.3'), got, 'a selector with no requirements matches every label set — of its own namespace')).toEqual(ready('10.244.1.2', '10.244.1.3'))
  })

  test('with publishNotReadyAddresses a deleting, not-Ready pod is published in addresses', () => {
    const svc = service({ name: 'web', clusterIP: 'None', publishNotReadyAddresses: true })
    const got = syncService(svc, [pod({ name: 'web-0', labels: { app: 'web' }, ip: '10.244.1.2', ready: false, deleting: true })])
    expect(ipsOf(got), endpointsMessage('snackbar/web', ready('10.244.1.2'), got, 'publishNotReadyAddresses publishes every pod with an IP, even terminating and not Ready ones')).toEqual(ready('10.244.1.2'))
  })

  test('an address names its pod: ip, nodeName, and targetRef kind, namespace, name and uid', () => {
    const got = syncService(order, [pod({ name: 'order-7d4', labels: { app: 'order' }, ip: '10.244.2.7', node: 'kind-worker2', uid: 'u-7d4' })])
    expect(got?.subsets?.[0]?.addresses).toEqual([
      { ip: '10.244.2.7', nodeName: 'kind-worker2', targetRef: { kind: 'Pod', namespace: 'snackbar', name: 'order-7d4', uid: 'u-7d4' } },
    ])
  })

  test('a pod whose subdomain is the Service name publishes its hostname; others do not', () => {
    const svc = service({ name: 'web', clusterIP: 'None' })
    const got = syncService(svc, [
      pod({ name: 'web-0', labels: { app: 'web' }, ip: '10.244.1.2', hostname: 'web-0', subdomain: 'web' }),
      pod({ name: 'web-1', labels: { app: 'web' }, ip: '10.244.1.3', hostname: 'web-1', subdomain: 'other' }),
    ])
    const hostnames = Object.fromEntries((got?.subsets ?? []).flatMap((s) => s.addresses ?? []).map((a) => [a.ip, a.hostname ?? '(none)']))
    expect(hostnames, 'web-0 has subdomain web (the Service) → hostname web-0; web-1 has subdomain other → no hostname').toEqual({ '10.244.1.2': 'web-0', '10.244.1.3': '(none)' })
  })

  test('an IPv6 Service lists the IPv6 addresses of dual-stack pods and skips IPv4-only pods', () => {
    const base = service({ name: 'order' })
    const svc: Service = { ...base, spec: { ...base.spec, clusterIP: 'fd00:10:96::100', clusterIPs: ['fd00:10:96::100'], ipFamilies: ['IPv6'] } }
    const got = syncService(svc, [
      withIPs(pod({ name: 'order-1', labels: { app: 'order' } }), ['10.244.1.2', 'fd00:10:244:1::2']),
      pod({ name: 'order-2', labels: { app: 'order' }, ip: '10.244.1.3' }),
    ])
    expect(ipsOf(got), endpointsMessage('snackbar/order', ready('fd00:10:244:1::2'), got, 'ipFamilies[0] is IPv6: each pod contributes its IPv6 address, and order-2 has none')).toEqual(ready('fd00:10:244:1::2'))
  })

  // A headless Service may have no ports; the API server then stores spec.ports as left out.
  const portless: { name: string; service: Service }[] = [
    { name: 'a headless Service with ports: [] lists its pods in a subset without ports', service: service({ name: 'web', clusterIP: 'None', ports: [] }) },
    {
      name: 'a headless Service whose spec leaves ports out, as the API server stores it, lists its pods in a subset without ports',
      service: (() => {
        const svc = service({ name: 'web', clusterIP: 'None' })
        delete svc.spec!.ports
        return svc
      })(),
    },
  ]
  table(portless, (c) => c.name, ({ service: svc }) => {
    const got = syncService(svc, [pod({ name: 'web-0', labels: { app: 'web' }, ip: '10.244.1.2' })])
    expect(subsetSet(got?.subsets), `Endpoints snackbar/web: a headless Service may have no ports; want {A=[10.244.1.2/uid-snackbar-web-0] P=[]}, got ${subsetsText(got?.subsets)}`).toEqual(['{A=[10.244.1.2/uid-snackbar-web-0] P=[]}'])
  })

  test('the endpoint port takes the Service port\'s name, protocol and appProtocol, and the targetPort number', () => {
    const svc = service({ name: 'order', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', appProtocol: 'http' }] })
    const got = syncService(svc, [pod({ name: 'order-1', labels: { app: 'order' } })])
    expect(got?.subsets?.[0]?.ports, 'port 80 → targetPort 8080: clients connect to the Service port, endpoints list the pod port').toEqual([{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }])
  })

  test('pods serving every port of a Service share one subset listing all the ports', () => {
    const svc = service({ name: 'order', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'grpc', port: 9000, targetPort: 9000 }] })
    const got = syncService(svc, [pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2', uid: 'u1' }), pod({ name: 'order-2', labels: { app: 'order' }, ip: '10.244.1.3', uid: 'u2' })])
    const want = ['{A=[10.244.1.2/u1,10.244.1.3/u2] P=[grpc:9000/TCP,http:8080/TCP]}']
    expect(subsetSet(got?.subsets), `Endpoints snackbar/order: want ${want[0]}, got ${subsetsText(got?.subsets)} — both pods serve http on targetPort 8080 and grpc on 9000, so one subset lists both ports`).toEqual(want)
  })

  test('derived vector: a named targetPort is resolved on each pod, and a pod without it serves only the other ports', () => {
    const svc = service({ name: 'web', ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'metrics', port: 9090, targetPort: 9090 }] })
    const pods = [
      pod({ name: 'a', labels: { app: 'web' }, ip: '10.0.0.1', uid: 'a', containerPorts: [{ name: 'web', containerPort: 8080 }] }),
      pod({ name: 'b', labels: { app: 'web' }, ip: '10.0.0.2', uid: 'b', containerPorts: [{ name: 'web', containerPort: 8081 }] }),
      pod({ name: 'c', labels: { app: 'web' }, ip: '10.0.0.3', uid: 'c', containerPorts: [] }),
      pod({ name: 'd', labels: { app: 'web' }, ip: '10.0.0.4', uid: 'd', containerPorts: [{ name: 'web', containerPort: 8080, protocol: 'UDP' }] }),
    ]
    const got = syncService(svc, pods)
    const want = ['{A=[10.0.0.1/a,10.0.0.2/b,10.0.0.3/c,10.0.0.4/d] P=[metrics:9090/TCP]}', '{A=[10.0.0.1/a] P=[http:8080/TCP]}', '{A=[10.0.0.2/b] P=[http:8081/TCP]}'].sort()
    expect(
      subsetSet(got?.subsets),
      `Endpoints snackbar/web\n  want ${want.join(', ')}\n  got  ${subsetsText(got?.subsets)}\n` +
        '  a → web is 8080, b → 8081; c declares no port named web and d only a UDP one, so both serve metrics only',
    ).toEqual(want)
  })

  // Property: whatever the pods, addresses + notReadyAddresses are exactly the usable pods
  // the selector matches in the Service's namespace, split by their Ready condition.
  test('property: Endpoints list exactly the usable matching pods of the namespace, Ready ones in addresses', () => {
    const labelValue = fc.option(fc.constantFrom('order', 'payments'), { nil: undefined })
    const podArb = fc.record({
      namespace: fc.constantFrom('snackbar', 'kitchen'),
      app: labelValue,
      tier: fc.option(fc.constantFrom('web', 'db'), { nil: undefined }),
      ready: fc.option(fc.boolean(), { nil: undefined }),
      deleting: fc.boolean(),
      phase: fc.constantFrom('Pending', 'Running', 'Running', 'Succeeded', 'Failed', 'Unknown'),
      hasIP: fc.boolean(),
    })
    const selectorArb = fc.record({ app: labelValue, tier: fc.option(fc.constantFrom('web', 'db'), { nil: undefined }) })
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 12 }), selectorArb, fc.boolean(), (specs, sel, pnra) => {
        const selector = Object.fromEntries(Object.entries(sel).filter(([, v]) => v !== undefined)) as Record<string, string>
        const pods = specs.map((s, i) => {
          const labels = Object.fromEntries(Object.entries({ app: s.app, tier: s.tier }).filter(([, v]) => v !== undefined)) as Record<string, string>
          return pod({ name: `p${i}`, namespace: s.namespace, labels, ip: s.hasIP ? `10.244.${i}.2` : null, ready: s.ready, deleting: s.deleting, phase: s.phase as 'Running' })
        })
        const svc = service({ name: 'order', selector, publishNotReadyAddresses: pnra })
        const want = { ready: [] as string[], notReady: [] as string[] }
        specs.forEach((s, i) => {
          const labels: Record<string, string | undefined> = { app: s.app, tier: s.tier }
          const matches = s.namespace === 'snackbar' && Object.entries(selector).every(([k, v]) => labels[k] === v)
          const usable = matches && s.hasIP && s.phase !== 'Succeeded' && s.phase !== 'Failed' && (pnra || !s.deleting)
          if (usable) (pnra || s.ready === true ? want.ready : want.notReady).push(`10.244.${i}.2`)
        })
        want.ready.sort()
        want.notReady.sort()
        const got = syncService(svc, pods)
        expect(ipsOf(got), endpointsMessage('snackbar/order', want, got, `selector ${labelsText(selector)}, publishNotReadyAddresses=${pnra}, pods ${JSON.stringify(specs)}`)).toEqual(want)
      }),
      { seed: 3, numRuns: 150 },
    )
  })
})

task('endpoint-conditions', () => {
  const order = service({ name: 'order', labels: { app: 'order', team: 'food' } })
  const orderPods = (n: number, extra: Partial<Parameters<typeof pod>[0]> = {}) =>
    Array.from({ length: n }, (_, i) => pod({ name: `order-${String(i).padStart(3, '0')}`, labels: { app: 'order' }, ip: `10.244.${Math.floor(i / 200)}.${(i % 200) + 2}`, ...extra }))

  const conditions: { name: string; pod: Pod; publishNotReadyAddresses?: boolean; want: { ready: boolean; serving: boolean; terminating: boolean } }[] = [
    { name: 'a Ready pod is ready=true serving=true terminating=false', pod: orderPods(1)[0]!, want: { ready: true, serving: true, terminating: false } },
    { name: 'a not-Ready pod is ready=false serving=false terminating=false', pod: orderPods(1, { ready: false })[0]!, want: { ready: false, serving: false, terminating: false } },
    { name: 'a terminating pod that is still Ready stays in its EndpointSlice with ready=false serving=true terminating=true', pod: orderPods(1, { deleting: true })[0]!, want: { ready: false, serving: true, terminating: true } },
    { name: 'a terminating pod behind publishNotReadyAddresses is ready=true', pod: orderPods(1, { deleting: true, ready: false })[0]!, publishNotReadyAddresses: true, want: { ready: true, serving: false, terminating: true } },
  ]
  table(conditions, (c) => `endpoint conditions: ${c.name}`, ({ pod: p, publishNotReadyAddresses, want }) => {
    const svc = service({ name: 'order', publishNotReadyAddresses })
    const slices = syncEndpointSlices(svc, [p])
    const endpoints = (slices ?? []).flatMap((s) => s.endpoints)
    expect(endpoints.length, `pod ${p.metadata!.name} (deletionTimestamp ${p.metadata!.deletionTimestamp ?? 'none'}) must be an endpoint: EndpointSlices keep terminating pods`).toBe(1)
    expect(endpoints[0]?.conditions, 'serving = pod Ready; terminating = deletionTimestamp set; ready = publishNotReadyAddresses || (serving && !terminating)').toEqual(want)
  })

  test('an endpoint carries the pod IP, nodeName, hostname and a targetRef to the pod', () => {
    const svc = service({ name: 'web', clusterIP: 'None' })
    const slices = syncEndpointSlices(svc, [pod({ name: 'web-0', labels: { app: 'web' }, ip: '10.244.1.2', node: 'kind-worker', uid: 'u0', hostname: 'web-0', subdomain: 'web' })])
    expect(slices?.[0]?.endpoints).toEqual([
      {
        addresses: ['10.244.1.2'],
        conditions: { ready: true, serving: true, terminating: false },
        hostname: 'web-0',
        nodeName: 'kind-worker',
        targetRef: { kind: 'Pod', namespace: 'snackbar', name: 'web-0', uid: 'u0' },
      },
    ])
  })

  // podToEndpoint on its own: one pod, one address type, a node or none.
  const kindWorker: Node = { metadata: { name: 'kind-worker', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } }
  const plainNode: Node = { metadata: { name: 'kind-worker2', labels: {} } }
  const dualPod = withIPs(pod({ name: 'order-1', labels: { app: 'order' }, node: 'kind-worker', uid: 'u1' }), ['10.244.1.2', 'fd00:10:244:1::2'])
  const ref = { kind: 'Pod', namespace: 'snackbar', name: 'order-1', uid: 'u1' }
  const unscheduled = (p: Pod): Pod => ({ ...p, spec: { ...p.spec!, nodeName: undefined } })
  const direct: { name: string; pod: Pod; service: Service; addressType: 'IPv4' | 'IPv6'; node?: Node; want: unknown }[] = [
    {
      name: 'a Ready pod on a zoned node: its IPv4 address, ready and serving, its node, the node\'s zone and a targetRef',
      pod: dualPod, service: order, addressType: 'IPv4', node: kindWorker,
      want: { addresses: ['10.244.1.2'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kind-worker', zone: 'zone-a', targetRef: ref },
    },
    {
      name: 'a slice of address type IPv6 gets the pod\'s IPv6 address only',
      pod: dualPod, service: order, addressType: 'IPv6',
      want: { addresses: ['fd00:10:244:1::2'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kind-worker', targetRef: ref },
    },
    {
      name: 'no node given, or a node without a zone label: the endpoint has no zone',
      pod: dualPod, service: order, addressType: 'IPv4', node: plainNode,
      want: { addresses: ['10.244.1.2'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kind-worker', targetRef: ref },
    },
    {
      name: 'a pod not scheduled yet has no nodeName',
      pod: unscheduled(pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2', uid: 'u1' })), service: order, addressType: 'IPv4',
      want: { addresses: ['10.244.1.2'], conditions: { ready: true, serving: true, terminating: false }, targetRef: ref },
    },
    {
      name: 'a terminating pod that is no longer Ready is ready=false serving=false terminating=true',
      pod: pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2', node: 'kind-worker', uid: 'u1', ready: false, deleting: true }), service: order, addressType: 'IPv4',
      want: { addresses: ['10.244.1.2'], conditions: { ready: false, serving: false, terminating: true }, nodeName: 'kind-worker', targetRef: ref },
    },
    {
      name: 'publishNotReadyAddresses makes a not-Ready pod ready=true, still serving=false',
      pod: pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2', node: 'kind-worker', uid: 'u1', ready: false }), service: service({ name: 'order', publishNotReadyAddresses: true }), addressType: 'IPv4',
      want: { addresses: ['10.244.1.2'], conditions: { ready: true, serving: false, terminating: false }, nodeName: 'kind-worker', targetRef: ref },
    },
    {
      name: 'a pod whose subdomain names another Service gets no hostname',
      pod: pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2', node: 'kind-worker', uid: 'u1', hostname: 'order-1', subdomain: 'payments' }), service: order, addressType: 'IPv4',
      want: { addresses: ['10.244.1.2'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'kind-worker', targetRef: ref },
    },
  ]
  table(direct, (c) => `podToEndpoint: ${c.name}`, ({ pod: p, service: s, addressType, node, want }) => {
    const got = podToEndpoint(p, s, addressType, node)
    expect(got, `podToEndpoint(${p.metadata!.name}, ${s.metadata!.name}, ${addressType}${node ? `, node ${node.metadata!.name}` : ''})`).toEqual(want)
  })
})

task('pod-eligibility', () => {
  const readyCases: { name: string; pod: Pod; want: boolean }[] = [
    { name: 'a pod whose Ready condition is True is ready', pod: pod({ name: 'a', ready: true }), want: true },
    { name: 'a Running pod whose Ready condition is False is not ready', pod: pod({ name: 'a', ready: false }), want: false },
    { name: 'a pod without a Ready condition is not ready', pod: pod({ name: 'a', ready: undefined }), want: false },
    { name: 'a Pending pod whose Ready condition is True is ready: only the condition counts', pod: pod({ name: 'a', phase: 'Pending', ready: true }), want: true },
    {
      name: 'a pod whose first condition is PodScheduled=True and whose Ready condition is False is not ready: the condition of type Ready counts, not the first one',
      pod: { ...pod({ name: 'a' }), status: { ...pod({ name: 'a' }).status, conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }] } },
      want: false,
    },
  ]
  table(readyCases, (c) => `isPodReady: ${c.name}`, ({ pod: p, want }) => {
    expect(isPodReady(p), `isPodReady(${p.metadata!.name}) with conditions ${JSON.stringify(p.status?.conditions)}`).toBe(want)
  })

  const terminal: { phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'; want: boolean }[] = [
    { phase: 'Succeeded', want: true },
    { phase: 'Failed', want: true },
    { phase: 'Running', want: false },
    { phase: 'Pending', want: false },
    { phase: 'Unknown', want: false },
  ]
  table(terminal, (c) => `isPodTerminal: a pod in phase ${c.phase} is terminal: ${c.want}`, ({ phase, want }) => {
    expect(isPodTerminal(pod({ name: 'a', phase })), `phase ${phase}: only Succeeded and Failed are terminal`).toBe(want)
  })

  const podIPOnly: Pod = { ...pod({ name: 'a' }), status: { ...pod({ name: 'a' }).status, podIPs: [] } }
  const podIPsOnly: Pod = { ...pod({ name: 'a' }), status: { ...pod({ name: 'a' }).status, podIP: undefined } }
  const eligible: { name: string; pod: Pod; includeTerminating: boolean; want: boolean }[] = [
    { name: 'a Ready Running pod with an IP may be an endpoint', pod: pod({ name: 'a' }), includeTerminating: false, want: true },
    { name: 'a pod that is not Ready may still be an endpoint (in notReadyAddresses)', pod: pod({ name: 'a', ready: false }), includeTerminating: false, want: true },
    { name: 'a Succeeded pod is never an endpoint', pod: pod({ name: 'a', phase: 'Succeeded' }), includeTerminating: true, want: false },
    { name: 'a Failed pod is never an endpoint', pod: pod({ name: 'a', phase: 'Failed' }), includeTerminating: true, want: false },
    { name: 'a pod without any IP is never an endpoint', pod: pod({ name: 'a', ip: null }), includeTerminating: true, want: false },
    { name: 'a pod with only status.podIP set counts as having an IP', pod: podIPOnly, includeTerminating: false, want: true },
    { name: 'a pod with only status.podIPs set counts as having an IP', pod: podIPsOnly, includeTerminating: false, want: true },
    { name: 'a deleting pod is left out when terminating pods are not included', pod: pod({ name: 'a', deleting: true }), includeTerminating: false, want: false },
    { name: 'a deleting pod is kept when terminating pods are included', pod: pod({ name: 'a', deleting: true }), includeTerminating: true, want: true },
  ]
  table(eligible, (c) => `shouldPodBeInEndpoints: ${c.name}`, ({ pod: p, includeTerminating, want }) => {
    expect(shouldPodBeInEndpoints(p, includeTerminating), `shouldPodBeInEndpoints(${p.metadata!.name}: phase ${p.status?.phase}, podIP ${p.status?.podIP ?? 'none'}, deletionTimestamp ${p.metadata?.deletionTimestamp ?? 'none'}, includeTerminating=${includeTerminating})`).toBe(want)
  })

  const svc = service({ name: 'web', clusterIP: 'None' })
  const hostnames: { name: string; pod: Pod; want: boolean }[] = [
    { name: 'hostname set and subdomain equal to the Service name in the same namespace: the hostname is published', pod: pod({ name: 'web-0', hostname: 'web-0', subdomain: 'web' }), want: true },
    { name: 'a subdomain naming another Service: no hostname', pod: pod({ name: 'web-0', hostname: 'web-0', subdomain: 'api' }), want: false },
    { name: 'a subdomain but no hostname: nothing to publish', pod: pod({ name: 'web-0', subdomain: 'web' }), want: false },
    { name: 'the right subdomain but another namespace: no hostname', pod: pod({ name: 'web-0', namespace: 'kitchen', hostname: 'web-0', subdomain: 'web' }), want: false },
  ]
  table(hostnames, (c) => `shouldSetHostname: ${c.name}`, ({ pod: p, want }) => {
    expect(shouldSetHostname(p, svc), `pod ${p.metadata!.namespace}/${p.metadata!.name} hostname ${p.spec?.hostname ?? '(none)'} subdomain ${p.spec?.subdomain ?? '(none)'}, Service snackbar/web`).toBe(want)
  })

  test('podToEndpointAddressForService gives the pod IP, the node name and a targetRef to the pod', () => {
    const p = pod({ name: 'order-7d4', ip: '10.244.1.5', node: 'kind-worker2', uid: 'u-order-7d4' })
    expect(podToEndpointAddressForService(service({ name: 'order' }), p)).toEqual({
      ip: '10.244.1.5',
      nodeName: 'kind-worker2',
      targetRef: { kind: 'Pod', namespace: 'snackbar', name: 'order-7d4', uid: 'u-order-7d4' },
    })
  })

  const dual = withIPs(pod({ name: 'order-7d4' }), ['10.244.1.5', 'fd00:10:244:1::5'])
  const families: { name: string; service: Service; pod: Pod; want: string }[] = [
    { name: 'an IPv4 Service takes the IPv4 address of a dual-stack pod', service: service({ name: 'order' }), pod: dual, want: '10.244.1.5' },
    {
      name: 'an IPv6 Service takes the IPv6 address of a dual-stack pod, whatever order podIPs lists them in',
      service: { ...service({ name: 'order', clusterIP: 'fd00:10:96::a' }), spec: { ...service({ name: 'order' }).spec, clusterIP: 'fd00:10:96::a', ipFamilies: ['IPv6'] } },
      pod: dual,
      want: 'fd00:10:244:1::5',
    },
    {
      name: 'without spec.ipFamilies the family of the cluster IP decides',
      service: { ...service({ name: 'order' }), spec: { ...service({ name: 'order' }).spec, clusterIP: 'fd00:10:96::a', ipFamilies: undefined } },
      pod: dual,
      want: 'fd00:10:244:1::5',
    },
    {
      name: 'without spec.ipFamilies a headless Service takes the family of status.podIP',
      service: { ...service({ name: 'order', clusterIP: 'None' }), spec: { ...service({ name: 'order', clusterIP: 'None' }).spec, ipFamilies: undefined } },
      pod: dual,
      want: '10.244.1.5',
    },
    {
      name: 'without spec.ipFamilies a headless Service takes the family of status.podIP, IPv6 when the pod lists it first',
      service: { ...service({ name: 'order', clusterIP: 'None' }), spec: { ...service({ name: 'order', clusterIP: 'None' }).spec, ipFamilies: undefined } },
      pod: v6FirstPod,
      want: 'fd00:10:244:1::5',
    },
    {
      name: 'a headless Service with spec.ipFamilies [IPv6] takes the IPv6 address even when status.podIP is IPv4',
      service: { ...service({ name: 'order', clusterIP: 'None' }), spec: { ...service({ name: 'order', clusterIP: 'None' }).spec, ipFamilies: ['IPv6'] } },
      pod: dual,
      want: 'fd00:10:244:1::5',
    },
    {
      name: 'without spec.ipFamilies and with an empty clusterIP, the family of status.podIP decides as for a headless Service',
      service: { ...service({ name: 'order' }), spec: { ...service({ name: 'order' }).spec, clusterIP: '', clusterIPs: undefined, ipFamilies: undefined } },
      pod: v6FirstPod,
      want: 'fd00:10:244:1::5',
    },
  ]
  table(families, (c) => `podToEndpointAddressForService: ${c.name}`, ({ service: s, pod: p, want }) => {
    expect(podToEndpointAddressForService(s, p).ip, `Service ipFamilies ${JSON.stringify(s.spec?.ipFamilies)} clusterIP ${s.spec?.clusterIP}, pod IPs ${JSON.stringify(p.status?.podIPs)}`).toBe(want)
  })

  test('podToEndpointAddressForService fails with "failed to find a matching endpoint for service" when the pod has no IP of the Service family', () => {
    const v6 = { ...service({ name: 'order' }), spec: { ...service({ name: 'order' }).spec, clusterIP: 'fd00:10:96::a', ipFamilies: ['IPv6'] } }
    const call = () => podToEndpointAddressForService(v6, pod({ name: 'order-7d4', ip: '10.244.1.5' }))
    const what = 'Service order is IPv6-only and pod order-7d4 has only 10.244.1.5: podToEndpointAddressForService must throw'
    expect(call, what).toThrow(NoMatchingEndpointError)
    expect(call, what).toThrow('failed to find a matching endpoint for service order')
    expect(call, 'the error names its kind, as a Go error type would').toThrow(expect.objectContaining({ name: 'NoMatchingEndpointError' }))
  })

  test('podToEndpointAddressForService takes the address from status.podIPs only: a pod that lists none fails with NoMatchingEndpointError', () => {
    const p = pod({ name: 'order-7d4', ip: '10.244.1.5' })
    const legacy: Pod = { ...p, status: { ...p.status, podIPs: undefined } }
    const call = () => podToEndpointAddressForService(service({ name: 'order' }), legacy)
    expect(call, 'pod order-7d4 has status.podIP 10.244.1.5 but no status.podIPs: Kubernetes ranges over status.podIPs, finds no IPv4 entry and returns an error').toThrow(NoMatchingEndpointError)
  })
})

task('ports', () => {
  const web = (ports: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[]) =>
    pod({ name: 'web-1', uid: 'uid-web-1', containerPorts: ports })
  const cases: { name: string; pod: Pod; port: { port: number; targetPort?: number | string; protocol?: 'TCP' | 'UDP' | 'SCTP' }; want: number }[] = [
    { name: 'a numeric targetPort is the endpoint port', pod: web([{ name: 'http', containerPort: 8080 }]), port: { port: 80, targetPort: 8080 }, want: 8080 },
    { name: 'a numeric targetPort needs no containerPort declaring it', pod: web([]), port: { port: 80, targetPort: 9376 }, want: 9376 },
    { name: 'a targetPort equal to port (the default) gives port', pod: web([]), port: { port: 80 }, want: 80 },
    { name: 'a named targetPort resolves to the container port of that name', pod: web([{ name: 'metrics', containerPort: 9090 }, { name: 'http', containerPort: 8080 }]), port: { port: 80, targetPort: 'http' }, want: 8080 },
    { name: 'a named targetPort of protocol UDP resolves to the UDP port of that name', pod: web([{ name: 'dns', containerPort: 5353, protocol: 'TCP' }, { name: 'dns', containerPort: 5354, protocol: 'UDP' }]), port: { port: 53, targetPort: 'dns', protocol: 'UDP' }, want: 5354 },
    { name: 'the first container port with the name wins', pod: web([{ name: 'http', containerPort: 8080 }, { name: 'http', containerPort: 8081 }]), port: { port: 80, targetPort: 'http' }, want: 8080 },
    {
      name: 'a container that declares no ports at all is passed over, and the name is found in the next one',
      pod: { ...web([]), spec: { containers: [{ name: 'log-shipper' }, { name: 'app', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      port: { port: 80, targetPort: 'http' },
      want: 8080,
    },
  ]
  table(cases, (c) => `findPort: ${c.name}`, ({ pod: p, port, want }) => {
    const svcPort = { protocol: 'TCP' as const, ...port }
    expect(findPort(p, svcPort), `Service port ${JSON.stringify(svcPort)} on pod web-1 with container ports ${JSON.stringify(p.spec!.containers[0]!.ports)}`).toBe(want)
  })

  const twoContainers: Pod = {
    ...web([{ name: 'http', containerPort: 8080 }]),
    spec: {
      containers: [
        { name: 'app', ports: [{ name: 'http', containerPort: 8080 }] },
        { name: 'proxy', ports: [{ name: 'admin', containerPort: 15000 }] },
      ],
      initContainers: [
        { name: 'mesh', restartPolicy: 'Always', ports: [{ name: 'mesh', containerPort: 15001 }, { name: 'http', containerPort: 15080 }] },
        { name: 'setup', ports: [{ name: 'setup', containerPort: 7000 }] },
      ],
    },
  }
  test('findPort looks through every regular container, not just the first', () => {
    expect(findPort(twoContainers, { port: 80, targetPort: 'admin', protocol: 'TCP' }), 'port "admin" is declared by the second container, proxy').toBe(15000)
  })
  test('findPort finds a named port of a restartable init container (a sidecar with restartPolicy: Always)', () => {
    expect(findPort(twoContainers, { port: 80, targetPort: 'mesh', protocol: 'TCP' }), 'sidecar "mesh" declares port "mesh" 15001').toBe(15001)
  })
  test('findPort prefers a regular container over a sidecar declaring the same port name', () => {
    expect(findPort(twoContainers, { port: 80, targetPort: 'http', protocol: 'TCP' }), 'regular containers are searched before restartable init containers').toBe(8080)
  })
  test('findPort ignores the ports of an ordinary init container, which has exited before the pod serves', () => {
    expect(() => findPort(twoContainers, { port: 80, targetPort: 'setup', protocol: 'TCP' }), 'port "setup" belongs to init container setup, which has no restartPolicy: Always; findPort must throw NoSuitablePortError').toThrow(NoSuitablePortError)
  })

  const failing: { name: string; pod: Pod; port: { port: number; targetPort: string; protocol: 'TCP' | 'UDP' } }[] = [
    { name: 'no container declares the name', pod: web([{ name: 'http', containerPort: 8080 }]), port: { port: 80, targetPort: 'web', protocol: 'TCP' } },
    { name: 'the name exists but with another protocol', pod: web([{ name: 'web', containerPort: 8080, protocol: 'UDP' }]), port: { port: 80, targetPort: 'web', protocol: 'TCP' } },
    { name: 'the name exists with no protocol, which means TCP, but the Service port is UDP', pod: web([{ name: 'web', containerPort: 8080 }]), port: { port: 80, targetPort: 'web', protocol: 'UDP' } },
  ]
  table(failing, (c) => `findPort fails with "no suitable port for manifest: <pod UID>" when ${c.name}`, ({ pod: p, port }) => {
    const call = () => findPort(p, port)
    const what = `Service port ${JSON.stringify(port)} on pod web-1 with container ports ${JSON.stringify(p.spec!.containers[0]!.ports)}: no port has that name and protocol, so findPort must throw`
    expect(call, what).toThrow(NoSuitablePortError)
    expect(call, what).toThrow('no suitable port for manifest: uid-web-1')
  })
})

task('repack-subsets', () => {
  // pkg/api/v1/endpoints/util_test.go TestPackSubsets. Addresses: `ip`, `ip/uid` (targetRef
  // with a UID), `ip(ref foo)` (targetRef named foo). Subsets and ports compare as sets;
  // addresses must come out sorted. The two "empty ports" rows follow RepackSubsets since
  // kubernetes/kubernetes#67622 (v1.12), which keeps port-less addresses for headless
  // Services (TestSyncEndpointsHeadlessWithoutPort); older copies of the test expect [].
  const cases: { name: string; given: EndpointSubset[]; expect: EndpointSubset[] }[] = [
    { name: 'empty everything: a subset with neither addresses nor ports vanishes', given: [S({ A: [], P: [] })], expect: [] },
    { name: 'empty addresses: a subset with ports but no addresses vanishes', given: [S({ A: [], P: [111] })], expect: [] },
    {
      name: 'empty ports: a ready address without ports is kept in a subset without ports (headless Service without ports)',
      given: [S({ A: ['1.2.3.4'], P: [] })],
      expect: [S({ A: ['1.2.3.4'] })],
    },
    {
      name: 'empty ports: a not-ready address without ports is kept in a subset without ports',
      given: [S({ N: ['1.2.3.4'], P: [] })],
      expect: [S({ N: ['1.2.3.4'] })],
    },
    { name: 'one set, one ip, one port: already canonical, unchanged', given: [S({ A: ['1.2.3.4'], P: [111] })], expect: [S({ A: ['1.2.3.4'], P: [111] })] },
    { name: 'one set, one ip, one port (IPv6): IPv6 addresses repack the same way', given: [S({ A: ['beef::1:2:3:4'], P: [111] })], expect: [S({ A: ['beef::1:2:3:4'], P: [111] })] },
    { name: 'one set, one notReady ip, one port: a not-ready address stays not ready', given: [S({ N: ['1.2.3.4'], P: [111] })], expect: [S({ N: ['1.2.3.4'], P: [111] })] },
    { name: 'one set, one ip, one UID, one port: the targetRef is kept', given: [S({ A: ['1.2.3.4/uid-1'], P: [111] })], expect: [S({ A: ['1.2.3.4/uid-1'], P: [111] })] },
    { name: 'one set, two ips, one port: both addresses share the port', given: [S({ A: ['1.2.3.4', '5.6.7.8'], P: [111] })], expect: [S({ A: ['1.2.3.4', '5.6.7.8'], P: [111] })] },
    {
      name: 'one set, two mixed ips, one port: a ready and a not-ready address share one subset',
      given: [S({ A: ['1.2.3.4'], N: ['5.6.7.8'], P: [111] })],
      expect: [S({ A: ['1.2.3.4'], N: ['5.6.7.8'], P: [111] })],
    },
    {
      name: 'two duplicate ips, notReady is covered by ready: an address listed both ready and not ready is not ready',
      given: [S({ A: ['1.2.3.4'], N: ['1.2.3.4'], P: [111] })],
      expect: [S({ N: ['1.2.3.4'], P: [111] })],
    },
    { name: 'one set, one ip, two ports: one subset carries both ports', given: [S({ A: ['1.2.3.4'], P: [111, 222] })], expect: [S({ A: ['1.2.3.4'], P: [111, 222] })] },
    { name: 'one set, dup ips, one port: a repeated address is listed once', given: [S({ A: ['1.2.3.4', '1.2.3.4'], P: [111] })], expect: [S({ A: ['1.2.3.4'], P: [111] })] },
    {
      name: 'dup ips with target-refs without UIDs: same IP and same (empty) UID is one address, the first one seen is kept',
      given: [S({ A: ['1.2.3.4(ref foo)', '1.2.3.4(ref bar)'], P: [111] })],
      expect: [S({ A: ['1.2.3.4(ref foo)'], P: [111] })],
    },
    {
      name: 'dup mixed ips with target-refs: the first address seen is kept, and it is not ready because the other copy is',
      given: [S({ A: ['1.2.3.4(ref foo)'], N: ['1.2.3.4(ref bar)'], P: [111] })],
      expect: [S({ N: ['1.2.3.4(ref foo)'], P: [111] })],
    },
    { name: 'one set, one ip, dup ports: a repeated port is listed once', given: [S({ A: ['1.2.3.4'], P: [111, 111] })], expect: [S({ A: ['1.2.3.4'], P: [111] })] },
    {
      name: 'two sets, dup ip, dup port: two identical subsets become one',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ A: ['1.2.3.4'], P: [111] })],
      expect: [S({ A: ['1.2.3.4'], P: [111] })],
    },
    {
      name: 'two sets, dup mixed ip, dup port: not ready in one subset trumps ready in another',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ N: ['1.2.3.4'], P: [111] })],
      expect: [S({ N: ['1.2.3.4'], P: [111] })],
    },
    {
      name: 'two sets, dup ip, two ports: the same address on two ports merges into one subset with both ports',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ A: ['1.2.3.4'], P: [222] })],
      expect: [S({ A: ['1.2.3.4'], P: [111, 222] })],
    },
    {
      name: 'two sets, dup ip, dup uids, two ports: the same pod on two ports merges into one subset',
      given: [S({ A: ['1.2.3.4/uid-1'], P: [111] }), S({ A: ['1.2.3.4/uid-1'], P: [222] })],
      expect: [S({ A: ['1.2.3.4/uid-1'], P: [111, 222] })],
    },
    {
      name: 'two sets, dup mixed ip, dup uids, two ports: readiness is per port, so the ports stay apart',
      given: [S({ A: ['1.2.3.4/uid-1'], P: [111] }), S({ N: ['1.2.3.4/uid-1'], P: [222] })],
      expect: [S({ A: ['1.2.3.4/uid-1'], P: [111] }), S({ N: ['1.2.3.4/uid-1'], P: [222] })],
    },
    {
      name: 'two sets, two ips, dup port: two addresses on the same port merge into one subset',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ A: ['5.6.7.8'], P: [111] })],
      expect: [S({ A: ['1.2.3.4', '5.6.7.8'], P: [111] })],
    },
    {
      name: 'two sets, dup ip, two uids, dup ports: one IP used by two pods is two addresses',
      given: [S({ A: ['1.2.3.4/uid-1'], P: [111] }), S({ A: ['1.2.3.4/uid-2'], P: [111] })],
      expect: [S({ A: ['1.2.3.4/uid-1', '1.2.3.4/uid-2'], P: [111] })],
    },
    {
      name: 'two sets, dup ip, with and without uid, dup ports: an address without targetRef differs from one with a UID',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ A: ['1.2.3.4/uid-2'], P: [111] })],
      expect: [S({ A: ['1.2.3.4', '1.2.3.4/uid-2'], P: [111] })],
    },
    {
      name: 'wrong order: addresses come out sorted by IP, then without targetRef first, then by UID',
      given: [S({ A: ['5.6.7.8'], P: [111] }), S({ A: ['5.6.7.8/uid-1'], P: [111] }), S({ A: ['1.2.3.4/uid-1'], P: [111] }), S({ A: ['1.2.3.4'], P: [111] })],
      expect: [S({ A: ['1.2.3.4', '1.2.3.4/uid-1', '5.6.7.8', '5.6.7.8/uid-1'], P: [111] })],
    },
    {
      name: 'mixed, wrong order, ends up with split addresses: ready and not-ready addresses each come out sorted',
      given: [S({ A: ['5.6.7.8'], P: [111] }), S({ N: ['5.6.7.8/uid-1'], P: [111] }), S({ N: ['1.2.3.4/uid-1'], P: [111] }), S({ N: ['1.2.3.4'], P: [111] })],
      expect: [S({ A: ['5.6.7.8'], N: ['1.2.3.4', '1.2.3.4/uid-1', '5.6.7.8/uid-1'], P: [111] })],
    },
    {
      name: 'two sets, two ips, two ports: different addresses on different ports stay two subsets',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ A: ['5.6.7.8'], P: [222] })],
      expect: [S({ A: ['1.2.3.4'], P: [111] }), S({ A: ['5.6.7.8'], P: [222] })],
    },
    {
      name: 'four sets, three ips, three ports, jumbled: ports offered by the same addresses are grouped',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ A: ['1.2.3.5'], P: [222] }), S({ A: ['1.2.3.6'], P: [111] }), S({ A: ['1.2.3.5'], P: [333] })],
      expect: [S({ A: ['1.2.3.4', '1.2.3.6'], P: [111] }), S({ A: ['1.2.3.5'], P: [222, 333] })],
    },
    {
      name: 'four sets, three mixed ips, three ports, jumbled: grouping keeps each address its readiness',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ N: ['1.2.3.5'], P: [222] }), S({ A: ['1.2.3.6'], P: [111] }), S({ N: ['1.2.3.5'], P: [333] })],
      expect: [S({ A: ['1.2.3.4', '1.2.3.6'], P: [111] }), S({ N: ['1.2.3.5'], P: [222, 333] })],
    },
    {
      name: 'two sets, dup ip, not ready first and ready after: not ready still trumps ready, whichever comes first',
      given: [S({ N: ['1.2.3.4'], P: [111] }), S({ A: ['1.2.3.4'], P: [111] })],
      expect: [S({ N: ['1.2.3.4'], P: [111] })],
    },
    {
      name: 'one set, one ip, two UIDs out of order: the addresses of one IP come out sorted by UID',
      given: [S({ A: ['1.2.3.4/uid-2', '1.2.3.4/uid-1'], P: [111] })],
      expect: [S({ A: ['1.2.3.4/uid-1', '1.2.3.4/uid-2'], P: [111] })],
    },
    {
      name: 'three sets, the same two ips reach ports 111 and 222 in different orders: one subset with both ports',
      given: [S({ A: ['1.2.3.4'], P: [111] }), S({ A: ['5.6.7.8'], P: [111, 222] }), S({ A: ['1.2.3.4'], P: [222] })],
      expect: [S({ A: ['1.2.3.4', '5.6.7.8'], P: [111, 222] })],
    },
    {
      name: 'two sets, dup ip, ports listed in opposite orders: one subset with both ports',
      given: [S({ A: ['1.2.3.4'], P: [111, 222] }), S({ A: ['5.6.7.8'], P: [222, 111] })],
      expect: [S({ A: ['1.2.3.4', '5.6.7.8'], P: [111, 222] })],
    },
    {
      name: 'two sets, dup ip, port 53 over UDP and over TCP: one number on two protocols is two ports',
      given: [S({ A: ['1.2.3.4'], P: [{ port: 53, protocol: 'UDP' }] }), S({ A: ['1.2.3.4'], P: [{ port: 53, protocol: 'TCP' }] })],
      expect: [S({ A: ['1.2.3.4'], P: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] })],
    },
    {
      name: 'two sets, dup ip, port 80 named http and named web: one number under two names is two ports',
      given: [S({ A: ['1.2.3.4'], P: [{ name: 'http', port: 80 }] }), S({ A: ['1.2.3.4'], P: [{ name: 'web', port: 80 }] })],
      expect: [S({ A: ['1.2.3.4'], P: [{ name: 'http', port: 80 }, { name: 'web', port: 80 }] })],
    },
    {
      name: 'two sets, two ips, port http:80 with and without appProtocol h2c: two ports, so the addresses stay apart',
      given: [S({ A: ['1.2.3.4'], P: [{ name: 'http', port: 80, appProtocol: 'kubernetes.io/h2c' }] }), S({ A: ['5.6.7.8'], P: [{ name: 'http', port: 80 }] })],
      expect: [S({ A: ['1.2.3.4'], P: [{ name: 'http', port: 80, appProtocol: 'kubernetes.io/h2c' }] }), S({ A: ['5.6.7.8'], P: [{ name: 'http', port: 80 }] })],
    },
  ]
  table(cases, (c) => `TestPackSubsets ${c.name}`, ({ given, expect: want }) => {
    const input = structuredClone(given)
    const got = repackSubsets(input)
    expect(
      subsetSet(got),
      `repackSubsets(${subsetsText(given)})\n  want ${subsetsText(want)}\n  got  ${subsetsText(got)}`,
    ).toEqual(subsetSet(want))
    expect(input, 'repackSubsets must return new subsets and leave its argument as it was').toEqual(given)
  })

  test('repacking keeps every field of the first address seen for an IP and UID: hostname, nodeName and the whole targetRef', () => {
    const first = { ip: '10.244.1.7', hostname: 'web-0', nodeName: 'kind-worker', targetRef: { kind: 'Pod', namespace: 'snackbar', name: 'web-0', uid: 'u7' } }
    const second = { ip: '10.244.1.7', hostname: 'other', nodeName: 'kind-worker2', targetRef: { kind: 'Pod', namespace: 'snackbar', name: 'web-0-old', uid: 'u7' } }
    const got = repackSubsets([{ addresses: [first], ports: [{ port: 80 }] }, { addresses: [second], ports: [{ port: 81 }] }])
    expect(got.flatMap((s) => s.addresses ?? []), 'the first EndpointAddress seen for (10.244.1.7, u7) is the one kept, with all its fields').toEqual([first])
  })

  // SortSubsets exists so that two Endpoints with the same content compare equal: the
  // controller skips the write when the repacked subsets equal the stored ones.
  test('repacking is canonical: the same subsets listed in any order repack to the very same subsets, order included (property)', () => {
    const addr = fc.constantFrom('1.2.3.4', '1.2.3.4/uid-1', '1.2.3.4/uid-2', '10.0.0.10', '10.0.0.2', '5.6.7.8/uid-1')
    const port = fc.constantFrom<EndpointPort>({ port: 111 }, { port: 222 }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns', port: 53, protocol: 'TCP' })
    const subset = fc.record({ A: fc.uniqueArray(addr, { maxLength: 3 }), N: fc.uniqueArray(addr, { maxLength: 2 }), P: fc.uniqueArray(port, { maxLength: 3 }) }).map((o) => S(o))
    const mirrored = (subsets: EndpointSubset[]): EndpointSubset[] =>
      structuredClone(subsets)
        .reverse()
        .map((s) => ({ ...s, addresses: s.addresses?.reverse(), notReadyAddresses: s.notReadyAddresses?.reverse(), ports: s.ports?.reverse() }))
    fc.assert(
      fc.property(fc.array(subset, { maxLength: 5 }), (given) => {
        const once = repackSubsets(structuredClone(given))
        const reordered = repackSubsets(mirrored(given))
        expect(JSON.stringify(reordered), `repackSubsets(${subsetsText(given)}) with every list reversed`).toBe(JSON.stringify(once))
        expect(JSON.stringify(repackSubsets(once)), 'repacking repacked subsets changes nothing').toBe(JSON.stringify(once))
      }),
      { seed: 303, numRuns: 150 },
    )
  })

  test('sortSubsets orders addresses by IP as a string, byte by byte, so 10.0.0.10 comes before 10.0.0.2', () => {
    const subsets = [S({ A: ['10.0.0.2', '10.0.0.10', '10.0.0.1'], N: ['9.9.9.9', '10.0.0.3'], P: [80] })]
    const got = sortSubsets(subsets)
    expect(got.map((s) => (s.addresses ?? []).map(addrText)), 'LessEndpointAddress compares the IP strings bytewise, not as numbers').toEqual([['10.0.0.1', '10.0.0.10', '10.0.0.2']])
    expect(got.map((s) => (s.notReadyAddresses ?? []).map(addrText)), 'notReadyAddresses are sorted the same way ("1" < "9")').toEqual([['10.0.0.3', '9.9.9.9']])
  })

  test('sortSubsets puts two subsets with the same ports in one order, whichever order they are given in', () => {
    const x = () => S({ A: ['1.2.3.4'], P: [111] })
    const y = () => S({ A: ['5.6.7.8'], N: ['1.2.3.5'], P: [111] })
    const xy = sortSubsets([x(), y()]).map(subsetText)
    const yx = sortSubsets([y(), x()]).map(subsetText)
    expect(yx, `sortSubsets([${xy.join(', ')}]) and the same two subsets swapped`).toEqual(xy)
  })

  const less: { name: string; a: string; b: string; want: boolean }[] = [
    { name: 'a smaller IP string sorts first', a: '1.2.3.4', b: '5.6.7.8', want: true },
    { name: 'a larger IP string does not sort first', a: '5.6.7.8', b: '1.2.3.4', want: false },
    { name: '"10.0.0.10" sorts before "10.0.0.2" because the comparison is bytewise', a: '10.0.0.10', b: '10.0.0.2', want: true },
    { name: 'the same IP without targetRef sorts before the one with a targetRef', a: '1.2.3.4', b: '1.2.3.4/uid-1', want: true },
    { name: 'the same IP with a targetRef does not sort before the one without', a: '1.2.3.4/uid-1', b: '1.2.3.4', want: false },
    { name: 'the same IP sorts by targetRef UID', a: '1.2.3.4/uid-1', b: '1.2.3.4/uid-2', want: true },
    { name: 'an address is not less than itself', a: '1.2.3.4/uid-1', b: '1.2.3.4/uid-1', want: false },
    { name: 'two addresses of the same IP, both without targetRef: neither sorts first', a: '1.2.3.4', b: '1.2.3.4', want: false },
    { name: 'a targetRef without UID sorts before one with a UID (the empty UID is the smallest)', a: '1.2.3.4(ref foo)', b: '1.2.3.4/uid-1', want: true },
    { name: 'a targetRef with a UID does not sort before one without', a: '1.2.3.4/uid-1', b: '1.2.3.4(ref foo)', want: false },
  ]
  table(less, (c) => `lessEndpointAddress: ${c.name}`, ({ a, b, want }) => {
    const [x, y] = [S({ A: [a] }).addresses![0]!, S({ A: [b] }).addresses![0]!]
    expect(lessEndpointAddress(x, y), `lessEndpointAddress(${a}, ${b})`).toBe(want)
  })
})

task('endpoints-object', () => {
  const order = service({ name: 'order', selector: { app: 'order' } })

  test('the Endpoints object has the Service\'s name and namespace, its labels, and the managed-by label', () => {
    const svc = service({ name: 'order', labels: { app: 'order', team: 'food' } })
    const got = syncService(svc, [])
    expect(got?.metadata?.name, 'Endpoints are found by the Service\'s name').toBe('order')
    expect(got?.metadata?.namespace).toBe('snackbar')
    expect(got?.metadata?.labels, `labels ${labelsText(got?.metadata?.labels)}: the Service's labels plus endpoints.kubernetes.io/managed-by: endpoint-controller`).toEqual({
      app: 'order',
      team: 'food',
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    })
    expect(got?.subsets ?? [], 'no pods match: no subsets').toEqual([])
  })

  test('a headless Service\'s Endpoints carry the label service.kubernetes.io/headless: ""', () => {
    const got = syncService(service({ name: 'web', clusterIP: 'None' }), [])
    expect(got?.metadata?.labels?.['service.kubernetes.io/headless'], `labels ${labelsText(got?.metadata?.labels)}`).toBe('')
  })

  test('a Service with a cluster IP never passes a service.kubernetes.io/headless label on to its Endpoints', () => {
    const got = syncService(service({ name: 'order', labels: { 'service.kubernetes.io/headless': '' } }), [])
    expect(got?.metadata?.labels ?? {}, `labels ${labelsText(got?.metadata?.labels)}: the Service has cluster IP 10.96.0.100`).not.toHaveProperty(['service.kubernetes.io/headless'])
  })

  test('the trigger time given is written to endpoints.kubernetes.io/last-change-trigger-time, and removed when none is given', () => {
    const stamped = syncService(order, [], { triggerTime: '2026-01-01T00:00:00Z' })
    expect(stamped?.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBe('2026-01-01T00:00:00Z')
    const current: Endpoints = { metadata: { name: 'order', namespace: 'snackbar', annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z', note: 'kept' } } }
    const again = syncService(order, [], { current })
    expect(again?.metadata?.annotations, 'no new trigger: the annotation goes; other annotations of the current object stay').toEqual({ note: 'kept' })
  })

  const portCases: { name: string; servicePort: { name?: string; port: number; targetPort?: number | string; protocol?: 'TCP' | 'UDP' | 'SCTP'; appProtocol?: string }; want: unknown }[] = [
    { name: 'a named TCP port keeps its name and protocol and takes the pod\'s port', servicePort: { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }, want: { name: 'http', port: 8080, protocol: 'TCP' } },
    { name: 'an unnamed port has no name, and a port without protocol is TCP', servicePort: { port: 80 }, want: { port: 8080, protocol: 'TCP' } },
    { name: 'appProtocol is copied when set', servicePort: { name: 'grpc', port: 9000, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' }, want: { name: 'grpc', port: 8080, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' } },
  ]
  table(portCases, (c) => `endpointPortFromServicePort: ${c.name}`, ({ servicePort, want }) => {
    // Strict: a field set to undefined is a field the Service port does not have.
    expect(endpointPortFromServicePort(servicePort, 8080), `endpointPortFromServicePort(${JSON.stringify(servicePort)}, 8080): appProtocol only when the Service port has one`).toStrictEqual(want)
  })

  test('newEndpoints repacks the subsets it is given and keeps the current object\'s other metadata', () => {
    const current: Endpoints = { metadata: { name: 'order', namespace: 'snackbar', resourceVersion: '7', annotations: { note: 'kept' } } }
    const got = newEndpoints(service({ name: 'order' }), [S({ A: ['10.0.0.2/b'], P: [80] }), S({ A: ['10.0.0.1/a'], P: [80] })], { current })
    expect(subsetSet(got.subsets), `want {A=[10.0.0.1/a,10.0.0.2/b] P=[80/TCP]}, got ${subsetsText(got.subsets)}`).toEqual(subsetSet([S({ A: ['10.0.0.1/a', '10.0.0.2/b'], P: [80] })]))
    expect(got.metadata?.resourceVersion, 'metadata of the current Endpoints is kept').toBe('7')
    expect(got.metadata?.annotations, 'annotations of the current Endpoints are kept').toEqual({ note: 'kept' })
    expect([got.apiVersion, got.kind]).toEqual(['v1', 'Endpoints'])
  })

  const ipOf = (i: number) => `10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`
  const manyPods = (readyCount: number, notReadyCount: number): Pod[] => {
    const pods: Pod[] = []
    for (let i = 0; i < readyCount + notReadyCount; i++) {
      pods.push(pod({ name: `order-${i}`, labels: { app: 'order' }, ip: ipOf(i), ready: i < readyCount, uid: `u${i}` }))
    }
    return pods
  }
  const count = (ep: Endpoints | undefined) => ({
    ready: (ep?.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0),
    notReady: (ep?.subsets ?? []).reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0),
  })
  // endpoints_controller_test.go TestSyncServiceOverCapacity (maxCapacity 1000).
  const cases: { name: string; ready: number; notReady: number; starting?: string; want: [number, number, string | undefined] }[] = [
    { name: 'no pods: nothing to truncate, no annotation', ready: 0, notReady: 0, want: [0, 0, undefined] },
    { name: '997 ready and 4 not ready: one not-ready address is cut', ready: 997, notReady: 4, want: [997, 3, 'truncated'] },
    { name: '1000 ready and 10 not ready: every not-ready address is cut', ready: 1000, notReady: 10, want: [1000, 0, 'truncated'] },
    { name: '999 ready under capacity: a stale "truncated" annotation is removed', ready: 999, notReady: 0, starting: 'truncated', want: [999, 0, undefined] },
    { name: 'exactly 1000 ready is at capacity, not over: a stale "warning" annotation is removed', ready: 1000, notReady: 0, starting: 'warning', want: [1000, 0, undefined] },
    { name: '1001 ready: cut to 1000 and annotated', ready: 1001, notReady: 0, want: [1000, 0, 'truncated'] },
    { name: '1001 ready with a starting annotation "invalid": corrected to "truncated"', ready: 1001, notReady: 0, starting: 'invalid', want: [1000, 0, 'truncated'] },
  ]
  table(cases, (c) => `TestSyncServiceOverCapacity: ${c.name}`, ({ ready: r, notReady: n, starting, want: [wr, wn, annotation] }) => {
    const svc = service({ name: 'order' })
    const current: Endpoints | undefined = starting
      ? { metadata: { name: 'order', namespace: 'snackbar', annotations: { 'endpoints.kubernetes.io/over-capacity': starting } } }
      : undefined
    const got = syncService(svc, manyPods(r, n), { current })
    expect(count(got), `Endpoints snackbar/order from ${r} ready + ${n} not-ready pods: at most 1000 addresses, ready ones first`).toEqual({ ready: wr, notReady: wn })
    expect(got?.metadata?.annotations?.['endpoints.kubernetes.io/over-capacity'], 'annotation endpoints.kubernetes.io/over-capacity').toBe(annotation)
  })

  // endpoints_controller_test.go TestTruncateEndpoints: per-subset counts.
  const truncation: { name: string; readyIn: number[]; notReadyIn: number[]; readyOut: number[]; notReadyOut: number[]; truncated: boolean }[] = [
    { name: '900 addresses in total are under capacity: nothing changes', readyIn: [50, 100, 100, 100, 100], notReadyIn: [50, 100, 100, 100, 100], readyOut: [50, 100, 100, 100, 100], notReadyOut: [50, 100, 100, 100, 100], truncated: false },
    { name: 'exactly 1000 addresses are at capacity: nothing changes', readyIn: [100, 100, 100, 100, 100], notReadyIn: [100, 100, 100, 100, 100], readyOut: [100, 100, 100, 100, 100], notReadyOut: [100, 100, 100, 100, 100], truncated: false },
    { name: '280 ready fit, so the 1000 not-ready are cut to 720, proportionally per subset', readyIn: [90, 110, 50, 10, 20], notReadyIn: [101, 200, 200, 201, 298], readyOut: [90, 110, 50, 10, 20], notReadyOut: [73, 144, 144, 145, 214], truncated: true },
    { name: '2100 ready do not fit: every not-ready goes and the ready are cut to 1000, proportionally', readyIn: [205, 400, 402, 400, 693], notReadyIn: [100, 200, 200, 200, 300], readyOut: [98, 191, 192, 191, 328], notReadyOut: [0, 0, 0, 0, 0], truncated: true },
  ]
  table(truncation, (c) => `TestTruncateEndpoints: ${c.name}`, ({ readyIn, notReadyIn, readyOut, notReadyOut, truncated }) => {
    let next = 0
    const addrs = (n: number) => Array.from({ length: n }, () => ({ ip: ipOf(next++) }))
    const endpoints: Endpoints = {
      metadata: { name: 'order', namespace: 'snackbar' },
      subsets: readyIn.map((r, i) => ({ addresses: addrs(r), notReadyAddresses: addrs(notReadyIn[i]!), ports: [{ port: 80 + i }] })),
    }
    const result = truncateEndpoints(endpoints)
    const got = {
      ready: (endpoints.subsets ?? []).map((s) => s.addresses?.length ?? 0),
      notReady: (endpoints.subsets ?? []).map((s) => s.notReadyAddresses?.length ?? 0),
    }
    expect(got, `subsets with ready ${JSON.stringify(readyIn)} and not ready ${JSON.stringify(notReadyIn)}: each subset keeps ceil(its share × budget), capped by what is left`).toEqual({ ready: readyOut, notReady: notReadyOut })
    expect(result, 'truncateEndpoints returns whether it cut anything').toBe(truncated)
  })

  // A subset may list only ready or only not-ready addresses: the other field is then absent.
  const addrs = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ ip: ipOf(from + i) }))
  const oneSided: { name: string; subsets: EndpointSubset[]; readyOut: number[]; notReadyOut: number[] }[] = [
    {
      name: '1001 ready in one subset and 5 not ready in another, each field absent where empty: the ready are cut to 1000 and the not-ready dropped',
      subsets: [{ addresses: addrs(1001, 0), ports: [{ port: 80 }] }, { notReadyAddresses: addrs(5, 2000), ports: [{ port: 81 }] }],
      readyOut: [1000, 0],
      notReadyOut: [0, 0],
    },
    {
      name: '990 ready in one subset and 20 not ready in another, each field absent where empty: the not-ready are cut to 10',
      subsets: [{ addresses: addrs(990, 0), ports: [{ port: 80 }] }, { notReadyAddresses: addrs(20, 2000), ports: [{ port: 81 }] }],
      readyOut: [990, 0],
      notReadyOut: [0, 10],
    },
  ]
  table(oneSided, (c) => `truncateEndpoints: ${c.name}`, ({ subsets, readyOut, notReadyOut }) => {
    const endpoints: Endpoints = { metadata: { name: 'order', namespace: 'snackbar' }, subsets: structuredClone(subsets) }
    expect(truncateEndpoints(endpoints), 'more than 1000 addresses: truncated').toBe(true)
    const got = {
      ready: (endpoints.subsets ?? []).map((s) => s.addresses?.length ?? 0),
      notReady: (endpoints.subsets ?? []).map((s) => s.notReadyAddresses?.length ?? 0),
    }
    expect(got, `subsets ${(subsets).map((s) => `{addresses ${s.addresses?.length ?? 'absent'}, notReadyAddresses ${s.notReadyAddresses?.length ?? 'absent'}}`).join(', ')}: an absent list counts as empty`).toEqual({ ready: readyOut, notReady: notReadyOut })
  })

  test('truncateEndpoints: an Endpoints object without subsets has nothing to cut', () => {
    const endpoints: Endpoints = { metadata: { name: 'order', namespace: 'snackbar' } }
    expect(truncateEndpoints(endpoints), 'no subsets: no addresses, far under 1000').toBe(false)
  })
})

task('reconcile', () => {
  const order = service({ name: 'order', selector: { app: 'order' } })
  const orderPod = (name: string, ip: string, extra: Partial<Parameters<typeof pod>[0]> = {}) => pod({ name, labels: { app: 'order' }, ip, ...extra })
  const check = (c: EndpointsController, ns: string, name: string, want: { ready: string[]; notReady: string[] }, why: string) => {
    const got = c.get(ns, name)
    expect(ipsOf(got), endpointsMessage(`${ns}/${name}`, want, got, why)).toEqual(want)
  }

  test('a pod that becomes Ready moves from notReadyAddresses to addresses', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addPod(orderPod('order-7d4', '10.244.1.2', { ready: false }))
    check(c, 'snackbar', 'order', notReady('10.244.1.2'), 'pod order-7d4 is not Ready, so it belongs in notReadyAddresses')
    c.updatePod(orderPod('order-7d4', '10.244.1.2', { ready: true }))
    check(c, 'snackbar', 'order', ready('10.244.1.2'), 'pod order-7d4 turned Ready: the update must move it to addresses')
  })

  test('a deleted pod disappears from the Endpoints', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addPod(orderPod('order-1', '10.244.1.2'))
    c.addPod(orderPod('order-2', '10.244.1.3'))
    c.deletePod(orderPod('order-1', '10.244.1.2'))
    check(c, 'snackbar', 'order', ready('10.244.1.3'), 'pod order-1 was deleted')
  })

  test('a pod that starts terminating leaves the Endpoints before it is gone', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addPod(orderPod('order-1', '10.244.1.2'))
    c.updatePod(orderPod('order-1', '10.244.1.2', { deleting: true }))
    check(c, 'snackbar', 'order', NONE, 'order-1 has a deletionTimestamp: Endpoints drop terminating pods (EndpointSlices keep them as terminating)')
  })

  test('a pod relabelled out of the selector leaves the Endpoints, and joins again when relabelled back', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addPod(orderPod('order-1', '10.244.1.2'))
    c.updatePod(pod({ name: 'order-1', labels: { app: 'debug' }, ip: '10.244.1.2' }))
    check(c, 'snackbar', 'order', NONE, 'order-1 now has labels {app: debug}; selector {app: order} no longer matches it')
    c.updatePod(orderPod('order-1', '10.244.1.2'))
    check(c, 'snackbar', 'order', ready('10.244.1.2'), 'order-1 has labels {app: order} again')
  })

  test('changing a Service\'s selector re-selects its pods', () => {
    const c = new EndpointsController()
    c.addPod(orderPod('order-1', '10.244.1.2'))
    c.addPod(pod({ name: 'order-v2-1', labels: { app: 'order', version: 'v2' }, ip: '10.244.1.3' }))
    c.addService(order)
    check(c, 'snackbar', 'order', ready('10.244.1.2', '10.244.1.3'), 'selector {app: order} matches both pods')
    c.updateService(service({ name: 'order', selector: { app: 'order', version: 'v2' } }))
    check(c, 'snackbar', 'order', ready('10.244.1.3'), 'the selector became {app: order, version: v2}')
  })

  test('pods created before their Service are picked up when the Service is added', () => {
    const c = new EndpointsController()
    c.addPod(orderPod('order-1', '10.244.1.2'))
    c.addService(order)
    check(c, 'snackbar', 'order', ready('10.244.1.2'), 'adding a Service syncs it against the pods already there')
  })

  test('deleting a Service deletes its Endpoints', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addPod(orderPod('order-1', '10.244.1.2'))
    c.deleteService(order)
    expect(c.get('snackbar', 'order'), 'Endpoints snackbar/order must be gone with its Service').toBeUndefined()
    c.addPod(orderPod('order-2', '10.244.1.3'))
    expect(c.get('snackbar', 'order'), 'a new pod must not bring back the Endpoints of a deleted Service').toBeUndefined()
  })

  test('deleting a selector-less Service deletes the Endpoints its user wrote, like any Service\'s', () => {
    const c = new EndpointsController()
    const db = service({ name: 'legacy-db', selector: null })
    c.addService(db)
    c.applyEndpoints({ metadata: { name: 'legacy-db', namespace: 'snackbar' }, subsets: [{ addresses: [{ ip: '192.168.10.5' }], ports: [{ port: 5432 }] }] })
    c.deleteService(db)
    expect(c.get('snackbar', 'legacy-db'), 'syncService of a Service that no longer exists deletes the Endpoints of that name, whoever wrote them').toBeUndefined()
  })

  test('a selector-less Service\'s Endpoints written by a user are left untouched', () => {
    const c = new EndpointsController()
    const db = service({ name: 'legacy-db', selector: null, ports: [{ name: 'pg', port: 5432 }] })
    const user: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'legacy-db', namespace: 'snackbar' },
      subsets: [{ addresses: [{ ip: '192.168.10.5' }], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }],
    }
    c.addService(db)
    c.applyEndpoints(structuredClone(user))
    c.addPod(pod({ name: 'legacy-db-0', labels: { app: 'legacy-db' }, ip: '10.244.1.2' }))
    c.updateService(service({ name: 'legacy-db', selector: null, ports: [{ name: 'pg', port: 5433 }] }))
    expect(c.get('snackbar', 'legacy-db'), 'a Service without selector: the controller must neither overwrite nor delete the user\'s Endpoints').toEqual(user)
  })

  test('a pod in another namespace with matching labels is ignored by the controller', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addPod(pod({ name: 'order-1', namespace: 'kitchen', labels: { app: 'order' }, ip: '10.244.2.2' }))
    check(c, 'snackbar', 'order', NONE, 'kitchen/order-1 matches {app: order} but lives in namespace kitchen')
    expect(c.get('snackbar', 'order'), 'the Service still has its (empty) Endpoints object').toBeDefined()
  })

  test('a pod selected by two Services is listed in both Endpoints', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addService(service({ name: 'order-canary', selector: { track: 'canary' } }))
    c.addPod(pod({ name: 'order-9', labels: { app: 'order', track: 'canary' }, ip: '10.244.1.9' }))
    check(c, 'snackbar', 'order', ready('10.244.1.9'), '{app: order} matches order-9')
    check(c, 'snackbar', 'order-canary', ready('10.244.1.9'), '{track: canary} matches order-9 too')
  })

  test('Endpoints deleted by a user are recreated by the controller', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addPod(orderPod('order-1', '10.244.1.2'))
    c.deleteEndpoints('snackbar', 'order')
    check(c, 'snackbar', 'order', ready('10.244.1.2'), 'the controller watches Endpoints deletions and re-syncs the Service')
  })

  test('Endpoints a user edits for a Service with a selector are overwritten at the next sync', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.applyEndpoints({ metadata: { name: 'order', namespace: 'snackbar' }, subsets: [{ addresses: [{ ip: '192.168.10.5' }], ports: [{ port: 80 }] }] })
    c.addPod(orderPod('order-1', '10.244.1.2'))
    check(c, 'snackbar', 'order', ready('10.244.1.2'), 'a Service with a selector owns its Endpoints: the controller writes what the pods say')
  })

  test('a Service whose selector is removed keeps its last Endpoints, which the controller no longer updates', () => {
    const c = new EndpointsController()
    c.addService(order)
    c.addPod(orderPod('order-1', '10.244.1.2'))
    c.updateService(service({ name: 'order', selector: null }))
    c.addPod(orderPod('order-2', '10.244.1.3'))
    check(c, 'snackbar', 'order', ready('10.244.1.2'), 'without selector the controller stops managing the Endpoints; it neither deletes nor updates them')
  })

  test('an ExternalName Service never gets Endpoints from the controller', () => {
    const c = new EndpointsController()
    c.addService(service({ name: 'payments', type: 'ExternalName', externalName: 'payments.example.com', selector: { app: 'payments' } }))
    c.addPod(pod({ name: 'payments-1', labels: { app: 'payments' } }))
    expect(c.get('snackbar', 'payments'), 'ExternalName Services have no endpoints').toBeUndefined()
  })

  test('the first sync stamps last-change-trigger-time with the Service\'s creationTimestamp, a readiness change with its lastTransitionTime', () => {
    const c = new EndpointsController()
    c.addService(order)
    expect(c.get('snackbar', 'order')?.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], 'first sync: the Service creationTimestamp').toBe('2026-01-01T00:00:00Z')
    c.addPod(withReady(orderPod('order-1', '10.244.1.2'), true, '2026-01-01T00:05:00Z'))
    expect(c.get('snackbar', 'order')?.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], 'order-1 became Ready at 00:05:00').toBe('2026-01-01T00:05:00Z')
  })

  test('batch applies many events and syncs each Service once at the end, with every pod listed', () => {
    const c = new EndpointsController()
    c.addService(order)
    const ips = Array.from({ length: 300 }, (_, i) => `10.244.${Math.floor(i / 100)}.${(i % 100) + 2}`)
    c.batch(() => {
      ips.forEach((ip, i) => c.addPod(orderPod(`order-${i}`, ip)))
      check(c, 'snackbar', 'order', NONE, 'inside batch() the Services are not synced yet, as if the work queue had not run')
    })
    check(c, 'snackbar', 'order', ready(...[...ips].sort()), 'after batch() the Service is synced with all 300 pods')
  })

  table(reconcileRows, (r) => r.name, ({ events, endpoints = 'snackbar/order', want, why }) => {
    const c = new EndpointsController()
    events(c)
    const [ns, name] = endpoints.split('/') as [string, string]
    const got = c.get(ns, name)
    if (want.ips === null) expect(got, `Endpoints ${endpoints} must not exist — ${why}`).toBeUndefined()
    else if (want.ips) expect(ipsOf(got), endpointsMessage(endpoints, want.ips, got, why)).toEqual(want.ips)
    if (want.ports) expect(portsOf(got), `ports of Endpoints ${endpoints} — ${why}`).toEqual(want.ports)
    if (want.labels) expect(got?.metadata?.labels, `labels of Endpoints ${endpoints} ${labelsText(got?.metadata?.labels)} — ${why}`).toEqual(want.labels)
    if (want.triggerTime !== undefined) {
      expect(got?.metadata?.annotations?.[TRIGGER], `annotation ${TRIGGER} of Endpoints ${endpoints} — ${why}`).toBe(want.triggerTime ?? undefined)
    }
  })

  test('list returns every Endpoints object sorted by namespace, then name, whatever order the Services came in', () => {
    const c = new EndpointsController()
    for (const s of listServices) c.addService(s)
    expect(c.list().map((e) => `${e.metadata?.namespace}/${e.metadata?.name}`)).toEqual(['kitchen/cart', 'kitchen/order', 'snackbar/api', 'snackbar/menu', 'snackbar/order', 'snackbar/web'])
    expect(c.list('kitchen').map((e) => e.metadata?.name), 'list(\'kitchen\'): that namespace only').toEqual(['cart', 'order'])
  })

  test('list returns the Endpoints of one namespace, sorted by name', () => {
    const c = new EndpointsController()
    c.addService(service({ name: 'web' }))
    c.addService(order)
    c.addService(service({ name: 'order', namespace: 'kitchen' }))
    expect(c.list('snackbar').map((e) => e.metadata?.name)).toEqual(['order', 'web'])
    expect(c.list().map((e) => `${e.metadata?.namespace}/${e.metadata?.name}`)).toEqual(['kitchen/order', 'snackbar/order', 'snackbar/web'])
  })
})

task('endpoint-slices', () => {
  const order = service({ name: 'order', labels: { app: 'order', team: 'food' } })
  const orderPods = (n: number, extra: Partial<Parameters<typeof pod>[0]> = {}) =>
    Array.from({ length: n }, (_, i) => pod({ name: `order-${String(i).padStart(3, '0')}`, labels: { app: 'order' }, ip: `10.244.${Math.floor(i / 200)}.${(i % 200) + 2}`, ...extra }))
  const allIPs = (slices: EndpointSlice[] | undefined) => (slices ?? []).flatMap((s) => s.endpoints.flatMap((e) => e.addresses)).sort()
  const sliceSummary = (slices: EndpointSlice[] | undefined) =>
    (slices ?? []).map((s) => `${s.metadata?.name} ${s.addressType} ${s.endpoints.length} endpoints ports [${(s.ports ?? []).map((p) => portText({ name: p.name, port: p.port ?? 0, protocol: p.protocol })).join(',')}]`).join('; ')

  test('105 pods are cut into EndpointSlices of 100 and 5 endpoints', () => {
    const pods = orderPods(105)
    const slices = syncEndpointSlices(order, pods)
    expect((slices ?? []).map((s) => s.endpoints.length).sort((a, b) => b - a), `EndpointSlices of snackbar/order: ${sliceSummary(slices)}; at most 100 endpoints per slice`).toEqual([100, 5])
    expect(allIPs(slices), 'every pod is an endpoint of exactly one slice').toEqual(pods.map((p) => p.status!.podIP!).sort())
  })

  test('maxEndpointsPerSlice sets the slice size: 5 pods with a maximum of 2 give slices of 2, 2 and 1', () => {
    const slices = syncEndpointSlices(order, orderPods(5), { maxEndpointsPerSlice: 2 })
    expect((slices ?? []).map((s) => s.endpoints.length).sort((a, b) => b - a), sliceSummary(slices)).toEqual([2, 2, 1])
  })

  test('terminal and IP-less pods are not endpoints; a placeholder slice with no endpoints remains', () => {
    const slices = syncEndpointSlices(order, [pod({ name: 'job', labels: { app: 'order' }, phase: 'Succeeded', ready: false }), pod({ name: 'new', labels: { app: 'order' }, ip: null, phase: 'Pending', ready: false })])
    expect(slices?.length, `one empty placeholder slice per address type, got: ${sliceSummary(slices)}`).toBe(1)
    expect(slices?.[0]?.endpoints, 'a Succeeded pod and a pod without IP are never endpoints').toEqual([])
    expect(slices?.[0]?.ports, 'the placeholder has no ports').toEqual([])
  })

  test('slices are labelled with the service name, the managed-by controller, the Service\'s own labels and the headless label', () => {
    const svc = service({ name: 'web', clusterIP: 'None', labels: { app: 'web', 'kubernetes.io/service-name': 'spoof' } })
    const slices = syncEndpointSlices(svc, [])
    expect(slices?.[0]?.metadata?.labels, `labels ${labelsText(slices?.[0]?.metadata?.labels)}: reserved keys of the Service's labels are not copied`).toEqual({
      app: 'web',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      'service.kubernetes.io/headless': '',
    })
    const plain = syncEndpointSlices(order, [])
    expect(plain?.[0]?.metadata?.labels, 'a Service with a cluster IP: no headless label').toEqual({
      app: 'order',
      team: 'food',
      'kubernetes.io/service-name': 'order',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
  })

  test('a slice is named <service>- plus five random characters, is in the Service\'s namespace and is owned by the Service', () => {
    const slices = syncEndpointSlices(order, orderPods(150), { random: new Random(7) }) ?? []
    for (const s of slices) {
      expect(s.metadata?.generateName).toBe('order-')
      expect(s.metadata?.name, 'utilrand.String(5) draws from "bcdfghjklmnpqrstvwxz2456789"').toMatch(/^order-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      expect(s.metadata?.namespace).toBe('snackbar')
      expect(s.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'order', uid: 'uid-svc-order', controller: true, blockOwnerDeletion: true }])
    }
    expect(new Set(slices.map((s) => s.metadata?.name)).size, 'two slices, two different names').toBe(2)
    const again = syncEndpointSlices(order, orderPods(150), { random: new Random(7) }) ?? []
    expect(again.map((s) => s.metadata?.name), 'the same seed gives the same names').toEqual(slices.map((s) => s.metadata?.name))
  })

  test('a dual-stack Service gets one set of slices per address type, each listing the pods\' addresses of that family', () => {
    const base = service({ name: 'order' })
    const svc: Service = { ...base, spec: { ...base.spec, ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack', clusterIPs: ['10.96.0.100', 'fd00:10:96::100'] } }
    const pods = [withIPs(pod({ name: 'order-1', labels: { app: 'order' } }), ['10.244.1.2', 'fd00:10:244:1::2']), pod({ name: 'order-2', labels: { app: 'order' }, ip: '10.244.1.3' })]
    const slices = syncEndpointSlices(svc, pods) ?? []
    const byType = Object.fromEntries(['IPv4', 'IPv6'].map((t) => [t, allIPs(slices.filter((s) => s.addressType === t))]))
    expect(byType, `slices: ${sliceSummary(slices)}`).toEqual({ IPv4: ['10.244.1.2', '10.244.1.3'], IPv6: ['fd00:10:244:1::2'] })
  })

  test('pods that resolve a named targetPort differently land in different slices, each with its own ports', () => {
    const svc = service({ name: 'web', ports: [{ name: 'http', port: 80, targetPort: 'web' }] })
    const pods = [
      pod({ name: 'a', labels: { app: 'web' }, ip: '10.0.0.1', containerPorts: [{ name: 'web', containerPort: 8080 }] }),
      pod({ name: 'b', labels: { app: 'web' }, ip: '10.0.0.2', containerPorts: [{ name: 'web', containerPort: 8081 }] }),
      pod({ name: 'c', labels: { app: 'web' }, ip: '10.0.0.3', containerPorts: [{ name: 'web', containerPort: 8080 }] }),
      pod({ name: 'd', labels: { app: 'web' }, ip: '10.0.0.4', containerPorts: [] }),
    ]
    const slices = syncEndpointSlices(svc, pods) ?? []
    const layout = slices
      .map((s) => `[${(s.ports ?? []).map((p) => `${p.name}:${p.port}/${p.protocol}`).join(',')}] ${s.endpoints.flatMap((e) => e.addresses).sort().join(',')}`)
      .sort()
    expect(layout, 'pods are grouped by identical port lists; d has no port named web, so its slice has ports []').toEqual(['[http:8080/TCP] 10.0.0.1,10.0.0.3', '[http:8081/TCP] 10.0.0.2', '[] 10.0.0.4'].sort())
  })

  test('a pod on a node the cluster does not know is left out, unless the Service publishes not-ready addresses', () => {
    const nodes: Node[] = [{ metadata: { name: 'kind-worker', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } }]
    const pods = [pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2', node: 'kind-worker' }), pod({ name: 'order-2', labels: { app: 'order' }, ip: '10.244.9.2', node: 'gone-node' })]
    const slices = syncEndpointSlices(order, pods, { nodes })
    expect(allIPs(slices), 'order-2 runs on node gone-node, which does not exist').toEqual(['10.244.1.2'])
    expect(slices?.[0]?.endpoints[0]?.zone, 'the zone comes from the node label topology.kubernetes.io/zone').toBe('zone-a')
    const published = syncEndpointSlices(service({ name: 'order', publishNotReadyAddresses: true }), pods, { nodes })
    expect(allIPs(published), 'publishNotReadyAddresses keeps the pod even though its node is missing').toEqual(['10.244.1.2', '10.244.9.2'])
  })

  const families: { name: string; spec: Partial<NonNullable<Service['spec']>>; want: string[] }[] = [
    { name: 'one address type per spec.ipFamilies entry, in order', spec: { ipFamilies: ['IPv6', 'IPv4'] }, want: ['IPv6', 'IPv4'] },
    { name: 'without ipFamilies, the family of the cluster IP', spec: { ipFamilies: undefined, clusterIP: 'fd00:10:96::a' }, want: ['IPv6'] },
    { name: 'without ipFamilies, a headless Service gets both families', spec: { ipFamilies: undefined, clusterIP: 'None' }, want: ['IPv4', 'IPv6'] },
    { name: 'a single-stack IPv6 Service gets IPv6 slices only', spec: { ipFamilies: ['IPv6'], clusterIP: 'fd00:10:96::a' }, want: ['IPv6'] },
    { name: 'without ipFamilies, an IPv4 cluster IP gives IPv4 only', spec: { ipFamilies: undefined, clusterIP: '10.96.0.100' }, want: ['IPv4'] },
    { name: 'without ipFamilies and with an empty clusterIP, both families as for a headless Service', spec: { ipFamilies: undefined, clusterIP: '' }, want: ['IPv4', 'IPv6'] },
  ]
  table(families, (c) => `getAddressTypesForService: ${c.name}`, ({ spec, want }) => {
    const base = service({ name: 'order' })
    const svc: Service = { ...base, spec: { ...base.spec, ...spec } }
    expect(getAddressTypesForService(svc), `Service with ipFamilies ${JSON.stringify(spec.ipFamilies)} and clusterIP ${svc.spec?.clusterIP}`).toEqual(want)
  })

  test('getEndpointPorts gives every resolvable Service port with its name ("" when unnamed), protocol and the pod\'s port', () => {
    const svc = service({ name: 'web', ports: [{ port: 80, targetPort: 8080 }, { name: 'admin', port: 9000, targetPort: 'admin' }, { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' }] })
    expect(getEndpointPorts(svc, pod({ name: 'web-1', containerPorts: [] })), 'the pod declares no port named admin, so that Service port is missing').toEqual([
      { name: '', port: 8080, protocol: 'TCP' },
      { name: 'dns', port: 5353, protocol: 'UDP' },
    ])
  })

  test('no EndpointSlices are managed for an ExternalName Service or a Service without selector', () => {
    expect(syncEndpointSlices(service({ name: 'payments', type: 'ExternalName', externalName: 'payments.example.com' }), []), 'ExternalName').toBeUndefined()
    expect(syncEndpointSlices(service({ name: 'legacy-db', selector: null }), []), 'no selector: the EndpointSlice mirroring controller copies the user\'s Endpoints instead').toBeUndefined()
  })

  test('a pod in another namespace is not in the Service\'s EndpointSlices', () => {
    const slices = syncEndpointSlices(order, [pod({ name: 'order-1', labels: { app: 'order' }, ip: '10.244.1.2' }), pod({ name: 'order-1', namespace: 'kitchen', labels: { app: 'order' }, ip: '10.244.2.2' })])
    expect(allIPs(slices), 'kitchen/order-1 lives in another namespace').toEqual(['10.244.1.2'])
  })

  const addressCases: { name: string; ips: string[]; addressType: 'IPv4' | 'IPv6'; want: string[] }[] = [
    { name: 'the IPv4 addresses of a dual-stack pod, in order', ips: ['10.244.1.2', 'fd00:10:244:1::2'], addressType: 'IPv4', want: ['10.244.1.2'] },
    { name: 'the IPv6 addresses of a dual-stack pod', ips: ['10.244.1.2', 'fd00:10:244:1::2'], addressType: 'IPv6', want: ['fd00:10:244:1::2'] },
    { name: 'none of that family: an empty list', ips: ['10.244.1.2'], addressType: 'IPv6', want: [] },
  ]
  table(addressCases, (c) => `getEndpointAddresses: ${c.name}`, ({ ips, addressType, want }) => {
    expect(getEndpointAddresses(withIPs(pod({ name: 'a' }), ips).status, addressType), `pod IPs ${JSON.stringify(ips)}, addressType ${addressType}`).toEqual(want)
  })

  test('getEndpointAddresses: a pod without status or without status.podIPs has no address', () => {
    expect(getEndpointAddresses(undefined, 'IPv4'), 'no status at all').toEqual([])
    expect(getEndpointAddresses({ phase: 'Pending' }, 'IPv4'), 'a status without podIPs (the pod has no IP yet)').toEqual([])
  })

  table(slicePortRows, (c) => `getEndpointPorts: ${c.name}`, ({ ports, want }) => {
    const base = service({ name: 'web' })
    const svc: Service = { ...base, spec: { ...base.spec, ports } }
    // Strict: a field set to undefined is a field the Service port does not have.
    expect(getEndpointPorts(svc, pod({ name: 'web-1' })), `Service ports ${JSON.stringify(ports)}`).toStrictEqual(want)
  })

  table(sliceLabelRows, (c) => `setEndpointSliceLabels: ${c.name}`, ({ spec, labels, want }) => {
    const base = service({ name: 'web', labels })
    const svc: Service = { ...base, spec: { ...base.spec, ...spec } }
    expect(setEndpointSliceLabels(svc), `Service web, clusterIP ${JSON.stringify(svc.spec?.clusterIP)}, labels ${labelsText(labels)}`).toEqual(want)
  })

  table(sliceSyncRows, (c) => `syncService (EndpointSlices): ${c.name}`, ({ service: svc, pods, options, want, why }) => {
    const slices = syncEndpointSlices(svc, pods, options) ?? []
    const got = slices.map((s) => ({ apiVersion: s.apiVersion, kind: s.kind, addressType: s.addressType, pods: s.endpoints.map((e) => e.targetRef?.name ?? '?') }))
    expect(got, `EndpointSlices of snackbar/${svc.metadata?.name}: ${sliceSummary(slices)} — ${why}`).toEqual(want.map((w) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', ...w })))
  })

  table(badSliceSizes, (c) => `syncService (EndpointSlices): maxEndpointsPerSlice ${c.max} is refused with a RangeError`, ({ max }) => {
    const call = () => syncEndpointSlices(order, orderPods(3), { maxEndpointsPerSlice: max })
    expect(call, `--max-endpoints-per-slice must be a whole number of at least 1; ${max} is not`).toThrow(RangeError)
    expect(call).toThrow(`maxEndpointsPerSlice must be a whole number ≥ 1, got ${max}`)
  })
})

// Rows for kata 03's EndpointSlice checks: the ports and labels of a slice, and how
// syncService cuts a Service's pods into slices (which pods, in which order, how many
// per slice). After k8s.io/endpointslice's utils_test.go and reconciler_test.go.
import type { Pod, Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1'
import type { EndpointPort } from 'kubernetes-types/discovery/v1'
import { withIPs } from './endpoints.ts'
import { pod, service } from './fixtures.ts'

export const slicePortRows: { name: string; ports: ServicePort[] | undefined; want: EndpointPort[] }[] = [
  { name: 'a headless Service without ports gives an endpoint no ports', ports: undefined, want: [] },
  { name: 'a Service port without protocol is TCP (what the API server defaults)', ports: [{ name: 'http', port: 80, targetPort: 8080 }], want: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
  {
    name: 'appProtocol is copied when the Service port has one, and absent otherwise',
    ports: [
      { name: 'grpc', port: 9000, targetPort: 9000, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
    ],
    want: [
      { name: 'grpc', port: 9000, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
      { name: 'http', port: 8080, protocol: 'TCP' },
    ],
  },
]

const managed = { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }
export const sliceLabelRows: { name: string; spec: Partial<ServiceSpec>; labels: Record<string, string>; want: Record<string, string> }[] = [
  {
    name: 'a Service with a cluster IP never passes a service.kubernetes.io/headless label on to its slices',
    spec: {},
    labels: { app: 'web', 'service.kubernetes.io/headless': '' },
    want: { app: 'web', ...managed },
  },
  {
    name: 'a Service with an empty clusterIP is labelled headless, as one with clusterIP None',
    spec: { clusterIP: '', clusterIPs: undefined },
    labels: { app: 'web' },
    want: { app: 'web', 'service.kubernetes.io/headless': '', ...managed },
  },
]

const order = service({ name: 'order' })
const orderPod = (name: string, ip: string, labels: Record<string, string> = { app: 'order' }) => pod({ name, labels, ip })
const dualStack: Service = { ...order, spec: { ...order.spec, ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack', clusterIPs: ['10.96.0.100', 'fd00:10:96::100'] } }

export interface SliceSyncRow {
  name: string
  service: Service
  pods: Pod[]
  options?: { maxEndpointsPerSlice?: number }
  /** Each slice in order: its address type and the pods (targetRef names) of its endpoints, in order. */
  want: { addressType: 'IPv4' | 'IPv6'; pods: string[] }[]
  why: string
}

export const sliceSyncRows: SliceSyncRow[] = [
  {
    name: 'endpoints are listed by pod name, whatever order the pods come in',
    service: order,
    pods: [orderPod('order-c', '10.244.1.4'), orderPod('order-a', '10.244.1.2'), orderPod('order-b', '10.244.1.3')],
    want: [{ addressType: 'IPv4', pods: ['order-a', 'order-b', 'order-c'] }],
    why: 'this model packs pods sorted by name',
  },
  {
    name: 'a pod whose labels the selector does not match is no endpoint',
    service: order,
    pods: [orderPod('order-1', '10.244.1.2'), orderPod('debug', '10.244.1.3', { app: 'debug' })],
    want: [{ addressType: 'IPv4', pods: ['order-1'] }],
    why: 'selector {app: order} does not match pod debug',
  },
  {
    name: 'a pod without an IPv6 address is no endpoint of the IPv6 slice of a dual-stack Service',
    service: dualStack,
    pods: [withIPs(orderPod('order-1', '10.244.1.2'), ['10.244.1.2', 'fd00:10:244:1::2']), orderPod('order-2', '10.244.1.3')],
    want: [
      { addressType: 'IPv4', pods: ['order-1', 'order-2'] },
      { addressType: 'IPv6', pods: ['order-1'] },
    ],
    why: 'order-2 has only 10.244.1.3: an endpoint needs an address of the slice\'s type',
  },
  {
    name: 'a maximum of 1 endpoint per slice gives one slice per pod',
    service: order,
    pods: [orderPod('order-1', '10.244.1.2'), orderPod('order-2', '10.244.1.3'), orderPod('order-3', '10.244.1.4')],
    options: { maxEndpointsPerSlice: 1 },
    want: [
      { addressType: 'IPv4', pods: ['order-1'] },
      { addressType: 'IPv4', pods: ['order-2'] },
      { addressType: 'IPv4', pods: ['order-3'] },
    ],
    why: '--max-endpoints-per-slice=1',
  },
  {
    name: 'exactly as many pods as the maximum fill one slice, with no empty one after it',
    service: order,
    pods: [orderPod('order-1', '10.244.1.2'), orderPod('order-2', '10.244.1.3')],
    options: { maxEndpointsPerSlice: 2 },
    want: [{ addressType: 'IPv4', pods: ['order-1', 'order-2'] }],
    why: 'two endpoints fit one slice of 2',
  },
]

export const badSliceSizes: { max: number }[] = [{ max: 0 }, { max: -5 }, { max: 2.5 }]

// Misconception: an endpoint's ready condition is its pod's Ready condition
// (or publishNotReadyAddresses), whether or not the pod is terminating.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1'
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1'
import {
  podToEndpoint as realPodToEndpoint,
  syncService as realSyncService,
  type AddressType,
  type ReconcileOptions,
} from '../../../solutions/controller/endpointslice.ts'
export * from '../../../solutions/controller/endpointslice.ts'

function readyWhileServing(endpoint: Endpoint, service: Service): Endpoint {
  const serving = endpoint.conditions?.serving === true
  return { ...endpoint, conditions: { ...endpoint.conditions, ready: service.spec?.publishNotReadyAddresses === true || serving } }
}

export function podToEndpoint(pod: Pod, service: Service, addressType: AddressType, node?: Node): Endpoint {
  return readyWhileServing(realPodToEndpoint(pod, service, addressType, node), service)
}

// The reconciler calls the module's own podToEndpoint, so its slices are corrected the same way.
export function syncService(service: Service, pods: readonly Pod[], options: ReconcileOptions = {}): EndpointSlice[] | undefined {
  return realSyncService(service, pods, options)?.map((s) => ({ ...s, endpoints: s.endpoints.map((e) => readyWhileServing(e, service)) }))
}

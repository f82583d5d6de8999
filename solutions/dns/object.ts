// What CoreDNS keeps of the API objects it watches (plugin/kubernetes/object): of a
// Service its name, type, cluster IPs and ports; of its endpoints the addresses and ports,
// whether they come from Endpoints or from EndpointSlices. The zone answers from these
// views, never from the objects themselves.
//
// CoreDNS drops the endpoints that are not ready while it converts the objects; the model
// keeps them, marked `ready: false`, so that the zone's answer is where readiness decides.
import type * as v1 from 'kubernetes-types/core/v1'
import type * as discovery from 'kubernetes-types/discovery/v1'
import { extend } from '../../lib/object.ts'

/** The label of EndpointSlices that names their Service (`discovery.LabelServiceName`). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name'

/** A port of a Service or of its endpoints. `port: -1` is CoreDNS's sentinel for "no ports". */
export interface Port {
  port: number
  name: string
  protocol: string
}

/** `object.Service`: what the zone keeps of a Service. */
export interface Service {
  name: string
  namespace: string
  /** `spec.type`: `ClusterIP` when unset. */
  type: string
  externalName: string
  /** `spec.clusterIPs`, or `[spec.clusterIP]` when that list is empty; `['None']` for a headless Service. */
  clusterIPs: string[]
  /** `spec.ports`, a missing protocol as TCP; `[{ port: -1, name: '', protocol: '' }]` for a Service without ports. */
  ports: Port[]
}

/** `object.EndpointAddress`: one endpoint address, and whether it is ready. */
export interface EndpointAddress extends v1.EndpointAddress {
  /** In `addresses` of an Endpoints subset (not `notReadyAddresses`), or an EndpointSlice endpoint whose `conditions.ready` is not false. */
  ready: boolean
}

/** `object.EndpointSubset`: addresses that share the same ports. */
export interface EndpointSubset {
  addresses: EndpointAddress[]
  /** The subset's ports; `[{ port: -1, name: '', protocol: '' }]` when it has none. */
  ports: Port[]
}

/** `object.Endpoints`: the endpoints of one Service, from an Endpoints object or one EndpointSlice. */
export interface Endpoints {
  namespace: string
  /** The Service they belong to: the Endpoints' name, or the slice's `kubernetes.io/service-name` label. */
  service: string
  subsets: EndpointSubset[]
}

const NO_PORTS: readonly Port[] = [{ port: -1, name: '', protocol: '' }]

/**
 * `object.ToService`: a Service as the zone keeps it.
 *
 * 1. `namespace` defaults to `default`, `type` to `ClusterIP`, `externalName` to `''`.
 * 2. `clusterIPs` is `spec.clusterIPs`, or `[spec.clusterIP ?? '']` when that list is empty.
 * 3. Each port keeps `port` and `name` (`''` when unnamed); a missing protocol is `TCP`.
 *    A Service without ports gets the sentinel `{ port: -1, name: '', protocol: '' }`.
 *
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/object/service.go
 */
export function toService(s: v1.Service): Service {
  const spec = s.spec ?? {}
  const meta = s.metadata ?? {}
  return {
    // Stryker disable next-line StringLiteral: the API server stores every Service with a name
    name: meta.name ?? '',
    namespace: meta.namespace ?? 'default',
    type: spec.type ?? 'ClusterIP',
    externalName: spec.externalName ?? '',
    clusterIPs: spec.clusterIPs?.length ? [...spec.clusterIPs] : [spec.clusterIP ?? ''],
    ports: spec.ports?.length ? spec.ports.map((p) => ({ port: p.port, name: p.name ?? '', protocol: p.protocol || 'TCP' })) : [...NO_PORTS],
  }
}

/**
 * `object.ToEndpoints`: an Endpoints object as the zone keeps it, subset by subset.
 *
 * 1. `addresses` come first, `ready: true`; then `notReadyAddresses`, `ready: false`.
 * 2. Ports keep `port`, `name` and `protocol` (`''` when missing); a subset without ports
 *    gets the sentinel `{ port: -1, name: '', protocol: '' }`.
 *
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/object/endpoint.go
 */
export function toEndpoints(e: v1.Endpoints): Endpoints {
  const meta = e.metadata ?? {}
  return {
    namespace: meta.namespace ?? 'default',
    // Stryker disable next-line StringLiteral: the API server stores every Endpoints object with a name
    service: meta.name ?? '',
    subsets: (e.subsets ?? []).map((s) => ({
      // extend (lib/object.ts), not a spread: the copies share one hidden class.
      addresses: [...(s.addresses ?? []).map((a) => extend(a, { ready: true })), ...(s.notReadyAddresses ?? []).map((a) => extend(a, { ready: false }))],
      ports: s.ports?.length ? s.ports.map((p) => ({ port: p.port, name: p.name ?? '', protocol: p.protocol ?? '' })) : [...NO_PORTS],
    })),
  }
}

/**
 * `object.EndpointSliceToEndpoints`: an EndpointSlice as the zone keeps it, one subset
 * for the whole slice.
 *
 * 1. The Service is the slice's `kubernetes.io/service-name` label (`''` without it).
 * 2. One address per address of each endpoint, with the endpoint's `hostname` and
 *    `targetRef`; `ready` unless `conditions.ready` is false (unset counts as ready).
 * 3. Ports as for Endpoints (a port without a number is -1); a slice without ports gets
 *    the sentinel.
 *
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/object/endpoint.go
 */
export function endpointSliceToEndpoints(s: discovery.EndpointSlice): Endpoints {
  const meta = s.metadata ?? {}
  return {
    namespace: meta.namespace ?? 'default',
    service: meta.labels?.[LABEL_SERVICE_NAME] ?? '',
    subsets: [
      {
        addresses: s.endpoints.flatMap((e) =>
          e.addresses.map((ip) => ({
            ip,
            ...(e.hostname ? { hostname: e.hostname } : {}),
            ...(e.targetRef ? { targetRef: e.targetRef } : {}),
            ready: e.conditions?.ready !== false,
          })),
        ),
        ports: s.ports?.length ? s.ports.map((p) => ({ port: p.port ?? -1, name: p.name ?? '', protocol: p.protocol ?? '' })) : [...NO_PORTS],
      },
    ],
  }
}

// Wrong: every endpoint of a Service is published, Ready or not — notReadyAddresses
// are answered like addresses, and EndpointSlice endpoints with ready: false count.
import type { ZoneObjects, ZoneOptions } from '../../../solutions/dns/records.ts'
import { KubeDNS as RealKubeDNS } from '../../../solutions/dns/records.ts'

export * from '../../../solutions/dns/records.ts'

export class KubeDNS extends RealKubeDNS {
  constructor(objects: ZoneObjects, options: ZoneOptions = {}) {
    super(
      {
        ...objects,
        endpoints: objects.endpoints?.map((e) => ({
          ...e,
          subsets: e.subsets?.map((s) => ({ ...s, addresses: [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])] })),
        })),
        endpointSlices: objects.endpointSlices?.map((sl) => ({
          ...sl,
          endpoints: sl.endpoints.map((ep) => ({ ...ep, conditions: { ...ep.conditions, ready: true } })),
        })),
      },
      options,
    )
  }
}

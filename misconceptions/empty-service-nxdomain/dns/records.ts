// Wrong: a ClusterIP Service without a ready endpoint is treated as if it did not
// exist (NXDOMAIN) — as CoreDNS does only with the `ignore empty_service` option.
import type { Service } from 'kubernetes-types/core/v1'
import type { ZoneObjects, ZoneOptions } from '../../../solutions/dns/records.ts'
import { KubeDNS as RealKubeDNS, LABEL_SERVICE_NAME } from '../../../solutions/dns/records.ts'

export * from '../../../solutions/dns/records.ts'

export class KubeDNS extends RealKubeDNS {
  constructor(objects: ZoneObjects, options: ZoneOptions = {}) {
    const key = (ns: string | undefined, name: string | undefined) => `${ns ?? 'default'}/${name ?? ''}`
    const withReady = new Set<string>()
    for (const e of objects.endpoints ?? []) {
      if ((e.subsets ?? []).some((s) => (s.addresses ?? []).length > 0)) withReady.add(key(e.metadata?.namespace, e.metadata?.name))
    }
    for (const sl of objects.endpointSlices ?? []) {
      if (sl.endpoints.some((ep) => ep.conditions?.ready !== false)) withReady.add(key(sl.metadata?.namespace, sl.metadata?.labels?.[LABEL_SERVICE_NAME]))
    }
    const answers = (s: Service) =>
      s.spec?.type === 'ExternalName' || s.spec?.clusterIP === 'None' || withReady.has(key(s.metadata?.namespace, s.metadata?.name))
    super({ ...objects, services: objects.services.filter(answers) }, options)
  }
}

// Wrong: every usable pod the selector matches is published in `addresses`, Ready or
// not — readiness is ignored, as if every Service set publishNotReadyAddresses
// (terminating pods are still dropped).
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1'
import { repackSubsets } from '../../../solutions/api/v1/endpoints/util.ts'
import { syncService as realSyncService, type SyncOptions } from '../../../solutions/controller/endpoints.ts'

export * from '../../../solutions/controller/endpoints.ts'

export function syncService(service: Service, pods: readonly Pod[], options: SyncOptions = {}): Endpoints | undefined {
  const endpoints = realSyncService(service, pods, options)
  if (!endpoints) return endpoints
  endpoints.subsets = repackSubsets(
    (endpoints.subsets ?? []).map((s) => ({
      addresses: [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])],
      ...(s.ports ? { ports: s.ports } : {}),
    })),
  )
  return endpoints
}

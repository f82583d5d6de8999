// Wrong: the selector is matched against the pods of every namespace, not only the
// Service's own.
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1'
import { syncService as realSyncService, type SyncOptions } from '../../../solutions/controller/endpoints.ts'

export * from '../../../solutions/controller/endpoints.ts'

export function syncService(service: Service, pods: readonly Pod[], options: SyncOptions = {}): Endpoints | undefined {
  const namespace = service.metadata?.namespace
  return realSyncService(
    service,
    pods.map((p) => ({ ...p, metadata: { ...p.metadata, namespace } })),
    options,
  )
}

// Misconception: a Service without ports lists no pod at all, since an endpoint
// seems to need a port; a headless Service's portless pods are left out.
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1'
import { syncService as realSyncService, type SyncOptions } from '../../../solutions/controller/endpoints.ts'
export * from '../../../solutions/controller/endpoints.ts'

export function syncService(service: Service, pods: readonly Pod[], options: SyncOptions = {}): Endpoints | undefined {
  const portless = (service.spec?.ports ?? []).length === 0
  return realSyncService(service, portless ? [] : pods, options)
}

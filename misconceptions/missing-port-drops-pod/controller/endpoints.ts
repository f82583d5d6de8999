// Misconception: a pod on which one Service port cannot be resolved (findPort
// throws NoSuitablePortError) is left out of the Endpoints altogether, instead
// of out of that one port.
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1'
import { findPort, NoSuitablePortError } from '../../../solutions/api/v1/pod/util.ts'
import { syncService as realSyncService, type SyncOptions } from '../../../solutions/controller/endpoints.ts'
export * from '../../../solutions/controller/endpoints.ts'

function servesEveryPort(service: Service, pod: Pod): boolean {
  for (const servicePort of service.spec?.ports ?? []) {
    try {
      findPort(pod, servicePort)
    } catch (err) {
      if (err instanceof NoSuitablePortError) return false
      throw err
    }
  }
  return true
}

export function syncService(service: Service, pods: readonly Pod[], options: SyncOptions = {}): Endpoints | undefined {
  return realSyncService(service, pods.filter((p) => servesEveryPort(service, p)), options)
}

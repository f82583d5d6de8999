// Wrong: a terminating pod (deletionTimestamp set) is never an endpoint, whatever the
// caller asks — so EndpointSlices lose terminating pods just like Endpoints do.
import type { Pod } from 'kubernetes-types/core/v1'
import { shouldPodBeInEndpoints as realShouldPodBeInEndpoints } from '../../../solutions/controller/endpoints.ts'

export * from '../../../solutions/controller/endpoints.ts'

export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  void includeTerminating
  return realShouldPodBeInEndpoints(pod, false)
}

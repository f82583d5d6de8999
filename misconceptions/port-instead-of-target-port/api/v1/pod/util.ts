// Wrong: the endpoint port is the Service's `port`, the number clients dial, instead
// of its `targetPort` resolved on the pod.
import type { Pod, ServicePort } from 'kubernetes-types/core/v1'

export * from '../../../../../solutions/api/v1/pod/util.ts'

export function findPort(pod: Pod, svcPort: ServicePort): number {
  void pod
  return svcPort.port
}

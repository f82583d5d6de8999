// Wrong on purpose: the first pod the API server lists for the selector, without ActivePods.
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { PortForwardError, selectorsForObject, type PodLister } from '../../../solutions/kubectl/portforward.ts'

export * from '../../../solutions/kubectl/portforward.ts'

export function attachablePodForObject(object: Pod | Service | Deployment, listPods: PodLister): Pod {
  if (object.kind === 'Pod') return object as Pod
  let sel: ReturnType<typeof selectorsForObject>
  try {
    sel = selectorsForObject(object as Service | Deployment)
  } catch (err) {
    throw new PortForwardError(`cannot attach to *v1.${object.kind}: ${(err as Error).message}`)
  }
  const first = listPods(sel.namespace, sel.selector)[0]
  if (!first) throw new PortForwardError('timed out waiting for the condition')
  return first
}

// Wrong on purpose: a readiness change rewrites the pod the API server shows, but nobody is
// told — the endpoints controller, the EndpointSlices and so kube-proxy keep the pod as ready.
import type { PodCondition } from 'kubernetes-types/core/v1'
import type { ClusterState, PodRecord } from '../../../solutions/cluster/storage.ts'

export * from '../../../solutions/cluster/kubelet.ts'

export function setReadyCondition(_s: ClusterState, rec: PodRecord, ready: boolean): void {
  for (const c of (rec.pod.status?.conditions ?? []) as PodCondition[]) {
    if (c.type === 'Ready' || c.type === 'ContainersReady') (c as { status: string }).status = ready ? 'True' : 'False'
  }
}

// Wrong on purpose: setPodReady changes the pod the API server shows, but nobody is told —
// the endpoints controller, the EndpointSlices and so kube-proxy keep the pod as ready.
import type { PodCondition } from 'kubernetes-types/core/v1'
import { Cluster as RealCluster } from '../../../solutions/cluster/cluster.ts'

export * from '../../../solutions/cluster/cluster.ts'

export class Cluster extends RealCluster {
  override setPodReady(namespace: string, name: string, ready: boolean): void {
    const pod = this.pod(namespace, name)
    for (const c of (pod.status?.conditions ?? []) as PodCondition[]) {
      if (c.type === 'Ready' || c.type === 'ContainersReady') (c as { status: string }).status = ready ? 'True' : 'False'
    }
  }
}

// Wrong on purpose: `kubectl exec … env` computes the environment from the Services that
// exist now, as if the kubelet updated a running container's environment.
import type { EnvVar } from '../../../solutions/kubelet/envvars.ts'
import { startContainer } from '../../../solutions/kubelet/kubelet_pods.ts'
import { Cluster as RealCluster } from '../../../solutions/cluster/cluster.ts'

export * from '../../../solutions/cluster/cluster.ts'

export class Cluster extends RealCluster {
  override env(namespace: string, podName: string, container?: string): EnvVar[] {
    const pod = this.pod(namespace, podName)
    const record = startContainer(pod, container ?? pod.spec?.containers[0]?.name ?? '', this.services())
    return [
      { name: 'PATH', value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
      { name: 'HOSTNAME', value: pod.spec?.hostname ?? podName },
      ...record.env,
    ]
  }
}

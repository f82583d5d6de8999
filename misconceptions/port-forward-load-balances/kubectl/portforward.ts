// Wrong on purpose: each connection of a svc/ or deploy/ port-forward goes to the next
// Running pod the selector matches, and the session carries on while any is left.
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Service } from 'kubernetes-types/core/v1'
import {
  portForward as forwardToOnePod,
  PortForwardSession,
  selectorsForObject,
  type ClusterState,
  type ForwardedConnection,
  type PortForwardRequest,
} from '../../../solutions/kubectl/portforward.ts'

export * from '../../../solutions/kubectl/portforward.ts'

class BalancingSession extends PortForwardSession {
  private turn = 0

  constructor(
    base: PortForwardSession,
    private readonly pods: string[],
  ) {
    super(base.namespace, base.pod, base.ports, base.addresses)
  }

  override connect(localPort: number, address = '127.0.0.1'): ForwardedConnection {
    const c = super.connect(localPort, address)
    return { ...c, pod: this.pods[this.turn++ % this.pods.length] ?? c.pod }
  }

  override podDeleted(namespace: string, name: string): void {
    if (namespace !== this.namespace) return
    const i = this.pods.indexOf(name)
    if (i >= 0) this.pods.splice(i, 1)
    if (this.pods.length === 0) super.podDeleted(namespace, this.pod)
  }
}

export function portForward(cluster: ClusterState, request: PortForwardRequest): PortForwardSession {
  const session = forwardToOnePod(cluster, request)
  const [type, name] = request.resource.split('/')
  const namespace = request.namespace ?? 'default'
  const inNs = (o: { metadata?: { name?: string; namespace?: string } }) => o.metadata?.name === name && (o.metadata?.namespace ?? 'default') === namespace
  let object: Service | Deployment | undefined
  if (type === 'svc' || type === 'service' || type === 'services') {
    const s = (cluster.services ?? []).find(inNs)
    object = s && { ...s, kind: 'Service' }
  } else if (type === 'deploy' || type === 'deployment' || type === 'deployments') {
    const d = (cluster.deployments ?? []).find(inNs)
    object = d && { ...d, kind: 'Deployment' }
  }
  if (!object) return session
  const sel = selectorsForObject(object)
  const pods = cluster
    .listPods(sel.namespace, sel.selector)
    .filter((p) => p.status?.phase === 'Running')
    .map((p) => p.metadata?.name ?? '')
  return new BalancingSession(session, pods)
}

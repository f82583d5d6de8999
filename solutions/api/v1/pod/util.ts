// Pod helpers the endpoints and EndpointSlice controllers share: which container
// port a Service port's `targetPort` means for one pod, and whether a pod is Ready.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/pod/util.go
import type { Container, Pod, ServicePort } from 'kubernetes-types/core/v1'

/**
 * `FindPort` found no container port named like the Service's `targetPort` with its
 * protocol. The endpoints controller then leaves this pod out of this one Service port.
 */
export class NoSuitablePortError extends Error {
  override name = 'NoSuitablePortError'
  constructor(readonly uid: string) {
    super(`no suitable port for manifest: ${uid}`)
  }
}

/**
 * The port number a Service port sends traffic to on this pod (`FindPort`).
 *
 * 1. A numeric `targetPort` is the answer as it is: no container has to declare it
 *    (`containerPort` is informational; the process listens where it listens).
 * 2. A named `targetPort` is looked up among the pod's container ports: the first port,
 *    regular containers in order and then restartable init containers ("sidecars",
 *    `restartPolicy: Always`), whose `name` equals it **and** whose `protocol` equals the
 *    Service port's protocol. Each pod may resolve the name to a different number.
 * 3. No such port → {@link NoSuitablePortError} `no suitable port for manifest: <pod UID>`.
 *
 * Unset protocols count as `TCP` and an unset `targetPort` as `port`, as the API server
 * defaults them on every stored object.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/pod/util.go
 */
export function findPort(pod: Pod, svcPort: ServicePort): number {
  const target = svcPort.targetPort ?? svcPort.port
  if (typeof target === 'number') return target
  // Stryker disable next-line StringLiteral: the API server defaults the protocol of every Service port to TCP
  const protocol = svcPort.protocol ?? 'TCP'
  const search = (containers: readonly Container[]): number | undefined => {
    for (const container of containers) {
      for (const port of container.ports ?? []) {
        if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort
      }
    }
    return undefined
  }
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: the API server stores metadata, spec and status on every pod, and a stray entry has no restartPolicy Always
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: the API server stores metadata, spec and status on every pod, and spec.containers is required
  const found = search(pod.spec?.containers ?? []) ?? search(sidecars)
  // Stryker disable next-line OptionalChaining,StringLiteral: the API server stores metadata, spec and status on every pod, with its uid set
  if (found === undefined) throw new NoSuitablePortError(pod.metadata?.uid ?? '')
  return found
}

/**
 * Whether the pod's `Ready` condition is `True` (`IsPodReady`). Only the condition
 * counts: a `Running` pod whose readiness probe fails is not Ready, and a `Pending` or
 * `Unknown` pod whose condition says `True` is.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/pod/util.go
 */
export function isPodReady(pod: Pod): boolean {
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: the API server stores metadata, spec and status on every pod, and a stray entry is no condition of type Ready
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready')
  return ready?.status === 'True'
}

/**
 * Whether the pod is terminal (`IsPodTerminal`): phase `Succeeded` or `Failed`; its
 * containers have stopped for good. Not to be confused with *terminating*
 * (`metadata.deletionTimestamp` set, containers still running).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/pod/util.go
 */
export function isPodTerminal(pod: Pod): boolean {
  // Stryker disable next-line OptionalChaining: the API server stores metadata, spec and status on every pod
  const phase = pod.status?.phase
  return phase === 'Succeeded' || phase === 'Failed'
}

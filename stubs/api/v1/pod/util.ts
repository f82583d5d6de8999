// ────────────────────────────────────────────────────────────────────────
// Kata 03 · core path: you write
//   task 1 (repack-subsets): findPort, isPodReady and isPodTerminal
// Each is marked TODO(kata 03) below and throws until you write it.
// Everything else here is given: finished code to read. Deep track: `katas deep 03`.
// ────────────────────────────────────────────────────────────────────────
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
  // TODO(kata 03, task 1): a number is the answer; a name is looked up in the containers' ports (name AND protocol).
  throw new Error('kata 03-endpoints: findPort is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * Whether the pod's `Ready` condition is `True` (`IsPodReady`). Only the condition
 * counts: a `Running` pod whose readiness probe fails is not Ready, and a `Pending` or
 * `Unknown` pod whose condition says `True` is.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/pod/util.go
 */
export function isPodReady(pod: Pod): boolean {
  // TODO(kata 03, task 1): find the condition of type Ready in status.conditions.
  throw new Error('kata 03-endpoints: isPodReady is not implemented yet — see lessons/03-endpoints.md')
}

/**
 * Whether the pod is terminal (`IsPodTerminal`): phase `Succeeded` or `Failed`; its
 * containers have stopped for good. Not to be confused with *terminating*
 * (`metadata.deletionTimestamp` set, containers still running).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/pod/util.go
 */
export function isPodTerminal(pod: Pod): boolean {
  // TODO(kata 03, task 1): look at status.phase.
  throw new Error('kata 03-endpoints: isPodTerminal is not implemented yet — see lessons/03-endpoints.md')
}

// The Deployment and ReplicaSet controllers, folded into one: a Deployment's pods are
// `<deployment>-<pod-template-hash>-<5 random characters>`, as many as `replicas`; a
// changed template replaces them all (simplified: no rolling update, no ReplicaSet
// object), a deleted or evicted pod is replaced by a new one with a new name and IP.
//
// Read it to see why pod names and IPs change while the Service stays.
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { KubeObject } from '../api/manifests.ts'
import type { ApplyAction, ApplyResult, ClusterState, PodRecord } from './storage.ts'

/** The label a ReplicaSet adds to its pods (and its selector). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash'

/** `rand.SafeEncodeString`: each character mapped onto the alphabet without vowels (so no words). */
export function safeEncodeString(s: string): string {
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789'
  let out = ''
  for (const ch of s) out += alphanums[ch.charCodeAt(0) % alphanums.length]
  return out
}

/**
 * The `pod-template-hash` of a Deployment's pod template (`controller.ComputeHash`):
 * FNV-32a of the template, printed in decimal, then {@link safeEncodeString} — so
 * `7d4b9c8f6d`-like strings of the characters `4-9 b c d f`, ten of them for most
 * templates. Simplified: Kubernetes hashes the Go struct as `spew` prints it; the model
 * hashes the template's canonical JSON, so the same template gives a different (but
 * just as stable) hash than a real cluster.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/controller_utils.go
 */
export function podTemplateHash(template: unknown): string {
  // TODO(kata 09): hash the template's canonicalJSON with fnv32a, print it in decimal, safeEncodeString it.
  throw new Error('kata 09-whole-route: podTemplateHash is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * A Deployment manifest: a name, `replicas` ≥ 0, a non-empty selector that matches the
 * template's labels (kata 02; else ``spec.template.metadata.labels: Invalid value: …:
 * `selector` does not match template `labels` ``), a valid pod spec; then stored (a new
 * `generation`) and reconciled.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/apps/validation/validation.go
 */
export function applyDeployment(s: ClusterState, obj: KubeObject, namespace: string): ApplyAction | ApplyResult {
  // TODO(kata 09): name, replicas ≥ 0, a non-empty selector matching the template labels, the pod spec; store; reconcile.
  throw new Error('kata 09-whole-route: applyDeployment is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The Deployment and ReplicaSet controllers in one step: pods of an older template are
 * deleted, the current ReplicaSet is scaled to `replicas` (extra pods: not-ready ones
 * first, then the newest). A Terminating pod no longer counts: its replacement starts
 * while it is still shutting down.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/deployment/sync.go
 */
export function reconcileDeployment(s: ClusterState, key: string): void {
  // TODO(kata 09): pods of another template hash are deleted (deletePod); new <rs>-<5 chars> pods up to replicas; extras deleted, not-ready first, then newest; Terminating pods do not count.
  throw new Error('kata 09-whole-route: reconcileDeployment is not implemented yet — see lessons/09-whole-route.md')
}

/** The pods a Deployment owns (`namespace/name` of the Deployment). */
export function ownedPods(s: ClusterState, owner: string): PodRecord[] {
  // TODO(kata 09): the stored pods the Deployment owns.
  throw new Error('kata 09-whole-route: ownedPods is not implemented yet — see lessons/09-whole-route.md')
}

/** `kubectl get deployments`: with a status counted from their pods. */
export function deploymentsWithStatus(s: ClusterState, namespace?: string): Deployment[] {
  // TODO(kata 09): each Deployment with replicas, ready and available counted from its pods that are not terminating.
  throw new Error('kata 09-whole-route: deploymentsWithStatus is not implemented yet — see lessons/09-whole-route.md')
}

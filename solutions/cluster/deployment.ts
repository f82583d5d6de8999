// The Deployment and ReplicaSet controllers, folded into one: a Deployment's pods are
// `<deployment>-<pod-template-hash>-<5 random characters>`, as many as `replicas`; a
// changed template replaces them all (simplified: no rolling update, no ReplicaSet
// object), a deleted or evicted pod is replaced by a new one with a new name and IP.
//
// Read it to see why pod names and IPs change while the Service stays.
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Pod } from 'kubernetes-types/core/v1'
import { timestamp } from '../../lib/cluster/clock.ts'
import { invalid, required, type FieldError } from '../../lib/field/errors.ts'
import { newPath } from '../../lib/field/path.ts'
import { generateName } from '../../lib/storage/names.ts'
import type { KubeObject } from '../api/manifests.ts'
import { labelSelectorAsSelector } from '../labels/selector.ts'
import { admitPod, defaultPod, deletePod, validatePodSpec } from './admission.ts'
import {
  byKey,
  canonicalJSON,
  fnv32a,
  invalidResult,
  isReady,
  keyOf,
  metaKey,
  uid,
  type ApplyAction,
  type ApplyResult,
  type ClusterState,
  type PodRecord,
} from './storage.ts'

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
  return safeEncodeString(String(fnv32a(canonicalJSON(template))))
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
  const d = structuredClone(obj) as unknown as Deployment
  const name = d.metadata?.name ?? ''
  d.metadata = { ...d.metadata, name, namespace }
  const spec = d.spec
  const errs: FieldError[] = []
  if (!name) errs.push(required(newPath('metadata', 'name'), 'name or generateName is required'))
  const replicas = spec?.replicas ?? 1
  if (replicas < 0) errs.push(invalid(newPath('spec', 'replicas'), replicas, 'must be greater than or equal to 0'))
  const sel = spec?.selector
  if (!sel) {
    errs.push(required(newPath('spec', 'selector'), ''))
  } else if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    errs.push(invalid(newPath('spec', 'selector'), sel, 'empty selector is invalid for deployment'))
  } else {
    const selector = labelSelectorAsSelector(sel)
    const labels = spec?.template?.metadata?.labels ?? {}
    if (!selector.matches(labels)) {
      errs.push(invalid(newPath('spec', 'template', 'metadata', 'labels'), labels, '`selector` does not match template `labels`'))
    }
  }
  errs.push(...validatePodSpec(spec?.template?.spec, newPath('spec', 'template', 'spec')))
  if (errs.length) return invalidResult('Deployment', name, namespace, errs)
  const key = keyOf(namespace, name)
  const existing = s.deploymentStore.get(key)
  const stored: Deployment = {
    ...d,
    metadata: {
      ...d.metadata,
      // Stryker disable next-line OptionalChaining: a stored Deployment always has metadata
      uid: existing?.deployment.metadata?.uid ?? uid(s),
      // Stryker disable next-line OptionalChaining: a stored Deployment always has metadata
      creationTimestamp: existing?.deployment.metadata?.creationTimestamp ?? timestamp(s.clock),
      // Stryker disable next-line OptionalChaining: a stored Deployment always has metadata
      generation: (existing?.deployment.metadata?.generation ?? 0) + 1,
    },
    spec: { ...d.spec!, replicas, selector: sel! },
  }
  s.deploymentStore.set(key, { deployment: stored })
  reconcileDeployment(s, key)
  return existing ? 'configured' : 'created'
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
  const rec = s.deploymentStore.get(key)
  if (!rec) return
  const d = rec.deployment
  const namespace = d.metadata!.namespace!
  const hash = podTemplateHash(d.spec!.template)
  const rsName = `${d.metadata!.name}-${hash}`
  // Stryker disable next-line MethodExpression,OptionalChaining: `current` below drops Terminating pods too, and deletePod leaves a Terminating pod as it is
  const owned = ownedPods(s, key).filter((r) => !r.pod.metadata?.deletionTimestamp)
  // Stryker disable next-line OptionalChaining: a Deployment's pods always have labels (pod-template-hash at least)
  for (const r of owned) if (r.pod.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] !== hash) deletePod(s, r)
  // Stryker disable next-line OptionalChaining: every stored pod has metadata
  const current = owned.filter((r) => s.podStore.has(metaKey(r.pod)) && !r.pod.metadata?.deletionTimestamp)
  const want = d.spec!.replicas ?? 1
  for (let i = current.length; i < want; i++) {
    let name = generateName(`${rsName}-`, s.names)
    while (s.podStore.has(keyOf(namespace, name))) name = generateName(`${rsName}-`, s.names)
    const template = d.spec!.template
    const pod: Pod = defaultPod(
      {
        // Stryker disable next-line StringLiteral: defaultPod sets apiVersion v1 itself
        apiVersion: 'v1',
        // Stryker disable next-line StringLiteral: defaultPod sets kind Pod itself
        kind: 'Pod',
        metadata: {
          ...template.metadata,
          name,
          generateName: `${rsName}-`,
          namespace,
          labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: `rs-${d.metadata!.uid}`, controller: true, blockOwnerDeletion: true }],
        },
        spec: template.spec!,
      },
      namespace,
    )
    admitPod(s, pod, key)
  }
  if (current.length > want) {
    const rank = (r: PodRecord) => (isReady(r.pod) ? 1 : 0)
    const created = (r: PodRecord) => r.pod.metadata!.creationTimestamp!
    const victims = [...current]
      .sort((a, b) => rank(a) - rank(b) || (created(b) < created(a) ? -1 : 1))
      .slice(0, current.length - want)
    for (const v of victims) deletePod(s, v)
  }
}

/** The pods a Deployment owns (`namespace/name` of the Deployment). */
export function ownedPods(s: ClusterState, owner: string): PodRecord[] {
  const out: PodRecord[] = []
  // Stryker disable next-line ArrayDeclaration: a key of a string in the list names no stored pod, so nothing more is found
  for (const k of s.podsByOwner.get(owner) ?? []) {
    const rec = s.podStore.get(k)
    // Stryker disable next-line ConditionalExpression: podsByOwner holds only stored pods: removePod takes a pod out of both
    if (rec) out.push(rec)
  }
  return out
}

/** `kubectl get deployments`: with a status counted from their pods. */
export function deploymentsWithStatus(s: ClusterState, namespace?: string): Deployment[] {
  return [...s.deploymentStore.entries()]
    .filter(([key]) => namespace === undefined || key.startsWith(`${namespace}/`))
    .map(([key, { deployment }]) => {
      // Stryker disable next-line OptionalChaining: every stored pod has metadata
      const pods = ownedPods(s, key).filter((r) => !r.pod.metadata?.deletionTimestamp)
      const ready = pods.filter((r) => isReady(r.pod)).length
      return {
        ...deployment,
        status: {
          // Stryker disable next-line LogicalOperator,OptionalChaining: a stored Deployment always has metadata and a generation
          observedGeneration: deployment.metadata?.generation ?? 1,
          replicas: pods.length,
          updatedReplicas: pods.length,
          readyReplicas: ready,
          availableReplicas: ready,
          ...(pods.length - ready > 0 ? { unavailableReplicas: pods.length - ready } : {}),
        },
      }
    })
    .sort(byKey)
}

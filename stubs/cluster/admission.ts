// ────────────────────────────────────────────────────────────────────────
// Kata 09 · given: nothing to write here on the core path.
// This is finished code to read and step into; the checks rely on it as it is.
// The deep track asks for it too: `katas deep 09`.
// ────────────────────────────────────────────────────────────────────────
// Pods through the API server: defaulted (SetDefaults_Pod) and given tolerations by the
// DefaultTolerationSeconds admission plugin, validated, stored, bound to a node by the
// scheduler and started by that node's kubelet; deleted gracefully — Terminating until
// the kubelet has stopped their containers.
// Every controller that watches pods hears of each of these steps (./controllers.ts).
//
// Read it to see what `kubectl apply -f pod.yaml` sets off.
import type { Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1'
import { timestamp } from '../../lib/cluster/clock.ts'
import { forbidden, invalid, required, type FieldError } from '../../lib/field/errors.ts'
import { newPath } from '../../lib/field/path.ts'
import { cloneJSON, extend } from '../../lib/object.ts'
import { isDNS1123Subdomain } from '../../lib/validation/labels.ts'
import type { KubeObject } from '../api/manifests.ts'
import {
  canonicalJSON,
  changed,
  indexPodLabels,
  invalidResult,
  keyOf,
  metaKey,
  uid,
  type ApplyAction,
  type ApplyResult,
  type ClusterState,
  type PodRecord,
} from './storage.ts'
import { bumpSelecting, podChanged } from './controllers.ts'
import { podDeleted, startPod, stopSeconds } from './kubelet.ts'
import { cacheCountPod, schedule, unschedulableMessage } from './scheduler.ts'

/** `tolerationSeconds` the DefaultTolerationSeconds admission plugin gives every pod for unreachable/not-ready nodes. */
export const DEFAULT_TOLERATION_SECONDS = 300
/** The taint the node lifecycle controller puts on a node that stopped reporting. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable'
/** The taint of a node whose kubelet reports NotReady. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready'
/** What the API server says when a pod update touches more than it may. */
export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'

// What defaulting adds is the same for every pod: shared and frozen, so that a cluster of
// 150,000 pods keeps one copy of it and no one changes it in place.
const EMPTY_SECURITY_CONTEXT: NonNullable<PodSpec['securityContext']> = Object.freeze({})
const DEFAULT_TOLERATIONS: Toleration[] = Object.freeze(
  [NOT_READY_TAINT, UNREACHABLE_TAINT].map((key) => Object.freeze({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS })),
) as Toleration[]

/**
 * `SetDefaults_Pod`/`SetDefaults_PodSpec` and the admission plugins that every pod
 * meets: `enableServiceLinks: true`, `dnsPolicy: ClusterFirst`, `restartPolicy: Always`,
 * `schedulerName`, `terminationGracePeriodSeconds: 30`, container ports `protocol: TCP`
 * (on the host network also `hostPort` = `containerPort`: the port is the node's), each
 * container's `terminationMessagePath`/`Policy` and `imagePullPolicy` (`Always` for the
 * tag `latest`, which an image without tag or digest has; else `IfNotPresent`), and
 * DefaultTolerationSeconds' tolerations for not-ready and unreachable nodes (300 s), each
 * unless the pod already tolerates that taint's NoExecute (an empty key or effect matches all).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/v1/defaults.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/plugin/pkg/admission/defaulttolerationseconds/admission.go
 */
export function defaultPod(pod: Pod, namespace: string): Pod {
  const given: Partial<PodSpec> = pod.spec ?? {}
  // extend (lib/object.ts), not a spread and `??=`: copies of one shape then share V8's
  // hidden class, and the new keys come in the same order.
  const containers = (given.containers ?? []).map((c) =>
    extend(c, {
      ...(c.ports ? { ports: c.ports.map((p) => extend(p, { protocol: p.protocol ?? 'TCP', ...(given.hostNetwork && !p.hostPort ? { hostPort: p.containerPort } : {}) })) } : {}),
      terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log',
      terminationMessagePolicy: c.terminationMessagePolicy ?? 'File',
      imagePullPolicy: c.imagePullPolicy ?? (c.image && tagIsLatest(c.image) ? 'Always' : 'IfNotPresent'),
    }),
  )
  const tolerations = given.tolerations?.length ? [...given.tolerations] : DEFAULT_TOLERATIONS
  for (const t of DEFAULT_TOLERATIONS) {
    // An empty key (with Exists) matches every taint, an empty effect every effect.
    if (!tolerations.some((x) => (x.key === t.key || !x.key) && (x.effect === 'NoExecute' || !x.effect))) tolerations.push(t)
  }
  const spec = extend(given, {
    containers,
    enableServiceLinks: given.enableServiceLinks ?? true,
    dnsPolicy: given.dnsPolicy ?? 'ClusterFirst',
    restartPolicy: given.restartPolicy ?? 'Always',
    schedulerName: given.schedulerName ?? 'default-scheduler',
    terminationGracePeriodSeconds: given.terminationGracePeriodSeconds ?? 30,
    securityContext: given.securityContext ?? EMPTY_SECURITY_CONTEXT,
    tolerations,
  })
  return extend(pod, { apiVersion: 'v1', kind: 'Pod', metadata: extend(pod.metadata ?? {}, { namespace }), spec })
}

/**
 * Whether an image reference's tag, as `ParseImageName` reads it, is `latest`: the tag
 * follows the last `:` of the last path segment (`localhost:5000/app` has none), and a
 * reference with neither tag nor digest (`@sha256:…`) means `latest`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/util/parsers/parsers.go
 */
function tagIsLatest(image: string): boolean {
  const [name, digest] = image.split('@') as [string, string?]
  const colon = name.lastIndexOf(':')
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) === 'latest' : digest === undefined
}

/**
 * The few pod rules the course needs (`ValidatePodCreate`, reduced): a DNS-1123 subdomain
 * name (none: `metadata.name: Required value: name or generateName is required`); at
 * least one container, each with a name and an image; container ports 1–65535.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validatePod(pod: Pod): FieldError[] {
  const errs: FieldError[] = []
  const name = pod.metadata?.name ?? ''
  if (!name) errs.push(required(newPath('metadata', 'name'), 'name or generateName is required'))
  else for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(newPath('metadata', 'name'), name, msg))
  return [...errs, ...validatePodSpec(pod.spec, newPath('spec'))]
}

/**
 * The pod spec's rules of {@link validatePod}, at `at` (a pod's `spec` or a template's
 * `spec.template.spec`); a port out of range is `Invalid value: 0: must be between 1 and 65535, inclusive`.
 */
export function validatePodSpec(spec: Pod['spec'], at: ReturnType<typeof newPath>): FieldError[] {
  const errs: FieldError[] = []
  const containers = spec?.containers ?? []
  if (containers.length === 0) errs.push(required(at.child('containers'), ''))
  containers.forEach((c, i) => {
    const ci = at.child('containers').index(i)
    if (!c.name) errs.push(required(ci.child('name'), ''))
    if (!c.image) errs.push(required(ci.child('image'), ''))
    ;(c.ports ?? []).forEach((p, j) => {
      if (!(p.containerPort >= 1 && p.containerPort <= 65535)) {
        errs.push(invalid(ci.child('ports').index(j).child('containerPort'), p.containerPort, 'must be between 1 and 65535, inclusive'))
      }
    })
  })
  return errs
}

/**
 * A Pod manifest: defaulted and validated, then created; an update may change labels and
 * annotations only (anything else in the spec is Forbidden).
 */
export function applyPod(s: ClusterState, obj: KubeObject, namespace: string): ApplyAction | ApplyResult {
  const pod = defaultPod(cloneJSON(obj) as unknown as Pod, namespace)
  const name = pod.metadata?.name ?? ''
  const errs = validatePod(pod)
  if (errs.length) return invalidResult('Pod', name, namespace, errs)
  const existing = s.podStore.get(keyOf(namespace, name))
  if (!existing) {
    admitPod(s, pod)
    return 'created'
  }
  const old = existing.pod
  const specOf = (p: Pod) => canonicalJSON({ ...p.spec, nodeName: undefined })
  if (specOf(old) !== specOf(pod)) {
    // Simplified: the API server also prints a diff of the two specs after this message.
    return invalidResult('Pod', name, namespace, [forbidden(newPath('spec'), POD_UPDATE_FORBIDDEN)])
  }
  const updated: Pod = {
    ...old,
    metadata: { ...old.metadata, labels: pod.metadata?.labels ?? {}, ...(pod.metadata?.annotations ? { annotations: pod.metadata.annotations } : {}) },
  }
  podChanged(s, existing, updated)
  return 'configured'
}

/** Stores a new pod, schedules it and (if its node answers) starts it. */
export function admitPod(s: ClusterState, given: Pod, owner?: string): PodRecord {
  let pod: Pod = given
  const namespace = pod.metadata!.namespace!
  const name = pod.metadata!.name!
  pod.metadata = extend(pod.metadata ?? {}, { uid: uid(s), creationTimestamp: timestamp(s.clock) })
  const nodeName = pod.spec?.nodeName || schedule(s, pod)
  pod.spec = extend(pod.spec!, nodeName ? { nodeName } : {})
  pod = extend(pod, { status: nodeName ? scheduledStatus(s) : unschedulableStatus(s, pod) })
  const rec: PodRecord = { pod, ...(owner ? { owner } : {}) }
  const key = keyOf(namespace, name)
  s.podStore.set(key, rec)
  if (!nodeName) s.unscheduled.add(key)
  let names = s.podsByNamespace.get(namespace)
  if (!names) s.podsByNamespace.set(namespace, (names = new Set()))
  names.add(name)
  indexPodLabels(s, namespace, name, pod.metadata?.labels ?? {}, true)
  if (owner) {
    let set = s.podsByOwner.get(owner)
    if (!set) s.podsByOwner.set(owner, (set = new Set()))
    set.add(key)
  }
  const node = nodeName ? s.nodeStore.get(nodeName) : undefined
  if (node) cacheCountPod(s, node, 1)
  s.endpointsController.addPod(pod)
  bumpSelecting(s, namespace, pod.metadata?.labels ?? {})
  s.seq++
  // The kubelet starts it if its node answers (startPod asks).
  startPod(s, rec)
  changed(s)
  return rec
}

/** A pod's status once the scheduler bound it to a node: Pending, PodScheduled True. */
function scheduledStatus(s: ClusterState): Pod['status'] {
  return { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(s.clock) }], qosClass: 'BestEffort' }
}

/** A pod's status while no node fits it: Pending, PodScheduled False, Unschedulable, with the scheduler's reasons. */
function unschedulableStatus(s: ClusterState, pod: Pod, since = timestamp(s.clock)): Pod['status'] {
  const message = unschedulableMessage(s, pod)
  return { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: since }], qosClass: 'BestEffort' }
}

/**
 * The scheduler tries the pods no node fitted again (a node joined, or came back and lost
 * its taints): each one that fits now is bound to its node and, if that node answers,
 * started there; the others keep waiting with the scheduler's new reasons.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/backend/queue/scheduling_queue.go
 */
export function schedulePending(s: ClusterState): void {
  for (const key of [...s.unscheduled]) {
    // Only live, unbound pods are in the queue: binding below and removePod take them out,
    // and an unbound pod is never Terminating (deletePod removes it at once).
    const rec = s.podStore.get(key)!
    const nodeName = schedule(s, rec.pod)
    if (!nodeName) {
      // Still Unschedulable, since it first was; the reasons may have changed.
      podChanged(s, rec, { ...rec.pod, status: unschedulableStatus(s, rec.pod, rec.pod.status!.conditions![0]!.lastTransitionTime) })
      continue
    }
    s.unscheduled.delete(key)
    const node = s.nodeStore.get(nodeName)!
    podChanged(s, rec, { ...rec.pod, spec: { ...rec.pod.spec!, nodeName }, status: scheduledStatus(s) })
    cacheCountPod(s, node, 1)
    s.seq++
    startPod(s, rec)
  }
}

/**
 * Graceful deletion, as the pod registry and the kubelet do it (`kubectl delete pod`, a
 * ReplicaSet scaling down, an eviction):
 *
 * 1. A pod that never got a node goes at once (the registry does the same for a finished
 *    pod, `Succeeded` or `Failed`; no pod of this model finishes).
 * 2. Any other gets `metadata.deletionTimestamp` = now + its grace period
 *    (`terminationGracePeriodSeconds`, 30 s by default) and `deletionGracePeriodSeconds`:
 *    it is **Terminating** — the EndpointSlice controller marks its endpoint `ready:
 *    false, terminating: true` (still `serving` while it is Ready), the Endpoints
 *    controller drops it, its Deployment replaces it now.
 * 3. If its node answers, the kubelet stops the containers ({@link stopSeconds}: the
 *    preStop hook, then SIGTERM) and the pod is gone when they have stopped — at once for
 *    a container without preStop hook. A node that does not answer keeps it Terminating
 *    until it comes back.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/pod/strategy.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/pod_workers.go
 */
export function deletePod(s: ClusterState, rec: PodRecord): void {
  const pod = rec.pod
  if (pod.metadata?.deletionTimestamp) return
  if (!pod.spec?.nodeName) {
    removePod(s, rec)
    return
  }
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30
  podChanged(s, rec, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: timestamp(s.clock + grace), deletionGracePeriodSeconds: grace } })
  if (!s.nodeStore.get(pod.spec.nodeName)?.up) return
  const stop = stopSeconds(rec.pod)
  if (stop === 0) removePod(s, rec)
  else s.stopping.set(metaKey(rec.pod), s.clock + stop)
}

/** Removes a pod at once: its IP goes back to the node's allocator (a host-network pod took none), its port-forward sessions end. */
export function removePod(s: ClusterState, rec: PodRecord): void {
  const pod = rec.pod
  const namespace = pod.metadata!.namespace!
  const name = pod.metadata!.name!
  const key = keyOf(namespace, name)
  if (!s.podStore.has(key)) return
  if (pod.status?.podIP && !pod.spec?.hostNetwork) {
    s.network.deletePod(namespace, name)
    s.podByIPs.delete(pod.status.podIP)
  }
  s.podStore.delete(key)
  s.unscheduled.delete(key)
  s.stopping.delete(key)
  if (rec.owner) s.podsByOwner.get(rec.owner)?.delete(key)
  s.podsByNamespace.get(namespace)?.delete(name)
  indexPodLabels(s, namespace, name, pod.metadata?.labels ?? {}, false)
  const node = s.nodeStore.get(pod.spec?.nodeName ?? '')
  if (node) cacheCountPod(s, node, -1)
  s.endpointsController.deletePod(pod)
  bumpSelecting(s, namespace, pod.metadata?.labels ?? {})
  podDeleted(s, namespace, name)
  s.seq++
  changed(s)
}

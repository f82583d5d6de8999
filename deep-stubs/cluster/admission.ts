// Pods through the API server: defaulted (SetDefaults_Pod) and given tolerations by the
// DefaultTolerationSeconds admission plugin, validated, stored, bound to a node by the
// scheduler and started by that node's kubelet; deleted gracefully — Terminating until
// the kubelet has stopped their containers.
// Every controller that watches pods hears of each of these steps (./controllers.ts).
//
// Read it to see what `kubectl apply -f pod.yaml` sets off.
import type { Pod } from 'kubernetes-types/core/v1'
import type { FieldError } from '../../lib/field/errors.ts'
import { newPath } from '../../lib/field/path.ts'
import type { KubeObject } from '../api/manifests.ts'
import type { ApplyAction, ApplyResult, ClusterState, PodRecord } from './storage.ts'

/** `tolerationSeconds` the DefaultTolerationSeconds admission plugin gives every pod for unreachable/not-ready nodes. */
export const DEFAULT_TOLERATION_SECONDS = 300
/** The taint the node lifecycle controller puts on a node that stopped reporting. */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable'
/** The taint of a node whose kubelet reports NotReady. */
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready'
/** What the API server says when a pod update touches more than it may. */
export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'

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
  // TODO(kata 09): fill what SetDefaults_PodSpec and DefaultTolerationSeconds fill (see the list above); return a new Pod.
  throw new Error('kata 09-whole-route: defaultPod is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The few pod rules the course needs (`ValidatePodCreate`, reduced): a DNS-1123 subdomain
 * name (none: `metadata.name: Required value: name or generateName is required`); at
 * least one container, each with a name and an image; container ports 1–65535.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
 */
export function validatePod(pod: Pod): FieldError[] {
  // TODO(kata 09): name (DNS-1123 subdomain), then validatePodSpec at spec.
  throw new Error('kata 09-whole-route: validatePod is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The pod spec's rules of {@link validatePod}, at `at` (a pod's `spec` or a template's
 * `spec.template.spec`); a port out of range is `Invalid value: 0: must be between 1 and 65535, inclusive`.
 */
export function validatePodSpec(spec: Pod['spec'], at: ReturnType<typeof newPath>): FieldError[] {
  // TODO(kata 09): at least one container, each with name and image, ports 1–65535.
  throw new Error('kata 09-whole-route: validatePodSpec is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * A Pod manifest: defaulted and validated, then created; an update may change labels and
 * annotations only (anything else in the spec is Forbidden).
 */
export function applyPod(s: ClusterState, obj: KubeObject, namespace: string): ApplyAction | ApplyResult {
  // TODO(kata 09): defaultPod, validatePod, then admit a new pod; an update may change only labels and annotations.
  throw new Error('kata 09-whole-route: applyPod is not implemented yet — see lessons/09-whole-route.md')
}

/** Stores a new pod, schedules it and (if its node answers) starts it. */
export function admitPod(s: ClusterState, given: Pod, owner?: string): PodRecord {
  // TODO(kata 09): uid, creation time, schedule, PodScheduled (or Unschedulable with unschedulableMessage, and remembered as unscheduled); store and index; tell the endpoints controller; start it if its node is up.
  throw new Error('kata 09-whole-route: admitPod is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The scheduler tries the pods no node fitted again (a node joined, or came back and lost
 * its taints): each one that fits now is bound to its node and, if that node answers,
 * started there; the others keep waiting with the scheduler's new reasons.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/backend/queue/scheduling_queue.go
 */
export function schedulePending(s: ClusterState): void {
  // TODO(kata 09): for each unscheduled pod: schedule it again; bind and start it on the node found, or refresh its Unschedulable reasons.
  throw new Error('kata 09-whole-route: schedulePending is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): unscheduled or finished: remove now; else deletionTimestamp = now + grace, and the kubelet (node up) stops it after stopSeconds — at once when that is 0.
  throw new Error('kata 09-whole-route: deletePod is not implemented yet — see lessons/09-whole-route.md')
}

/** Removes a pod at once: its IP goes back to the node's allocator (a host-network pod took none), its port-forward sessions end. */
export function removePod(s: ClusterState, rec: PodRecord): void {
  // TODO(kata 09): IP back to the network, out of every index and the scheduler's cache, controllers and port-forward sessions told.
  throw new Error('kata 09-whole-route: removePod is not implemented yet — see lessons/09-whole-route.md')
}

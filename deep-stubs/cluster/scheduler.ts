// The scheduler, reduced to what Services need: a pod goes to a node whose taints it
// tolerates and whose labels its nodeSelector and node affinity ask for, the one with the
// fewest pods. kube-scheduler filters nodes (TaintToleration and NodeAffinity are two of
// its filter plugins) and then scores the rest; the model keeps those filters and replaces
// the scores with "fewest pods, ties by join order", so that three replicas spread two and
// one over kind's two workers and never land on the tainted control plane. A pod no node
// fits stays Pending — no IP, no endpoint — with the scheduler's reasons, and is tried
// again when a node joins or comes back.
//
// Read it to see why `kubectl get pods -o wide` puts pods where it does.
import type { NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint, Toleration } from 'kubernetes-types/core/v1'
import type { ClusterState, NodeState } from './storage.ts'

/**
 * Whether a toleration lets a pod onto a node with this taint (`Toleration.ToleratesTaint`).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/api/core/v1/toleration.go
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  // TODO(kata 09): effect (if set), key (if set; an empty key needs Exists), then Exists or an equal value.
  throw new Error('kata 09-whole-route: toleratesTaint is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The kube-scheduler, reduced: among the nodes that pass {@link filterNode}, the one with
 * the fewest pods; ties go to the node that joined first. `undefined` when no node fits
 * (the pod stays Pending, Unschedulable: {@link unschedulableMessage} says why).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
 */
export function schedule(s: ClusterState, pod: Pod): string | undefined {
  // TODO(kata 09): the node with the fewest pods (ties: joined first) that passes filterNode.
  throw new Error('kata 09-whole-route: schedule is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * `NodeAffinity`'s match of one requirement against a node's labels (and its name, for
 * `matchFields` on `metadata.name`): `In` and `NotIn` a list of values (`NotIn` also
 * matches a missing label), `Exists`, `DoesNotExist`, `Gt` and `Lt` an integer.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
 */
export function nodeSelectorRequirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  // TODO(kata 09): In/NotIn a list (NotIn also matches a missing label), Exists, DoesNotExist, Gt/Lt an integer.
  throw new Error('kata 09-whole-route: nodeSelectorRequirementMatches is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The `NodeAffinity` filter: the pod's `nodeSelector` — every label, with that value — and
 * its `requiredDuringSchedulingIgnoredDuringExecution` node affinity, whose
 * `nodeSelectorTerms` are ORed, each term's `matchExpressions` (labels) and `matchFields`
 * (`metadata.name`) ANDed, and an empty term matching no node.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go
 */
export function nodeAffinityMatches(pod: Pod, node: NodeState): boolean {
  // TODO(kata 09): every nodeSelector label; required node affinity terms ORed, expressions and fields ANDed, an empty term matches nothing.
  throw new Error('kata 09-whole-route: nodeAffinityMatches is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * Why a node does not fit the pod, in the words of the first filter plugin that refuses it
 * (kube-scheduler runs them in order and stops at the first), or `undefined` when it fits:
 *
 * 1. `TaintToleration`: the first `NoSchedule` or `NoExecute` taint no toleration of the pod
 *    tolerates → `node(s) had untolerated taint {<key>: <value>}`.
 * 2. `NodeAffinity` ({@link nodeAffinityMatches}) → `node(s) didn't match Pod's node affinity/selector`.
 * 3. `NodePorts`: a `hostPort` of the pod (a host-network pod has one per container port)
 *    that a pod already on the node holds, same protocol → `node(s) didn't have free ports
 *    for the requested pod ports`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/framework/plugins/nodeports/node_ports.go
 */
export function filterNode(s: ClusterState, pod: Pod, node: NodeState): string | undefined {
  // TODO(kata 09): the first untolerated NoSchedule/NoExecute taint, then node affinity, then host ports in use; undefined when the node fits.
  throw new Error('kata 09-whole-route: filterNode is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The `PodScheduled` message of a pod no node fits (`FitError.Error()`): `0/<nodes> nodes
 * are available: ` and, sorted as strings, one `<count> <reason>` per distinct reason of
 * {@link filterNode}, joined by `, ` and ended with `.`; then the post-filter plugins'
 * words, `no new claims to deallocate, preemption: 0/<nodes> nodes are available: <nodes>
 * Preemption is not helpful for scheduling.` — neither dynamic resources nor preemption can
 * help a pod that no taint or label lets in.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/framework/types.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/framework/preemption/preemption.go
 */
export function unschedulableMessage(s: ClusterState, pod: Pod): string {
  // TODO(kata 09): 0/N nodes are available: sorted "<count> <reason>" of every node's filterNode, then the post-filter words.
  throw new Error('kata 09-whole-route: unschedulableMessage is not implemented yet — see lessons/09-whole-route.md')
}

/** The scheduler's cache learns of a node that joined. */
export function cacheAddNode(s: ClusterState, n: NodeState): void {
  // TODO(kata 09): a new node with no pods in the heap.
  throw new Error('kata 09-whole-route: cacheAddNode is not implemented yet — see lessons/09-whole-route.md')
}

/** The scheduler's cache counts one pod more (`+1`) or less (`-1`) on a node. */
export function cacheCountPod(s: ClusterState, n: NodeState, delta: 1 | -1): void {
  // TODO(kata 09): one pod more or less on the node, and the heap told.
  throw new Error('kata 09-whole-route: cacheCountPod is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The scheduler's node order: fewest pods first, ties by join order. An indexed heap, so
 * that scheduling 150 000 pods over 5 000 nodes does not scan every node.
 */
export class NodeHeap {
  private readonly heap: number[] = []
  private readonly pos: number[] = []
  constructor(private readonly count: number[]) {}

  private less(a: number, b: number): boolean {
    const ca = this.count[a]!
    const cb = this.count[b]!
    return ca < cb || (ca === cb && a < b)
  }
  private swap(i: number, j: number): void {
    const a = this.heap[i]!
    const b = this.heap[j]!
    this.heap[i] = b
    this.heap[j] = a
    this.pos[b] = i
    this.pos[a] = j
  }
  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(this.heap[i]!, this.heap[p]!)) break
      this.swap(i, p)
      i = p
    }
  }
  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < this.heap.length && this.less(this.heap[l]!, this.heap[m]!)) m = l
      if (r < this.heap.length && this.less(this.heap[r]!, this.heap[m]!)) m = r
      if (m === i) return
      this.swap(i, m)
      i = m
    }
  }
  push(node: number): void {
    this.pos[node] = this.heap.length
    this.heap.push(node)
    this.up(this.heap.length - 1)
  }
  pop(): number | undefined {
    const top = this.heap[0]
    if (top === undefined) return undefined
    const last = this.heap.pop()!
    if (this.heap.length > 0) {
      this.heap[0] = last
      this.pos[last] = 0
      this.down(0)
    }
    this.pos[top] = -1
    return top
  }
  /** The node's count changed by one. */
  update(node: number): void {
    const i = this.pos[node]
    if (i === undefined || i < 0) return
    this.up(i)
    this.down(this.pos[node]!)
  }
}

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
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  if (!t.key && t.operator !== 'Exists') return false
  if (t.operator === 'Exists') return true
  return (t.value ?? '') === (taint.value ?? '')
}

/**
 * The kube-scheduler, reduced: among the nodes that pass {@link filterNode}, the one with
 * the fewest pods; ties go to the node that joined first. `undefined` when no node fits
 * (the pod stays Pending, Unschedulable: {@link unschedulableMessage} says why).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
 */
export function schedule(s: ClusterState, pod: Pod): string | undefined {
  const fits = (n: NodeState) => filterNode(s, pod, n) === undefined
  const skipped: number[] = []
  let chosen: NodeState | undefined
  for (;;) {
    const i = s.heap.pop()
    if (i === undefined) break
    skipped.push(i)
    const n = s.nodeOrder[i]!
    if (fits(n)) {
      chosen = n
      break
    }
  }
  for (const i of skipped) s.heap.push(i)
  return chosen?.info.name
}

/**
 * `NodeAffinity`'s match of one requirement against a node's labels (and its name, for
 * `matchFields` on `metadata.name`): `In` and `NotIn` a list of values (`NotIn` also
 * matches a missing label), `Exists`, `DoesNotExist`, `Gt` and `Lt` an integer.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
 */
export function nodeSelectorRequirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  // Stryker disable next-line ArrayDeclaration: only In, NotIn, Gt and Lt read the values, and a list holding one value with spaces matches no label value and is no integer, as an empty one
  const values = r.values ?? []
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value)
    case 'NotIn':
      return value === undefined || !values.includes(value)
    case 'Exists':
      return value !== undefined
    case 'DoesNotExist':
      return value === undefined
    case 'Gt':
    case 'Lt': {
      const want = Number(values[0])
      const got = value === undefined || !/^-?\d+$/.test(value) ? NaN : Number(value)
      return Number.isInteger(want) && !Number.isNaN(got) && (r.operator === 'Gt' ? got > want : got < want)
    }
    default:
      return false
  }
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
  // Stryker disable next-line OptionalChaining: every Node the kubelet registers has metadata
  const labels = node.node.metadata?.labels ?? {}
  // Stryker disable next-line OptionalChaining: every pod the API server admits has a spec
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
  if (!terms) return true
  const termMatches = (t: NodeSelectorTerm) => {
    const exprs = t.matchExpressions ?? []
    const fields = t.matchFields ?? []
    if (exprs.length === 0 && fields.length === 0) return false
    return (
      exprs.every((r) => nodeSelectorRequirementMatches(r, labels[r.key])) &&
      fields.every((r) => r.key === 'metadata.name' && nodeSelectorRequirementMatches(r, node.info.name))
    )
  }
  return terms.some(termMatches)
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
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: every admitted pod has a spec and the two default NoExecute tolerations, and a string in the list tolerates nothing
  const tolerations = pod.spec?.tolerations ?? []
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: every Node has a spec, and a string in the list has no effect, so it is no NoSchedule or NoExecute taint
  const untolerated = (node.node.spec?.taints ?? []).find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerations.some((tol) => toleratesTaint(tol, t)),
  )
  if (untolerated) return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`
  if (!nodeAffinityMatches(pod, node)) return "node(s) didn't match Pod's node affinity/selector"
  const wanted = hostPorts(pod)
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the guard only spares the scan of every pod: with no host port wanted, no pod can hold one
  if (wanted.length > 0) {
    for (const rec of s.podStore.values()) {
      // Stryker disable next-line OptionalChaining: every pod in the store has a spec
      if (rec.pod.spec?.nodeName !== node.info.name || rec.pod === pod) continue
      const held = hostPorts(rec.pod)
      if (wanted.some((w) => held.includes(w))) return "node(s) didn't have free ports for the requested pod ports"
    }
  }
  return undefined
}

/** The `<hostPort>/<protocol>` a pod's containers ask the node for. */
function hostPorts(pod: Pod): string[] {
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: every admitted pod has a spec with containers, and a string in a list has no hostPort
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => `${p.hostPort}/${p.protocol ?? 'TCP'}`))
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
  const counts = new Map<string, number>()
  for (const n of s.nodeOrder) {
    const reason = filterNode(s, pod, n)
    if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1)
  }
  const reasons = [...counts].map(([reason, n]) => `${n} ${reason}`).sort()
  const all = s.nodeOrder.length
  return `0/${all} nodes are available: ${reasons.join(', ')}. no new claims to deallocate, preemption: 0/${all} nodes are available: ${all} Preemption is not helpful for scheduling.`
}

/** The scheduler's cache learns of a node that joined. */
export function cacheAddNode(s: ClusterState, n: NodeState): void {
  s.podCounts.push(0)
  s.heap.push(n.index)
}

/** The scheduler's cache counts one pod more (`+1`) or less (`-1`) on a node. */
export function cacheCountPod(s: ClusterState, n: NodeState, delta: 1 | -1): void {
  s.podCounts[n.index]! += delta
  s.heap.update(n.index)
}

/**
 * The scheduler's node order: fewest pods first, ties by join order. An indexed heap, so
 * that scheduling 150 000 pods over 5 000 nodes does not scan every node.
 */
export class NodeHeap {
  private readonly heap: number[] = []
  // Stryker disable next-line ArrayDeclaration: push writes a node's position before anything reads it
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
    // Stryker disable next-line UnaryOperator: a popped node's position is read only by update, and schedule pushes every popped node back before a count changes
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

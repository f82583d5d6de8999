// ────────────────────────────────────────────────────────────────────────
// Kata 09 · given: nothing to write here on the core path.
// This is finished code to read and step into; the checks rely on it as it is.
// The deep track asks for it too: `katas deep 09`.
// ────────────────────────────────────────────────────────────────────────
// The scheduler, reduced to what Services need: a pod goes to a node whose taints it
// tolerates, the one with the fewest pods. kube-scheduler filters nodes (TaintToleration
// is one of its filter plugins) and then scores the rest; the model keeps the filter and
// replaces the scores with "fewest pods, ties by join order", so that three replicas
// spread two and one over kind's two workers and never land on the tainted control plane.
//
// Read it to see why `kubectl get pods -o wide` puts pods where it does.
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1'
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
  if ((t.operator ?? 'Equal') === 'Exists') return true
  return (t.value ?? '') === (taint.value ?? '')
}

/**
 * The kube-scheduler, reduced: among the nodes whose `NoSchedule`/`NoExecute` taints the
 * pod tolerates, the one with the fewest pods; ties go to the node that joined first.
 * `undefined` when no node fits (the pod stays Pending, Unschedulable).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
 */
export function schedule(s: ClusterState, pod: Pod): string | undefined {
  const tolerations = pod.spec?.tolerations ?? []
  const fits = (n: NodeState) =>
    (n.node.spec?.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || tolerations.some((tol) => toleratesTaint(tol, t)))
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

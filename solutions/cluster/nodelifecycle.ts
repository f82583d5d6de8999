// Nodes joining, dying and coming back, and the node lifecycle controller that notices.
// A node that goes down stops answering at once, but the API still says it is Ready:
// only after `--node-monitor-grace-period` (50 s) does the controller mark it (Ready
// `Unknown`, `unreachable` taints) and its pods not ready — so the endpoints controllers
// take them out and kube-proxy stops sending there — and only after the pods'
// `tolerationSeconds` (300 s) are they evicted and their Deployments replace them.
// Time moves only with `advance`.
//
// Read it to see why connections to a dead node's pods time out for 50 s.
import type { Node, Taint } from 'kubernetes-types/core/v1'
import type { NodeInfo } from '../../lib/cluster/defaults.ts'
import { timestamp } from '../../lib/cluster/clock.ts'
import { formatIP, fromBigInt, parseCIDR } from '../../lib/net/ipint.ts'
import { LABEL_NODE_EXCLUDE_BALANCERS } from '../controller/service.ts'
import { DEFAULT_TOLERATION_SECONDS, deletePod, removePod, schedulePending, UNREACHABLE_TAINT } from './admission.ts'
import { batch } from './apiserver.ts'
import { podChanged, syncLoadBalancerStatuses } from './controllers.ts'
import { reconcileDeployment } from './deployment.ts'
import { readyCondition, setReadyCondition, startPod } from './kubelet.ts'
import { cacheAddNode } from './scheduler.ts'
import { changed, ClusterError, NotFoundError, uid, type ClusterState, type NodeState, type PodRecord } from './storage.ts'

/** kube-controller-manager `--node-monitor-grace-period` (50 s since v1.32, 40 s before). */
export const NODE_MONITOR_GRACE_PERIOD = 50
/** The taint kubeadm puts on control-plane nodes. */
export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane'

/**
 * A node joins: its podCIDR from the pod network (kata 00), its Node object as kubeadm
 * and the kubelet register it (the control plane tainted `NoSchedule` and excluded from
 * load balancers), the scheduler's cache and the service controller (kata 08) told; pods
 * that no node fitted are tried on it.
 */
export function addNode(s: ClusterState, info: NodeInfo): void {
  if (s.nodeStore.has(info.name)) throw new ClusterError(`nodes "${info.name}" already exists`)
  const podCIDR = s.network.addNode(info)
  const cidr = parseCIDR(podCIDR)!
  const gateway = formatIP(fromBigInt(cidr.network + 1n, cidr.family))
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: info.name,
      uid: uid(s),
      creationTimestamp: timestamp(s.clock),
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': info.name,
        'kubernetes.io/os': 'linux',
        ...(info.controlPlane ? { [CONTROL_PLANE_TAINT]: '', [LABEL_NODE_EXCLUDE_BALANCERS]: '' } : {}),
      },
    },
    spec: {
      podCIDR,
      podCIDRs: [podCIDR],
      providerID: `kind://docker/kind/${info.name}`,
      ...(info.controlPlane ? { taints: [{ key: CONTROL_PLANE_TAINT, effect: 'NoSchedule' }] } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: info.internalIP },
        { type: 'Hostname', address: info.name },
      ],
      conditions: [readyCondition('True', s.clock)],
    },
  }
  const state: NodeState = { index: s.nodeOrder.length, info, node, podCIDR, gateway, up: true }
  s.nodeStore.set(info.name, state)
  s.nodeOrder.push(state)
  cacheAddNode(s, state)
  s.serviceController?.addNode(node)
  syncLoadBalancerStatuses(s)
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArrowFunction: nodes join only while kind create cluster runs, and then no pod waits: CoreDNS fits the first node
  if (s.unscheduled.size > 0) batch(s, () => schedulePending(s))
  changed(s)
}

/** @throws {NotFoundError} for an unknown node */
export function nodeState(s: ClusterState, name: string): NodeState {
  const n = s.nodeStore.get(name)
  if (!n) throw new NotFoundError('nodes', name)
  return n
}

/** The node stops answering (powered off, or cut off the network); nothing in the API changes yet. */
export function nodeDown(s: ClusterState, name: string): void {
  const n = nodeState(s, name)
  if (!n.up) return
  n.up = false
  n.downSince = s.clock
  changed(s)
}

/** The node answers again: its kubelet reports Ready, finishes deleting evicted pods, starts the pods waiting for it; pods no node fitted are tried again. */
export function nodeUp(s: ClusterState, name: string): void {
  const n = nodeState(s, name)
  if (n.up) return
  n.up = true
  n.downSince = undefined
  batch(s, () => {
    if (n.markedAt !== undefined) {
      n.markedAt = undefined
      n.node = {
        ...n.node,
        // Stryker disable next-line OptionalChaining,ArrayDeclaration: every Node has a spec, and a node that was marked has the unreachable taints
        spec: { ...n.node.spec, taints: (n.node.spec?.taints ?? []).filter((t) => t.key !== UNREACHABLE_TAINT) },
        status: { ...n.node.status, conditions: [readyCondition('True', s.clock)] },
      }
      // Stryker disable next-line OptionalChaining,ArrayDeclaration: every Node has a spec, and `taints` was just set to a list
      if ((n.node.spec?.taints ?? []).length === 0) delete n.node.spec!.taints
      s.serviceController?.updateNode(n.node)
      syncLoadBalancerStatuses(s)
    }
    for (const rec of podsOnNode(s, n.info.name)) {
      // Stryker disable next-line OptionalChaining: every stored pod has metadata
      if (rec.pod.metadata?.deletionTimestamp) {
        removePod(s, rec)
      } else {
        // Stryker disable next-line OptionalChaining: every stored pod has a status
        if (!rec.pod.status?.podIP) startPod(s, rec)
        else setReadyCondition(s, rec, true)
      }
    }
    schedulePending(s)
  })
  changed(s)
}

/**
 * Lets time pass: Terminating pods whose containers have stopped are gone (in the order
 * and at the time they stop); then, for every node down for at least the grace period,
 * the node lifecycle controller marks it unreachable; for every node marked
 * {@link DEFAULT_TOLERATION_SECONDS} ago, it evicts the node's pods.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/nodelifecycle/node_lifecycle_controller.go
 */
export function advance(s: ClusterState, seconds: number): void {
  if (!(seconds >= 0)) throw new RangeError(`advance: seconds must be ≥ 0, got ${seconds}`)
  const until = s.clock + seconds
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the guard only spares copying an empty map
  if (s.stopping.size > 0) {
    const due = [...s.stopping].filter(([, at]) => at <= until)
    // Stryker disable next-line MethodExpression,ArrowFunction,ConditionalExpression,LogicalOperator,ArithmeticOperator,EqualityOperator,UnaryOperator: nothing the cluster shows records in which order, or at which second, stopped pods went: only that they are gone by `until`
    due.sort(([ka, a], [kb, b]) => a - b || (ka < kb ? -1 : 1))
    for (const [key, at] of due) {
      // Stryker disable next-line MethodExpression: as above, no record keeps the second at which a stopped pod went
      s.clock = Math.max(s.clock, at)
      const rec = s.podStore.get(key)
      // Stryker disable next-line ConditionalExpression: every pod in `stopping` is stored (removePod takes it out of both)
      if (rec) batch(s, () => removePod(s, rec))
    }
  }
  s.clock = until
  batch(s, () => {
    for (const n of s.nodeOrder) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: a node is up exactly when it has no downSince (nodeDown sets it, nodeUp clears it)
      if (n.up || n.downSince === undefined) continue
      if (n.markedAt === undefined && s.clock - n.downSince >= NODE_MONITOR_GRACE_PERIOD) markUnreachable(s, n)
      if (n.markedAt !== undefined && s.clock - n.markedAt >= DEFAULT_TOLERATION_SECONDS) evictPods(s, n)
    }
  })
}

/** The node's Ready condition becomes `Unknown`, it gets the `unreachable` taints, and every pod on it is marked not ready (MarkPodsNotReady). */
export function markUnreachable(s: ClusterState, n: NodeState): void {
  n.markedAt = s.clock
  const taints: Taint[] = [
    // Stryker disable next-line OptionalChaining: every Node has a spec
    ...(n.node.spec?.taints ?? []),
    { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: timestamp(s.clock) },
    { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: timestamp(s.clock) },
  ]
  n.node = {
    ...n.node,
    spec: { ...n.node.spec, taints },
    status: {
      ...n.node.status,
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: timestamp(s.clock),
        },
      ],
    },
  }
  s.serviceController?.updateNode(n.node)
  syncLoadBalancerStatuses(s)
  // Stryker disable next-line ConditionalExpression,OptionalChaining: a pod without IP never started: it has no Ready condition or container status to turn False
  for (const rec of podsOnNode(s, n.info.name)) if (rec.pod.status?.podIP) setReadyCondition(s, rec, false)
  changed(s)
}

/** Every pod of the node is deleted; it stays Terminating (its kubelet cannot confirm), and its Deployment replaces it. */
export function evictPods(s: ClusterState, n: NodeState): void {
  const owners = new Set<string>()
  for (const rec of podsOnNode(s, n.info.name)) {
    // Stryker disable next-line ConditionalExpression,OptionalChaining: deletePod leaves a Terminating pod as it is, and reconciling its Deployment once more changes nothing
    if (rec.pod.metadata?.deletionTimestamp) continue
    deletePod(s, rec)
    // Stryker disable next-line ConditionalExpression: reconciling no owner finds no Deployment and does nothing
    if (rec.owner) owners.add(rec.owner)
  }
  for (const o of owners) reconcileDeployment(s, o)
}

function podsOnNode(s: ClusterState, node: string): PodRecord[] {
  // Stryker disable next-line OptionalChaining: every stored pod has a spec
  return [...s.podStore.values()].filter((r) => r.pod.spec?.nodeName === node)
}

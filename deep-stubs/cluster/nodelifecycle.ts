import type { NodeInfo } from '../../lib/cluster/defaults.ts'
import type { ClusterState, NodeState, PodRecord } from './storage.ts'

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
  // TODO(kata 09): a podCIDR (kata 00), the Node object (control plane tainted and excluded from load balancers), the scheduler and service controller told.
  throw new Error('kata 09-whole-route: addNode is not implemented yet — see lessons/09-whole-route.md')
}

/** @throws {NotFoundError} for an unknown node */
export function nodeState(s: ClusterState, name: string): NodeState {
  // TODO(kata 09): the node by name, or NotFound.
  throw new Error('kata 09-whole-route: nodeState is not implemented yet — see lessons/09-whole-route.md')
}

/** The node stops answering (powered off, or cut off the network); nothing in the API changes yet. */
export function nodeDown(s: ClusterState, name: string): void {
  // TODO(kata 09): the node stops answering now; nothing in the API changes yet.
  throw new Error('kata 09-whole-route: nodeDown is not implemented yet — see lessons/09-whole-route.md')
}

/** The node answers again: its kubelet reports Ready, finishes deleting evicted pods, starts the pods waiting for it; pods no node fitted are tried again. */
export function nodeUp(s: ClusterState, name: string): void {
  // TODO(kata 09): Ready again, unreachable taints gone, evicted pods removed, waiting pods started, the others Ready.
  throw new Error('kata 09-whole-route: nodeUp is not implemented yet — see lessons/09-whole-route.md')
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
  // TODO(kata 09): Terminating pods whose containers stopped go, in order; move the clock; mark nodes down ≥ 50 s; evict the pods of nodes marked ≥ 300 s ago.
  throw new Error('kata 09-whole-route: advance is not implemented yet — see lessons/09-whole-route.md')
}

/** The node's Ready condition becomes `Unknown`, it gets the `unreachable` taints, and every pod on it is marked not ready (MarkPodsNotReady). */
export function markUnreachable(s: ClusterState, n: NodeState): void {
  // TODO(kata 09): Ready Unknown, unreachable NoSchedule and NoExecute taints, every pod on it not ready.
  throw new Error('kata 09-whole-route: markUnreachable is not implemented yet — see lessons/09-whole-route.md')
}

/** Every pod of the node is deleted; it stays Terminating (its kubelet cannot confirm), and its Deployment replaces it. */
export function evictPods(s: ClusterState, n: NodeState): void {
  // TODO(kata 09): deletePod every pod of the node (it stays Terminating); their Deployments reconcile.
  throw new Error('kata 09-whole-route: evictPods is not implemented yet — see lessons/09-whole-route.md')
}

function podsOnNode(s: ClusterState, node: string): PodRecord[] {
  // TODO(kata 09): the pods bound to the node.
  throw new Error('kata 09-whole-route: podsOnNode is not implemented yet — see lessons/09-whole-route.md')
}

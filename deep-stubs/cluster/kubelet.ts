// The kubelet on each node, reduced: it starts the pods bound to its node (an IP from the
// node's podCIDR through the CNI plugin, kata 00 — or, on the host network, the node's
// own; containers Running and Ready at once, no probes), fixes each container's service
// environment when it starts (kata 04), writes its resolv.conf from the pod's dnsPolicy
// and the node's own file (kata 05), reports readiness, and serves `kubectl exec` and
// `kubectl port-forward` while its node answers.
//
// Read it to see when a pod's IP, environment and DNS settings are decided.
import type { NodeCondition, Pod, Service } from 'kubernetes-types/core/v1'
import type { DNSConfig } from '../dns/resolvconf.ts'
import type { EnvVar } from '../kubelet/envvars.ts'
import type { PortForwardSession } from '../kubectl/portforward.ts'
import type { ClusterState, PodRecord } from './storage.ts'
import type { Cluster } from './cluster.ts'

/** The image every container of the course runs: agnhost's netexec echo server. */
export const ECHO_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53'

/**
 * The kubelet starts the pod: sandbox and IP (kata 00) — a `hostNetwork` pod shares its
 * node's network namespace, so its IP is the node's InternalIP and the CNI plugin is not
 * called — containers Running and Ready, environment fixed now (the API sequence number
 * is remembered for {@link env}).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet.go
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kubelet_pods.go
 */
export function startPod(s: ClusterState, rec: PodRecord): void {
  // TODO(kata 09): an IP from the pod network (kata 00) or, on the host network, the node's; Running with every condition True, the API sequence number remembered.
  throw new Error('kata 09-whole-route: startPod is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The hostname a pod's containers see (and agnhost's `/hostname` answers): the node's on
 * the host network (they share its UTS namespace), else `spec.hostname`, else the pod's name.
 */
export function podHostname(pod: Pod): string {
  // TODO(kata 09): the node's name on the host network, else spec.hostname, else the pod's name.
  throw new Error('kata 09-whole-route: podHostname is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * How long the kubelet takes to stop a pod's containers once it is deleted (`killPod`):
 * each container first runs its `preStop` hook — a `sleep` action, or an exec of `sleep
 * <seconds>` (also through `sh -c`) — then gets SIGTERM, which agnhost's echo server does
 * not handle: as PID 1 it exits at once. Containers stop in parallel, so the longest hook
 * counts; `terminationGracePeriodSeconds` caps it all (then SIGKILL).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/kuberuntime/kuberuntime_container.go
 */
export function stopSeconds(pod: Pod): number {
  // TODO(kata 09): the longest preStop sleep (sleep action, or exec sleep N), capped by the grace period.
  throw new Error('kata 09-whole-route: stopSeconds is not implemented yet — see lessons/09-whole-route.md')
}

/** The pod's `Ready` and `ContainersReady` conditions (and its containers' `ready`) become `ready`. */
export function setReadyCondition(s: ClusterState, rec: PodRecord, ready: boolean): void {
  // TODO(kata 09): Ready and ContainersReady (and the containers' ready) to `ready`; every controller told.
  throw new Error('kata 09-whole-route: setReadyCondition is not implemented yet — see lessons/09-whole-route.md')
}

/** The Ready condition a kubelet posts for its node. */
export function readyCondition(status: 'True' | 'Unknown', at: number): NodeCondition {
  // TODO(kata 09): the node's Ready condition with the kubelet's reason and message.
  throw new Error('kata 09-whole-route: readyCondition is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * A pod whose kubelet can run a command in it: started, on a node that answers.
 * @throws {NotFoundError} / {@link ClusterError} with kubectl's text otherwise: `error: unable
 *   to upgrade connection: container not found ("<first container>")` for a pod never started,
 *   `Error from server: error dialing backend: dial tcp <node IP>:10250: connect: no route to
 *   host` when its node does not answer
 */
export function runningPod(s: ClusterState, namespace: string, name: string): PodRecord {
  // TODO(kata 09): a started pod on a node that answers, or kubectl's error.
  throw new Error('kata 09-whole-route: runningPod is not implemented yet — see lessons/09-whole-route.md')
}

/** The Services the kubelet's informer held at API sequence `seq`. */
function servicesAt(s: ClusterState, seq: number): Service[] {
  // TODO(kata 09): the Service versions current at that API sequence number.
  throw new Error('kata 09-whole-route: servicesAt is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * `kubectl exec POD -- env`: the container's environment, computed by kata 04 from the
 * Services that existed **when the container started** — a Service created later is not
 * in it, one deleted since still is.
 * @throws {NotFoundError} / {@link ClusterError} when the pod is unknown or not running
 */
export function env(s: ClusterState, namespace: string, podName: string, container?: string): EnvVar[] {
  // TODO(kata 09): startContainer (kata 04) with the Services that existed when the container started.
  throw new Error('kata 09-whole-route: env is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The pod's DNS settings as the kubelet writes them (kata 05), from its dnsPolicy and the
 * node's resolv.conf (`NODE_RESOLV_CONF`, lib/cluster/defaults.ts): ClusterFirst pods get the cluster DNS,
 * `Default` pods — and ClusterFirst pods on the host network — the node's file.
 */
export function dnsConfig(s: ClusterState, namespace: string, podName: string): DNSConfig {
  // TODO(kata 09): getPodDNS (kata 05) with clusterDNS 10.96.0.10, the cluster domain and the node's resolv.conf.
  throw new Error('kata 09-whole-route: dnsConfig is not implemented yet — see lessons/09-whole-route.md')
}

/** `kubectl exec POD -- cat /etc/resolv.conf`. */
export function resolvConf(s: ClusterState, namespace: string, podName: string): string {
  // TODO(kata 09): formatResolvConf of dnsConfig.
  throw new Error('kata 09-whole-route: resolvConf is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * The container ports a pod answers on: the echo server listens on every declared
 * `containerPort`, and on every numeric `targetPort` of a Service that selects the pod
 * (a numeric targetPort needs no matching containerPort). On the host network these are
 * ports of the node's own address.
 */
export function servesPort(s: ClusterState, pod: Pod, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): boolean {
  // TODO(kata 09): declared containerPorts, plus numeric targetPorts of the Services selecting the pod.
  throw new Error('kata 09-whole-route: servesPort is not implemented yet — see lessons/09-whole-route.md')
}

/**
 * `kubectl port-forward RESOURCE PORTS -n NAMESPACE` (kata 00): a tunnel through the API
 * server and the kubelet to **one** pod — for `svc/…` or `deploy/…` the most active pod
 * their selector finds, no load balancing. Deleting that pod ends the session
 * ({@link podDeleted}).
 */
export function portForward(s: ClusterState, api: Pick<Cluster, 'pods' | 'services' | 'deployments'>, namespace: string, resource: string, ports: readonly string[]): PortForwardSession {
  // TODO(kata 09): kata 00's portForward over the pods, Services and Deployments; remember the session.
  throw new Error('kata 09-whole-route: portForward is not implemented yet — see lessons/09-whole-route.md')
}

/** The pod is gone: every port-forward session to it ends. */
export function podDeleted(s: ClusterState, namespace: string, name: string): void {
  // TODO(kata 09): tell every port-forward session; forget the ones that ended.
  throw new Error('kata 09-whole-route: podDeleted is not implemented yet — see lessons/09-whole-route.md')
}

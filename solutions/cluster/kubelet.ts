// The kubelet on each node, reduced: it starts the pods bound to its node (an IP from the
// node's podCIDR through the CNI plugin, kata 00 — or, on the host network, the node's
// own; containers Running and Ready at once, no probes), fixes each container's service
// environment when it starts (kata 04), writes its resolv.conf from the pod's dnsPolicy
// and the node's own file (kata 05), reports readiness, and serves `kubectl exec` and
// `kubectl port-forward` while its node answers.
//
// Read it to see when a pod's IP, environment and DNS settings are decided.
import type { Container, ContainerState, HostIP, NodeCondition, Pod, PodCondition, Service } from 'kubernetes-types/core/v1'
import { timestamp } from '../../lib/cluster/clock.ts'
import { NODE_RESOLV_CONF } from '../../lib/cluster/defaults.ts'
import { formatResolvConf, getPodDNS, type DNSConfig } from '../dns/resolvconf.ts'
import type { EnvVar } from '../kubelet/envvars.ts'
import { startContainer } from '../kubelet/kubelet_pods.ts'
import { portForward as openPortForward, type PortForwardSession } from '../kubectl/portforward.ts'
import { labelSelectorAsSelector } from '../labels/selector.ts'
import { ClusterError, keyOf, NotFoundError, type ClusterState, type PodRecord } from './storage.ts'
import type { Cluster } from './cluster.ts'
import { podChanged, servicesSelecting } from './controllers.ts'

/** The image every container of the course runs: agnhost's netexec echo server. */
// Stryker disable next-line StringLiteral: a name for readers of manifests; the model reads no image
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
  const pod = rec.pod
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored pod has a spec; no node has an empty or made-up name
  const node = s.nodeStore.get(pod.spec?.nodeName ?? '')
  if (!node || !node.up) return
  // Stryker disable next-line OptionalChaining: a stored pod has a spec
  const ip = pod.spec?.hostNetwork ? node.info.internalIP : s.network.addPod(pod)
  const t = timestamp(s.clock)
  const shared = startedParts(t, node.info.internalIP)
  const started: Pod = {
    ...pod,
    status: {
      phase: 'Running',
      hostIP: node.info.internalIP,
      hostIPs: shared.hostIPs,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: t,
      qosClass: 'BestEffort',
      conditions: shared.conditions,
      // Stryker disable next-line OptionalChaining,ArrayDeclaration: validation requires a spec with containers
      containerStatuses: (pod.spec?.containers ?? []).map((c: Container) => ({
        name: c.name,
        // Stryker disable next-line StringLiteral: validation requires an image
        image: c.image ?? '',
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: shared.running,
      })),
    },
  }
  s.seq++
  rec.startSeq = s.seq
  // Stryker disable next-line OptionalChaining: a stored pod has a spec
  if (!pod.spec?.hostNetwork) s.podByIPs.set(ip, keyOf(pod.metadata!.namespace!, pod.metadata!.name!))
  podChanged(s, rec, started)
}

/**
 * The parts of a started pod's status that are the same for every pod started at `t` (on
 * one node): shared, and frozen so that no one changes them in place. A cluster of
 * 150,000 pods keeps one copy of them instead of 150,000.
 */
function startedParts(t: string, hostIP: string): { conditions: PodCondition[]; running: ContainerState; hostIPs: HostIP[] } {
  // Stryker disable next-line ConditionalExpression: building the parts again each time gives equal values (only more memory)
  if (started?.t !== t) {
    const conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) =>
      Object.freeze({ type, status: 'True', lastTransitionTime: t }),
    )
    started = { t, conditions: Object.freeze(conditions) as PodCondition[], running: deepFreeze({ running: { startedAt: t } }), hostIPs: new Map() }
  }
  let hostIPs = started.hostIPs.get(hostIP)
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: a new copy each time gives equal values (only more memory)
  if (!hostIPs) started.hostIPs.set(hostIP, (hostIPs = deepFreeze([{ ip: hostIP }])))
  return { conditions: started.conditions, running: started.running, hostIPs }
}
let started: { t: string; conditions: PodCondition[]; running: ContainerState; hostIPs: Map<string, HostIP[]> } | undefined

// Stryker disable all: freezing guards the shared parts against changes in place; no behaviour reads it
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') for (const v of Object.values(value)) deepFreeze(v)
  return Object.freeze(value)
}
// Stryker restore all

/**
 * The hostname a pod's containers see (and agnhost's `/hostname` answers): the node's on
 * the host network (they share its UTS namespace), else `spec.hostname`, else the pod's name.
 */
export function podHostname(pod: Pod): string {
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored pod has a spec; a running host-network pod has its node
  if (pod.spec?.hostNetwork) return pod.spec.nodeName ?? ''
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored pod has a spec and a name
  return pod.spec?.hostname ?? pod.metadata?.name ?? ''
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
  // Stryker disable next-line OptionalChaining: a stored pod has metadata and a spec
  const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30
  let longest = 0
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a stored pod has a spec with containers
  for (const c of pod.spec?.containers ?? []) {
    const hook = c.lifecycle?.preStop
    // Stryker disable next-line ArrayDeclaration: any words that are no sleep command count 0 s
    const words = (hook?.exec?.command ?? []).join(' ')
    const seconds = hook?.sleep?.seconds ?? Number(/^(?:\/bin\/)?(?:sh -c )?(?:\/bin\/)?sleep (\d+)$/.exec(words)?.[1] ?? 0)
    longest = Math.max(longest, seconds)
  }
  return Math.min(grace, longest)
}

/** The pod's `Ready` and `ContainersReady` conditions (and its containers' `ready`) become `ready`. */
export function setReadyCondition(s: ClusterState, rec: PodRecord, ready: boolean): void {
  const status = ready ? 'True' : 'False'
  const t = timestamp(s.clock)
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: only a started pod, with its conditions, gets a readiness verdict
  const conditions = (rec.pod.status?.conditions ?? []).map((c: PodCondition) =>
    (c.type === 'Ready' || c.type === 'ContainersReady') && c.status !== status ? { ...c, status, lastTransitionTime: t } : c,
  )
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a started pod has its container statuses
  const containerStatuses = (rec.pod.status?.containerStatuses ?? []).map((c) => ({ ...c, ready }))
  podChanged(s, rec, { ...rec.pod, status: { ...rec.pod.status, conditions, containerStatuses } })
}

/** The Ready condition a kubelet posts for its node. */
export function readyCondition(status: 'True' | 'Unknown', at: number): NodeCondition {
  return {
    type: 'Ready',
    status,
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    lastHeartbeatTime: timestamp(at),
    lastTransitionTime: timestamp(at),
  }
}

/**
 * A pod whose kubelet can run a command in it: started, on a node that answers.
 * @throws {NotFoundError} / {@link ClusterError} with kubectl's text otherwise: `error: unable
 *   to upgrade connection: container not found ("<first container>")` for a pod never started,
 *   `Error from server: error dialing backend: dial tcp <node IP>:10250: connect: no route to
 *   host` when its node does not answer
 */
export function runningPod(s: ClusterState, namespace: string, name: string): PodRecord {
  const rec = s.podStore.get(keyOf(namespace, name))
  if (!rec) throw new NotFoundError('pods', name)
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored pod has a spec; no node has an empty or made-up name
  const node = s.nodeStore.get(rec.pod.spec?.nodeName ?? '')
  // Stryker disable next-line OptionalChaining: a stored pod has a status
  if (!rec.pod.status?.podIP || !node) {
    // Stryker disable next-line OptionalChaining,StringLiteral: validation requires a first container with a name
    throw new ClusterError(`error: unable to upgrade connection: container not found ("${rec.pod.spec?.containers[0]?.name ?? ''}")`)
  }
  if (!node.up) {
    throw new ClusterError(`Error from server: error dialing backend: dial tcp ${node.info.internalIP}:10250: connect: no route to host`)
  }
  return rec
}

/** The Services the kubelet's informer held at API sequence `seq`. */
function servicesAt(s: ClusterState, seq: number): Service[] {
  // Stryker disable next-line EqualityOperator: a start and a Service's change never share a sequence number, so the bounds never tie
  return s.serviceHistory.filter((v) => v.from <= seq && seq < v.to).map((v) => v.service)
}

/**
 * `kubectl exec POD -- env`: the container's environment, computed by kata 04 from the
 * Services that existed **when the container started** — a Service created later is not
 * in it, one deleted since still is.
 * @throws {NotFoundError} / {@link ClusterError} when the pod is unknown or not running
 */
export function env(s: ClusterState, namespace: string, podName: string, container?: string): EnvVar[] {
  const rec = runningPod(s, namespace, podName)
  // Stryker disable next-line OptionalChaining,StringLiteral: validation requires a first container with a name
  const name = container ?? rec.pod.spec?.containers[0]?.name ?? ''
  const record = startContainer(rec.pod, name, servicesAt(s, rec.startSeq ?? s.seq))
  // Stryker disable next-line ConditionalExpression,StringLiteral: defaultPod sets enableServiceLinks and the informer here is always synced, so the container always starts
  if (record.state !== 'Running') throw new ClusterError(`${record.reason}: ${record.message}`)
  return [
    { name: 'PATH', value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    { name: 'HOSTNAME', value: podHostname(rec.pod) },
    ...record.env,
  ]
}

/**
 * The pod's DNS settings as the kubelet writes them (kata 05), from its dnsPolicy and the
 * node's resolv.conf (`NODE_RESOLV_CONF`, lib/cluster/defaults.ts): ClusterFirst pods get the cluster DNS,
 * `Default` pods — and ClusterFirst pods on the host network — the node's file.
 */
export function dnsConfig(s: ClusterState, namespace: string, podName: string): DNSConfig {
  const rec = runningPod(s, namespace, podName)
  // Stryker disable next-line ArrayDeclaration: kind's node resolv.conf has no search list
  const hostDNS = { servers: [...NODE_RESOLV_CONF.servers], searches: [...NODE_RESOLV_CONF.searches], options: [...NODE_RESOLV_CONF.options] }
  return getPodDNS(rec.pod, { clusterDNS: [s.clusterDNSIP], clusterDomain: s.clusterDomain, hostDNS }).value
}

/** `kubectl exec POD -- cat /etc/resolv.conf`. */
export function resolvConf(s: ClusterState, namespace: string, podName: string): string {
  return formatResolvConf(dnsConfig(s, namespace, podName))
}

/**
 * The container ports a pod answers on: the echo server listens on every declared
 * `containerPort`, and on every numeric `targetPort` of a Service that selects the pod
 * (a numeric targetPort needs no matching containerPort). On the host network these are
 * ports of the node's own address.
 */
export function servesPort(s: ClusterState, pod: Pod, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): boolean {
  // Both protocols were defaulted to TCP when the pod and the Service were stored.
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a stored pod has a spec with containers
  for (const c of pod.spec?.containers ?? []) {
    // Stryker disable next-line ArrayDeclaration: a list of no ports answers nothing either way
    for (const p of c.ports ?? []) if (p.containerPort === port && p.protocol === protocol) return true
  }
  // Stryker disable next-line OptionalChaining,StringLiteral: a stored pod has metadata with its namespace
  for (const svc of servicesSelecting(s, pod.metadata?.namespace ?? '', pod.metadata?.labels ?? {})) {
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: a stored Service has a spec with ports
    for (const sp of svc.spec?.ports ?? []) if (sp.targetPort === port && sp.protocol === protocol) return true
  }
  return false
}

/**
 * `kubectl port-forward RESOURCE PORTS -n NAMESPACE` (kata 00): a tunnel through the API
 * server and the kubelet to **one** pod — for `svc/…` or `deploy/…` the most active pod
 * their selector finds, no load balancing. Deleting that pod ends the session
 * ({@link podDeleted}).
 */
export function portForward(s: ClusterState, api: Pick<Cluster, 'pods' | 'services' | 'deployments'>, namespace: string, resource: string, ports: readonly string[]): PortForwardSession {
  const session = openPortForward(
    {
      pods: api.pods(),
      listPods: (ns, selector) => {
        const sel = labelSelectorAsSelector(selector)
        // Stryker disable next-line OptionalChaining: a stored pod has metadata
        return api.pods(ns).filter((p) => sel.matches(p.metadata?.labels ?? {}))
      },
      services: api.services(),
      deployments: api.deployments(),
    },
    { resource, ports, namespace, seed: s.seed },
  )
  s.forwards.add(session)
  return session
}

/** The pod is gone: every port-forward session to it ends. */
export function podDeleted(s: ClusterState, namespace: string, name: string): void {
  for (const session of s.forwards) {
    session.podDeleted(namespace, name)
    if (!session.active) s.forwards.delete(session)
  }
}

// Kata 09, deep track: more rows for the cluster's machinery, one table per component
// and task — what `kind create cluster` leaves behind (kubeadm), where the scheduler puts
// a pod (taints and tolerations, node affinity, host ports, fewest pods), what the node
// lifecycle controller does to a node that stops answering and to its pods (and what
// the kubelet does when it answers again), and how the Deployment controller validates,
// names, scales and counts pods. Each row builds its own cluster, so that it alone
// answers for what it asks about.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/cmd/kubeadm/app/phases/addons/dns/dns.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/api/core/v1/toleration.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/nodelifecycle/node_lifecycle_controller.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/deployment/sync.go
import type { NodeSelectorRequirement, Pod, Taint, Toleration } from 'kubernetes-types/core/v1'
import { expect } from 'vitest'
import type { KubeObject } from '@impl/api/manifests.ts'
import { Cluster, ClusterError, timestamp } from '@impl/cluster/cluster.ts'
import { filterNode, nodeAffinityMatches, nodeSelectorRequirementMatches, toleratesTaint } from '@impl/cluster/scheduler.ts'
import { canonicalJSON, fnv32a, type ClusterState, type NodeState } from '@impl/cluster/storage.ts'
import type { NodeInfo } from '../../lib/cluster/defaults.ts'
import { type StoryRow } from './story.ts'

/** What `fn` threw, as `ClassName: message`, or `nothing`. */
function thrown(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    return `${e instanceof ClusterError ? 'ClusterError' : (e as Error).constructor.name}: ${(e as Error).message}`
  }
  return 'nothing'
}

/** kubectl's answer to one object: `deployment.apps/web created`, or the API server's error. */
const appliedText = (c: Cluster, o: KubeObject) => {
  const r = c.applyObject(structuredClone(o))
  return r.ok ? r.text : r.error
}

const CONTROL_PLANE: NodeInfo = { name: 'kind-control-plane', internalIP: '172.18.0.2', controlPlane: true }
const WORKER: NodeInfo = { name: 'kind-worker', internalIP: '172.18.0.3', controlPlane: false }

// ---------------------------------------------------------------------------
// kind-cluster: kubeadm init, the CoreDNS addon, kubeadm join (cluster/kubeadm.ts)

export const KUBEADM_ROWS: StoryRow[] = [
  {
    name: 'a cluster of no nodes cannot be created: kubeadm init needs a node to run the control plane on',
    run: () => expect(thrown(() => new Cluster({ nodes: [] })), 'new Cluster({nodes: []})').toBe('ClusterError: a cluster needs at least one node'),
  },
  {
    name: 'the control-plane node bootstraps the cluster even when a worker is listed first: it takes 10.244.0.0/24, the kubernetes Endpoints and the CoreDNS pods',
    run: () => {
      const c = new Cluster({ nodes: [WORKER, CONTROL_PLANE] })
      expect(
        c.nodes().map((n) => `${n.metadata?.name} ${n.spec?.podCIDR}`),
        'kubeadm init runs on the control plane (it gets the first /24), kubeadm join on the worker afterwards — not in the order listed',
      ).toEqual(['kind-control-plane 10.244.0.0/24', 'kind-worker 10.244.1.0/24'])
      const ep = c.endpoints('default').find((e) => e.metadata?.name === 'kubernetes')
      expect(ep?.subsets?.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)), 'the API server writes its own address (the control plane) into the kubernetes Endpoints').toEqual([
        CONTROL_PLANE.internalIP,
      ])
      expect(
        c.pods('kube-system').map((p) => p.spec?.nodeName),
        'CoreDNS is applied before any worker joins, so both pods land on the control plane (they tolerate its taint)',
      ).toEqual(['kind-control-plane', 'kind-control-plane'])
    },
  },
  {
    name: 'default/kubernetes carries the labels component: apiserver and provider: kubernetes, as the API server creates it',
    run: () =>
      expect(new Cluster().service('default', 'kubernetes').metadata?.labels, 'kubectl get svc kubernetes --show-labels (pkg/controlplane/controller/kubernetesservice)').toEqual({
        component: 'apiserver',
        provider: 'kubernetes',
      }),
  },
  {
    name: 'a service range that does not hold 10.96.0.10 stops kind create cluster: the API server refuses kube-dns and bootstrap fails with its error',
    run: () =>
      expect(thrown(() => new Cluster({ serviceCIDR: '10.100.0.0/16' })), 'new Cluster({serviceCIDR: "10.100.0.0/16"}): kubeadm cannot install the CoreDNS addon').toBe(
        'ClusterError: The Service "kube-dns" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: the provided IP (10.96.0.10) is not in the valid range. The range of valid IPs is 10.100.0.0/16',
      ),
  },
  {
    name: "the coredns Deployment is kubeadm's: label k8s-app: kube-dns, system-cluster-critical, tolerating CriticalAddonsOnly and the control-plane taint, -conf /etc/coredns/Corefile, ports dns, dns-tcp and metrics",
    run: () => {
      const [d] = new Cluster().deployments('kube-system')
      expect(d?.metadata?.labels, 'kubectl get deploy -n kube-system coredns --show-labels').toEqual({ 'k8s-app': 'kube-dns' })
      const spec = d?.spec?.template?.spec
      expect(
        { priorityClassName: spec?.priorityClassName, tolerations: spec?.tolerations, dnsPolicy: spec?.dnsPolicy },
        "the pod template of kubeadm's CoreDNS manifest (cmd/kubeadm/app/phases/addons/dns/manifests.go)",
      ).toEqual({
        priorityClassName: 'system-cluster-critical',
        tolerations: [
          { key: 'CriticalAddonsOnly', operator: 'Exists' },
          { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
        ],
        dnsPolicy: 'Default',
      })
      const [container] = spec?.containers ?? []
      expect({ args: container?.args, ports: container?.ports }, 'the coredns container: its Corefile and the ports it listens on').toEqual({
        args: ['-conf', '/etc/coredns/Corefile'],
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
        ],
      })
    },
  },
  {
    name: "the CoreDNS pods use dnsPolicy Default: their resolv.conf is the node's (nameserver 172.18.0.1), not the cluster DNS they serve themselves",
    run: () => {
      const c = new Cluster()
      const [pod] = c.pods('kube-system')
      expect(c.resolvConf('kube-system', pod?.metadata?.name ?? ''), `kubectl exec -n kube-system ${pod?.metadata?.name} -- cat /etc/resolv.conf`).toBe('nameserver 172.18.0.1\noptions ndots:0\n')
    },
  },
  {
    name: "kube-system/kube-dns carries kubeadm's labels and Prometheus annotations, selects k8s-app: kube-dns, and sends 53 and 9153 to the same container ports",
    run: () => {
      const svc = new Cluster().service('kube-system', 'kube-dns')
      expect({ labels: svc.metadata?.labels, annotations: svc.metadata?.annotations }, "kubeadm's kube-dns Service (cmd/kubeadm/app/phases/addons/dns/manifests.go)").toEqual({
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      })
      expect({ selector: svc.spec?.selector, ports: svc.spec?.ports }, 'its selector and ports, as kubectl get svc -n kube-system kube-dns -o yaml shows them').toEqual({
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      })
    },
  },
]

// ---------------------------------------------------------------------------
// scheduler: TaintToleration, NodeAffinity, NodePorts and "fewest pods" (cluster/scheduler.ts)

const DEDICATED: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }

/** `ToleratesTaint` rows against a taint with a value (staging/src/k8s.io/api/core/v1/toleration.go). */
export const TOLERATION_ROWS: { name: string; t: Toleration; taint: Taint; want: boolean }[] = [
  { name: 'Exists with the key tolerates the taint whatever its value', t: { key: 'dedicated', operator: 'Exists' }, taint: DEDICATED, want: true },
  { name: 'Equal with the same value tolerates the taint', t: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint: DEDICATED, want: true },
  { name: 'an operator left out is Equal: the same value tolerates the taint', t: { key: 'dedicated', value: 'gpu' }, taint: DEDICATED, want: true },
  { name: 'an operator left out is Equal: another value does not tolerate the taint', t: { key: 'dedicated', value: 'fpga' }, taint: DEDICATED, want: false },
  { name: 'an Equal toleration without a key tolerates nothing: only Exists may leave the key empty', t: { operator: 'Equal' }, taint: { key: 'dedicated', effect: 'NoSchedule' }, want: false },
]

export function tolerationRow(tc: (typeof TOLERATION_ROWS)[number]): void {
  expect(toleratesTaint(tc.t, tc.taint), `toleration ${JSON.stringify(tc.t)} against taint ${JSON.stringify(tc.taint)} (Toleration.ToleratesTaint)`).toBe(tc.want)
}

/** `nodeaffinity`'s requirement match against one node label value (`undefined`: the node has no such label). */
export const REQUIREMENT_ROWS: { name: string; r: NodeSelectorRequirement; value: string | undefined; want: boolean }[] = [
  { name: 'In: a node without the label does not match', r: { key: 'disktype', operator: 'In', values: ['ssd'] }, value: undefined, want: false },
  { name: 'In: a value in the list matches', r: { key: 'disktype', operator: 'In', values: ['hdd', 'ssd'] }, value: 'ssd', want: true },
  { name: 'In: a value not in the list does not match', r: { key: 'disktype', operator: 'In', values: ['ssd'] }, value: 'hdd', want: false },
  { name: 'NotIn: a node without the label matches', r: { key: 'disktype', operator: 'NotIn', values: ['ssd'] }, value: undefined, want: true },
  { name: 'NotIn: a value in the list does not match', r: { key: 'disktype', operator: 'NotIn', values: ['ssd'] }, value: 'ssd', want: false },
  { name: 'Exists: any value matches, even empty', r: { key: 'gpu', operator: 'Exists' }, value: '', want: true },
  { name: 'Exists: a node without the label does not match', r: { key: 'gpu', operator: 'Exists' }, value: undefined, want: false },
  { name: 'DoesNotExist: a node without the label matches', r: { key: 'gpu', operator: 'DoesNotExist' }, value: undefined, want: true },
  { name: 'DoesNotExist: a node with the label does not match, even empty', r: { key: 'gpu', operator: 'DoesNotExist' }, value: '', want: false },
  { name: 'Gt: 12 is greater than 3 (compared as integers, not as strings)', r: { key: 'cores', operator: 'Gt', values: ['3'] }, value: '12', want: true },
  { name: 'Gt: 3 is not greater than 3', r: { key: 'cores', operator: 'Gt', values: ['3'] }, value: '3', want: false },
  { name: 'Gt: a negative label value is an integer too: -1 is not greater than 0', r: { key: 'offset', operator: 'Gt', values: ['0'] }, value: '-1', want: false },
  { name: 'Lt: -1 is less than 0', r: { key: 'offset', operator: 'Lt', values: ['0'] }, value: '-1', want: true },
  { name: 'Lt: 3 is not less than 3', r: { key: 'cores', operator: 'Lt', values: ['3'] }, value: '3', want: false },
  { name: 'Lt: 2 is less than 3', r: { key: 'cores', operator: 'Lt', values: ['3'] }, value: '2', want: true },
  { name: 'Gt: a label value 1.5 is no integer (strconv.ParseInt fails), so it matches nothing', r: { key: 'cores', operator: 'Gt', values: ['1'] }, value: '1.5', want: false },
  { name: 'Gt: a label value 4x is no integer, so it matches nothing', r: { key: 'cores', operator: 'Gt', values: ['1'] }, value: '4x', want: false },
  { name: 'Gt: a requirement value 1.5 is no integer, so the requirement matches nothing', r: { key: 'cores', operator: 'Gt', values: ['1.5'] }, value: '5', want: false },
  { name: 'Gt: a node without the label does not match', r: { key: 'cores', operator: 'Gt', values: ['1'] }, value: undefined, want: false },
  { name: 'an operator the API does not know matches nothing', r: { key: 'disktype', operator: 'Like', values: ['ssd'] }, value: 'ssd', want: false },
]

export function requirementRow(tc: (typeof REQUIREMENT_ROWS)[number]): void {
  expect(nodeSelectorRequirementMatches(tc.r, tc.value), `requirement ${JSON.stringify(tc.r)} against a node whose ${tc.r.key} label is ${tc.value === undefined ? 'missing' : JSON.stringify(tc.value)}`).toBe(tc.want)
}

/** A node as the scheduler's cache holds it, with these taints. */
function nodeWith(name: string, taints: Taint[] = []): NodeState {
  const info: NodeInfo = { name, internalIP: '172.18.0.9', controlPlane: false }
  return {
    index: 0,
    info,
    node: { metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { podCIDR: '10.244.9.0/24', ...(taints.length ? { taints } : {}) } },
    podCIDR: '10.244.9.0/24',
    gateway: '10.244.9.1',
    up: true,
  }
}

/** A pod whose one container asks for these host ports (`hostPort/protocol`, protocol left out when not given). */
function podWith(name: string, ports: { hostPort: number; protocol?: 'TCP' | 'UDP' }[], nodeName?: string): Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'nginx', ports: ports.map((p) => ({ containerPort: p.hostPort, ...p })) }] },
  }
}

/** Only the pod store: filterNode reads nothing else of the cluster. */
function storeOf(...pods: Pod[]): ClusterState {
  return { podStore: new Map(pods.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, { pod: p }])) } as unknown as ClusterState
}

/** filterNode rows: a pod, a node, the pods already on it, and the first plugin's reason (or `fits`). */
export const FILTER_ROWS: { name: string; pod: Pod; node: NodeState; others?: Pod[]; want: string }[] = [
  {
    name: 'a PreferNoSchedule taint does not filter a node out: it only lowers its score',
    pod: podWith('p', []),
    node: nodeWith('kind-worker', [{ key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' }]),
    want: 'fits',
  },
  {
    name: 'an untolerated NoExecute taint filters a node out, and the reason names its key and value',
    pod: podWith('p', []),
    node: nodeWith('kind-worker', [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]),
    want: 'node(s) had untolerated taint {dedicated: gpu}',
  },
  {
    name: 'a hostPort a pod on the node already holds, same protocol, filters the node out (NodePorts)',
    pod: podWith('p', [{ hostPort: 8080, protocol: 'TCP' }]),
    node: nodeWith('kind-worker'),
    others: [podWith('q', [{ hostPort: 8080 }], 'kind-worker')],
    want: "node(s) didn't have free ports for the requested pod ports",
  },
  {
    name: 'a hostPort held on another protocol is free: 8080/UDP does not conflict with 8080/TCP',
    pod: podWith('p', [{ hostPort: 8080, protocol: 'UDP' }]),
    node: nodeWith('kind-worker'),
    others: [podWith('q', [{ hostPort: 8080, protocol: 'TCP' }], 'kind-worker')],
    want: 'fits',
  },
  {
    name: 'another hostPort held on the node is no conflict: 9090 does not take 8080',
    pod: podWith('p', [{ hostPort: 8080, protocol: 'TCP' }]),
    node: nodeWith('kind-worker'),
    others: [podWith('q', [{ hostPort: 9090, protocol: 'TCP' }], 'kind-worker')],
    want: 'fits',
  },
  {
    name: 'one of two hostPorts held is enough to filter the node out',
    pod: podWith('p', [
      { hostPort: 8080, protocol: 'TCP' },
      { hostPort: 9090, protocol: 'TCP' },
    ]),
    node: nodeWith('kind-worker'),
    others: [podWith('q', [{ hostPort: 9090, protocol: 'TCP' }], 'kind-worker')],
    want: "node(s) didn't have free ports for the requested pod ports",
  },
  {
    name: 'a hostPort held by a pod on another node does not count',
    pod: podWith('p', [{ hostPort: 8080, protocol: 'TCP' }]),
    node: nodeWith('kind-worker'),
    others: [podWith('q', [{ hostPort: 8080, protocol: 'TCP' }], 'kind-worker2')],
    want: 'fits',
  },
]

export function filterRow(tc: (typeof FILTER_ROWS)[number]): void {
  const got = filterNode(storeOf(...(tc.others ?? [])), tc.pod, tc.node) ?? 'fits'
  const held = (tc.others ?? []).map((p) => `${p.metadata?.name} on ${p.spec?.nodeName} with ${JSON.stringify(p.spec?.containers?.[0]?.ports ?? [])}`)
  expect(got, `filterNode for a pod with ports ${JSON.stringify(tc.pod.spec?.containers?.[0]?.ports ?? [])} on ${tc.node.info.name} with taints ${JSON.stringify(tc.node.node.spec?.taints ?? [])}; pods there: ${held.join('; ') || 'none'}`).toBe(tc.want)
}

/** Deployment `web` (two replicas) with a pod-spec fragment before its containers. */
function webWith(fragment: string, replicas = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { ...(JSON.parse(fragment) as object), containers: [{ name: 'web', image: 'nginx' }] } },
    },
  }
}

const nodesOf = (c: Cluster, app: string) =>
  c
    .pods('default')
    .filter((p) => p.metadata?.labels?.app === app)
    .map((p) => p.spec?.nodeName ?? '<pending>')
    .sort()

/** kind with seven workers: kind-control-plane at 172.18.0.2, then kind-worker, kind-worker2 … kind-worker7 at 172.18.0.3–9. */
const KIND_7: NodeInfo[] = [CONTROL_PLANE, ...Array.from({ length: 7 }, (_, i) => ({ name: `kind-worker${i === 0 ? '' : i + 1}`, internalIP: `172.18.0.${i + 3}`, controlPlane: false }))]

export const SCHEDULER_ROWS: StoryRow[] = [
  {
    name: 'a preferred node affinity alone is a score, not a filter: the pods still spread over both workers',
    run: () => {
      const c = new Cluster()
      const preferred = { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] } }] } } }
      expect(appliedText(c, webWith(JSON.stringify(preferred))), 'kubectl apply of Deployment web with only a preferred node affinity').toBe('deployment.apps/web created')
      expect(nodesOf(c, 'web'), 'preferredDuringSchedulingIgnoredDuringExecution does not filter nodes').toEqual(['kind-worker', 'kind-worker2'])
    },
  },
  {
    name: 'a pod affinity without node affinity leaves the NodeAffinity filter nothing to check: the pods spread',
    run: () => {
      const c = new Cluster()
      const anti = { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }] } } }
      c.applyObject(webWith(JSON.stringify(anti)))
      expect(nodesOf(c, 'web'), 'spec.affinity with podAntiAffinity only').toEqual(['kind-worker', 'kind-worker2'])
    },
  },
  {
    name: 'an empty node selector term matches no node: the pods stay Pending',
    run: () => {
      const c = new Cluster()
      c.applyObject(webWith(JSON.stringify({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } })))
      expect(nodesOf(c, 'web'), 'nodeSelectorTerms: [{}] (nodeaffinity: "an empty term matches no objects")').toEqual(['<pending>', '<pending>'])
    },
  },
  {
    name: 'matchFields metadata.name NotIn kind-worker keeps every pod off kind-worker',
    run: () => {
      const c = new Cluster()
      c.applyObject(
        webWith(JSON.stringify({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['kind-worker'] }] }] } } } }), 3),
      )
      expect(nodesOf(c, 'web'), 'matchFields compare the node name').toEqual(['kind-worker2', 'kind-worker2', 'kind-worker2'])
    },
  },
  {
    name: 'matchFields know only metadata.name: a term on metadata.uid matches no node, even one whose name is the value',
    run: () => {
      const term = { matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['kind-worker'] }] }
      const pod: Pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } } } }
      expect(nodeAffinityMatches(pod, nodeWith('kind-worker')), `nodeSelectorTerms ${JSON.stringify([term])} against node kind-worker (the node's fields are only metadata.name)`).toBe(false)
    },
  },
  {
    name: 'each new pod goes to the worker with the fewest pods, ties to the one that joined first, through 80 creations and deletions on seven workers, some pods pinned by nodeSelector',
    run: () => {
      const c = new Cluster({ nodes: KIND_7 })
      const workers = KIND_7.filter((n) => !n.controlPlane).map((n) => n.name)
      const live: string[] = []
      const got: string[] = []
      const want: string[] = []
      let x = 12345
      const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648
      for (let i = 0; i < 80; i++) {
        const roll = next()
        if (live.length > 0 && roll < 0.35) {
          const [victim] = live.splice(Math.floor(next() * live.length), 1)
          c.delete('pod', 'default', victim!)
          continue
        }
        const counts = new Map(workers.map((w) => [w, 0]))
        for (const p of c.pods('default')) counts.set(p.spec?.nodeName ?? '', (counts.get(p.spec?.nodeName ?? '') ?? 0) + 1)
        // A pod pinned to one worker makes the scheduler pass over the others, which must keep their places.
        const pinned = roll > 0.8 ? workers[Math.floor(next() * workers.length)] : undefined
        const best = pinned ?? [...workers].sort((a, b) => counts.get(a)! - counts.get(b)! || workers.indexOf(a) - workers.indexOf(b))[0]!
        const name = pinned ? `p${i}-on-${pinned}` : `p${i}`
        const nodeSelector = pinned ? { nodeSelector: { 'kubernetes.io/hostname': pinned } } : {}
        c.applyObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { ...nodeSelector, containers: [{ name: 'app', image: 'nginx' }] } })
        live.push(name)
        want.push(`${name} → ${best}`)
        got.push(`${name} → ${c.pod('default', name).spec?.nodeName ?? '<pending>'}`)
      }
      expect(got, 'kube-scheduler (reduced): fewest pods first, ties by join order; a deleted pod frees its place at once').toEqual(want)
    },
  },
]

// ---------------------------------------------------------------------------
// node-lifecycle: nodes join, stop answering, are marked and come back (cluster/nodelifecycle.ts)

const ready = (p: Pod | undefined) => p?.status?.conditions?.find((x) => x.type === 'Ready')?.status
const readyOf = (c: Cluster, node: string) => c.nodeObject(node).status?.conditions?.find((x) => x.type === 'Ready')
const taintsOf = (c: Cluster, node: string) => c.nodeObject(node).spec?.taints?.map((t) => `${t.key}:${t.effect}`)
/** Deployment `web` with `replicas` pods (and a pod-spec fragment, as JSON). */
const web = (replicas: number, fragment = '{}') => webWith(fragment, replicas)
const podsOn = (c: Cluster, node: string) => c.pods('default').filter((p) => p.spec?.nodeName === node)
export const NODE_LIFECYCLE_ROWS: StoryRow[] = [
  {
    name: 'a second node under a name already taken is refused: nodes "kind-worker" already exists',
    run: () => expect(thrown(() => new Cluster({ nodes: [CONTROL_PLANE, WORKER, { ...WORKER, internalIP: '172.18.0.4' }] })), 'kubeadm join of a second kind-worker').toBe('ClusterError: nodes "kind-worker" already exists'),
  },
  {
    name: "a worker registers as the kubelet does: the kubernetes.io arch, hostname and os labels, kind's providerID, its InternalIP and Hostname, Ready, no taints",
    run: () => {
      const c = new Cluster()
      const n = c.nodeObject('kind-worker')
      expect(
        { apiVersion: n.apiVersion, kind: n.kind, labels: n.metadata?.labels, spec: n.spec, addresses: n.status?.addresses, ready: readyOf(c, 'kind-worker')?.status },
        'kubectl get node kind-worker -o yaml',
      ).toEqual({
        apiVersion: 'v1',
        kind: 'Node',
        labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'kind-worker', 'kubernetes.io/os': 'linux' },
        spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], providerID: 'kind://docker/kind/kind-worker' },
        addresses: [
          { type: 'InternalIP', address: '172.18.0.3' },
          { type: 'Hostname', address: 'kind-worker' },
        ],
        ready: 'True',
      })
      expect(c.node('kind-worker').gateway, "the node's end of its pods' veths: the first address of its podCIDR").toBe('10.244.1.1')
    },
  },
  {
    name: 'kubeadm labels the control plane node-role.kubernetes.io/control-plane and excludes it from external load balancers',
    run: () =>
      expect(new Cluster().nodeObject('kind-control-plane').metadata?.labels, 'kubectl get node kind-control-plane --show-labels').toEqual({
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': 'kind-control-plane',
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
        'node.kubernetes.io/exclude-from-external-load-balancers': '',
      }),
  },
  {
    name: 'a node that stops answering twice is still marked 50 s after the first time: the grace period does not start again',
    run: () => {
      const c = new Cluster()
      c.nodeDown('kind-worker')
      c.advance(30)
      c.nodeDown('kind-worker')
      c.advance(20)
      expect(readyOf(c, 'kind-worker')?.status, 'the node lifecycle controller counts from the last status the kubelet posted').toBe('Unknown')
    },
  },
  {
    name: "nodeUp of a node that never went down changes nothing: a pod whose readiness probe fails stays not ready",
    run: () => {
      const c = new Cluster()
      c.applyObject(web(2))
      const [p] = podsOn(c, 'kind-worker')
      c.setPodReady('default', p!.metadata!.name!, false)
      c.nodeUp('kind-worker')
      expect(ready(c.pod('default', p!.metadata!.name!)), 'the kubelet of a node that kept answering reports what the probe says').toBe('False')
    },
  },
  {
    name: 'when the node lifecycle controller marks a node, its Ready condition is Unknown, NodeStatusUnknown, "Kubelet stopped posting node status.", since the mark, and the taints carry that time',
    run: () => {
      const c = new Cluster()
      c.advance(10)
      c.nodeDown('kind-worker')
      c.advance(45)
      expect(readyOf(c, 'kind-worker')?.status, 'down since 10 s, at 55 s the grace period has not run out').toBe('True')
      c.advance(5)
      const at = timestamp(60)
      expect(readyOf(c, 'kind-worker'), 'kubectl describe node kind-worker, Conditions (down at 10 s, the grace period is 50 s)').toEqual({
        type: 'Ready',
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: at,
      })
      expect(c.nodeObject('kind-worker').spec?.taints?.map((t) => t.timeAdded), 'timeAdded of the unreachable taints').toEqual([at, at])
    },
  },
  {
    name: 'a control plane that comes back keeps its control-plane taint and loses only the unreachable ones; a worker that comes back has no taints at all',
    run: () => {
      const c = new Cluster()
      for (const n of ['kind-control-plane', 'kind-worker']) c.nodeDown(n)
      c.advance(50)
      for (const n of ['kind-control-plane', 'kind-worker']) c.nodeUp(n)
      expect({ cp: taintsOf(c, 'kind-control-plane'), worker: taintsOf(c, 'kind-worker') }, 'kubectl get nodes -o custom-columns=TAINTS:.spec.taints').toEqual({
        cp: ['node-role.kubernetes.io/control-plane:NoSchedule'],
        worker: undefined,
      })
      const n = c.nodeObject('kind-worker')
      expect({ spec: n.spec, addresses: n.status?.addresses }, 'the rest of the Node is as it was').toEqual({
        spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], providerID: 'kind://docker/kind/kind-worker' },
        addresses: [
          { type: 'InternalIP', address: '172.18.0.3' },
          { type: 'Hostname', address: 'kind-worker' },
        ],
      })
      expect(readyOf(c, 'kind-worker')?.status, 'the kubelet posts Ready again').toBe('True')
    },
  },
  {
    name: 'when a node comes back, its pods are Ready again, and the evicted ones are gone',
    run: () => {
      const c = new Cluster()
      c.applyObject(web(2))
      c.nodeDown('kind-worker2')
      c.advance(50)
      const [p] = podsOn(c, 'kind-worker2')
      expect(ready(p), 'marked: MarkPodsNotReady').toBe('False')
      c.nodeUp('kind-worker2')
      expect(ready(c.pod('default', p!.metadata!.name!)), 'its kubelet reports the pod Ready again').toBe('True')
    },
  },
  {
    name: 'nodeDown of a node the cluster does not have is NotFound, as kubectl get node kind-worker9 says',
    run: () => expect(thrown(() => new Cluster().nodeDown('kind-worker9')), 'nodeDown("kind-worker9")').toBe('ClusterError: Error from server (NotFound): nodes "kind-worker9" not found'),
  },
  {
    name: 'a node back within the grace period was never marked: its Ready condition keeps its lastTransitionTime',
    run: () => {
      const c = new Cluster()
      c.advance(5)
      c.nodeDown('kind-worker')
      c.advance(10)
      c.nodeUp('kind-worker')
      expect(readyOf(c, 'kind-worker')?.lastTransitionTime, 'Ready never left True, so it never transitioned').toBe(timestamp(0))
    },
  },
  {
    name: 'without a cloud a node still dies and comes back: there is no service controller to tell',
    run: () => {
      const c = new Cluster({ cloud: false })
      c.nodeDown('kind-worker')
      expect(thrown(() => c.advance(50)), 'advance(50) marks kind-worker').toBe('nothing')
      expect(thrown(() => c.nodeUp('kind-worker')), 'nodeUp("kind-worker")').toBe('nothing')
      expect(readyOf(c, 'kind-worker')?.status).toBe('True')
    },
  },
  {
    name: 'a pod bound by nodeName to a node that is down waits Pending without IP, and starts when the node comes back',
    run: () => {
      const c = new Cluster()
      c.nodeDown('kind-worker2')
      c.advance(50)
      c.applyObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pinned', namespace: 'default' }, spec: { nodeName: 'kind-worker2', containers: [{ name: 'app', image: 'nginx' }] } })
      const p = () => c.pod('default', 'pinned')
      expect([p().spec?.nodeName, p().status?.phase, p().status?.podIP, ready(p())], 'spec.nodeName skips the scheduler; no kubelet answers to start it').toEqual(['kind-worker2', 'Pending', undefined, undefined])
      c.nodeUp('kind-worker2')
      expect([p().status?.phase, p().status?.podIP?.startsWith('10.244.2.'), ready(p())], 'the kubelet of kind-worker2 starts it from its podCIDR').toEqual(['Running', true, 'True'])
    },
  },
  {
    name: 'Terminating pods go when their preStop hooks end: sleep 5 is gone 5 s after the delete, sleep 20 still Terminating then',
    run: () => {
      const c = new Cluster()
      for (const [name, sleep] of [['slow', 20], ['quick', 5]] as const) {
        c.applyObject({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'default' },
          spec: { containers: [{ name: 'app', image: 'nginx', lifecycle: { preStop: { sleep: { seconds: sleep } } } }] },
        })
        c.delete('pod', 'default', name)
      }
      const left = () => c.pods('default').map((p) => p.metadata?.name)
      c.advance(4)
      expect(left(), '4 s after the delete both hooks still run').toEqual(['quick', 'slow'])
      c.advance(1)
      expect(left(), '5 s: the sleep 5 hook ended, the kubelet stopped quick').toEqual(['slow'])
      c.advance(15)
      expect(left(), '20 s: slow is gone too').toEqual([])
    },
  },
  {
    name: 'time never runs backwards: advance(-1) is refused and changes nothing',
    run: () => {
      const c = new Cluster()
      expect(thrown(() => c.advance(-1)), 'advance(-1)').toBe('RangeError: advance: seconds must be ≥ 0, got -1')
      expect(thrown(() => c.advance(Number.NaN)), 'advance(NaN)').toBe('RangeError: advance: seconds must be ≥ 0, got NaN')
      expect(c.now).toBe(0)
    },
  },
  {
    name: 'the pods are evicted 300 s after the mark and not a second earlier',
    run: () => {
      const c = new Cluster()
      c.applyObject(web(2))
      c.nodeDown('kind-worker2')
      c.advance(50)
      c.advance(299)
      expect(podsOn(c, 'kind-worker2').map((p) => p.metadata?.deletionTimestamp), 'tolerationSeconds 300 of the unreachable NoExecute toleration has not run out').toEqual([undefined])
      c.advance(1)
      expect(podsOn(c, 'kind-worker2').map((p) => p.metadata?.deletionTimestamp), 'evicted at 350 s: deletionTimestamp now + the 30 s grace period').toEqual([timestamp(380)])
    },
  },
]

// ---------------------------------------------------------------------------
// deployment-controller: validation, pod-template-hash, scaling and status (cluster/deployment.ts)

/** `rand.SafeEncodeString` (k8s.io/apimachinery/pkg/util/rand): each character onto the alphabet without vowels. */
function safeEncode(s: string): string {
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789'
  return [...s].map((ch) => alphanums[ch.charCodeAt(0) % alphanums.length]).join('')
}

const WEB_TEMPLATE = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }
/** Deployment `name` in default with this spec. */
const deployment = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec })
const WEB_SELECTOR = { matchLabels: { app: 'web' } }

/** What `kubectl apply` of a Deployment answers (apps/validation ValidateDeployment), and how many pods it leaves. */
export const DEPLOYMENT_APPLY_ROWS: { name: string; object: KubeObject; want: string; pods: number }[] = [
  {
    name: 'a Deployment with replicas -1 is refused: spec.replicas must be greater than or equal to 0',
    object: deployment({ replicas: -1, selector: WEB_SELECTOR, template: WEB_TEMPLATE }),
    want: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    pods: 0,
  },
  {
    name: 'a Deployment without a selector is refused: spec.selector is required in apps/v1',
    object: deployment({ template: WEB_TEMPLATE }),
    want: 'The Deployment "web" is invalid: spec.selector: Required value',
    pods: 0,
  },
  {
    name: 'a Deployment with an empty selector is refused: it would select every pod of the namespace',
    object: deployment({ selector: {}, template: WEB_TEMPLATE }),
    want: 'The Deployment "web" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for deployment',
    pods: 0,
  },
  {
    name: 'a Deployment whose selector does not match its template labels is refused',
    object: deployment({ selector: { matchLabels: { app: 'api' } }, template: WEB_TEMPLATE }),
    want: 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    pods: 0,
  },
  {
    name: 'a Deployment whose template has no containers is refused: the pod spec is validated as a pod',
    object: deployment({ selector: WEB_SELECTOR, template: { ...WEB_TEMPLATE, spec: { containers: [] } } }),
    want: 'The Deployment "web" is invalid: spec.template.spec.containers: Required value',
    pods: 0,
  },
  {
    name: 'a Deployment without a name is refused: metadata.name is required',
    object: deployment({ selector: WEB_SELECTOR, template: WEB_TEMPLATE }, ''),
    want: 'The Deployment "" is invalid: metadata.name: Required value: name or generateName is required',
    pods: 0,
  },
  {
    name: 'a Deployment whose selector has an empty matchLabels and nothing else is refused as empty',
    object: deployment({ selector: { matchLabels: {} }, template: WEB_TEMPLATE }),
    want: 'The Deployment "web" is invalid: spec.selector: Invalid value: {"matchLabels":{}}: empty selector is invalid for deployment',
    pods: 0,
  },
  {
    name: 'a Deployment without a spec is refused: no selector, no containers',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } },
    want: 'The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template.spec.containers: Required value',
    pods: 0,
  },
  {
    name: 'a Deployment without metadata is refused: metadata.name is required',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { selector: WEB_SELECTOR, template: WEB_TEMPLATE } },
    want: 'The Deployment "" is invalid: metadata.name: Required value: name or generateName is required',
    pods: 0,
  },
  {
    name: 'a template without metadata has no labels for the selector to match',
    object: deployment({ selector: WEB_SELECTOR, template: { spec: WEB_TEMPLATE.spec } }),
    want: 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`',
    pods: 0,
  },
  {
    name: 'a selector of DoesNotExist alone matches a template without labels: the Deployment is valid and runs its pod',
    object: deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, template: { spec: WEB_TEMPLATE.spec } }),
    want: 'deployment.apps/web created',
    pods: 1,
  },
  {
    name: 'a Deployment without a template is refused: no labels to match, no containers',
    object: deployment({ selector: WEB_SELECTOR }),
    want: 'The Deployment "web" is invalid: \n* spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`\n* spec.template.spec.containers: Required value',
    pods: 0,
  },
  {
    name: 'a Deployment without replicas gets 1 (SetDefaults_Deployment)',
    object: deployment({ selector: WEB_SELECTOR, template: WEB_TEMPLATE }),
    want: 'deployment.apps/web created',
    pods: 1,
  },
  {
    name: 'a selector of matchExpressions alone is not empty: In [web] selects the template',
    object: deployment({ replicas: 2, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, template: WEB_TEMPLATE }),
    want: 'deployment.apps/web created',
    pods: 2,
  },
  {
    name: 'a Deployment scaled to 0 is valid and runs no pods',
    object: deployment({ replicas: 0, selector: WEB_SELECTOR, template: WEB_TEMPLATE }),
    want: 'deployment.apps/web created',
    pods: 0,
  },
]

export function deploymentApplyRow(tc: (typeof DEPLOYMENT_APPLY_ROWS)[number]): void {
  const c = new Cluster()
  expect(appliedText(c, tc.object), `kubectl apply of Deployment ${JSON.stringify(tc.object.spec)}`).toBe(tc.want)
  expect(c.pods('default').length, 'pods the Deployment controller created').toBe(tc.pods)
}

/** The pods of Deployment web that are not Terminating. */
const webPods = (c: Cluster) => c.pods('default').filter((p) => p.metadata?.labels?.app === 'web' && !p.metadata?.deletionTimestamp)

export const DEPLOYMENT_ROWS: StoryRow[] = [
  {
    name: 'pod-template-hash is ComputeHash: FNV-32a of the template, in decimal, through SafeEncodeString',
    run: () => {
      const c = new Cluster()
      c.applyObject(deployment({ replicas: 1, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      const want = safeEncode(String(fnv32a(canonicalJSON(WEB_TEMPLATE))))
      const [p] = webPods(c)
      expect(p?.metadata?.labels?.['pod-template-hash'], 'the label the ReplicaSet controller puts on its pods, and in its name').toBe(want)
      expect(p?.metadata?.generateName, 'the ReplicaSet web-<hash> names its pods from generateName web-<hash>-').toBe(`web-${want}-`)
      const d = c.deployments('default')[0]
      expect(p?.metadata?.ownerReferences, 'owned by the ReplicaSet, which the Deployment owns').toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${want}`, uid: `rs-${d?.metadata?.uid}`, controller: true, blockOwnerDeletion: true },
      ])
    },
  },
  {
    name: 'a Pending Deployment whose template changes: its unscheduled pods go at once and pods of the new hash take their place',
    run: () => {
      const c = new Cluster()
      const nowhere = { ...WEB_TEMPLATE, spec: { ...WEB_TEMPLATE.spec, nodeSelector: { disktype: 'ssd' } } }
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: nowhere }))
      const v2 = { ...nowhere, metadata: { labels: { app: 'web', version: 'v2' } } }
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: v2 }))
      const hash = safeEncode(String(fnv32a(canonicalJSON(v2))))
      expect(
        c.pods('default').map((p) => `${p.metadata?.labels?.['pod-template-hash']} ${p.status?.phase}`),
        'a pod that never got a node is deleted at once (no kubelet to wait for); the new ReplicaSet still wants 2',
      ).toEqual([`${hash} Pending`, `${hash} Pending`])
    },
  },
  {
    name: 'a pod left Terminating on a dead node after its Deployment was deleted can still be deleted, and nothing replaces it',
    run: () => {
      const c = new Cluster()
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      c.nodeDown('kind-worker2')
      const [stuck] = c.pods('default').filter((p) => p.spec?.nodeName === 'kind-worker2')
      c.delete('deployment', 'default', 'web')
      expect(thrown(() => c.delete('pod', 'default', stuck!.metadata!.name!)), `kubectl delete pod ${stuck?.metadata?.name} after kubectl delete deployment web`).toBe('nothing')
      expect(c.pods('default').map((p) => p.metadata?.name), 'only the pod the dead kubelet cannot confirm is left').toEqual([stuck?.metadata?.name])
    },
  },
  {
    name: "the template's annotations are the pods' annotations too",
    run: () => {
      const c = new Cluster()
      const template = { ...WEB_TEMPLATE, metadata: { ...WEB_TEMPLATE.metadata, annotations: { 'prometheus.io/scrape': 'true' } } }
      c.applyObject(deployment({ replicas: 1, selector: WEB_SELECTOR, template }))
      expect(webPods(c)[0]?.metadata?.annotations, 'a pod is created from the whole template metadata').toEqual({ 'prometheus.io/scrape': 'true' })
    },
  },
  {
    name: 'applying a changed Deployment keeps its uid and creationTimestamp, bumps generation, and kubectl says configured',
    run: () => {
      const c = new Cluster()
      c.applyObject(deployment({ replicas: 1, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      const before = c.deployments('default')[0]?.metadata
      c.advance(10)
      expect(appliedText(c, deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE })), 'kubectl apply of the same Deployment with replicas 2').toBe('deployment.apps/web configured')
      const after = c.deployments('default')[0]
      expect(
        { uid: after?.metadata?.uid, created: after?.metadata?.creationTimestamp, generation: after?.metadata?.generation, observed: after?.status?.observedGeneration },
        'metadata.generation counts spec changes; the controller has observed the new one',
      ).toEqual({ uid: before?.uid, created: timestamp(0), generation: 2, observed: 2 })
      expect(before?.uid, 'the API server gave the Deployment a uid when it was created').toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      expect(webPods(c).length, 'scaled to 2').toBe(2)
    },
  },
  {
    name: 'scaling down removes a pod that is not ready before any ready one',
    run: () => {
      const c = new Cluster()
      c.applyObject(deployment({ replicas: 3, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      const sick = webPods(c)[1]!.metadata!.name!
      c.setPodReady('default', sick, false)
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      expect(
        webPods(c).map((p) => p.metadata?.name),
        `scaled from 3 to 2 with ${sick} not ready (ReplicaSet controller getPodsToDelete: unready pods first)`,
      ).not.toContain(sick)
      expect(webPods(c).length).toBe(2)
    },
  },
  {
    name: 'scaling down among ready pods removes the newest first',
    run: () => {
      const c = new Cluster()
      c.applyObject(deployment({ replicas: 1, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      const oldest = webPods(c)[0]!.metadata!.name!
      c.advance(10)
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      c.advance(10)
      c.applyObject(deployment({ replicas: 3, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      const [middle] = webPods(c).filter((p) => p.metadata?.creationTimestamp === timestamp(10)).map((p) => p.metadata?.name)
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      c.applyObject(deployment({ replicas: 1, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      expect(webPods(c).map((p) => p.metadata?.name), `pods created at 0 s (${oldest}), 10 s (${middle}) and 20 s, scaled down to 1: the one created first stays`).toEqual([oldest])
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      c.advance(10)
      c.applyObject(deployment({ replicas: 3, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      const second = webPods(c).find((p) => p.metadata?.creationTimestamp === timestamp(20))?.metadata?.name
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      expect(webPods(c).map((p) => p.metadata?.name).sort(), 'scaled from 3 to 2: the pod created last (30 s) goes').toEqual([oldest, second].sort())
    },
  },
  {
    name: 'scaling five ready pods, created ten seconds apart, down to two keeps the two oldest',
    run: () => {
      const c = new Cluster()
      const byAge: string[] = []
      for (let n = 1; n <= 5; n++) {
        c.applyObject(deployment({ replicas: n, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
        byAge.push(webPods(c).find((p) => !byAge.includes(p.metadata?.name ?? ''))!.metadata!.name!)
        c.advance(10)
      }
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      expect(webPods(c).map((p) => p.metadata?.name).sort(), `pods by age ${byAge.join(', ')}, scaled from 5 to 2: the three newest go (getPodsToDelete: newer pods before older ones)`).toEqual(byAge.slice(0, 2).sort())
    },
  },
  {
    name: 'kubectl get deployments counts READY and UP-TO-DATE from the pods: a pod that is not ready is unavailable, a Terminating one does not count',
    run: () => {
      const c = new Cluster()
      c.applyObject(deployment({ replicas: 3, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      c.setPodReady('default', webPods(c)[0]!.metadata!.name!, false)
      expect(c.deployments('default')[0]?.status, 'status with one of three pods not ready').toEqual({
        observedGeneration: 1,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
        unavailableReplicas: 1,
      })
      c.setPodReady('default', webPods(c)[0]!.metadata!.name!, true)
      expect(c.deployments('default')[0]?.status, 'every pod ready: no unavailableReplicas field at all').toEqual({
        observedGeneration: 1,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      })
      c.nodeDown('kind-worker2')
      c.advance(50)
      c.advance(300)
      const status = c.deployments('default')[0]?.status
      expect({ replicas: status?.replicas, ready: status?.readyReplicas }, 'evicted pods are Terminating on the dead node; their replacements run elsewhere').toEqual({ replicas: 3, ready: 3 })
    },
  },
  {
    name: 'kubectl get deployments -n NAMESPACE lists only that namespace, and without one every Deployment by namespace and name',
    run: () => {
      const c = new Cluster()
      c.applyObject(deployment({ replicas: 0, selector: WEB_SELECTOR, template: WEB_TEMPLATE }, 'zeta'))
      c.applyObject(deployment({ replicas: 0, selector: WEB_SELECTOR, template: WEB_TEMPLATE }, 'alpha'))
      const names = (ns?: string) => c.deployments(ns).map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`)
      expect(names('default'), 'kubectl get deploy -n default').toEqual(['default/alpha', 'default/zeta'])
      expect(names('kube'), 'a namespace whose name is the start of another is not that one').toEqual([])
      expect(names(), 'kubectl get deploy -A').toEqual(['default/alpha', 'default/zeta', 'kube-system/coredns'])
    },
  },
  {
    name: 'a changed template replaces every pod even while some of the old ones are already Terminating',
    run: () => {
      const c = new Cluster()
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: WEB_TEMPLATE }))
      const v2 = { ...WEB_TEMPLATE, metadata: { labels: { app: 'web', version: 'v2' } } }
      c.applyObject(deployment({ replicas: 2, selector: WEB_SELECTOR, template: v2 }))
      const hash = safeEncode(String(fnv32a(canonicalJSON(v2))))
      expect(webPods(c).map((p) => p.metadata?.labels?.['pod-template-hash']), 'two pods of the new ReplicaSet, none of the old').toEqual([hash, hash])
    },
  },
]

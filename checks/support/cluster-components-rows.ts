// Kata 09, deep track: more rows for the cluster's machinery, one table per component
// and task — what `kind create cluster` leaves behind (kubeadm), where the scheduler puts
// a pod (taints, tolerations, nodeName), what the node lifecycle controller does to a
// node that stops answering and to its pods, and how the Deployment controller names,
// scales and replaces pods. Each row builds its own cluster, so that it alone answers
// for what it asks about.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/cmd/kubeadm/app/phases/addons/dns/dns.go
import type { NodeSelectorRequirement, Pod, Taint, Toleration } from 'kubernetes-types/core/v1'
import { expect } from 'vitest'
import type { KubeObject } from '@impl/api/manifests.ts'
import { Cluster, ClusterError } from '@impl/cluster/cluster.ts'
import { filterNode, nodeSelectorRequirementMatches, toleratesTaint } from '@impl/cluster/scheduler.ts'
import type { ClusterState, NodeState } from '@impl/cluster/storage.ts'
import type { NodeInfo } from '../../lib/cluster/defaults.ts'

export interface StoryRow {
  name: string
  run: () => void
}

/** What `fn` threw, as `ClassName: message`, or `nothing`. */
function thrown(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    return `${e instanceof ClusterError ? 'ClusterError' : (e as Error).constructor.name}: ${(e as Error).message}`
  }
  return 'nothing'
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

/** Joins and leaves: which node each new pod goes to, and why. */
const KIND_7: NodeInfo[] = [CONTROL_PLANE, ...Array.from({ length: 7 }, (_, i) => ({ name: `kind-worker${i === 0 ? '' : i + 1}`, internalIP: `172.18.0.${i + 3}`, controlPlane: false }))]

export const SCHEDULER_ROWS: StoryRow[] = [
  {
    name: 'a preferred node affinity alone is a score, not a filter: the pods still spread over both workers',
    run: () => {
      const c = new Cluster()
      const preferred = { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] } }] } } }
      const [r] = [c.applyObject(webWith(JSON.stringify(preferred)))]
      expect(r?.ok ? r.text : r?.error).toBe('deployment.apps/web created')
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
    name: 'each new pod goes to the worker with the fewest pods, ties to the one that joined first, through 60 creations and deletions on seven workers',
    run: () => {
      const c = new Cluster({ nodes: KIND_7 })
      const workers = KIND_7.filter((n) => !n.controlPlane).map((n) => n.name)
      const live: string[] = []
      const got: string[] = []
      const want: string[] = []
      let x = 12345
      const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648
      for (let i = 0; i < 60; i++) {
        if (live.length > 0 && next() < 0.4) {
          const [victim] = live.splice(Math.floor(next() * live.length), 1)
          c.delete('pod', 'default', victim!)
          continue
        }
        const counts = new Map(workers.map((w) => [w, 0]))
        for (const p of c.pods('default')) counts.set(p.spec?.nodeName ?? '', (counts.get(p.spec?.nodeName ?? '') ?? 0) + 1)
        const best = [...workers].sort((a, b) => counts.get(a)! - counts.get(b)! || workers.indexOf(a) - workers.indexOf(b))[0]!
        const name = `p${i}`
        c.applyObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } })
        live.push(name)
        want.push(`${name} → ${best}`)
        got.push(`${name} → ${c.pod('default', name).spec?.nodeName ?? '<pending>'}`)
      }
      expect(got, 'kube-scheduler (reduced): fewest pods first, ties by join order; a deleted pod frees its place at once').toEqual(want)
    },
  },
]

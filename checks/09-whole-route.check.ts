// Kata 09 — The whole route: one connection through a cluster built from every earlier
// kata's modules. The core tasks check each hop of the route directly (resolveHost, dial,
// throughLoadBalancer, throughNode and snatAddress), then every route end to end and a
// capstone; the deep tasks check the given machinery, one component a task.
import fc from 'fast-check'
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { expect, test } from 'vitest'
import { defaultPod, validatePod } from '@impl/cluster/admission.ts'
import { Cluster, ClusterError, NotFoundError, timestamp, type ApplyResult, type Client } from '@impl/cluster/cluster.ts'
import { curlMessage, echoServer, parseURL, type ConnectResult, type CurlError, type From } from '@impl/cluster/curl.ts'
import { podHostname, stopSeconds } from '@impl/cluster/kubelet.ts'
import { snatAddress } from '@impl/cluster/masquerade.ts'
import { captureLoadBalancerIP, dial, healthCheckAnswer, resolveHost, ruleComment, throughLoadBalancer, throughNode, type Step } from '@impl/cluster/route.ts'
import { toleratesTaint } from '@impl/cluster/scheduler.ts'
import { normalizeClusterIPs, patchAllocatedValues } from '@impl/cluster/servicestorage.ts'
import { readManifests, type KubeObject } from '@impl/api/manifests.ts'
import { FakeCloud } from '@impl/cloud/fake.ts'
import { SelectorParseError } from '@impl/labels/selector.ts'
import { externalIPColumn } from '@impl/printers/external_ip.ts'
import { APPLY_ROWS, DELETE_ALIAS_ROWS, DELETE_ROWS, deleteAliasRow } from './support/apiserver-rows.ts'
import { bullets, labelsText } from './support/explain.ts'
import { clientPodYAML, deploymentYAML, isReady, NAMESPACE_YAML, ref, resultText, serviceYAML, SNACKBAR_YAML } from './support/cluster.ts'
import { CLUSTER_ROWS } from './support/cluster-rows.ts'
import { DEPLOYMENT_APPLY_ROWS, DEPLOYMENT_ROWS, deploymentApplyRow, FILTER_ROWS, filterRow, KUBEADM_ROWS, NODE_LIFECYCLE_ROWS, REQUIREMENT_ROWS, requirementRow, SCHEDULER_ROWS, TOLERATION_ROWS, tolerationRow } from './support/cluster-components-rows.ts'
import { HOSTNAME_ROWS, STOP_ROWS } from './support/kubelet-rows.ts'
import { DEFAULTING_ROWS, VALIDATION_ROWS } from './support/pod-admission-rows.ts'
import { CAPTURE_LB_IP, CAPTURE_LB_YAML, CAPTURE_ROWS, CONNECT_ROWS, CURL_OUTPUT_ROWS, DATAPLANE_ROWS, DATAPLANE_UPSTREAM, DNS_CLIENTS_YAML, ECHO_ROWS, HEALTH_CHECK_ROWS, healthCheckBody, MENU_HOST_NETWORK_YAML, RULE_COMMENT_ROWS, STALE_ENDPOINTS_YAML, URL_REJECT_ROWS, URL_ROWS, type Scene } from './support/route-rows.ts'
import { INDEX_ROWS, NORMALIZE_ROWS, PATCH_ROWS, REVERT_ROWS, TYPE_CHANGE_ROWS } from './support/service-storage-rows.ts'
import { STORAGE_ROWS } from './support/storage-rows.ts'
import { table } from './support/table.ts'
import { kata } from './support/task.ts'

const { task } = kata('09-whole-route')

// ---------------------------------------------------------------------------
// Helpers

const applied = (rs: readonly ApplyResult[]) => rs.map((r) => (r.ok ? r.text : `ERROR ${r.error}`))

const parsed = new Map<string, KubeObject[]>()

/**
 * The objects of a manifest, read once (kata 01's readManifests) and then sent to the
 * cluster as API data: reading YAML is the slow part, and most checks are not about it.
 */
function objects(yaml: string): KubeObject[] {
  let objs = parsed.get(yaml)
  if (!objs) parsed.set(yaml, (objs = readManifests(yaml, 'snackbar.yaml').map((m) => m.object)))
  return objs
}

/** Applies manifests object by object, as `kubectl apply` sends them; returns kubectl's lines. */
function applyAll(c: Cluster, ...yamls: string[]): string[] {
  return applied(yamls.flatMap((y) => objects(y)).map((o) => c.applyObject(structuredClone(o), 'snackbar.yaml')))
}

/** A cluster with the snackbar project applied (and any more manifests), every object accepted. */
function snackbar(more: string[] = [], options: ConstructorParameters<typeof Cluster>[0] = {}, orderReplicas = 3): Cluster {
  const c = new Cluster(options)
  const yaml = orderReplicas === 3 ? SNACKBAR_YAML : SNACKBAR_YAML.replace('replicas: 3', `replicas: ${orderReplicas}`)
  const refused = applyAll(c, yaml, ...more).filter((r) => r.startsWith('ERROR'))
  expect(refused, `kubectl apply -f snackbar.yaml refused objects:\n${bullets(refused)}`).toEqual([])
  return c
}

/** One value per check file, built on first use (never at collection time, so a stub fails each test, not the file). */
function once<T>(build: () => T): () => T {
  let value: T | undefined
  return () => (value ??= build())
}

/** The pods of a Deployment (by its `app` label). */
const podsOf = (c: Cluster, app: string, namespace = 'snackbar'): Pod[] => c.pods(namespace).filter((p) => p.metadata?.labels?.app === app)
const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata?.name ?? '')
/** The cluster's time `seconds` from now, as a Kubernetes timestamp. */
const timestampAfter = (c: Cluster, seconds: number) => timestamp(c.now + seconds)

function curl(c: Cluster, from: From, url: string, at?: number): ConnectResult {
  return c.connect({ from, url, ...(at !== undefined ? { at } : {}) })
}

/** Expects the connection to reach a pod whose `app` label is `app`, Ready, on a live node. */
function expectLandsOn(c: Cluster, r: ConnectResult, app: string, what: string): Pod {
  expect(r.ok, `${what}: expected an HTTP answer from an ${app} pod, got\n${resultText(r)}`).toBe(true)
  if (!r.ok) throw new Error('unreachable')
  const [namespace, name] = (r.pod ?? '/').split('/') as [string, string]
  const pod = c.pods(namespace).find((p) => p.metadata?.name === name)
  expect(pod, `${what}: ${r.pod ?? r.server} is not a pod of the cluster\n${resultText(r)}`).toBeDefined()
  expect(pod!.metadata?.labels?.app, `${what}: landed on ${r.pod} with labels ${labelsText(pod!.metadata?.labels)}, not selected by {app: ${app}}`).toBe(app)
  expect(isReady(pod!), `${what}: landed on ${r.pod}, whose Ready condition is not True — kube-proxy must use only ready endpoints`).toBe(true)
  return pod!
}

function expectFails(r: ConnectResult, error: 'could not resolve host' | 'connection refused' | 'no route to host' | 'timed out', exit: 6 | 7 | 28, what: string): void {
  expect(r.ok ? 'an HTTP answer' : `${r.error} (exit ${r.curlExit})`, `${what}\n${resultText(r)}`).toBe(`${error} (exit ${exit})`)
}

const gateway = (c: Cluster, node: string) => c.node(node).gateway
const nodeIP = (c: Cluster, node: string) => c.node(node).internalIP

// ---------------------------------------------------------------------------
const defaultCluster = once(() => new Cluster())
/** The snackbar project and a pod `default/curl`, shared by the checks that only read and connect. */
const withClient = once(() => snackbar([clientPodYAML('curl', 'default')]))

/** A client outside the cluster (TEST-NET-3). */
const CLIENT = '203.0.113.7'
const nodePortYAML = (policy: 'Cluster' | 'Local', type = 'NodePort') => serviceYAML('order-np', { app: 'order', spec: `  type: ${type}\n  externalTrafficPolicy: ${policy}\n` })

// ---------------------------------------------------------------------------
// The core path: the route, hop by hop. Each task's checks call its own function
// directly (the others may still be stubs), with the given cluster around it.

/** A hop or an outcome, as the messages show it. */
function stepText(step: Step): string {
  if ('result' in step) return step.result === 'connected' ? `connected to ${step.server} at ${step.ip}:${step.port} (client seen as ${step.seenIP})` : step.result
  switch (step.hop) {
    case 'kube-proxy':
      return `kube-proxy on ${step.node} with ${step.packet.sourceIP} → ${step.packet.destIP}:${step.packet.destPort}`
    case 'load-balancer':
      return `the load balancer ${step.lb.ip} on port ${step.port}`
    case 'deliver':
      return `deliver to ${step.ip}:${step.port} from ${step.source}`
  }
}

const podIP = (p: Pod) => p.status?.podIP ?? ''
/** The EndpointSlices of Service `svc` (by their kubernetes.io/service-name label). */
const slicesFor = (c: Cluster, svc: string, namespace = 'snackbar') => c.endpointSlices(namespace).filter((x) => x.metadata?.labels?.['kubernetes.io/service-name'] === svc)
/** The addresses of those slices' endpoints. */
const slicedIPs = (c: Cluster, svc: string) => slicesFor(c, svc).flatMap((x) => (x.endpoints ?? []).map((e) => e.addresses[0]))
const clientOf = (c: Cluster, from: From): Client => c.client(from)

task('resolve', () => {
  const HEADLESS = serviceYAML('order-headless', { app: 'order', spec: '  clusterIP: None\n' })
  const resolving = once(() => snackbar([clientPodYAML('curl', 'default'), HEADLESS], { upstream: ['example.com. 300 IN A 93.184.215.14'] }))
  const orderIP = (c: Cluster) => [c.service('snackbar', 'order').spec!.clusterIP!]
  const payment = (c: Cluster): From => ({ pod: ref(podsOf(c, 'payment')[0]!) })
  table(
    [
      { name: 'a snackbar pod resolves the short name order through its own namespace’s search domain', from: payment, host: 'order', want: orderIP },
      { name: 'a pod in default resolves order.snackbar through its search domain svc.cluster.local', from: () => ({ pod: 'default/curl' }), host: 'order.snackbar', want: orderIP },
      { name: 'a pod in default finds no order: none of its search domains holds it', from: () => ({ pod: 'default/curl' }), host: 'order', want: () => [] },
      { name: 'an absolute name with the final dot is asked as it is', from: payment, host: 'order.snackbar.svc.cluster.local.', want: orderIP },
      { name: 'a headless Service resolves to the IPs of its ready pods', from: payment, host: 'order-headless', want: (c: Cluster) => podsOf(c, 'order').map(podIP) },
      { name: 'a pod resolves a name of the world outside: CoreDNS forwards what is not in the cluster zone', from: payment, host: 'example.com', want: () => ['93.184.215.14'] },
      { name: 'a node resolves the world’s names through its own resolver', from: () => ({ node: 'kind-worker' }), host: 'example.com', want: () => ['93.184.215.14'] },
      { name: 'a node does not resolve a cluster name, not even the full one', from: () => ({ node: 'kind-worker' }), host: 'order.snackbar.svc.cluster.local', want: () => [] },
      { name: 'a machine outside the cluster resolves no cluster name', from: () => ({ external: '203.0.113.7' }), host: 'order.snackbar', want: () => [] },
    ],
    (tc) => {
      const c = resolving()
      const from = tc.from(c)
      const path: string[] = []
      const got = resolveHost(c, clientOf(c, from), tc.host, path)
      expect([...got].sort(), `resolveHost(${JSON.stringify(from)}, ${tc.host})\n  path: ${path.join(' | ')}`).toEqual([...tc.want(c)].sort())
    },
  )

  test('with no CoreDNS pod ready a pod resolves nothing, though the Service exists: the query to 10.96.0.10 is REJECTed', () => {
    const c = snackbar()
    for (const p of c.pods('kube-system')) c.setPodReady('kube-system', p.metadata!.name!, false)
    const path: string[] = []
    const got = resolveHost(c, clientOf(c, { pod: ref(podsOf(c, 'payment')[0]!) }), 'order', path)
    expect(got, `kube-dns has no ready endpoint, so no DNS server answers\n  path: ${path.join(' | ')}`).toEqual([])
  })

  test('from a pod in default, curl http://order fails: could not resolve host (exit 6)', () => {
    const c = withClient()
    const r = curl(c, { pod: 'default/curl' }, 'http://order/hostname')
    expectFails(r, 'could not resolve host', 6, 'the search list of a default pod is default.svc.cluster.local …: order.default does not exist')
    expect(!r.ok && r.message).toBe('curl: (6) Could not resolve host: order')
  })

  test('a node cannot resolve cluster names: the cluster zone is only in the pods’ resolv.conf', () => {
    const c = withClient()
    expectFails(curl(c, { node: 'kind-worker' }, 'http://order.snackbar/'), 'could not resolve host', 6, 'the node uses its own resolver, not 10.96.0.10')
  })
})

// ---------------------------------------------------------------------------
task('first-hop', () => {
  /** The snackbar project, a LoadBalancer Service order-lb, and a pod default/curl on kind-worker. */
  const hops = once(() => snackbar([serviceYAML('order-lb', { app: 'order', spec: '  type: LoadBalancer\n' }), clientPodYAML('curl', 'default', 'kind-worker')]))
  const curlIP = (c: Cluster) => podIP(c.pod('default', 'curl'))
  const clusterIP = (c: Cluster) => c.service('snackbar', 'order').spec!.clusterIP!
  const lbNodePort = (c: Cluster) => c.service('snackbar', 'order-lb').spec!.ports![0]!.nodePort!
  const farPod = (c: Cluster) => podsOf(c, 'order').find((p) => p.spec?.nodeName === 'kind-worker2')!
  table(
    [
      {
        name: 'from a pod, a cluster IP goes to kube-proxy on the pod’s own node, from the pod’s own IP',
        from: { pod: 'default/curl' },
        to: (c: Cluster) => [clusterIP(c), 80] as const,
        want: (c: Cluster) => ({ hop: 'kube-proxy', node: 'kind-worker', packet: { sourceIP: curlIP(c), destIP: clusterIP(c), destPort: 80 } }),
      },
      {
        name: 'from a pod, another pod’s IP goes straight over the pod network, from the pod’s own IP',
        from: { pod: 'default/curl' },
        to: (c: Cluster) => [podIP(farPod(c)), 8080] as const,
        want: (c: Cluster) => ({ hop: 'deliver', ip: podIP(farPod(c)), port: 8080, source: curlIP(c) }),
      },
      {
        name: 'from a pod, another node’s IP goes to kube-proxy on that node, from the pod’s node InternalIP: kindnet masquerades what leaves the pod network (KIND-MASQ-AGENT)',
        from: { pod: 'default/curl' },
        to: () => ['172.18.0.4', 30080] as const,
        want: () => ({ hop: 'kube-proxy', node: 'kind-worker2', packet: { sourceIP: '172.18.0.3', destIP: '172.18.0.4', destPort: 30080 } }),
      },
      {
        name: 'from a pod, the control plane’s IP goes to that node from the pod’s node InternalIP, whatever the port (here the API server’s 6443)',
        from: { pod: 'default/curl' },
        to: () => ['172.18.0.2', 6443] as const,
        want: () => ({ hop: 'kube-proxy', node: 'kind-control-plane', packet: { sourceIP: '172.18.0.3', destIP: '172.18.0.2', destPort: 6443 } }),
      },
      {
        name: 'from a node, another node’s IP goes to kube-proxy on that node, from its own InternalIP',
        from: { node: 'kind-worker' },
        to: () => ['172.18.0.4', 30080] as const,
        want: () => ({ hop: 'kube-proxy', node: 'kind-worker2', packet: { sourceIP: '172.18.0.3', destIP: '172.18.0.4', destPort: 30080 } }),
      },
      {
        name: 'from a pod, its own node’s IP goes to kube-proxy on its own node',
        from: { pod: 'default/curl' },
        to: () => ['172.18.0.3', 30080] as const,
        want: (c: Cluster) => ({ hop: 'kube-proxy', node: 'kind-worker', packet: { sourceIP: curlIP(c), destIP: '172.18.0.3', destPort: 30080 } }),
      },
      {
        name: 'from a pod, the load balancer’s IP is captured by kube-proxy on its own node, as that node’s nodePort',
        from: { pod: 'default/curl' },
        to: () => ['172.18.255.200', 80] as const,
        want: (c: Cluster) => ({ hop: 'kube-proxy', node: 'kind-worker', packet: { sourceIP: curlIP(c), destIP: '172.18.0.3', destPort: lbNodePort(c) } }),
      },
      {
        name: 'from a node, a cluster IP goes to its own kube-proxy, from its InternalIP',
        from: { node: 'kind-worker2' },
        to: (c: Cluster) => [clusterIP(c), 80] as const,
        want: (c: Cluster) => ({ hop: 'kube-proxy', node: 'kind-worker2', packet: { sourceIP: '172.18.0.4', destIP: clusterIP(c), destPort: 80 } }),
      },
      {
        name: 'from outside, a node’s IP goes to kube-proxy on that node, from the client’s own address',
        from: { external: CLIENT },
        to: (c: Cluster) => ['172.18.0.2', lbNodePort(c)] as const,
        want: (c: Cluster) => ({ hop: 'kube-proxy', node: 'kind-control-plane', packet: { sourceIP: CLIENT, destIP: '172.18.0.2', destPort: lbNodePort(c) } }),
      },
      {
        name: 'from outside, the load balancer’s IP goes to the cloud’s load balancer',
        from: { external: CLIENT },
        to: () => ['172.18.255.200', 80] as const,
        want: () => ({ hop: 'load-balancer', lb: { ip: '172.18.255.200' }, port: 80 }),
      },
      { name: 'from outside, a cluster IP is not routable: the attempt times out', from: { external: CLIENT }, to: (c: Cluster) => [clusterIP(c), 80] as const, want: () => ({ result: 'timeout' }) },
      { name: 'from outside, a pod IP is not routable on kind: the attempt times out', from: { external: CLIENT }, to: (c: Cluster) => [podIP(farPod(c)), 8080] as const, want: () => ({ result: 'timeout' }) },
    ],
    (tc) => {
      const c = hops()
      const [ip, port] = tc.to(c)
      const path: string[] = []
      const step = dial(c, clientOf(c, tc.from), ip, port, path)
      expect(step, `dial from ${JSON.stringify(tc.from)} to ${ip}:${port} gave ${stepText(step)}\n  path: ${path.join(' | ')}`).toMatchObject(tc.want(c))
    },
  )

  test('a node that is down (a stopped kind node) is unreachable, from outside and from a pod: nobody answers ARP for its IP', () => {
    const c = snackbar([clientPodYAML('curl', 'default', 'kind-worker')])
    c.nodeDown('kind-worker2')
    for (const from of [{ external: CLIENT }, { pod: 'default/curl' }]) {
      const step = dial(c, clientOf(c, from), '172.18.0.4', 30080, [])
      expect(step, `dial from ${JSON.stringify(from)} to kind-worker2, which is down, gave ${stepText(step)}`).toEqual({ result: 'unreachable' })
    }
  })

  test('a pod reaches another pod directly by its IP, on any node, without a Service', () => {
    const c = withClient()
    const from = podsOf(c, 'payment')[0]!
    for (const target of podsOf(c, 'order')) {
      const r = curl(c, { pod: ref(from) }, `http://${target.status?.podIP}:8080/clientip`)
      expect(r.ok && r.pod, `pod IP ${target.status?.podIP} on ${target.spec?.nodeName}`).toBe(ref(target))
      expect(r.ok && r.clientIP, 'no NAT between pods').toBe(from.status?.podIP)
    }
  })

  test('a port the pod does not listen on is refused by the pod itself (exit 7)', () => {
    const c = withClient()
    const target = podsOf(c, 'order')[0]!
    const r = curl(c, { pod: ref(podsOf(c, 'payment')[0]!) }, `http://${target.status?.podIP}:9999/`)
    expectFails(r, 'connection refused', 7, 'nothing listens on 9999 in the pod: its kernel answers with a reset')
  })

  test('from outside, a pod IP times out: kindnet routes pod IPs only between the nodes', () => {
    const c = withClient()
    const r = curl(c, { external: CLIENT }, `http://${podsOf(c, 'order')[0]!.status?.podIP}:8080/`)
    expectFails(r, 'timed out', 28, 'kata 00: no route to 10.244.0.0/16 from outside')
  })

  test('from outside, a cluster IP times out: it exists only in the nodes’ rules', () => {
    const c = withClient()
    expectFails(curl(c, { external: CLIENT }, `http://${c.service('snackbar', 'order').spec?.clusterIP}/`), 'timed out', 28, 'a cluster IP is not routable outside the cluster')
  })
})

// ---------------------------------------------------------------------------
task('load-balancer', () => {
  const lbYAML = (policy: 'Cluster' | 'Local', extra = '') => serviceYAML('order-lb', { app: 'order', spec: `  type: LoadBalancer\n  externalTrafficPolicy: ${policy}\n${extra}` })
  const LB_IP = '172.18.255.200'
  /** Sends `n` connections from `client` to the load balancer; returns each step. */
  function through(c: Cluster, n: number, client = CLIENT, port = 80): Step[] {
    const lb = c.loadBalancerAt(LB_IP)
    expect(lb, `the cloud has a load balancer at ${LB_IP} (kata 08)`).toBeDefined()
    return Array.from({ length: n }, () => throughLoadBalancer(c, clientOf(c, { external: client }), lb!, port, []))
  }
  const toNode = (step: Step) => ('hop' in step && step.hop === 'kube-proxy' ? step.node : stepText(step))

  test('the load balancer sends to a worker’s nodePort and keeps the client address', () => {
    const c = snackbar([lbYAML('Cluster')])
    const np = c.service('snackbar', 'order-lb').spec!.ports![0]!.nodePort!
    const steps = through(c, 20)
    for (const step of steps) {
      expect(step, `throughLoadBalancer from ${CLIENT} gave ${stepText(step)}: a backend node's InternalIP and nodePort ${np}, the client address kept`).toMatchObject({
        hop: 'kube-proxy',
        packet: { sourceIP: CLIENT, destPort: np },
      })
      if ('hop' in step && step.hop === 'kube-proxy') expect(step.packet.destIP, `the packet goes to ${step.node}'s own address`).toBe(nodeIP(c, step.node))
    }
    expect([...new Set(steps.map(toNode))].sort(), 'externalTrafficPolicy Cluster: every worker passes the health check (the control plane is excluded from load balancers)').toEqual(['kind-worker', 'kind-worker2'])
  })

  test('with externalTrafficPolicy Local the load balancer sends only to the node that runs a ready order pod', () => {
    const c = snackbar([lbYAML('Local')], {}, 1)
    const home = podsOf(c, 'order')[0]!.spec!.nodeName!
    expect([...new Set(through(c, 12).map(toNode))], `only ${home} answers 200 on healthCheckNodePort`).toEqual([home])
  })

  test('with externalTrafficPolicy Local and no ready pod, no node passes its health check: the connection goes nowhere', () => {
    const c = snackbar([lbYAML('Local')], {}, 1)
    c.setPodReady('snackbar', podsOf(c, 'order')[0]!.metadata!.name!, false)
    expect(through(c, 3).map(stepText), 'every healthCheckNodePort answers 503').toEqual(['timeout', 'timeout', 'timeout'])
  })

  test('a node that is down fails its health check and gets no connection', () => {
    const c = snackbar([lbYAML('Cluster')])
    c.nodeDown('kind-worker')
    expect([...new Set(through(c, 12).map(toNode))], 'kube-proxy on kind-worker does not answer /healthz').toEqual(['kind-worker2'])
  })

  test('a port the Service declares only for UDP takes no TCP connection: the load balancer listens on each port for its protocol alone', () => {
    const c = snackbar([
      serviceYAML('order-lb', { app: 'order', spec: '  type: LoadBalancer\n' }).replace('  - port: 80\n', '  - name: dns\n    port: 53\n    protocol: UDP\n    targetPort: 8080\n  - name: http\n    port: 80\n'),
    ])
    const [tcp53] = through(c, 1, CLIENT, 53)
    expect(stepText(tcp53!), 'curl opens a TCP connection; port 53 of order-lb is UDP only').toBe('timeout')
    const [tcp80] = through(c, 1, CLIENT, 80)
    expect('hop' in tcp80! && tcp80.hop, `port 80/TCP of the same Service gave ${stepText(tcp80!)}`).toBe('kube-proxy')
  })

  table(
    [
      { name: 'a port the load balancer does not listen on goes nowhere, even from a client inside loadBalancerSourceRanges', client: '198.51.100.20', port: 81, want: 'timeout' },
      { name: 'a client outside loadBalancerSourceRanges is dropped', client: CLIENT, port: 80, want: 'timeout' },
      { name: 'a client inside loadBalancerSourceRanges gets through to a node', client: '198.51.100.20', port: 80, want: 'kube-proxy' },
    ],
    (tc) => {
      const c = snackbar([lbYAML('Cluster', '  loadBalancerSourceRanges: [198.51.100.0/24]\n')])
      const [step] = through(c, 1, tc.client, tc.port)
      expect('hop' in step! ? step.hop : step!.result, `throughLoadBalancer from ${tc.client} on port ${tc.port} gave ${stepText(step!)}`).toBe(tc.want)
    },
  )
})

// ---------------------------------------------------------------------------
task('kube-proxy', () => {
  const onNode = (c: Cluster, node: string) => podsOf(c, 'order').find((p) => p.spec?.nodeName === node)!
  table(
    [
      { name: 'toward a pod on the same node, a node masquerades to its pod-network address, the podCIDR’s first IP', node: 'kind-worker', to: (c: Cluster) => podIP(onNode(c, 'kind-worker')), want: '10.244.1.1' },
      { name: 'toward a pod on another node, a node masquerades to its InternalIP', node: 'kind-worker', to: (c: Cluster) => podIP(onNode(c, 'kind-worker2')), want: '172.18.0.3' },
      { name: 'toward another node, a node uses its InternalIP', node: 'kind-worker2', to: () => '172.18.0.3', want: '172.18.0.4' },
      { name: 'the control plane toward a CoreDNS pod on it uses 10.244.0.1', node: 'kind-control-plane', to: (c: Cluster) => podIP(c.pods('kube-system')[0]!), want: '10.244.0.1' },
    ],
    (tc) => {
      const c = withClient()
      const ip = tc.to(c)
      expect(snatAddress(c, tc.node, ip), `snatAddress(${tc.node}, ${ip}): the address of the interface toward ${ip}`).toBe(tc.want)
    },
  )

  /** The snackbar project with NodePort Services of both policies, a LoadBalancer with Local (for its health-check port) and a Service without pods. */
  const proxied = once(() =>
    snackbar([
      serviceYAML('order-np', { app: 'order', spec: '  type: NodePort\n' }),
      serviceYAML('order-local', { app: 'order', spec: '  type: NodePort\n  externalTrafficPolicy: Local\n' }),
      serviceYAML('order-lb', { app: 'order', spec: '  type: LoadBalancer\n  externalTrafficPolicy: Local\n' }),
      serviceYAML('kitchen'),
    ]),
  )
  const ip = (c: Cluster, svc: string) => c.service('snackbar', svc).spec!.clusterIP!
  const nodePort = (c: Cluster, svc: string) => c.service('snackbar', svc).spec!.ports![0]!.nodePort!
  const orderIPs = (c: Cluster) => podsOf(c, 'order').map(podIP)
  const nodeOfIP = (c: Cluster, addr: string) => c.podByIP(addr)?.spec?.nodeName
  const payment = (c: Cluster) => podsOf(c, 'payment')[0]!
  table(
    [
      {
        name: 'a packet from a pod to a cluster IP is DNATed to a ready order pod on targetPort 8080, its source untouched',
        node: (c: Cluster) => payment(c).spec!.nodeName!,
        packet: (c: Cluster) => ({ sourceIP: podIP(payment(c)), destIP: ip(c, 'order'), destPort: 80 }),
        check: (c: Cluster, step: Step) => {
          expect(step, 'KUBE-SVC → KUBE-SEP → DNAT').toMatchObject({ hop: 'deliver', port: 8080, source: podIP(payment(c)) })
          expect(orderIPs(c), 'one of the Service’s endpoints').toContain('hop' in step && step.hop === 'deliver' ? step.ip : '')
        },
      },
      {
        name: 'a Service without a ready endpoint is REJECTed: refused at once',
        node: () => 'kind-worker',
        packet: (c: Cluster) => ({ sourceIP: podIP(payment(c)), destIP: ip(c, 'kitchen'), destPort: 80 }),
        check: (_c: Cluster, step: Step) => expect(step, 'KUBE-SERVICES … has no endpoints -j REJECT').toEqual({ result: 'refused' }),
      },
      {
        name: 'a port the Service does not declare on its cluster IP matches no rule: the packet goes nowhere',
        node: () => 'kind-worker',
        packet: (c: Cluster) => ({ sourceIP: podIP(payment(c)), destIP: ip(c, 'order'), destPort: 8080 }),
        check: (_c: Cluster, step: Step) => expect(step, 'nothing owns a cluster IP: timeout').toEqual({ result: 'timeout' }),
      },
      {
        name: 'a nodePort with externalTrafficPolicy Cluster is DNATed to a ready pod and masqueraded to the node’s address',
        node: () => 'kind-control-plane',
        packet: (c: Cluster) => ({ sourceIP: CLIENT, destIP: '172.18.0.2', destPort: nodePort(c, 'order-np') }),
        check: (c: Cluster, step: Step) => {
          expect(step, 'KUBE-EXT marks for masquerade; no order pod runs on the control plane').toMatchObject({ hop: 'deliver', port: 8080, source: '172.18.0.2' })
          expect(orderIPs(c)).toContain('hop' in step && step.hop === 'deliver' ? step.ip : '')
        },
      },
      {
        name: 'a nodePort with externalTrafficPolicy Local on a node without a local pod is DROPped',
        node: () => 'kind-control-plane',
        packet: (c: Cluster) => ({ sourceIP: CLIENT, destIP: '172.18.0.2', destPort: nodePort(c, 'order-local') }),
        check: (_c: Cluster, step: Step) => expect(step, 'KUBE-EXT … has no local endpoints -j DROP: timeout').toEqual({ result: 'timeout' }),
      },
      {
        name: 'a nodePort with externalTrafficPolicy Local on a node with a local pod goes to that pod and keeps the client address',
        node: () => 'kind-worker2',
        packet: (c: Cluster) => ({ sourceIP: CLIENT, destIP: '172.18.0.4', destPort: nodePort(c, 'order-local') }),
        check: (c: Cluster, step: Step) => {
          expect(step, 'no masquerade with Local').toMatchObject({ hop: 'deliver', port: 8080, source: CLIENT })
          expect(nodeOfIP(c, 'hop' in step && step.hop === 'deliver' ? step.ip : ''), 'only local endpoints').toBe('kind-worker2')
        },
      },
      {
        name: 'a packet from a pod to the kubernetes Service is DNATed to the API server on another node and leaves masqueraded by kindnet to this node’s InternalIP',
        node: () => 'kind-worker',
        packet: (c: Cluster) => ({ sourceIP: podIP(onNode(c, 'kind-worker')), destIP: c.service('default', 'kubernetes').spec!.clusterIP!, destPort: 443 }),
        check: (_c: Cluster, step: Step) =>
          expect(step, 'kube-proxy does not mark pod traffic to a cluster IP, but 172.18.0.2 is outside the pod subnet: KIND-MASQ-AGENT MASQUERADE').toEqual({ hop: 'deliver', ip: '172.18.0.2', port: 6443, source: '172.18.0.3' }),
      },
      {
        name: 'a packet from a CoreDNS pod on the control plane to the kubernetes Service stays on that node and keeps the pod’s IP',
        node: () => 'kind-control-plane',
        packet: (c: Cluster) => ({ sourceIP: podIP(c.pods('kube-system')[0]!), destIP: c.service('default', 'kubernetes').spec!.clusterIP!, destPort: 443 }),
        check: (c: Cluster, step: Step) =>
          expect(step, 'the API server is the node’s own address: no POSTROUTING toward another host, nothing masquerades').toEqual({ hop: 'deliver', ip: '172.18.0.2', port: 6443, source: podIP(c.pods('kube-system')[0]!) }),
      },
      {
        name: 'a packet to a node’s own address on a port no Service owns is left to the node itself',
        node: () => 'kind-worker',
        packet: () => ({ sourceIP: CLIENT, destIP: '172.18.0.3', destPort: 22 }),
        check: (_c: Cluster, step: Step) => expect(step, 'no rule: the node’s own stack answers (or resets)').toEqual({ hop: 'deliver', ip: '172.18.0.3', port: 22, source: CLIENT }),
      },
      {
        name: 'a packet to 127.0.0.1 on a port no Service owns is left to the node itself',
        node: () => 'kind-worker',
        packet: () => ({ sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 22 }),
        check: (_c: Cluster, step: Step) => expect(step, 'no rule for localhost: the node’s own stack answers (or resets)').toEqual({ hop: 'deliver', ip: '172.18.0.3', port: 22, source: '127.0.0.1' }),
      },
    ],
    (tc) => {
      const c = proxied()
      const node = tc.node(c)
      const packet = tc.packet(c)
      tc.check(c, throughNode(c, node, packet, c.now, []))
    },
  )

  test('a packet from a node’s own address to a cluster IP is masqueraded to the address of the interface toward the pod', () => {
    const c = proxied()
    const seen = new Set<string>()
    for (let i = 0; i < 8; i++) {
      const step = throughNode(c, 'kind-worker', { sourceIP: '172.18.0.3', destIP: ip(c, 'order'), destPort: 80 }, c.now, [])
      const to = 'hop' in step && step.hop === 'deliver' ? step.ip : ''
      const local = nodeOfIP(c, to) === 'kind-worker'
      seen.add(local ? 'local' : 'remote')
      expect(step, `KUBE-SVC masquerades sources outside the cluster CIDR; toward ${to} on ${nodeOfIP(c, to)} the node leaves by ${local ? 'the pod’s veth' : 'its own interface'}`).toMatchObject({
        hop: 'deliver',
        source: local ? '10.244.1.1' : '172.18.0.3',
      })
    }
    expect([...seen].sort(), 'kube-proxy picked endpoints on this node and on the other').toEqual(['local', 'remote'])
  })

  test('kube-proxy answers a healthCheckNodePort itself: 200 on a node with a local order pod, 503 on the others', () => {
    const c = snackbar([serviceYAML('order-lb', { app: 'order', spec: '  type: LoadBalancer\n  externalTrafficPolicy: Local\n' })], {}, 1)
    const home = podsOf(c, 'order')[0]!.spec!.nodeName!
    const hc = c.service('snackbar', 'order-lb').spec!.healthCheckNodePort!
    for (const node of ['kind-worker', 'kind-worker2']) {
      const step = throughNode(c, node, { sourceIP: '172.18.0.1', destIP: nodeIP(c, node), destPort: hc }, c.now, [])
      expect(step, `${node}: ${node === home ? 'one local endpoint' : 'no local endpoint'}`).toMatchObject({ result: 'connected', server: 'kube-proxy', status: node === home ? 200 : 503 })
    }
  })

  test('a pod whose packet to its own Service comes back to itself is masqueraded to its node’s pod-network address (hairpin)', () => {
    const c = snackbar([], {}, 1)
    const self = podsOf(c, 'order')[0]!
    const node = self.spec!.nodeName!
    const step = throughNode(c, node, { sourceIP: podIP(self), destIP: c.service('snackbar', 'order').spec!.clusterIP!, destPort: 80 }, c.now, [])
    expect(step, `the only endpoint is the client itself: KUBE-SEP masquerades -s ${podIP(self)}, and the packet leaves by the pod's veth`).toEqual({ hop: 'deliver', ip: podIP(self), port: 8080, source: gateway(c, node) })
  })
})

// ---------------------------------------------------------------------------
task('end-to-end', () => {
  const client = (c: Cluster) => ref(podsOf(c, 'payment')[0]!)
  const nodePortCluster = once(() => snackbar([nodePortYAML('Cluster')]))
  table(
    [
      { name: 'from a snackbar pod, curl http://order/hostname reaches an order pod (the short name, through the search list)', url: 'http://order/hostname' },
      { name: 'from a snackbar pod, curl http://order.snackbar/hostname reaches an order pod', url: 'http://order.snackbar/hostname' },
      { name: 'from a snackbar pod, curl http://order.snackbar.svc/hostname reaches an order pod', url: 'http://order.snackbar.svc/hostname' },
      { name: 'from a snackbar pod, curl http://order.snackbar.svc.cluster.local/hostname reaches an order pod', url: 'http://order.snackbar.svc.cluster.local/hostname' },
      { name: 'from a snackbar pod, the absolute name order.snackbar.svc.cluster.local. reaches an order pod', url: 'http://order.snackbar.svc.cluster.local./hostname' },
      { name: 'from a snackbar pod, curl http://<cluster IP of order>/hostname reaches an order pod', url: 'CLUSTER_IP' },
      { name: 'from a pod in default, curl http://order.snackbar/hostname reaches an order pod', url: 'http://order.snackbar/hostname', other: true },
    ],
    (tc) => {
      const c = withClient()
      const from = tc.other ? 'default/curl' : client(c)
      const url = tc.url === 'CLUSTER_IP' ? `http://${c.service('snackbar', 'order').spec?.clusterIP}/hostname` : tc.url
      const r = curl(c, { pod: from }, url)
      const pod = expectLandsOn(c, r, 'order', `curl ${url} from ${from}`)
      expect(r.ok && r.body, '/hostname answers the pod name (agnhost netexec)').toBe(pod.metadata?.name)
      expect(r.ok && r.port, 'port 80 of the Service is DNATed to targetPort 8080').toBe(8080)
    },
  )

  test('the order pod sees the client pod’s own IP: pod-to-Service traffic is not masqueraded', () => {
    const c = withClient()
    const from = podsOf(c, 'payment')[0]!
    const r = curl(c, { pod: ref(from) }, 'http://order/clientip')
    expectLandsOn(c, r, 'order', 'curl http://order/clientip')
    expect(r.ok && r.clientIP, 'KUBE-SVC masquerades only sources outside 10.244.0.0/16').toBe(from.status?.podIP)
    expect(r.ok && r.body, '/clientip answers ip:port of the client as the pod sees it').toBe(`${from.status?.podIP}:${r.ok && r.clientPort}`)
  })

  test('a pod that reaches itself through its Service sees its node’s pod-network address (hairpin masquerade)', () => {
    const c = snackbar([], {}, 1)
    const self = podsOf(c, 'order')[0]!
    const r = curl(c, { pod: ref(self) }, 'http://order/clientip')
    expect(r.ok && r.pod, 'the only endpoint is the client itself').toBe(ref(self))
    expect(r.ok && r.clientIP, `KUBE-SEP marks -s <endpoint IP> for masquerade; the reply leaves through the pod's veth, whose host side is ${gateway(c, self.spec!.nodeName!)}`).toBe(
      gateway(c, self.spec!.nodeName!),
    )
  })

  test('connections are spread over every ready order pod: each one answers some of 20 connections', () => {
    const c = withClient()
    const from = ref(podsOf(c, 'payment')[0]!)
    const seen = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const r = curl(c, { pod: from }, 'http://order/hostname')
      if (r.ok) seen.add(r.pod ?? '')
    }
    expect([...seen].sort(), 'iptables picks an endpoint per connection, 1/n each').toEqual(podsOf(c, 'order').map(ref).sort())
  })

  test('a port the Service does not declare on its cluster IP times out: nothing owns a cluster IP', () => {
    const c = withClient()
    const r = curl(c, { pod: ref(podsOf(c, 'payment')[0]!) }, `http://${c.service('snackbar', 'order').spec?.clusterIP}:8080/`)
    expectFails(r, 'timed out', 28, 'kube-proxy has rules only for the declared (IP, port, protocol); the packet goes nowhere')
  })

  test('a numeric targetPort needs no matching containerPort: the pods still answer on it', () => {
    const c = snackbar()
    const bare = deploymentYAML('kitchen', { port: 7070 }).replace(/        ports:\n        - containerPort: 7070\n/, '')
    applyAll(c, bare, serviceYAML('kitchen', { targetPort: 7070 }))
    const r = curl(c, { pod: ref(podsOf(c, 'order')[0]!) }, 'http://kitchen/hostname')
    expectLandsOn(c, r, 'kitchen', 'kitchen pods declare no containerPort; the Service sends to 7070 anyway')
  })

  test('a named targetPort resolves on each pod: a Service targetPort http reaches the container port named http', () => {
    const c = snackbar()
    applyAll(c, deploymentYAML('kitchen', { port: 7070, portName: 'http' }), serviceYAML('kitchen', { targetPort: 'http' }))
    const r = curl(c, { pod: ref(podsOf(c, 'order')[0]!) }, 'http://kitchen/hostname')
    expectLandsOn(c, r, 'kitchen', 'targetPort: http')
    expect(r.ok && r.port, 'the endpoint port is the container port named http').toBe(7070)
  })

  test('a node reaches a cluster IP too, and the pod sees the node’s address (traffic from outside the pod CIDR is masqueraded)', () => {
    const c = withClient()
    for (let i = 0; i < 6; i++) {
      const r = curl(c, { node: 'kind-worker' }, `http://${c.service('snackbar', 'order').spec?.clusterIP}/clientip`)
      const pod = expectLandsOn(c, r, 'order', 'curl from the node kind-worker')
      const want = pod.spec?.nodeName === 'kind-worker' ? gateway(c, 'kind-worker') : nodeIP(c, 'kind-worker')
      expect(r.ok && r.clientIP, `pod on ${pod.spec?.nodeName}: SNAT to ${want}`).toBe(want)
    }
  })

  test('a node reaches a pod by its IP too: a pod on that node sees the node’s pod-network address, a pod on another node its InternalIP', () => {
    const c = withClient()
    for (const target of podsOf(c, 'order')) {
      const r = curl(c, { node: 'kind-worker' }, `http://${podIP(target)}:8080/clientip`)
      const want = target.spec?.nodeName === 'kind-worker' ? gateway(c, 'kind-worker') : nodeIP(c, 'kind-worker')
      expect(r.ok && r.clientIP, `curl from the node kind-worker to ${podIP(target)} on ${target.spec?.nodeName}: the source is the address of the interface the packet leaves by, ${want}\n${resultText(r)}`).toBe(want)
    }
  })

  test('internalTrafficPolicy Local: a pod on a node without an order pod times out, one on a node with one gets through', () => {
    const c = snackbar([serviceYAML('order-local', { app: 'order', spec: '  internalTrafficPolicy: Local\n' })], {}, 1)
    const orderNode = podsOf(c, 'order')[0]!.spec!.nodeName!
    const otherNode = orderNode === 'kind-worker' ? 'kind-worker2' : 'kind-worker'
    applyAll(c, clientPodYAML('near', 'snackbar', orderNode), clientPodYAML('far', 'snackbar', otherNode))
    expectLandsOn(c, curl(c, { pod: 'snackbar/near' }, 'http://order-local/hostname'), 'order', `client on ${orderNode}, where the order pod runs`)
    expectFails(curl(c, { pod: 'snackbar/far' }, 'http://order-local/hostname'), 'timed out', 28, `client on ${otherNode}: no local endpoint, DROP`)
  })

  test('https://kubernetes.default from a pod reaches the API server on the control plane at 172.18.0.2:6443', () => {
    const c = withClient()
    const r = curl(c, { pod: ref(podsOf(c, 'order')[0]!) }, 'https://kubernetes.default/')
    expect(r.ok && { server: r.server, endpoint: r.endpoint, node: r.node }, resultText(r)).toEqual({ server: 'kube-apiserver', endpoint: '172.18.0.2:6443', node: 'kind-control-plane' })
  })

  test('a headless Service resolves to the ready pod IPs, and curl must use the targetPort because nothing translates ports', () => {
    const c = snackbar([serviceYAML('order-headless', { app: 'order', spec: '  clusterIP: None\n' })])
    const from = ref(podsOf(c, 'payment')[0]!)
    const l = c.lookup('snackbar', podsOf(c, 'payment')[0]!.metadata!.name!, 'order-headless')
    expect([...l.addresses].sort(), 'one A record per ready endpoint (kata 05)').toEqual(podsOf(c, 'order').map((p) => p.status?.podIP).sort())
    expectFails(curl(c, { pod: from }, 'http://order-headless/'), 'connection refused', 7, 'port 80 on a pod IP: no Service port translation, nothing listens on 80')
    expectLandsOn(c, curl(c, { pod: from }, 'http://order-headless:8080/hostname'), 'order', 'port 8080 on a pod IP')
  })

  test('an ExternalName Service answers a CNAME to order.snackbar.svc.cluster.local, and curl through it reaches an order pod', () => {
    const c = snackbar([`apiVersion: v1\nkind: Service\nmetadata: {name: menu, namespace: snackbar}\nspec:\n  type: ExternalName\n  externalName: order.snackbar.svc.cluster.local\n`])
    const client = podsOf(c, 'payment')[0]!
    const l = c.lookup('snackbar', client.metadata!.name!, 'menu')
    expect(l.answer[0], 'CoreDNS answers the CNAME, then the target’s A record').toBe('menu.snackbar.svc.cluster.local. 30 IN CNAME order.snackbar.svc.cluster.local.')
    expect(c.service('snackbar', 'menu').spec?.clusterIP, 'an ExternalName Service has no cluster IP').toBeUndefined()
    expectLandsOn(c, curl(c, { pod: ref(client) }, 'http://menu/hostname'), 'order', 'curl http://menu/ (CNAME to order)')
  })

  test('with no CoreDNS pod ready nothing resolves (exit 6), though the Service exists and its cluster IP still works', () => {
    const c = snackbar()
    for (const p of c.pods('kube-system')) c.setPodReady('kube-system', p.metadata!.name!, false)
    const from = ref(podsOf(c, 'payment')[0]!)
    expectFails(curl(c, { pod: from }, 'http://order/'), 'could not resolve host', 6, 'the query to 10.96.0.10:53 is REJECTed: kube-dns has no ready endpoints')
    expectLandsOn(c, curl(c, { pod: from }, `http://${c.service('snackbar', 'order').spec?.clusterIP}/hostname`), 'order', 'by cluster IP, no DNS needed')
  })

  test('user Endpoints for a selector-less Service are mirrored into an EndpointSlice and routed', () => {
    const c = snackbar()
    const target = podsOf(c, 'order')[0]!
    const yaml = `apiVersion: v1\nkind: Service\nmetadata: {name: legacy, namespace: snackbar}\nspec:\n  ports: [{port: 80, targetPort: 8080}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: legacy, namespace: snackbar}\nsubsets:\n- addresses: [{ip: ${target.status?.podIP}}]\n  ports: [{port: 8080}]\n`
    expect(applied(c.apply(yaml, 'legacy.yaml'))).toEqual(['service/legacy created', 'endpoints/legacy created'])
    const slice = c.endpointSlices('snackbar').find((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'legacy')
    expect(slice?.metadata?.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io')
    const r = curl(c, { pod: ref(podsOf(c, 'payment')[0]!) }, 'http://legacy/hostname')
    expect(r.ok && r.pod, resultText(r)).toBe(ref(target))
  })

  table(
    ['kind-control-plane', 'kind-worker', 'kind-worker2'].map((node) => ({
      name: `externalTrafficPolicy Cluster: from outside, <${node} IP>:<nodePort> reaches an order pod, which sees a node address, never the client`,
      node,
    })),
    (tc) => {
      const c = nodePortCluster()
      const np = c.service('snackbar', 'order-np').spec?.ports?.[0]?.nodePort
      for (let i = 0; i < 4; i++) {
        const r = curl(c, { external: CLIENT }, `http://${nodeIP(c, tc.node)}:${np}/clientip`)
        const pod = expectLandsOn(c, r, 'order', `curl ${nodeIP(c, tc.node)}:${np} from ${CLIENT}`)
        const want = pod.spec?.nodeName === tc.node ? gateway(c, tc.node) : nodeIP(c, tc.node)
        expect(r.ok && r.clientIP, `KUBE-EXT masquerades: SNAT to ${tc.node}'s address toward ${pod.spec?.nodeName} (${want})`).toBe(want)
      }
    },
  )

  test('a node reaches a nodePort on 127.0.0.1 too: kube-proxy’s localhost nodePort rules (route_localnet) send it to an order pod', () => {
    const c = snackbar([nodePortYAML('Cluster')])
    const np = c.service('snackbar', 'order-np').spec?.ports?.[0]?.nodePort
    expectLandsOn(c, curl(c, { node: 'kind-worker' }, `http://127.0.0.1:${np}/hostname`), 'order', `curl http://127.0.0.1:${np} on kind-worker, the first packet of a fresh kube-proxy`)
  })

  test('externalTrafficPolicy Local: the node with the order pod keeps the client IP, the others drop the connection (exit 28)', () => {
    const c = snackbar([nodePortYAML('Local')], {}, 1)
    const home = podsOf(c, 'order')[0]!.spec!.nodeName!
    const np = c.service('snackbar', 'order-np').spec?.ports?.[0]?.nodePort
    for (const node of ['kind-control-plane', 'kind-worker', 'kind-worker2']) {
      const r = curl(c, { external: CLIENT }, `http://${nodeIP(c, node)}:${np}/clientip`)
      if (node === home) {
        expectLandsOn(c, r, 'order', `via ${node}, where the pod runs`)
        expect(r.ok && r.clientIP, 'no masquerade with Local: the pod sees the real client').toBe(CLIENT)
      } else expectFails(r, 'timed out', 28, `via ${node}: no local endpoint, KUBE-EXTERNAL-SERVICES DROP`)
    }
  })

  /** order-np with externalTrafficPolicy Local and one order pod, a client pod on that pod's node and one on the other worker. */
  const localFromPods = once(() => {
    const c = snackbar([nodePortYAML('Local')], {}, 1)
    const home = podsOf(c, 'order')[0]!.spec!.nodeName!
    applyAll(c, clientPodYAML('near', 'default', home), clientPodYAML('far', 'default', home === 'kind-worker' ? 'kind-worker2' : 'kind-worker'))
    return c
  })
  const homeOf = (c: Cluster) => podsOf(c, 'order')[0]!.spec!.nodeName!
  const awayOf = (c: Cluster) => (homeOf(c) === 'kind-worker' ? 'kind-worker2' : 'kind-worker')
  table(
    [
      {
        name: 'externalTrafficPolicy Local: a pod using its own node’s IP is pod traffic (KUBE-EXT -s 10.244.0.0/16), reaches the order pod on the other node and keeps its pod IP',
        from: 'default/far',
        via: awayOf,
        want: (c: Cluster) => podIP(c.pod('default', 'far')),
      },
      {
        name: 'externalTrafficPolicy Local: a pod using another node’s IP arrives there from its node’s InternalIP (kindnet’s masquerade), so the order pod sees that node address',
        from: 'default/far',
        via: homeOf,
        want: (c: Cluster) => nodeIP(c, awayOf(c)),
      },
      {
        name: 'externalTrafficPolicy Local: a pod using the IP of a node without an order pod times out — masqueraded by kindnet, it is external traffic there and is DROPped',
        from: 'default/near',
        via: awayOf,
        want: () => 'timed out',
      },
      {
        name: 'externalTrafficPolicy Local: a pod using the control plane’s IP times out too, even from the node that runs the order pod',
        from: 'default/near',
        via: () => 'kind-control-plane',
        want: () => 'timed out',
      },
    ],
    (tc) => {
      const c = localFromPods()
      const np = c.service('snackbar', 'order-np').spec?.ports?.[0]?.nodePort
      const node = tc.via(c)
      const url = `http://${nodeIP(c, node)}:${np}/clientip`
      const r = curl(c, { pod: tc.from }, url)
      const what = `curl ${url} (${node}) from ${tc.from} on ${c.pod('default', tc.from.split('/')[1]!).spec?.nodeName}, the order pod on ${homeOf(c)}`
      const want = tc.want(c)
      if (want === 'timed out') expectFails(r, 'timed out', 28, `${what}: KUBE-EXTERNAL-SERVICES "has no local endpoints" -j DROP`)
      else {
        expectLandsOn(c, r, 'order', what)
        expect(r.ok && r.clientIP, `${what}: the client address the order pod sees`).toBe(want)
      }
    },
  )

  test('a LoadBalancer Service gets 172.18.255.200 from the pool, and its IP from outside reaches an order pod', () => {
    const c = snackbar([nodePortYAML('Cluster', 'LoadBalancer')])
    const svc = c.service('snackbar', 'order-np')
    expect(svc.status?.loadBalancer?.ingress, 'the service controller writes what the cloud returned (kata 08)').toEqual([{ ip: '172.18.255.200', ipMode: 'VIP' }])
    expect(svc.spec?.ports?.[0]?.nodePort, 'a LoadBalancer Service is a NodePort Service too').toBeGreaterThanOrEqual(30000)
    const r = curl(c, { external: CLIENT }, 'http://172.18.255.200/clientip')
    expectLandsOn(c, r, 'order', 'curl the load-balancer IP')
    expect(r.ok && r.clientIP, 'externalTrafficPolicy Cluster: the node masquerades').not.toBe(CLIENT)
  })

  test('a LoadBalancer with externalTrafficPolicy Local: every connection from outside keeps the client IP and none times out', () => {
    const c = snackbar([nodePortYAML('Local', 'LoadBalancer')], {}, 1)
    const svc = c.service('snackbar', 'order-np')
    expect(svc.spec?.healthCheckNodePort, 'LoadBalancer + Local allocates healthCheckNodePort (kata 07)').toBeGreaterThanOrEqual(30000)
    const failures: string[] = []
    for (let i = 0; i < 12; i++) {
      const r = curl(c, { external: CLIENT }, 'http://172.18.255.200/clientip')
      if (!r.ok || r.clientIP !== CLIENT) failures.push(resultText(r))
    }
    expect(failures, 'the load balancer health-checks healthCheckNodePort and sends only to the node with the pod; that node keeps the client address').toEqual([])
  })

  test('healthCheckNodePort answers 200 on the node with a local order pod and 503 on the others', () => {
    const c = snackbar([nodePortYAML('Local', 'LoadBalancer')], {}, 1)
    const home = podsOf(c, 'order')[0]!.spec!.nodeName!
    const hc = c.service('snackbar', 'order-np').spec?.healthCheckNodePort
    for (const node of ['kind-worker', 'kind-worker2']) {
      const r = curl(c, { external: '172.18.0.1' }, `http://${nodeIP(c, node)}:${hc}/healthz`)
      expect(r.ok && r.server, resultText(r)).toBe('kube-proxy')
      expect(r.ok && r.status, `${node}: ${node === home ? 'one local endpoint' : 'no local endpoint'}`).toBe(node === home ? 200 : 503)
    }
  })

  test('loadBalancerSourceRanges: a client inside the ranges gets through, one outside times out', () => {
    const c = snackbar([nodePortYAML('Cluster', 'LoadBalancer') + '  loadBalancerSourceRanges: [198.51.100.0/24]\n'])
    expectLandsOn(c, curl(c, { external: '198.51.100.20' }, 'http://172.18.255.200/hostname'), 'order', 'client 198.51.100.20 in 198.51.100.0/24')
    expectFails(curl(c, { external: CLIENT }, 'http://172.18.255.200/hostname'), 'timed out', 28, `client ${CLIENT} outside the ranges: dropped`)
  })

  test('a pod reaches the LoadBalancer IP too: kube-proxy captures it on the pod’s own node', () => {
    const c = snackbar([nodePortYAML('Cluster', 'LoadBalancer')])
    expectLandsOn(c, curl(c, { pod: ref(podsOf(c, 'payment')[0]!) }, 'http://172.18.255.200/hostname'), 'order', 'curl the load-balancer IP from a pod')
  })

  test('without a cloud a LoadBalancer Service stays <pending>, and its nodePort still works', () => {
    const c = snackbar([nodePortYAML('Cluster', 'LoadBalancer')], { cloud: false })
    const svc = c.service('snackbar', 'order-np')
    expect(svc.status?.loadBalancer?.ingress ?? [], 'nobody writes status.loadBalancer: EXTERNAL-IP <pending>').toEqual([])
    expectLandsOn(c, curl(c, { external: CLIENT }, `http://${nodeIP(c, 'kind-worker')}:${svc.spec?.ports?.[0]?.nodePort}/hostname`), 'order', 'the nodePort')
    expectLandsOn(c, curl(c, { pod: ref(podsOf(c, 'payment')[0]!) }, `http://${nodeIP(c, 'kind-worker')}:${svc.spec?.ports?.[0]?.nodePort}/hostname`), 'order', 'the nodePort from a pod, while the Service has no ingress IP for kube-proxy to capture')
  })

  test('sessionAffinity ClientIP: ten connections from one client land on one pod, until the affinity times out', () => {
    const c = snackbar([serviceYAML('order-sticky', { app: 'order', spec: '  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n' })])
    const from = { pod: ref(podsOf(c, 'payment')[0]!) }
    const seen = new Set<string>()
    for (let i = 0; i < 10; i++) {
      const r = curl(c, from, 'http://order-sticky/hostname', i)
      if (r.ok) seen.add(r.pod ?? '')
    }
    expect(seen.size, 'the recent module sends the client back to its endpoint while it keeps connecting').toBe(1)
    const later = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const r = curl(c, from, 'http://order-sticky/hostname', 1000 + i * 61)
      if (r.ok) later.add(r.pod ?? '')
    }
    expect(later.size, 'a new connection after more than 60 s of silence is a fresh random choice').toBeGreaterThan(1)
  })

  test('a pod marked not ready while it serves traffic receives no new connections', () => {
    const c = snackbar()
    const [sick] = podsOf(c, 'order')
    const from = ref(podsOf(c, 'payment')[0]!)
    expectLandsOn(c, curl(c, { pod: from }, 'http://order/hostname'), 'order', 'before the readiness probe fails')
    c.setPodReady('snackbar', sick!.metadata!.name!, false)
    for (let i = 0; i < 20; i++) {
      const r = curl(c, { pod: from }, 'http://order/hostname')
      expectLandsOn(c, r, 'order', `connection ${i + 1} after ${sick!.metadata!.name} became not ready`)
      expect(r.ok && r.pod, 'the not-ready pod left the EndpointSlice’s ready endpoints').not.toBe(ref(sick!))
    }
  })

  test('when every order pod stops being ready, curl is refused at once (REJECT, exit 7)', () => {
    const c = snackbar()
    const from = ref(podsOf(c, 'payment')[0]!)
    expectLandsOn(c, curl(c, { pod: from }, 'http://order/hostname'), 'order', 'while the pods are ready')
    for (const p of podsOf(c, 'order')) c.setPodReady('snackbar', p.metadata!.name!, false)
    expectFails(curl(c, { pod: from }, 'http://order/hostname'), 'connection refused', 7, 'no usable endpoint anywhere: KUBE-SERVICES REJECT "snackbar/order has no endpoints"')
  })

  test('a pod that becomes ready again receives connections again', () => {
    const c = snackbar([], {}, 1)
    const only = podsOf(c, 'order')[0]!
    c.setPodReady('snackbar', only.metadata!.name!, false)
    c.setPodReady('snackbar', only.metadata!.name!, true)
    expect(curl(c, { pod: ref(podsOf(c, 'payment')[0]!) }, 'http://order/hostname').ok).toBe(true)
  })

  test('right after kind-worker2 goes down, connections sent to its pods fail with no route to host while the others answer', () => {
    const c = snackbar()
    c.nodeDown('kind-worker2')
    const from = ref(podsOf(c, 'payment').find((p) => p.spec?.nodeName === 'kind-worker')!)
    const results = Array.from({ length: 24 }, () => curl(c, { pod: from }, 'http://order/hostname'))
    const dead = podsOf(c, 'order').filter((p) => p.spec?.nodeName === 'kind-worker2').map(ref)
    for (const r of results) if (r.ok) expect(dead, `${r.pod} answered although its node is down`).not.toContain(r.pod)
    expect(results.some((r) => !r.ok && r.error === 'no route to host' && r.curlExit === 7), 'kube-proxy still has the dead node’s pods as endpoints: some connections find no route to host').toBe(true)
    expect(results.some((r) => r.ok), 'the pods on kind-worker still answer').toBe(true)
  })

  test('after the 50 s grace period the node is Unknown, its pods are not ready, and every connection lands on a live node', () => {
    const c = snackbar()
    c.nodeDown('kind-worker2')
    c.advance(50)
    expect(c.nodes().find((n) => n.metadata?.name === 'kind-worker2')?.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('Unknown')
    for (const p of c.pods('snackbar').filter((p) => p.spec?.nodeName === 'kind-worker2')) expect(isReady(p), `${ref(p)}: MarkPodsNotReady`).toBe(false)
    const from = ref(podsOf(c, 'payment').find((p) => p.spec?.nodeName === 'kind-worker')!)
    for (let i = 0; i < 12; i++) expectLandsOn(c, curl(c, { pod: from }, 'http://order/hostname'), 'order', `connection ${i + 1}`)
  })

  test('a nodePort on a dead node finds no route to host, and the same nodePort on the other nodes answers', () => {
    const c = snackbar([serviceYAML('order-np', { app: 'order', spec: '  type: NodePort\n' })])
    const np = c.service('snackbar', 'order-np').spec?.ports?.[0]?.nodePort
    c.nodeDown('kind-worker')
    c.advance(60)
    expectFails(curl(c, { external: '203.0.113.7' }, `http://172.18.0.3:${np}/`), 'no route to host', 7, 'a dead node is a dead address for the client')
    expectLandsOn(c, curl(c, { external: '203.0.113.7' }, `http://172.18.0.4:${np}/hostname`), 'order', 'via kind-worker2')
    expectLandsOn(c, curl(c, { external: '203.0.113.7' }, `http://172.18.0.2:${np}/hostname`), 'order', 'via the control plane')
  })

  test('the load balancer stops sending to a dead node at once: its health check fails', () => {
    const c = snackbar([serviceYAML('order-lb', { app: 'order', spec: '  type: LoadBalancer\n' })])
    c.nodeDown('kind-worker')
    const via = new Set(['172.18.0.4', gateway(c, 'kind-worker2')])
    for (let i = 0; i < 12; i++) {
      const r = curl(c, { external: '203.0.113.7' }, 'http://172.18.255.200/clientip')
      // A pod on the dead node may still be picked by kube-proxy on kind-worker2 until the node is marked: that one times out.
      if (r.ok) expect(via, `the pod saw ${r.clientIP}: only kind-worker2 may have handled the connection (SNAT to its address)`).toContain(r.clientIP)
    }
    c.advance(50)
    for (let i = 0; i < 12; i++) {
      const r = curl(c, { external: '203.0.113.7' }, 'http://172.18.255.200/clientip')
      const pod = expectLandsOn(c, r, 'order', `connection ${i + 1} after the grace period`)
      expect(pod.spec?.nodeName).toBe('kind-worker2')
    }
  })

  test('routing only ever picks a usable endpoint: every connection that succeeds lands on a ready order pod on a live node', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.constantFrom(undefined, 'kind-worker', 'kind-worker2'),
        fc.constantFrom(0, 60),
        (replicas, readiness, down, wait) => {
          const c = new Cluster()
          applyAll(c, NAMESPACE_YAML, deploymentYAML('order', { replicas }), serviceYAML('order'), clientPodYAML('curl', 'default', 'kind-control-plane'))
          podsOf(c, 'order').forEach((p, i) => c.setPodReady('snackbar', p.metadata!.name!, readiness[i]!))
          if (down) c.nodeDown(down)
          c.advance(wait)
          const usable = podsOf(c, 'order').filter((p) => isReady(p) && p.spec?.nodeName !== down)
          const anyReady = podsOf(c, 'order').some(isReady)
          for (let i = 0; i < 4; i++) {
            const r = curl(c, { pod: 'default/curl' }, 'http://order.snackbar/hostname')
            const where = `replicas ${replicas}, ready ${readiness.slice(0, replicas).join(',')}, node down ${down ?? 'none'}, after ${wait} s`
            if (r.ok) {
              expect(usable.map(ref), `${where}: landed on ${r.pod}, which is not a ready order pod on a live node`).toContain(r.pod)
            } else if (!anyReady) {
              expect(r.error, `${where}: no ready endpoint at all must be REJECTed`).toBe('connection refused')
            } else {
              expect(r.error, `${where}: ${r.message}`).toBe('no route to host')
              expect(down !== undefined && wait < 50, `${where}: a connection failed although every ready pod is on a live node`).toBe(true)
            }
          }
        },
      ),
      { seed: 9, numRuns: 20 },
    )
  })
})

// ---------------------------------------------------------------------------
task('capstone', () => {
  test('capstone: the snackbar shop end to end, through the modules of every kata', () => {
    const c = new Cluster()
    const shop = [
      NAMESPACE_YAML,
      // kata 04: the Service exists before the pods start.
      serviceYAML('order'),
      `apiVersion: v1\nkind: Service\nmetadata: {name: order-lb, namespace: snackbar}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector: {app: order}\n  ports: [{port: 80, targetPort: 8080}]\n`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: menu, namespace: snackbar}\nspec:\n  type: ExternalName\n  externalName: order.snackbar.svc.cluster.local\n`,
      // kata 02: a set-based selector on the Deployment.
      deploymentYAML('order', { replicas: 2, extraLabels: { tier: 'backend' } }).replace(
        '    matchLabels:\n      app: order\n',
        '    matchLabels:\n      app: order\n    matchExpressions:\n    - {key: tier, operator: In, values: [backend, api]}\n',
      ),
      // kata 04: $(VAR) expansion of the service variables.
      deploymentYAML('payment', { replicas: 1, port: 9090 }).replace(
        '        ports:\n',
        '        env:\n        - name: ORDER_URL\n          value: http://$(ORDER_SERVICE_HOST):$(ORDER_SERVICE_PORT)/\n        ports:\n',
      ),
      // kata 01: an invalid object is refused, the rest applied.
      `apiVersion: v1\nkind: Service\nmetadata: {name: Broken, namespace: snackbar}\nspec:\n  ports: [{port: 80}]\n`,
    ].join('---\n')
    const results = applied(c.apply(shop, 'shop.yaml'))
    expect(results, 'kata 01/09: kubectl apply -f shop.yaml').toEqual([
      'namespace/snackbar created',
      'service/order created',
      'service/order-lb created',
      'service/menu created',
      'deployment.apps/order created',
      'deployment.apps/payment created',
      `ERROR The Service "Broken" is invalid: metadata.name: Invalid value: "Broken": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ])
    const order = c.service('snackbar', 'order')
    expect(order.spec?.ports, 'kata 01: v1 defaults (protocol TCP)').toEqual([{ port: 80, protocol: 'TCP', targetPort: 8080 }])
    expect(order.spec?.clusterIP, "kata 06: a cluster IP of kind's 10.96.0.0/16 above the static band").toMatch(/^10\.96\.([2-9]|[1-9]\d|1\d\d|2[0-5]\d)\.\d+$/)
    const pods = podsOf(c, 'order')
    expect(pods.length, 'kata 02/09: the Deployment’s matchExpressions select its own pods').toBe(2)
    expect(names(c.pods('snackbar', 'app=order,tier in (backend)')), 'kata 02: kubectl get pods -l "app=order,tier in (backend)"').toEqual(names(pods))
    expect(new Set(pods.map((p) => p.spec?.nodeName)), 'kata 09: one pod per worker').toEqual(new Set(['kind-worker', 'kind-worker2']))
    for (const p of pods) expect(p.status?.podIP, `kata 00: ${ref(p)} has an IP of its node’s /24`).toMatch(p.spec?.nodeName === 'kind-worker' ? /^10\.244\.1\./ : /^10\.244\.2\./)
    const ep = c.endpoints('snackbar').find((e) => e.metadata?.name === 'order')
    expect(ep?.subsets?.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort(), 'kata 03: Endpoints of order').toEqual(pods.map((p) => p.status?.podIP).sort())
    const client = podsOf(c, 'payment')[0]!
    const env = Object.fromEntries(c.env('snackbar', client.metadata!.name!).map((e) => [e.name, e.value]))
    expect(env.ORDER_SERVICE_HOST, 'kata 04: the payment pod started after the order Service').toBe(order.spec?.clusterIP)
    expect(env.ORDER_URL, 'kata 04: $(ORDER_SERVICE_HOST) and $(ORDER_SERVICE_PORT) expanded').toBe(`http://${order.spec?.clusterIP}:80/`)
    const look = c.lookup('snackbar', client.metadata!.name!, 'menu')
    expect(look.addresses, 'kata 05: menu → CNAME order.snackbar.svc.cluster.local → its cluster IP').toEqual([order.spec?.clusterIP])
    const r1 = curl(c, { pod: ref(client) }, 'http://menu/clientip')
    expectLandsOn(c, r1, 'order', 'kata 05/06: curl http://menu/ from payment')
    expect(r1.ok && r1.clientIP, 'kata 06: pod to Service, not masqueraded').toBe(client.status?.podIP)
    const lb = c.service('snackbar', 'order-lb')
    expect(externalIPColumn(lb), 'kata 08: EXTERNAL-IP of kubectl get svc, from what the cloud gave the load balancer').toBe('172.18.255.200')
    const np = lb.spec?.ports?.[0]?.nodePort ?? 0
    expect(np >= 30000 && np <= 32767, `kata 07: nodePort ${np} in 30000-32767`).toBe(true)
    expectFails(curl(c, { external: '203.0.113.7' }, `http://172.18.0.2:${np}/`), 'timed out', 28, 'kata 07: ETP Local on the control plane, which runs no order pod')
    const r2 = curl(c, { external: '203.0.113.7' }, 'http://172.18.255.200/clientip')
    expect(r2.ok && r2.clientIP, `kata 08: through a health-checked backend the client address is kept\n${resultText(r2)}`).toBe('203.0.113.7')
    expectFails(curl(c, { external: '203.0.113.7' }, `http://${pods[0]!.status?.podIP}:8080/`), 'timed out', 28, 'kata 00: pod IPs are not reachable from outside')
    const tunnel = c.portForward('snackbar', 'svc/order', ['8080:80'])
    const end = tunnel.connect(8080)
    expect(pods.map((p) => p.metadata?.name), 'kata 00: port-forward svc/order reaches one order pod').toContain(end.pod)
    expect(end.port, 'kata 00: service port 80 is translated to targetPort 8080 once, for the whole session').toBe(8080)
    c.delete('pod', 'snackbar', end.pod)
    expect(tunnel.active, 'kata 00: the tunnel dies with its pod (no failover, it is not a Service)').toBe(false)
    for (const p of podsOf(c, 'order')) c.setPodReady('snackbar', p.metadata!.name!, false)
    expectFails(curl(c, { pod: ref(client) }, 'http://order/'), 'connection refused', 7, 'kata 03/06: no ready endpoint → REJECT')
  })
})

// ---------------------------------------------------------------------------
// The deep track: the cluster machinery, one component a task.

// ---------------------------------------------------------------------------
task('kind-cluster', () => {
  table(
    [
      {
        name: 'the default cluster has the namespaces default, kube-node-lease, kube-public and kube-system',
        check: (c: Cluster) => expect(c.namespaces().map((n) => n.metadata?.name), 'kubectl get ns on a new kind cluster').toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']),
      },
      {
        name: 'the default cluster has kind-control-plane, kind-worker and kind-worker2 at 172.18.0.2–4 with podCIDRs 10.244.0–2.0/24',
        check: (c: Cluster) =>
          expect(
            c.nodes().map((n) => `${n.metadata?.name} ${n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address} ${n.spec?.podCIDR}`),
            'nodes join in order and each gets the next /24 of 10.244.0.0/16 (kata 00)',
          ).toEqual(['kind-control-plane 172.18.0.2 10.244.0.0/24', 'kind-worker 172.18.0.3 10.244.1.0/24', 'kind-worker2 172.18.0.4 10.244.2.0/24']),
      },
      {
        name: 'the control plane carries the NoSchedule taint node-role.kubernetes.io/control-plane and the workers carry none',
        check: (c: Cluster) =>
          expect(c.nodes().map((n) => `${n.metadata?.name}: ${(n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(',') || '<none>'}`)).toEqual([
            'kind-control-plane: node-role.kubernetes.io/control-plane:NoSchedule',
            'kind-worker: <none>',
            'kind-worker2: <none>',
          ]),
      },
      {
        name: 'default/kubernetes is 10.96.0.1:443 named https with targetPort 6443, and its Endpoints are the control plane at 172.18.0.2:6443',
        check: (c: Cluster) => {
          const svc = c.service('default', 'kubernetes')
          expect({ ip: svc.spec?.clusterIP, ports: svc.spec?.ports }, "the API server gives its own Service the first IP of kind's 10.96.0.0/16").toEqual({
            ip: '10.96.0.1',
            ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
          })
          const ep = c.endpoints('default').find((e) => e.metadata?.name === 'kubernetes')
          expect(ep?.subsets?.map((s) => ({ ips: s.addresses?.map((a) => a.ip), ports: s.ports?.map((p) => p.port) }))).toEqual([{ ips: ['172.18.0.2'], ports: [6443] }])
        },
      },
      {
        name: 'kube-system/kube-dns is 10.96.0.10 with ports dns 53/UDP, dns-tcp 53/TCP and metrics 9153/TCP',
        check: (c: Cluster) => {
          const svc = c.service('kube-system', 'kube-dns')
          expect(svc.spec?.clusterIP).toBe('10.96.0.10')
          expect(svc.spec?.ports?.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP'])
        },
      },
      {
        name: 'CoreDNS runs as two coredns-<hash>-<suffix> pods on kind-control-plane, and they are the endpoints of kube-dns',
        check: (c: Cluster) => {
          const dns = c.pods('kube-system')
          expect(dns.map((p) => `${p.metadata?.name?.replace(/^coredns-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/, 'coredns-<hash>-<suffix>')} on ${p.spec?.nodeName}`)).toEqual([
            'coredns-<hash>-<suffix> on kind-control-plane',
            'coredns-<hash>-<suffix> on kind-control-plane',
          ])
          const ep = c.endpoints('kube-system').find((e) => e.metadata?.name === 'kube-dns')
          const ips = (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort()
          expect([...new Set(ips)], 'kube-dns Endpoints: the two CoreDNS pod IPs').toEqual(dns.map((p) => p.status?.podIP).sort())
        },
      },
    ],
    (tc) => tc.check(defaultCluster()),
  )

  test("the service range is kind's 10.96.0.0/16, not kubeadm's /12: 10.100.0.5 is refused and dynamic cluster IPs are 10.96.x.y", () => {
    const c = new Cluster()
    const [asked] = c.apply(serviceYAML('order', { namespace: 'default', spec: '  clusterIP: 10.100.0.5\n' }), 'order.yaml')
    expect(asked?.ok ? asked.text : asked?.error, 'kubectl apply of a Service asking for 10.100.0.5 on a kind cluster').toBe(
      'The Service "order" is invalid: spec.clusterIPs: Invalid value: ["10.100.0.5"]: failed to allocate IP 10.100.0.5: the provided IP (10.100.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    )
    c.apply(serviceYAML('menu', { namespace: 'default' }), 'menu.yaml')
    expect(c.service('default', 'menu').spec?.clusterIP, 'a dynamic cluster IP on kind (kind/pkg/internal/apis/config/default.go)').toMatch(/^10\.96\./)
  })

  test('the same seed builds the same cluster: pod names, pod IPs and cluster IPs', () => {
    const describe = (c: Cluster) => [...c.pods().map((p) => `${ref(p)} ${p.status?.podIP}`), ...c.services().map((s) => `${s.metadata?.name} ${s.spec?.clusterIP}`)]
    const a = snackbar([], { seed: 7 })
    const b = snackbar([], { seed: 7 })
    expect(describe(b), 'everything random is drawn from the seed').toEqual(describe(a))
    expect(describe(snackbar([], { seed: 8 })), 'another seed, other names and IPs').not.toEqual(describe(a))
  })

  table(KUBEADM_ROWS, (r) => r.run())
  table(CLUSTER_ROWS, (r) => r.run())
})

// ---------------------------------------------------------------------------
task('apiserver', () => {
  test('applying the snackbar manifests creates the namespace, two Deployments and two Services, in file order', () => {
    const c = new Cluster()
    expect(applied(c.apply(SNACKBAR_YAML, 'snackbar.yaml'))).toEqual([
      'namespace/snackbar created',
      'deployment.apps/order created',
      'deployment.apps/payment created',
      'service/order created',
      'service/payment created',
    ])
    expect(names(podsOf(c, 'order')).length, 'order has replicas: 3').toBe(3)
    expect(names(podsOf(c, 'payment')).length, 'payment has replicas: 2').toBe(2)
  })

  test('applying the same file again leaves every object unchanged, and a changed replicas configures the Deployment', () => {
    const c = snackbar()
    const before = names(podsOf(c, 'order'))
    expect(applied(c.apply(SNACKBAR_YAML, 'snackbar.yaml')), 'kubectl apply of an identical file').toEqual([
      'namespace/snackbar unchanged',
      'deployment.apps/order unchanged',
      'deployment.apps/payment unchanged',
      'service/order unchanged',
      'service/payment unchanged',
    ])
    expect(names(podsOf(c, 'order')), 'an unchanged Deployment keeps its pods').toEqual(before)
    expect(applied(c.apply(deploymentYAML('order', { replicas: 5 }), 'order.yaml'))).toEqual(['deployment.apps/order configured'])
    const after = names(podsOf(c, 'order'))
    expect(after.length, 'scaled from 3 to 5 replicas').toBe(5)
    expect(before.filter((n) => !after.includes(n)), 'scaling up keeps the pods that exist (same template)').toEqual([])
  })

  table(
    [
      {
        name: 'a Service with two unnamed ports is refused with the API server’s message, and nothing else in the file is affected',
        yaml: `${serviceYAML('menu', { spec: '  - port: 81\n' })}---\n${serviceYAML('kitchen')}`,
        want: ['The Service "menu" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value', 'service/kitchen created'],
      },
      {
        name: 'a Service asking for the cluster DNS address 10.96.0.10 is refused: that IP is already allocated',
        yaml: serviceYAML('menu', { spec: '  clusterIP: 10.96.0.10\n' }),
        want: ['The Service "menu" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated'],
      },
      {
        name: 'a Deployment whose selector does not match its template labels is refused',
        yaml: deploymentYAML('menu').replace('      app: menu\n  template', '      app: Menu\n  template'),
        want: ['The Deployment "menu" is invalid: spec.template.metadata.labels: Invalid value: {"app":"menu"}: `selector` does not match template `labels`'],
      },
      {
        name: 'an object in a namespace that does not exist is refused with NotFound',
        yaml: serviceYAML('menu', { namespace: 'kitchen' }),
        want: ['Error from server (NotFound): error when creating "extra.yaml": namespaces "kitchen" not found'],
      },
    ],
    (tc) => {
      const c = snackbar()
      const got = c.apply(tc.yaml, 'extra.yaml').map((r) => (r.ok ? r.text : r.error))
      expect(got, 'kubectl apply -f extra.yaml').toEqual(tc.want)
      expect(c.services('snackbar').map((s) => s.metadata?.name), 'a refused Service is not stored').not.toContain('menu')
    },
  )

  test('a file with a YAML syntax error applies nothing: kubectl reads the whole file first', () => {
    const c = snackbar()
    const rs = c.apply(`${serviceYAML('menu')}---\nkind: Service\n  metadata: [`, 'bad.yaml')
    expect(rs.length, 'one result: the parse error').toBe(1)
    expect(rs[0]!.ok).toBe(false)
    expect(!rs[0]!.ok && rs[0]!.error).toMatch(/^error: error parsing bad\.yaml: error converting YAML to JSON: yaml: line \d+: /)
    expect(c.services('snackbar').map((s) => s.metadata?.name)).toEqual(['order', 'payment'])
  })

  test('deleting an object that does not exist says NotFound as kubectl does', () => {
    const c = snackbar()
    expect(() => c.delete('svc', 'snackbar', 'menu')).toThrow(NotFoundError)
    expect(() => c.delete('svc', 'snackbar', 'menu')).toThrow('Error from server (NotFound): services "menu" not found')
    expect(c.delete('svc', 'snackbar', 'payment')).toBe('service "payment" deleted from snackbar namespace')
  })

  table(APPLY_ROWS, (r) => r.run())
  table(DELETE_ALIAS_ROWS, deleteAliasRow)
  table(DELETE_ROWS, (r) => r.run())
})

// ---------------------------------------------------------------------------
task('storage', () => {
  table(
    [
      { name: 'kubectl get pods -n snackbar lists the namespace’s pods by name', namespace: 'snackbar', selector: undefined, want: (c: Cluster) => names([...podsOf(c, 'order'), ...podsOf(c, 'payment')]).sort() },
      { name: 'kubectl get pods -l app=order lists only the pods with that label', namespace: 'snackbar', selector: 'app=order', want: (c: Cluster) => names(podsOf(c, 'order')).sort() },
      { name: 'kubectl get pods -l "app notin (order)" uses the set-based syntax of kata 02', namespace: 'snackbar', selector: 'app notin (order)', want: (c: Cluster) => names(podsOf(c, 'payment')).sort() },
      { name: 'kubectl get pods -A -l k8s-app=kube-dns finds the CoreDNS pods in kube-system', namespace: undefined, selector: 'k8s-app=kube-dns', want: (c: Cluster) => names(c.pods('kube-system')) },
    ],
    (tc) => {
      const c = withClient()
      const got = c.pods(tc.namespace, tc.selector).map((p) => p.metadata?.name ?? '')
      expect(got, `kubectl get pods ${tc.namespace ? `-n ${tc.namespace}` : '-A'}${tc.selector ? ` -l '${tc.selector}'` : ''}`).toEqual(tc.want(c))
    },
  )

  test('a -l selector that does not parse is refused with the parser’s error', () => {
    expect(() => withClient().pods('snackbar', 'app in (')).toThrow(SelectorParseError)
  })

  table(STORAGE_ROWS, (r) => r.run())
})

// ---------------------------------------------------------------------------
task('pod-admission', () => {
  const bare: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } }
  table(
    [
      { name: 'a pod is defaulted to dnsPolicy ClusterFirst, enableServiceLinks, restartPolicy Always and 30 s of grace', get: (p: Pod) => [p.spec?.dnsPolicy, p.spec?.enableServiceLinks, p.spec?.restartPolicy, p.spec?.terminationGracePeriodSeconds], want: ['ClusterFirst', true, 'Always', 30] },
      { name: 'a container port without protocol is TCP, and a tagged image is pulled IfNotPresent', get: (p: Pod) => [p.spec?.containers[0]?.ports?.[0]?.protocol, p.spec?.containers[0]?.imagePullPolicy], want: ['TCP', 'IfNotPresent'] },
      {
        name: 'DefaultTolerationSeconds gives every pod 300 s on a not-ready or unreachable node',
        get: (p: Pod) => p.spec?.tolerations?.map((t) => `${t.key} ${t.operator} ${t.effect} ${t.tolerationSeconds}`),
        want: ['node.kubernetes.io/not-ready Exists NoExecute 300', 'node.kubernetes.io/unreachable Exists NoExecute 300'],
      },
      { name: 'the defaulted pod is in the namespace it was applied to', get: (p: Pod) => [p.metadata?.namespace, p.kind, p.apiVersion], want: ['snackbar', 'Pod', 'v1'] },
    ],
    (tc) => expect(tc.get(defaultPod(structuredClone(bare), 'snackbar'))).toEqual(tc.want),
  )

  table(
    [
      { name: 'a valid pod has no errors', pod: bare, want: [] },
      { name: 'a pod needs a DNS-1123 subdomain name', pod: { ...bare, metadata: { name: 'Web_1' } }, want: ['metadata.name'] },
      { name: 'a pod needs at least one container', pod: { ...bare, spec: { containers: [] } }, want: ['spec.containers'] },
      { name: 'each container needs a name and an image, and ports 1–65535', pod: { ...bare, spec: { containers: [{ name: '', ports: [{ containerPort: 0 }] }] } } as Pod, want: ['spec.containers[0].name', 'spec.containers[0].image', 'spec.containers[0].ports[0].containerPort'] },
    ],
    (tc) => expect(validatePod(tc.pod).map((e) => e.field), 'ValidatePodCreate, reduced: the fields in error, in order').toEqual(tc.want),
  )

  table(DEFAULTING_ROWS, (tc) => expect(tc.get(defaultPod(structuredClone(tc.pod), 'snackbar')), 'SetDefaults_Pod and DefaultTolerationSeconds').toEqual(tc.want))
  table(VALIDATION_ROWS, (tc) => expect(validatePod(tc.pod).map(String), 'ValidatePodCreate, reduced: the errors as the API server prints them').toEqual(tc.want))

  /** A bare pod `web` in snackbar with these labels (and annotations), its image and, if given, its node. */
  const webPod = (labels: string, o: { image?: string; node?: string; annotations?: string } = {}) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: snackbar\n  labels: ${labels}\n${o.annotations ? `  annotations: ${o.annotations}\n` : ''}spec:\n${o.node ? `  nodeName: ${o.node}\n` : ''}  containers:\n  - name: web\n    image: ${o.image ?? 'registry.k8s.io/e2e-test-images/agnhost:2.53'}\n    args: ["netexec", "--http-port=8080"]\n    ports: [{containerPort: 8080}]\n`
  const endpointIPs = (c: Cluster, name: string) => c.endpoints('snackbar').find((e) => e.metadata?.name === name)?.subsets?.flatMap((x) => (x.addresses ?? []).map((a) => a.ip)) ?? []

  test('applying a pod again may change its labels and annotations: configured, and the Services that select it follow', () => {
    const c = new Cluster()
    expect(applyAll(c, NAMESPACE_YAML, serviceYAML('order'), webPod('{app: web}')), 'kubectl apply').toEqual(['namespace/snackbar created', 'service/order created', 'pod/web created'])
    const ip = c.pod('snackbar', 'web').status!.podIP!
    expect([endpointIPs(c, 'order'), slicedIPs(c, 'order')], 'labelled app=web, the order Service does not select it').toEqual([[], []])
    expect(applyAll(c, webPod('{app: order, tier: api}', { annotations: '{team: shop}' })), 'only labels and annotations changed').toEqual(['pod/web configured'])
    const pod = c.pod('snackbar', 'web')
    expect([pod.metadata?.labels, pod.metadata?.annotations?.team, pod.status?.podIP], 'the stored pod: the new labels, the annotation, the same pod').toEqual([{ app: 'order', tier: 'api' }, 'shop', ip])
    expect(endpointIPs(c, 'order'), 'relabelled app=order, it is an endpoint of order now (kata 03)').toEqual([ip])
    expect(slicedIPs(c, 'order'), 'and in order’s EndpointSlice').toEqual([ip])
    applyAll(c, webPod('{app: web}', { annotations: '{team: shop}' }))
    expect([endpointIPs(c, 'order'), slicedIPs(c, 'order')], 'labelled app=web again: in neither').toEqual([[], []])
  })

  test('applying a pod again with another image in the spec is Forbidden: a pod is replaced, not edited', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, webPod('{app: web}'))
    const [r] = applied([c.applyObject(objects(webPod('{app: web}', { image: 'nginx:1.27' }))[0]!, 'web.yaml')])
    expect(r, 'ValidatePodUpdate').toMatch(/^ERROR The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/)
    expect(c.pod('snackbar', 'web').spec?.containers[0]?.image, 'the stored pod is unchanged').toBe('registry.k8s.io/e2e-test-images/agnhost:2.53')
  })

  test('a pod given a nodeName is bound there without the scheduler; on a node that is down it stays Pending, scheduled but not started', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML)
    c.nodeDown('kind-worker2')
    applyAll(c, webPod('{app: web}', { node: 'kind-worker2' }))
    const pod = c.pod('snackbar', 'web')
    expect(pod.metadata?.uid, 'the API server gives every object a uid').toMatch(/^[0-9a-f-]{36}$/)
    expect(pod.metadata?.creationTimestamp, 'and a creationTimestamp').toBe(timestamp(c.now))
    expect([pod.spec?.nodeName, pod.status?.phase, pod.status?.podIP, pod.status?.qosClass], 'bound to kind-worker2, whose kubelet does not answer: no IP').toEqual(['kind-worker2', 'Pending', undefined, 'BestEffort'])
    expect(pod.status?.conditions, 'PodScheduled True, nothing more').toEqual([{ type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(c.now) }])
    c.nodeUp('kind-worker2')
    expect(c.pod('snackbar', 'web').status?.phase, 'the kubelet starts it when the node is back').toBe('Running')
  })

  table(
    [
      { name: 'a pod admitted to a node that is down', between: (c: Cluster) => (c.nodeDown('kind-worker2'), applyAll(c, clientPodYAML('waiting', 'snackbar', 'kind-worker2'))) },
      { name: 'a pod deleted', between: (c: Cluster) => c.delete('pod', 'snackbar', 'other') },
    ],
    (tc) => {
      // Every API write moves the API's sequence forward; a pod's environment is fixed at the number it started at.
      const c = new Cluster()
      applyAll(c, NAMESPACE_YAML, clientPodYAML('other', 'snackbar'), webPod('{app: web}', { node: 'kind-worker' }))
      tc.between(c)
      applyAll(c, serviceYAML('order'))
      expect(c.env('snackbar', 'web').map((e) => e.name).filter((n) => n.startsWith('ORDER_')), `web started, then ${tc.name}, then order was created (kata 04): no ORDER_ variables`).toEqual([])
    },
  )

  test('an invalid pod is refused by kubectl apply with the API server’s message, and not stored', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML)
    const [r] = applied([c.applyObject(objects(webPod('{app: web}').replace('containerPort: 8080', 'containerPort: 0'))[0]!, 'web.yaml')])
    expect(r, 'ValidatePodCreate').toBe('ERROR The Pod "web" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive')
    expect(c.pods('snackbar'), 'nothing was created').toEqual([])
    const [nameless] = applied([c.applyObject(objects(webPod('{app: web}').replace('  name: web\n', ''))[0]!, 'web.yaml')])
    expect(nameless, 'a pod without a name, as the API server words it').toBe('ERROR The Pod "" is invalid: metadata.name: Required value: name or generateName is required')
  })

  test('a manifest’s own status is not taken: the API server and the kubelet write it', () => {
    const c = new Cluster()
    const bogus = 'status: {phase: Succeeded, podIP: 1.2.3.4, conditions: [{type: PodScheduled, status: "False", lastTransitionTime: "2020-01-01T00:00:00Z"}]}\n'
    applyAll(c, NAMESPACE_YAML, webPod('{app: web}').replace('spec:\n', 'spec:\n  nodeSelector: {disktype: ssd}\n') + bogus)
    const pod = c.pod('snackbar', 'web')
    expect([pod.status?.phase, pod.status?.podIP, pod.status?.qosClass], 'no node fits it: Pending, no IP').toEqual(['Pending', undefined, 'BestEffort'])
    expect(pod.status?.conditions?.map((x) => [x.type, x.status, x.reason, x.lastTransitionTime]), 'Unschedulable since it was created, not since 2020').toEqual([['PodScheduled', 'False', 'Unschedulable', timestamp(c.now)]])
  })

  test('the pod IPs of deleted pods go back to the node: a /28 per node serves many more pods over time than it holds', () => {
    const c = new Cluster({ nodeCIDRMaskSize: 28 })
    applyAll(c, NAMESPACE_YAML)
    for (let i = 0; i < 20; i++) {
      applyAll(c, clientPodYAML('churn', 'snackbar', 'kind-worker2'))
      expect(c.pod('snackbar', 'churn').status?.podIP, `pod ${i + 1} on kind-worker2 (a /28 holds 14 pods): host-local must have had the IPs of the deleted ones back`).toBeDefined()
      c.delete('pod', 'snackbar', 'churn')
    }
  })

  test('a pod created again under a deleted pod’s name is a new pod: it is neither the old one’s endpoint nor its Deployment’s', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, deploymentYAML('order', { replicas: 1 }), serviceYAML('order'))
    const old = podsOf(c, 'order')[0]!
    c.delete('pod', 'snackbar', old.metadata!.name!)
    const replacement = podsOf(c, 'order')[0]!
    applyAll(c, webPod('{app: web}').replace('name: web', `name: ${old.metadata!.name}`))
    applyAll(c, deploymentYAML('order', { replicas: 2 }))
    expect(podsOf(c, 'order').length, 'scaled to 2: the Deployment counts only its own pods').toBe(2)
    expect(names(podsOf(c, 'order')), 'it keeps the replacement').toContain(replacement.metadata!.name)
    expect(c.pod('snackbar', old.metadata!.name!).metadata?.labels, 'and leaves the new pod alone: it is not the Deployment’s').toEqual({ app: 'web' })
    const sliced = slicesFor(c, 'order').flatMap((x) => (x.endpoints ?? []).map((e) => e.targetRef?.name))
    expect(sliced, 'order selects app=order: the new pod labelled app=web is no endpoint of it').not.toContain(old.metadata!.name)
  })

  test('a pod no node fits keeps the time it became unschedulable while the scheduler’s reasons change', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, webPod('{app: web}').replace('spec:\n', 'spec:\n  nodeSelector: {disktype: ssd}\n'))
    const since = timestamp(c.now)
    c.nodeDown('kind-worker')
    c.nodeDown('kind-worker2')
    c.advance(60)
    c.nodeUp('kind-worker')
    const cond = c.pod('snackbar', 'web').status?.conditions?.find((x) => x.type === 'PodScheduled')
    expect([cond?.message === undefined, c.pod('snackbar', 'web').status?.qosClass], 'still Pending, BestEffort').toEqual([false, 'BestEffort'])
    expect(cond?.message, 'tried again when kind-worker came back: kind-worker2 is unreachable now').toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    )
    expect([cond?.status, cond?.reason, cond?.lastTransitionTime], 'still False since the pod was created').toEqual(['False', 'Unschedulable', since])
  })

  test('deleting a Terminating pod again changes nothing: its deletionTimestamp stays', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, webPod('{app: web}').replace('    ports:', '    lifecycle: {preStop: {sleep: {seconds: 20}}}\n    ports:'))
    c.delete('pod', 'snackbar', 'web')
    const first = c.pod('snackbar', 'web').metadata?.deletionTimestamp
    c.advance(5)
    c.delete('pod', 'snackbar', 'web')
    expect(c.pod('snackbar', 'web').metadata?.deletionTimestamp, 'the grace period runs from the first delete').toBe(first)
    c.advance(15)
    expect(() => c.pod('snackbar', 'web'), 'gone 20 s after the first delete').toThrow(NotFoundError)
  })

  test('a pending pod is deleted at once; a pod on a node that does not answer stays Terminating until the node is back', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, webPod('{app: web}').replace('spec:\n', 'spec:\n  nodeSelector: {disktype: ssd}\n'), clientPodYAML('far', 'snackbar', 'kind-worker2'))
    c.delete('pod', 'snackbar', 'web')
    expect(() => c.pod('snackbar', 'web'), 'no kubelet ran it: the API server deletes it at once').toThrow(NotFoundError)
    c.nodeDown('kind-worker2')
    c.delete('pod', 'snackbar', 'far')
    c.advance(3600)
    expect(c.pod('snackbar', 'far').metadata?.deletionTimestamp, 'its kubelet never confirmed: Terminating an hour later').toBeDefined()
    c.nodeUp('kind-worker2')
    expect(() => c.pod('snackbar', 'far'), 'the kubelet is back and finds it deleted').toThrow(NotFoundError)
  })

  test('a removed pod leaves every index: its IP, its labels, its namespace, its node’s pod count', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, deploymentYAML('order', { replicas: 2 }))
    const [a, b] = podsOf(c, 'order').sort((x, y) => (x.spec!.nodeName! < y.spec!.nodeName! ? -1 : 1))
    expect([a?.spec?.nodeName, b?.spec?.nodeName], 'one replica per worker').toEqual(['kind-worker', 'kind-worker2'])
    applyAll(c, deploymentYAML('order', { replicas: 0 }))
    expect(c.pods('snackbar'), 'scaled to 0: no pod listed in the namespace').toEqual([])
    expect(c.pods('snackbar', 'app=order'), 'none found by its labels').toEqual([])
    expect([c.podByIP(a!.status!.podIP!), c.podByIP(b!.status!.podIP!)], 'their IPs belong to no pod').toEqual([undefined, undefined])
    applyAll(c, clientPodYAML('x1', 'snackbar', 'kind-worker'), clientPodYAML('x2', 'snackbar', 'kind-worker'), clientPodYAML('x3', 'snackbar', 'kind-worker2'))
    c.delete('pod', 'snackbar', 'x1')
    c.delete('pod', 'snackbar', 'x2')
    applyAll(c, clientPodYAML('next', 'snackbar'))
    expect(c.pod('snackbar', 'next').spec?.nodeName, 'two pods left kind-worker, one is on kind-worker2: the scheduler, counting pods per node, prefers kind-worker').toBe('kind-worker')
  })

  /** Deployment `order` whose container sleeps `seconds` in a preStop hook, with `grace` seconds of grace when given. */
  const draining = (seconds: number, grace?: number, replicas = 3) =>
    deploymentYAML('order', { replicas })
      .replace('        ports:', `        lifecycle:\n          preStop:\n            sleep:\n              seconds: ${seconds}\n        ports:`)
      .replace('      containers:', `${grace === undefined ? '' : `      terminationGracePeriodSeconds: ${grace}\n`}      containers:`)
  const conditionsOf = (c: Cluster, ip: string) =>
    c.endpointSlices('snackbar').flatMap((s) => s.endpoints ?? []).find((e) => e.addresses?.includes(ip))?.conditions

  test('a deleted pod with a 20 s preStop sleep is Terminating for 20 s: its endpoint stays serving and terminating but not ready, then it is gone', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, draining(20), serviceYAML('order'))
    const victim = podsOf(c, 'order')[0]!
    const ip = victim.status!.podIP!
    expect(c.delete('pod', 'snackbar', victim.metadata!.name!), 'kubectl 1.34 names the namespace').toBe(`pod "${victim.metadata!.name}" deleted from snackbar namespace`)
    const terminating = c.pod('snackbar', victim.metadata!.name!)
    expect([terminating.metadata?.deletionTimestamp, terminating.metadata?.deletionGracePeriodSeconds], 'deletionTimestamp = now + 30 s of grace').toEqual([timestampAfter(c, 30), 30])
    expect(conditionsOf(c, ip), 'EndpointSlice conditions while the preStop hook runs (kata 03)').toEqual({ ready: false, serving: true, terminating: true })
    const addresses = c.endpoints('snackbar').find((e) => e.metadata?.name === 'order')?.subsets?.flatMap((s) => (s.addresses ?? []).map((a) => a.ip))
    expect(addresses, 'the Endpoints controller drops a terminating pod').not.toContain(ip)
    expect(podsOf(c, 'order').filter((p) => !p.metadata?.deletionTimestamp).length, 'the Deployment already runs a replacement').toBe(3)
    c.advance(19)
    expect(() => c.pod('snackbar', victim.metadata!.name!), 'still stopping after 19 s').not.toThrow()
    c.advance(1)
    expect(() => c.pod('snackbar', victim.metadata!.name!), 'gone when the preStop sleep ends and SIGTERM stops the echo server').toThrow(NotFoundError)
  })

  test('agnhost exits at once on SIGTERM: without a preStop hook a deleted pod is gone at once', () => {
    const c = snackbar()
    const victim = podsOf(c, 'order')[0]!
    c.delete('pod', 'snackbar', victim.metadata!.name!)
    expect(() => c.pod('snackbar', victim.metadata!.name!), 'the kubelet saw its container exit').toThrow(NotFoundError)
  })

  test('terminationGracePeriodSeconds caps the preStop hook: a 60 s sleep with 10 s of grace is killed after 10 s', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, draining(60, 10, 1))
    const victim = podsOf(c, 'order')[0]!
    c.delete('pod', 'snackbar', victim.metadata!.name!)
    c.advance(9)
    expect(() => c.pod('snackbar', victim.metadata!.name!), 'within the grace period').not.toThrow()
    c.advance(1)
    expect(() => c.pod('snackbar', victim.metadata!.name!), 'SIGKILL at the end of the grace period').toThrow(NotFoundError)
  })

  test('while every pod of a Service terminates, kube-proxy falls back to them: connections still land on a terminating pod', () => {
    const c = new Cluster()
    const pods = [1, 2].map((i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: order-${i}, namespace: snackbar, labels: {app: order}}\nspec:\n  containers:\n  - name: order\n    image: registry.k8s.io/e2e-test-images/agnhost:2.53\n    args: ["netexec", "--http-port=8080"]\n    lifecycle: {preStop: {sleep: {seconds: 15}}}\n    ports: [{containerPort: 8080}]\n`)
    applyAll(c, NAMESPACE_YAML, ...pods, serviceYAML('order'), clientPodYAML('curl', 'default'))
    c.delete('pod', 'snackbar', 'order-1')
    c.delete('pod', 'snackbar', 'order-2')
    const r = c.connect({ from: { pod: 'default/curl' }, url: 'http://order.snackbar/hostname' })
    expect(r.ok && r.body, `no ready endpoint left, but two serving and terminating ones (topology.go): ${resultText(r)}`).toMatch(/^order-[12]$/)
    c.advance(15)
    const after = c.connect({ from: { pod: 'default/curl' }, url: 'http://order.snackbar/hostname' })
    expect(after.ok ? after.body : after.message, 'once they are gone, kube-proxy REJECTs').toMatch(/^curl: \(7\)/)
  })
})

// ---------------------------------------------------------------------------
task('service-storage', () => {
  test('a refused Service gives back the cluster IP and the nodePort it was given, so the next Service can take them', () => {
    const c = snackbar()
    const bad = `apiVersion: v1\nkind: Service\nmetadata: {name: menu, namespace: snackbar}\nspec:\n  type: NodePort\n  clusterIP: 10.96.0.50\n  selector: {app: order}\n  ports:\n  - {port: 80, nodePort: 30080, targetPort: 8080}\n  - {port: 81, targetPort: 8080}\n`
    expect(applied(c.apply(bad, 'bad.yaml'))[0], 'two unnamed ports: refused after allocation').toMatch(/^ERROR The Service "menu" is invalid/)
    const good = bad.replace('  - {port: 81, targetPort: 8080}\n', '')
    expect(applied(c.apply(good, 'good.yaml')), 'the same IP and nodePort, now free again').toEqual(['service/menu created'])
    const svc = c.service('snackbar', 'menu')
    expect([svc.spec?.clusterIP, svc.spec?.ports?.[0]?.nodePort]).toEqual(['10.96.0.50', 30080])
  })

  test('re-applying a changed Service keeps its cluster IP and nodePort, which the manifest never names', () => {
    const c = snackbar()
    const yaml = (extra: string) => serviceYAML('menu', { app: 'order', spec: `  type: NodePort\n${extra}` })
    applyAll(c, yaml(''))
    const before = c.service('snackbar', 'menu')
    expect(applied(c.apply(yaml('  sessionAffinity: ClientIP\n'), 'menu.yaml'))).toEqual(['service/menu configured'])
    const after = c.service('snackbar', 'menu')
    expect({ ip: after.spec?.clusterIP, nodePort: after.spec?.ports?.[0]?.nodePort }, 'patchAllocatedValues keeps what the registry allocated').toEqual({
      ip: before.spec?.clusterIP,
      nodePort: before.spec?.ports?.[0]?.nodePort,
    })
    expect(after.spec?.sessionAffinityConfig, 'ClientIP affinity is defaulted to 10800 s (kata 01)').toEqual({ clientIP: { timeoutSeconds: 10800 } })
  })

  const svc = (spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'menu', namespace: 'snackbar' }, spec })
  const allocated = svc({
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    clusterIP: '10.96.0.50',
    clusterIPs: ['10.96.0.50'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    healthCheckNodePort: 31000,
    ports: [
      { name: 'http', port: 80, nodePort: 30080 },
      { name: 'admin', port: 81, nodePort: 30081 },
    ],
  })
  table(
    [
      { name: 'an update without cluster IP keeps the allocated one', next: svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80 }] }), get: (s: Service) => [s.spec?.clusterIP, s.spec?.clusterIPs], want: ['10.96.0.50', ['10.96.0.50']] },
      { name: 'a port without nodePort keeps the one of the old port of the same name', next: svc({ type: 'NodePort', ports: [{ name: 'admin', port: 8081 }, { name: 'http', port: 80 }] }), get: (s: Service) => s.spec?.ports?.map((p) => p.nodePort), want: [30081, 30080] },
      { name: 'a nodePort another port now uses is not given back to its old name', next: svc({ type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 81, nodePort: 30080 }] }), get: (s: Service) => s.spec?.ports?.map((p) => p.nodePort), want: [undefined, 30080] },
      { name: 'healthCheckNodePort is kept while the Service stays LoadBalancer with Local', next: svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80 }] }), get: (s: Service) => s.spec?.healthCheckNodePort, want: 31000 },
      { name: 'an ExternalName Service gets no cluster IP from its past', next: svc({ type: 'ExternalName', externalName: 'example.com' }), get: (s: Service) => s.spec?.clusterIP, want: undefined },
    ],
    (tc) => {
      const next = structuredClone(tc.next)
      patchAllocatedValues(next, structuredClone(allocated))
      expect(tc.get(next), 'patchAllocatedValues: what the registry allocated survives an apply that does not name it').toEqual(tc.want)
    },
  )

  test('an ExternalName Service that names a clusterIP is refused: clusterIP is copied into clusterIPs first, which ExternalName forbids', () => {
    const c = new Cluster()
    const yaml = `apiVersion: v1\nkind: Service\nmetadata: {name: legacy, namespace: default}\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  clusterIP: 10.96.5.5\n`
    expect(applied(c.apply(yaml, 'legacy.yaml')), 'storage.go normalizeClusterIPs, then ValidateService').toEqual([
      'ERROR The Service "legacy" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services',
    ])
    expect(() => c.service('default', 'legacy'), 'nothing stored').toThrow(NotFoundError)
  })

  test('changing clusterIP with kubectl apply is refused as spec.clusterIPs[0]: may not change once set (clusterIPs follows clusterIP before validation)', () => {
    const c = new Cluster()
    const yaml = (ip: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: menu, namespace: default}\nspec:\n  clusterIP: ${ip}\n  selector: {app: menu}\n  ports:\n  - {port: 80, targetPort: 8080}\n`
    expect(applied(c.apply(yaml('10.96.0.20'), 'menu.yaml'))).toEqual(['service/menu created'])
    expect(applied(c.apply(yaml('10.96.0.21'), 'menu.yaml')), 'patchAllocatedValues, then normalizeClusterIPs, then ValidateServiceUpdate').toEqual([
      'ERROR The Service "menu" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.21"]: may not change once set',
    ])
    expect(c.service('default', 'menu').spec?.clusterIPs, 'the stored Service keeps its address').toEqual(['10.96.0.20'])
  })

  table(TYPE_CHANGE_ROWS, (r) => r.run())
  table(NORMALIZE_ROWS, (tc) => {
    const next = structuredClone(tc.next)
    normalizeClusterIPs(next, tc.old && structuredClone(tc.old))
    expect(next.spec?.clusterIPs, `normalizeClusterIPs (storage.go), from clusterIP ${next.spec?.clusterIP ?? '(none)'}: the clusterIPs validation then sees`).toEqual(tc.want)
  })
  table(PATCH_ROWS, (tc) => {
    const next = structuredClone(tc.next)
    patchAllocatedValues(next, structuredClone(tc.old))
    expect(tc.get(next), `patchAllocatedValues (storage.go), ${tc.old.spec?.type} → ${tc.next.spec?.type}: what the update keeps of what was allocated`).toEqual(tc.want)
  })
  table(REVERT_ROWS, (r) => r.run())
  table(INDEX_ROWS, (r) => r.run())
})

// ---------------------------------------------------------------------------
task('scheduler', () => {
  test('three replicas spread over the two workers, two and one, and none lands on the tainted control plane', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, deploymentYAML('order'))
    const byNode = podsOf(c, 'order').map((p) => p.spec?.nodeName)
    expect(byNode, 'the control plane has a NoSchedule taint the pods do not tolerate').not.toContain('kind-control-plane')
    expect([...byNode].sort(), 'the scheduler prefers the node with fewer pods').toEqual(['kind-worker', 'kind-worker', 'kind-worker2'])
  })

  test('a pod that tolerates the control-plane taint may be scheduled there', () => {
    const c = new Cluster()
    const yaml = deploymentYAML('order', { replicas: 6 }).replace(
      '      containers:',
      '      tolerations:\n      - key: node-role.kubernetes.io/control-plane\n        effect: NoSchedule\n      containers:',
    )
    applyAll(c, NAMESPACE_YAML, yaml)
    expect(podsOf(c, 'order').map((p) => p.spec?.nodeName), 'tolerating the taint, the control plane is a node like the others').toContain('kind-control-plane')
  })

  const taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }
  table(
    [
      { name: 'a toleration of the same key and effect tolerates the taint', t: { key: taint.key, operator: 'Exists' as const, effect: 'NoSchedule' as const }, want: true },
      { name: 'a toleration without effect tolerates every effect of its key', t: { key: taint.key, operator: 'Exists' as const }, want: true },
      { name: 'Exists without a key tolerates every taint', t: { operator: 'Exists' as const }, want: true },
      { name: 'a toleration of another effect does not', t: { key: taint.key, operator: 'Exists' as const, effect: 'NoExecute' as const }, want: false },
      { name: 'Equal compares the value: an empty taint value needs an empty toleration value', t: { key: taint.key, operator: 'Equal' as const, value: 'true' }, want: false },
      { name: 'a toleration of another key does not', t: { key: 'CriticalAddonsOnly', operator: 'Exists' as const }, want: false },
    ],
    (tc) => expect(toleratesTaint(tc.t, taint), `toleration ${JSON.stringify(tc.t)} against ${taint.key}:${taint.effect}`).toBe(tc.want),
  )

  /** Deployment `order` with a pod-spec fragment (nodeSelector or affinity) inserted before its containers. */
  const placed = (fragment: string, replicas = 3) => deploymentYAML('order', { replicas }).replace('      containers:', `${fragment}      containers:`)

  test('a nodeSelector no node matches leaves the pods Pending, without IP or endpoint, with the scheduler’s reasons per node', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, placed('      nodeSelector:\n        disktype: ssd\n'), serviceYAML('order'))
    const pods = podsOf(c, 'order')
    expect(pods.map((p) => [p.status?.phase, p.spec?.nodeName, p.status?.podIP]), 'NodeAffinity filters out every worker').toEqual([
      ['Pending', undefined, undefined],
      ['Pending', undefined, undefined],
      ['Pending', undefined, undefined],
    ])
    expect(pods[0]?.status?.conditions?.find((x) => x.type === 'PodScheduled'), 'PodScheduled, as kubectl describe pod shows it').toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    })
    expect(c.endpoints('snackbar').find((e) => e.metadata?.name === 'order')?.subsets ?? [], 'a pod without IP is no endpoint (kata 03)').toEqual([])
  })

  table(
    [
      { name: 'nodeSelector kubernetes.io/hostname: kind-worker2 puts every replica on kind-worker2', fragment: '      nodeSelector:\n        kubernetes.io/hostname: kind-worker2\n', want: ['kind-worker2', 'kind-worker2', 'kind-worker2'] },
      {
        name: 'required node affinity NotIn kind-worker keeps the pods off kind-worker',
        fragment:
          '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - {key: kubernetes.io/hostname, operator: NotIn, values: [kind-worker]}\n',
        want: ['kind-worker2', 'kind-worker2', 'kind-worker2'],
      },
      {
        name: 'node affinity terms are ORed: a term for kind-worker or one for kind-worker2 lets both in',
        fragment:
          '      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchFields:\n              - {key: metadata.name, operator: In, values: [kind-worker]}\n            - matchExpressions:\n              - {key: kubernetes.io/hostname, operator: In, values: [kind-worker2]}\n',
        want: ['kind-worker', 'kind-worker', 'kind-worker2'],
      },
    ],
    (tc) => {
      const c = new Cluster()
      applyAll(c, NAMESPACE_YAML, placed(tc.fragment))
      expect(podsOf(c, 'order').map((p) => p.spec?.nodeName).sort(), 'the NodeAffinity filter').toEqual(tc.want)
    },
  )

  test('a pod whose only node is down and marked unreachable waits Pending, then starts there when the node comes back', () => {
    const c = new Cluster()
    c.nodeDown('kind-worker')
    c.advance(60)
    applyAll(c, NAMESPACE_YAML, placed('      nodeSelector:\n        kubernetes.io/hostname: kind-worker\n', 1))
    const [waiting] = podsOf(c, 'order')
    expect(waiting?.status?.conditions?.find((x) => x.type === 'PodScheduled')?.message, 'the unreachable NoSchedule taint keeps it off kind-worker').toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    )
    c.nodeUp('kind-worker')
    const [started] = podsOf(c, 'order')
    expect([started?.metadata?.name, started?.spec?.nodeName, started?.status?.phase], 'the scheduler tries it again when the node is Ready').toEqual([waiting?.metadata?.name, 'kind-worker', 'Running'])
  })

  table(TOLERATION_ROWS, tolerationRow)
  table(REQUIREMENT_ROWS, requirementRow)
  table(FILTER_ROWS, filterRow)
  table(SCHEDULER_ROWS, (r) => r.run())
})

// ---------------------------------------------------------------------------
task('deployment-controller', () => {
  test('Deployment pods are named <deployment>-<pod-template-hash>-<5 characters> and carry the pod-template-hash label', () => {
    const c = withClient()
    for (const p of podsOf(c, 'order')) {
      const hash = p.metadata?.labels?.['pod-template-hash'] ?? ''
      expect(hash, `${p.metadata?.name}: pod-template-hash is SafeEncodeString of a 32-bit FNV hash (≤ 10 of 4-9 b c d f)`).toMatch(/^[456789bcdf]{1,10}$/)
      expect(p.metadata?.name, 'ReplicaSet order-<hash>, its pods order-<hash>-<5 random characters without vowels>').toMatch(new RegExp(`^order-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`))
      expect(p.metadata?.ownerReferences?.[0], 'owned by the ReplicaSet').toMatchObject({ kind: 'ReplicaSet', name: `order-${hash}`, controller: true })
    }
    const hashes = new Set(podsOf(c, 'order').map((p) => p.metadata?.labels?.['pod-template-hash']))
    expect(hashes.size, 'one template, one hash').toBe(1)
  })

  test('a changed pod template gets a new pod-template-hash and replaces every pod', () => {
    const c = snackbar()
    const before = podsOf(c, 'order')
    applyAll(c, deploymentYAML('order', { extraLabels: { version: 'v2' } }))
    const after = podsOf(c, 'order')
    expect(after.length).toBe(3)
    expect(after.filter((p) => names(before).includes(p.metadata?.name ?? '')), 'no pod of the old template is left').toEqual([])
    expect(after[0]!.metadata?.labels?.['pod-template-hash']).not.toBe(before[0]!.metadata?.labels?.['pod-template-hash'])
  })

  test('deleting a Deployment pod gets a replacement with a new name and a new IP', () => {
    const c = snackbar()
    const victim = podsOf(c, 'order')[0]!
    expect(c.delete('pod', 'snackbar', victim.metadata!.name!)).toBe(`pod "${victim.metadata!.name}" deleted from snackbar namespace`)
    const now = podsOf(c, 'order')
    expect(now.length, 'the ReplicaSet keeps 3 replicas').toBe(3)
    expect(names(now), 'the replacement is a new pod with a new name').not.toContain(victim.metadata?.name)
    expect(now.map((p) => p.status?.podIP), 'host-local does not hand the freed IP out again at once: the new pod has another IP').not.toContain(victim.status?.podIP)
  })

  table(DEPLOYMENT_APPLY_ROWS, deploymentApplyRow)
  table(DEPLOYMENT_ROWS, (r) => r.run())
})

// ---------------------------------------------------------------------------
task('node-lifecycle', () => {
  test('300 s after that the pods of the dead node are evicted (Terminating) and replaced on live nodes', () => {
    const c = snackbar()
    const gone = podsOf(c, 'order').filter((p) => p.spec?.nodeName === 'kind-worker2').map(ref)
    c.nodeDown('kind-worker2')
    c.advance(50)
    c.advance(300)
    const pods = podsOf(c, 'order')
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp)
    expect(live.length, 'the ReplicaSet keeps 3 pods that are not terminating').toBe(3)
    expect(live.every((p) => p.spec?.nodeName !== 'kind-worker2'), 'replacements avoid the unreachable node (its taint)').toBe(true)
    expect(pods.filter((p) => p.metadata?.deletionTimestamp).map(ref).sort(), 'evicted pods stay Terminating while their kubelet cannot confirm').toEqual(gone.sort())
    c.nodeUp('kind-worker2')
    expect(podsOf(c, 'order').filter((p) => p.metadata?.deletionTimestamp), 'the node is back: its kubelet finishes the deletion').toEqual([])
  })

  test('50 s after a node stops answering it is Ready Unknown with the unreachable taints, and its pods are not ready', () => {
    const c = snackbar()
    c.nodeDown('kind-worker2')
    c.advance(49)
    const node = () => c.nodes().find((n) => n.metadata?.name === 'kind-worker2')!
    expect(node().status?.conditions?.find((x) => x.type === 'Ready')?.status, 'within the grace period nothing in the API has changed').toBe('True')
    c.advance(1)
    expect(node().status?.conditions?.find((x) => x.type === 'Ready')?.status, 'NODE_MONITOR_GRACE_PERIOD is 50 s').toBe('Unknown')
    expect((node().spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`), 'the node lifecycle controller taints it').toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'])
    for (const p of c.pods('snackbar').filter((p) => p.spec?.nodeName === 'kind-worker2')) expect(isReady(p), `${ref(p)}: MarkPodsNotReady`).toBe(false)
  })

  table(NODE_LIFECYCLE_ROWS, (r) => r.run())
})

// ---------------------------------------------------------------------------
task('kubelet', () => {
  table(STOP_ROWS, (tc) => expect(stopSeconds(tc.pod), 'seconds from kubectl delete to the containers stopped (killContainer)').toBe(tc.want))
  table(HOSTNAME_ROWS, (tc) => expect(podHostname(tc.pod), 'the hostname the containers see').toBe(tc.want))

  /** A pod `two` in snackbar on kind-worker with two containers: `app` (TCP 8080, UDP 5353) and `side` (no ports). */
  const webPodPending = `apiVersion: v1\nkind: Pod\nmetadata: {name: pending, namespace: snackbar}\nspec:\n  nodeSelector: {disktype: ssd}\n  containers: [{name: web, image: nginx:1.27}]\n`
  const TWO = `apiVersion: v1\nkind: Pod\nmetadata: {name: two, namespace: snackbar, labels: {app: two}}\nspec:\n  nodeName: kind-worker\n  hostname: api\n  containers:\n  - name: app\n    image: registry.k8s.io/e2e-test-images/agnhost:2.53\n    ports: [{containerPort: 8080}, {containerPort: 5353, protocol: UDP}]\n  - name: side\n    image: busybox:1.36\n`

  test('a failing readiness probe flips Ready and ContainersReady only, with the time it changed; the same verdict again changes nothing', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, TWO)
    const started = timestamp(c.now)
    c.advance(10)
    c.setPodReady('snackbar', 'two', false)
    const conditions = () => c.pod('snackbar', 'two').status?.conditions?.map((x) => `${x.type}=${x.status} ${x.lastTransitionTime === started ? 'since start' : x.lastTransitionTime === timestamp(c.now) ? 'now' : x.lastTransitionTime}`)
    const failed = timestamp(c.now)
    expect(conditions(), 'the kubelet’s pod conditions after the probe failed').toEqual(['PodReadyToStartContainers=True since start', 'Initialized=True since start', 'Ready=False now', 'ContainersReady=False now', 'PodScheduled=True since start'])
    expect(c.pod('snackbar', 'two').status?.containerStatuses?.map((x) => [x.name, x.ready]), 'every container status says not ready').toEqual([['app', false], ['side', false]])
    c.advance(10)
    c.setPodReady('snackbar', 'two', false)
    expect(c.pod('snackbar', 'two').status?.conditions?.find((x) => x.type === 'Ready')?.lastTransitionTime, 'still False: lastTransitionTime stays').toBe(failed)
    c.setPodReady('snackbar', 'two', true)
    expect(conditions()?.slice(2, 4), 'ready again, from now').toEqual(['Ready=True now', 'ContainersReady=True now'])
  })

  test('kubectl exec env: the container asked for, HOSTNAME from spec.hostname, PATH; not for a pod that is not running', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, TWO, webPodPending)
    const env = (container?: string) => Object.fromEntries(c.env('snackbar', 'two', container).map((e) => [e.name, e.value]))
    expect([env().HOSTNAME, env().PATH], 'HOSTNAME and the image’s PATH').toEqual(['api', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'])
    expect(env('side').KUBERNETES_SERVICE_HOST, 'the side container has the Service variables too').toBe('10.96.0.1')
    expect(() => c.env('snackbar', 'pending'), 'no node fits it: no container to exec into').toThrow('error: unable to upgrade connection: container not found ("web")')
    expect(() => c.env('snackbar', 'nobody'), 'no such pod').toThrow('Error from server (NotFound): pods "nobody" not found')
  })

  test('a started pod’s status, as its kubelet reports it', () => {
    const c = new Cluster()
    c.advance(4321) // a time no other check starts pods at: the kubelet's shared status parts are built afresh
    applyAll(c, NAMESPACE_YAML, TWO)
    const now = timestamp(c.now)
    const node = nodeIP(c, 'kind-worker')
    const st = c.pod('snackbar', 'two').status!
    expect([st.phase, st.hostIP, st.hostIPs, st.podIPs, st.startTime, st.qosClass], 'phase, addresses, start time').toEqual(['Running', node, [{ ip: node }], [{ ip: st.podIP }], now, 'BestEffort'])
    expect(st.conditions?.map((x) => `${x.type}=${x.status}`), 'the five pod conditions').toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'])
    expect(st.containerStatuses, 'one status per container, running since now').toEqual(
      ['app', 'side'].map((name, i) => ({ name, image: ['registry.k8s.io/e2e-test-images/agnhost:2.53', 'busybox:1.36'][i], imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } })),
    )
    expect(c.nodeObject('kind-worker').status?.conditions?.find((x) => x.type === 'Ready'), 'the node’s Ready condition, posted by its kubelet').toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' })
  })

  test('a pod that starts when its node comes back gets the Services created while it waited', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML)
    c.nodeDown('kind-worker2')
    applyAll(c, clientPodYAML('late', 'snackbar', 'kind-worker2'), serviceYAML('order'))
    c.nodeUp('kind-worker2')
    expect(c.env('snackbar', 'late').find((e) => e.name === 'ORDER_SERVICE_HOST')?.value, 'it started after order was created (kata 04)').toBe(c.service('snackbar', 'order').spec?.clusterIP)
  })

  test('a pod’s environment holds the Services as they were when it started: not one deleted before, only the last version of one changed', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, serviceYAML('gone'), serviceYAML('order'))
    c.delete('service', 'snackbar', 'gone')
    applyAll(c, serviceYAML('order').replace('port: 80', 'port: 8000'))
    applyAll(c, clientPodYAML('late', 'snackbar'))
    const env = c.env('snackbar', 'late').map((e) => `${e.name}=${e.value}`)
    expect(env.filter((e) => e.startsWith('GONE_')), 'gone was deleted before the pod started').toEqual([])
    expect(env.filter((e) => e.startsWith('ORDER_SERVICE_PORT=')), 'order’s port is 8000 now').toEqual(['ORDER_SERVICE_PORT=8000'])
  })

  test('kubectl exec into a pod bound to a node that is down and never started: no container; into a started pod there: the kubelet is unreachable', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, TWO)
    c.nodeDown('kind-worker2')
    applyAll(c, clientPodYAML('never', 'snackbar', 'kind-worker2'))
    expect(() => c.env('snackbar', 'never'), 'it has no IP: no sandbox, no container').toThrow('error: unable to upgrade connection: container not found ("curl")')
    c.nodeDown('kind-worker')
    const node = nodeIP(c, 'kind-worker')
    expect(() => c.env('snackbar', 'two'), 'the API server cannot reach the kubelet on port 10250').toThrow(`Error from server: error dialing backend: dial tcp ${node}:10250: connect: no route to host`)
  })

  test('a host-network pod has no address of its own: the node’s IP is no pod’s', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, TWO.replace('  hostname: api\n', '  hostNetwork: true\n'))
    const ip = c.pod('snackbar', 'two').status?.podIP
    expect(ip, 'its podIP is its node’s InternalIP').toBe(nodeIP(c, 'kind-worker'))
    expect(c.podByIP(ip!), 'traffic to that address is the node’s (kube-proxy first), not a pod network hop').toBeUndefined()
  })

  test('kubectl port-forward svc/… picks a pod its selector finds; deleting each pod ends only its own session', () => {
    const c = snackbar()
    const order = c.portForward('snackbar', 'svc/order', ['8080:80'])
    const payment = c.portForward('snackbar', 'svc/payment', ['9090:80'])
    expect([order.pod.split('-')[0], payment.pod.split('-')[0]], 'each Service’s selector').toEqual(['order', 'payment'])
    c.delete('pod', 'snackbar', order.pod)
    expect([order.active, payment.active], 'the order pod is gone: its session is lost, the other forwards on').toEqual([false, true])
    c.delete('pod', 'snackbar', payment.pod)
    expect(payment.active, 'then the payment pod: that session ends too').toBe(false)
  })

  table(
    [
      { name: 'a declared TCP containerPort', port: 8080, protocol: 'TCP' as const, want: true },
      { name: 'a declared UDP port answers UDP', port: 5353, protocol: 'UDP' as const, want: true },
      { name: 'but not TCP on the same number', port: 5353, protocol: 'TCP' as const, want: false },
      { name: 'nor UDP on a TCP port', port: 8080, protocol: 'UDP' as const, want: false },
      { name: 'a numeric targetPort of a Service that selects the pod, undeclared', port: 9090, protocol: 'TCP' as const, want: true },
      { name: 'that targetPort over UDP: the Service port is TCP', port: 9090, protocol: 'UDP' as const, want: false },
      { name: 'a port neither declared nor targeted by a Service that selects the pod (app=two,tier=api does not)', port: 9091, protocol: 'TCP' as const, want: false },
    ],
    (tc) => {
      const c = new Cluster()
      const narrower = `apiVersion: v1\nkind: Service\nmetadata: {name: two-api, namespace: snackbar}\nspec:\n  selector: {app: two, tier: api}\n  ports: [{port: 80, targetPort: 9091}]\n`
      applyAll(c, NAMESPACE_YAML, TWO, serviceYAML('two', { targetPort: 9090 }), serviceYAML('other', { app: 'other', targetPort: 9091 }), narrower)
      expect(c.servesPort(c.pod('snackbar', 'two'), tc.port, tc.protocol), `does agnhost in pod two answer ${tc.port}/${tc.protocol}?`).toBe(tc.want)
      if (tc.protocol === 'TCP') expect(c.servesPort(c.pod('snackbar', 'two'), tc.port), 'no protocol given means TCP').toBe(tc.want)
    },
  )

  test('every pod IP comes from the podCIDR of the node the pod runs on', () => {
    const c = withClient()
    for (const p of c.pods()) {
      const cidr = c.nodes().find((n) => n.metadata?.name === p.spec?.nodeName)?.spec?.podCIDR ?? ''
      const prefix = cidr.replace(/\.0\/24$/, '.')
      expect(p.status?.podIP?.startsWith(prefix), `${ref(p)} on ${p.spec?.nodeName} (podCIDR ${cidr}) has IP ${p.status?.podIP} (kata 00: host-local on that node)`).toBe(true)
    }
  })

  test('a snackbar pod’s resolv.conf: the three cluster search domains, nameserver 10.96.0.10, ndots:5', () => {
    const c = withClient()
    expect(c.resolvConf('snackbar', podsOf(c, 'order')[0]!.metadata!.name!)).toBe(
      'search snackbar.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    )
  })

  test('a pod started after the Service has ORDER_SERVICE_HOST, ORDER_SERVICE_PORT=80 and the docker-link variables', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, serviceYAML('order'), deploymentYAML('order'))
    const ip = c.service('snackbar', 'order').spec?.clusterIP
    const env = Object.fromEntries(c.env('snackbar', podsOf(c, 'order')[0]!.metadata!.name!).map((e) => [e.name, e.value]))
    expect(
      { host: env.ORDER_SERVICE_HOST, port: env.ORDER_SERVICE_PORT, link: env.ORDER_PORT, tcp: env.ORDER_PORT_80_TCP_ADDR },
      'kata 04: the Service existed when the container started',
    ).toEqual({ host: ip, port: '80', link: `tcp://${ip}:80`, tcp: ip })
  })

  test('a pod started before the Service has no ORDER_ variables, and gets them only when it is recreated', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, deploymentYAML('order'), serviceYAML('order'))
    const first = podsOf(c, 'order')[0]!
    const before = c.env('snackbar', first.metadata!.name!).map((e) => e.name)
    expect(before.filter((n) => n.startsWith('ORDER_')), 'the container started before the Service existed: its environment is fixed').toEqual([])
    const old = names(podsOf(c, 'order'))
    c.delete('pod', 'snackbar', first.metadata!.name!)
    const withVars = podsOf(c, 'order')
      .filter((p) => c.env('snackbar', p.metadata!.name!).some((e) => e.name === 'ORDER_SERVICE_HOST'))
      .map((p) => p.metadata?.name)
    const replacement = names(podsOf(c, 'order')).filter((n) => !old.includes(n))
    expect(withVars, `only the replacement of ${first.metadata?.name} started after the Service; the other two keep their environment`).toEqual(replacement)
  })

  test('every pod has KUBERNETES_SERVICE_HOST=10.96.0.1 and KUBERNETES_SERVICE_PORT=443, whatever its namespace', () => {
    const c = withClient()
    for (const [ns, name] of [['default', 'curl'], ['snackbar', podsOf(c, 'order')[0]!.metadata!.name!]] as const) {
      const env = Object.fromEntries(c.env(ns, name).map((e) => [e.name, e.value]))
      expect([env.KUBERNETES_SERVICE_HOST, env.KUBERNETES_SERVICE_PORT, env.KUBERNETES_SERVICE_PORT_HTTPS], `${ns}/${name}`).toEqual(['10.96.0.1', '443', '443'])
    }
  })

  test('a pod never sees the variables of Services in other namespaces', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, serviceYAML('order'), clientPodYAML('curl', 'default'))
    expect(c.env('default', 'curl').map((e) => e.name).filter((n) => n.startsWith('ORDER_')), 'order is in snackbar, the pod in default').toEqual([])
  })

  test('a pod on a dead node cannot run curl at all: kubectl exec fails', () => {
    const c = snackbar()
    const p = podsOf(c, 'order').find((x) => x.spec?.nodeName === 'kind-worker')!
    c.nodeDown('kind-worker')
    expect(() => curl(c, { pod: ref(p) }, 'http://order/')).toThrow(ClusterError)
  })

  const hostNetworked = (replicas: number) =>
    deploymentYAML('menu', { replicas, port: 9000 }).replace('      containers:', '      hostNetwork: true\n      containers:')

  test('a hostNetwork pod takes its node’s InternalIP, its endpoint is <node IP>:<port>, and it answers /hostname with the node’s name', () => {
    const c = snackbar([clientPodYAML('curl', 'default')])
    applyAll(c, hostNetworked(1), serviceYAML('menu', { targetPort: 9000 }))
    const [p] = podsOf(c, 'menu')
    const node = c.nodeObject(p!.spec!.nodeName!)
    const nodeIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address
    expect(p?.status?.podIP, 'kubelet_pods.go: a host-network pod reports its node’s IP; the CNI plugin is not called').toBe(nodeIP)
    const ep = c.endpoints('snackbar').find((e) => e.metadata?.name === 'menu')
    expect(ep?.subsets?.flatMap((s) => (s.addresses ?? []).map((a) => `${a.ip}:${s.ports?.[0]?.port}`)), 'kata 03: the endpoint is the node').toEqual([`${nodeIP}:9000`])
    const r = c.connect({ from: { pod: 'default/curl' }, url: 'http://menu.snackbar/hostname' })
    expect(r.ok ? [r.endpoint, r.body] : resultText(r), 'the echo server runs in the node’s network and UTS namespaces').toEqual([`${nodeIP}:9000`, p!.spec!.nodeName])
  })

  test('two hostNetwork replicas cannot share a node’s port: with two workers the third stays Pending, no free ports', () => {
    const c = new Cluster()
    applyAll(c, NAMESPACE_YAML, hostNetworked(3))
    const pending = podsOf(c, 'menu').filter((p) => !p.spec?.nodeName)
    expect(pending.map((p) => p.spec?.containers[0]?.ports?.[0]?.hostPort), 'SetDefaults_PodSpec: on the host network hostPort defaults to containerPort').toEqual([9000])
    expect(pending[0]?.status?.conditions?.[0]?.message, 'the NodePorts filter').toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't have free ports for the requested pod ports. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    )
  })

  table(
    [
      { name: 'dnsPolicy Default: the node’s resolv.conf, which on kind points at the kind network’s gateway with ndots:0', policy: 'Default', hostNetwork: false, want: 'nameserver 172.18.0.1\noptions ndots:0\n' },
      { name: 'ClusterFirst on the host network falls back to the node’s resolv.conf', policy: 'ClusterFirst', hostNetwork: true, want: 'nameserver 172.18.0.1\noptions ndots:0\n' },
      {
        name: 'ClusterFirstWithHostNet on the host network gets the cluster DNS',
        policy: 'ClusterFirstWithHostNet',
        hostNetwork: true,
        want: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
      },
    ],
    (tc) => {
      const c = new Cluster()
      c.apply(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  dnsPolicy: ${tc.policy}\n  hostNetwork: ${tc.hostNetwork}\n  containers: [{name: c, image: busybox}]\n`, 'p.yaml')
      expect(c.resolvConf('default', 'p'), `kubectl exec p -- cat /etc/resolv.conf (dnsPolicy ${tc.policy}, hostNetwork ${tc.hostNetwork})`).toBe(tc.want)
    },
  )

  test('a dnsPolicy Default pod asks Docker’s DNS: kind-worker resolves, cluster names do not', () => {
    const c = new Cluster()
    c.apply(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  dnsPolicy: Default\n  containers: [{name: c, image: busybox}]\n`, 'p.yaml')
    expect([c.lookup('default', 'p', 'kind-worker').addresses, c.lookup('default', 'p', 'kubernetes.default').found], 'the node’s resolver knows the kind containers, not cluster.local').toEqual([['172.18.0.3'], false])
  })
})

// ---------------------------------------------------------------------------
task('controllers', () => {
  test('the Endpoints and the EndpointSlice of order list the three pod IPs on targetPort 8080', () => {
    const c = withClient()
    const ips = podsOf(c, 'order').map((p) => p.status?.podIP ?? '').sort()
    const ep = c.endpoints('snackbar').find((e) => e.metadata?.name === 'order')
    expect(ep?.subsets?.flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? []).map((p) => `${a.ip}:${p.port}`))).sort()).toEqual(ips.map((ip) => `${ip}:8080`))
    const slices = c.endpointSlices('snackbar').filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'order')
    expect(slices.length).toBe(1)
    expect(slices[0]!.metadata?.name, 'generateName order-').toMatch(/^order-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    expect(slices[0]!.endpoints.map((e) => e.addresses[0]).sort()).toEqual(ips)
  })

  test('a not-ready pod moves to notReadyAddresses of the Endpoints and to ready: false in the EndpointSlice', () => {
    const c = snackbar()
    const sick = podsOf(c, 'order')[0]!
    c.setPodReady('snackbar', sick.metadata!.name!, false)
    const ep = c.endpoints('snackbar').find((e) => e.metadata?.name === 'order')
    expect(ep?.subsets?.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip))).toEqual([sick.status?.podIP])
    const slice = c.endpointSlices('snackbar').find((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'order')
    expect(slice?.endpoints.find((e) => e.addresses[0] === sick.status?.podIP)?.conditions).toEqual({ ready: false, serving: false, terminating: false })
  })

  test('the mirroring controller copies user Endpoints into one EndpointSlice per subset, field by field', () => {
    const c = new Cluster()
    const yaml = `apiVersion: v1\nkind: Service\nmetadata: {name: legacy, namespace: snackbar}\nspec:\n  ports: [{name: db, port: 5432}, {name: dns, port: 53, protocol: UDP}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: legacy, namespace: snackbar, labels: {team: shop}}\nsubsets:\n- addresses: [{ip: 192.0.2.10, hostname: db-0, nodeName: kind-worker, targetRef: {kind: Pod, name: db-0, namespace: snackbar}}]\n  notReadyAddresses: [{ip: 192.0.2.11}]\n  ports: [{name: db, port: 5432}, {name: dns, port: 53, protocol: UDP}]\n- addresses: [{ip: 192.0.2.20}]\n  ports: [{port: 6432}]\n`
    applyAll(c, NAMESPACE_YAML, yaml)
    const slices = slicesFor(c, 'legacy')
    expect(slices.map((x) => [x.apiVersion, x.kind, x.metadata?.generateName, x.metadata?.namespace, x.addressType, x.metadata?.labels]), 'one slice per subset, labelled like the Endpoints plus the mirroring labels').toEqual(
      [0, 1].map(() => ['discovery.k8s.io/v1', 'EndpointSlice', 'legacy-', 'snackbar', 'IPv4', { team: 'shop', 'kubernetes.io/service-name': 'legacy', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' }]),
    )
    expect(slices.map((x) => x.metadata?.name), 'named <service>-<5 random characters>').toEqual([expect.stringMatching(/^legacy-[a-z0-9]{5}$/), expect.stringMatching(/^legacy-[a-z0-9]{5}$/)])
    const bySubset = slices.map((x) => ({ endpoints: x.endpoints, ports: x.ports })).sort((a, b) => (a.ports?.[0]?.port ?? 0) - (b.ports?.[0]?.port ?? 0))
    expect(bySubset, 'addresses ready, notReadyAddresses not; hostname, nodeName and targetRef kept; ports named "" and TCP by default').toEqual([
      {
        endpoints: [
          { addresses: ['192.0.2.10'], conditions: { ready: true }, hostname: 'db-0', nodeName: 'kind-worker', targetRef: { kind: 'Pod', name: 'db-0', namespace: 'snackbar' } },
          { addresses: ['192.0.2.11'], conditions: { ready: false } },
        ],
        ports: [
          { name: 'db', port: 5432, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      },
      { endpoints: [{ addresses: ['192.0.2.20'], conditions: { ready: true } }], ports: [{ name: '', port: 6432, protocol: 'TCP' }] },
    ])
    applyAll(c, yaml.replace('labels: {team: shop}', 'labels: {team: shop, endpointslice.kubernetes.io/skip-mirror: "true"}'))
    expect(c.endpointSlices('snackbar'), 'endpointslice.kubernetes.io/skip-mirror: "true" — no mirrored slices').toEqual([])
    applyAll(c, yaml.replace(/subsets:\n[\s\S]*$/, ''))
    expect(c.endpointSlices('snackbar'), 'Endpoints without subsets — nothing to mirror').toEqual([])
  })

  test('the API server writes the kubernetes Endpoints, not mirrored, and its own EndpointSlice to the control plane on 6443', () => {
    const c = new Cluster()
    const cp = nodeIP(c, 'kind-control-plane')
    expect(c.endpoints('default').find((e) => e.metadata?.name === 'kubernetes'), 'Endpoints default/kubernetes').toMatchObject({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: cp }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    })
    expect(slicesFor(c, 'kubernetes', 'default'), 'one EndpointSlice, named kubernetes').toEqual([
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: [cp], conditions: { ready: true } }],
        ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
      },
    ])
  })

  test('an ExternalName Service gets no EndpointSlices from its selector; without one, its Endpoints are mirrored all the same', () => {
    const c = snackbar()
    applyAll(c, `apiVersion: v1\nkind: Service\nmetadata: {name: alias, namespace: snackbar}\nspec: {type: ExternalName, externalName: db.example.com, selector: {app: order}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: legacy, namespace: snackbar}\nspec: {type: ExternalName, externalName: db.example.com}\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: legacy, namespace: snackbar}\nsubsets:\n- addresses: [{ip: 192.0.2.10}]\n  ports: [{port: 5432}]\n`)
    expect(slicedIPs(c, 'alias'), 'the EndpointSlice controller skips ExternalName Services (endpointslice_controller.go)').toEqual([])
    expect(slicedIPs(c, 'legacy'), 'the mirroring controller looks at the selector only (endpointslicemirroring_controller.go)').toEqual(['192.0.2.10'])
  })

  test('a cluster without a cloud keeps a LoadBalancer Service pending, whatever its nodes do', () => {
    const c = snackbar([nodePortYAML('Cluster', 'LoadBalancer')], { cloud: false })
    c.nodeDown('kind-worker')
    c.nodeUp('kind-worker')
    const lb = c.service('snackbar', 'order-np')
    expect([lb.status?.loadBalancer?.ingress, lb.metadata?.finalizers], 'no service controller: no address and no finalizer (kubectl shows <pending>)').toEqual([undefined, undefined])
  })

  test('a Service’s EndpointSlice keeps its name from sync to sync', () => {
    const c = snackbar()
    const name = () => slicesFor(c, 'order')[0]?.metadata?.name
    const first = name()
    c.setPodReady('snackbar', podsOf(c, 'order')[0]!.metadata!.name!, false)
    expect(name(), 'synced again after a pod’s readiness changed: the same slice, updated').toBe(first)
  })

  test('the service controller’s status and finalizer reach the API server’s copy, and leave it with the load balancer', () => {
    const c = snackbar([nodePortYAML('Cluster', 'LoadBalancer')])
    const lb = c.service('snackbar', 'order-np')
    expect([lb.metadata?.finalizers, lb.status?.loadBalancer?.ingress?.map((i) => i.ip)], 'kubectl get svc order-np -o yaml').toEqual([['service.kubernetes.io/load-balancer-cleanup'], ['172.18.255.200']])
    expect(c.service('snackbar', 'order').metadata?.finalizers, 'a ClusterIP Service has no finalizer').toBeUndefined()
    applyAll(c, nodePortYAML('Cluster', 'NodePort'))
    const np = c.service('snackbar', 'order-np')
    expect([np.metadata?.finalizers, np.status?.loadBalancer?.ingress], 'type NodePort now: the load balancer is gone, its finalizer and ingress with it').toEqual([undefined, undefined])
  })

  test('the cluster uses the cloud it is given: a second LoadBalancer takes the next IP of its pool', () => {
    const cloud = new FakeCloud({ first: '192.0.2.10', last: '192.0.2.11' })
    const c = snackbar([nodePortYAML('Cluster', 'LoadBalancer'), serviceYAML('pay-lb', { app: 'payment', targetPort: 9090, spec: '  type: LoadBalancer\n' })], { cloud })
    expect(['order-np', 'pay-lb'].map((n) => c.service('snackbar', n).status?.loadBalancer?.ingress?.[0]?.ip)).toEqual(['192.0.2.10', '192.0.2.11'])
  })
})

// ---------------------------------------------------------------------------
task('data-plane', () => {
  test('the lookup of order.snackbar from a default pod tries order.snackbar.default.svc.cluster.local first, then finds order.snackbar.svc.cluster.local', () => {
    const c = withClient()
    const r = c.lookup('default', 'curl', 'order.snackbar')
    expect(r.tried, 'glibc: fewer than 5 dots, the search list first').toEqual(['order.snackbar.default.svc.cluster.local.', 'order.snackbar.svc.cluster.local.'])
    expect(r.addresses).toEqual([c.service('snackbar', 'order').spec?.clusterIP])
  })

  test('CoreDNS answers a cluster name itself (authoritative); a name of the world outside is forwarded and follows its CNAME to the address', () => {
    const c = snackbar([clientPodYAML('curl', 'default')], { upstream: ['example.com. 300 IN A 93.184.215.14', 'example.com. 300 IN AAAA 2606:2800:21f:cb07:6820:80da:af6b:8b2c', 'www.example.com. 300 IN CNAME example.com.'] })
    const inZone = c.lookup('default', 'curl', 'order.snackbar')
    expect({ addresses: inZone.addresses, authoritative: inZone.authoritative }, 'the kubernetes plugin answers cluster.local with the aa flag').toEqual({ addresses: [c.service('snackbar', 'order').spec?.clusterIP], authoritative: true })
    const www = c.lookup('default', 'curl', 'www.example.com')
    expect({ addresses: www.addresses, authoritative: www.authoritative }, `forward . sends it upstream, which answers the CNAME and its target's A record; tried ${www.tried.join(', ')}`).toEqual({ addresses: ['93.184.215.14'], authoritative: false })
    expect(c.lookup('default', 'curl', 'www.example.com', 'AAAA').addresses, 'nslookup -type=AAAA www.example.com: the IPv6 address behind the CNAME').toEqual(['2606:2800:21f:cb07:6820:80da:af6b:8b2c'])
    expect(c.lookup('default', 'curl', 'www.example.com', 'A'), 'nslookup www.example.com: the address behind the CNAME, not the CNAME itself').toMatchObject({ addresses: ['93.184.215.14'], serverReachable: true, authoritative: false })
    expect(c.lookupOutside('www.example.com').addresses, 'a node’s own resolver (Docker’s DNS on kind) follows the CNAME as well').toEqual(['93.184.215.14'])
  })

  test('a CoreDNS pod on a node that is down answers no query: until the node is marked, kube-proxy still sends queries there and nothing resolves', () => {
    const c = snackbar([clientPodYAML('curl', 'default', 'kind-worker')])
    const homes = [...new Set(c.pods('kube-system').filter((p) => p.metadata?.labels?.['k8s-app'] === 'kube-dns').map((p) => p.spec?.nodeName))]
    expect(homes, 'kubeadm’s CoreDNS pods tolerate the control-plane taint and start before any worker joins').toEqual(['kind-control-plane'])
    c.nodeDown('kind-control-plane')
    const r = c.lookup('default', 'curl', 'order.snackbar')
    const nothing = { found: false, answer: [], addresses: [], tried: [], serverReachable: false, authoritative: false }
    expect(r, `getaddrinfo: the query to 10.96.0.10 is DNATed to a CoreDNS pod on a stopped node: ${r.via}`).toMatchObject(nothing)
    expect(c.lookup('default', 'curl', 'order.snackbar', 'A'), 'nslookup order.snackbar: ;; connection timed out; no servers could be reached').toMatchObject(nothing)
  })

  test('who runs curl: a pod named without its namespace is in default, a node that is down runs nothing, a client outside is an IP address', () => {
    const c = snackbar([clientPodYAML('curl', 'default', 'kind-worker')])
    expect(c.client({ pod: 'curl' }).ip, 'kubectl exec curl: the current namespace, default').toBe(podIP(c.pod('default', 'curl')))
    expect(() => c.client({ external: 'laptop' }), 'a machine outside is named by its address').toThrow('laptop is not an IP address')
    c.nodeDown('kind-worker2')
    expect(() => c.client({ node: 'kind-worker2' }), 'docker exec into a stopped kind node fails').toThrow('node kind-worker2 is down')
  })

  test('a headless Service leaves not-ready pods out of its answer', () => {
    const c = snackbar([serviceYAML('order-headless', { app: 'order', spec: '  clusterIP: None\n' })])
    const [sick, ...rest] = podsOf(c, 'order')
    c.setPodReady('snackbar', sick!.metadata!.name!, false)
    const l = c.lookup('snackbar', podsOf(c, 'payment')[0]!.metadata!.name!, 'order-headless')
    expect([...l.addresses].sort()).toEqual(rest.map((p) => p.status?.podIP).sort())
  })

  test('a pod reaches a Service by one of its externalIPs: kube-proxy on the pod’s own node captures the address', () => {
    const c = snackbar([clientPodYAML('curl', 'default'), serviceYAML('order-ext', { app: 'order', spec: '  externalIPs: [192.168.10.10]\n' })])
    const r = c.connect({ from: { pod: 'default/curl' }, url: 'http://192.168.10.10/hostname' })
    expect(r.ok && r.pod?.startsWith('snackbar/order-'), `curl http://192.168.10.10/hostname from default/curl: ${resultText(r)}`).toBe(true)
  })

  const LEGACY_YAML = `apiVersion: v1
kind: Service
metadata:
  name: legacy
  namespace: snackbar
spec:
  type: ExternalName
  externalName: legacy.example.com
`
  const withLegacy = once(() => snackbar([clientPodYAML('curl', 'default'), LEGACY_YAML, serviceYAML('order-named', { app: 'order', spec: '' }).replace('  - port: 80', '  - name: http\n    port: 80')]))

  test('nslookup legacy asks A along the search list and stops at the ExternalName’s CNAME, which CoreDNS answers itself', () => {
    const c = withLegacy()
    const client = podsOf(c, 'payment')[0]!.metadata!.name!
    const r = c.lookup('snackbar', client, 'legacy', 'A')
    const what = `nslookup legacy from snackbar/${client}: tried ${r.tried.join(', ')}, rcode ${r.rcode}, answer:\n${bullets(r.answer)}`
    expect(r.found, what).toBe(true)
    expect(r.tried, what).toEqual(['legacy.snackbar.svc.cluster.local.'])
    expect(r.answer.map((l) => l.split(/\s+/).filter((_, i) => i !== 1).join(' ')), what).toEqual(['legacy.snackbar.svc.cluster.local. IN CNAME legacy.example.com.'])
    expect(r.authoritative, `${what}\nthe cluster zone is CoreDNS's own: an authoritative answer`).toBe(true)
    expect(r.addresses, `${what}\na CNAME alone carries no address`).toEqual([])
  })

  test('getaddrinfo walks on past the ExternalName’s CNAME when its target has no address, where nslookup stops at it', () => {
    const c = withLegacy()
    const r = c.lookup('default', 'curl', 'legacy.snackbar')
    expect(r.found, `getaddrinfo(legacy.snackbar): ${r.rcode}, tried ${r.tried.join(', ')}`).toBe(false)
    expect(c.lookup('default', 'curl', 'legacy.snackbar', 'CNAME').answeredBy).toBe('legacy.snackbar.svc.cluster.local.')
  })

  test('nslookup -type=SRV _http._tcp.order-named answers one SRV record per named port, target the Service’s own name', () => {
    const c = withLegacy()
    const r = c.lookup('default', 'curl', '_http._tcp.order-named.snackbar', 'SRV')
    const what = `nslookup -type=SRV _http._tcp.order-named.snackbar: rcode ${r.rcode}, answer:\n${bullets(r.answer)}`
    expect(r.found, what).toBe(true)
    expect(r.answer.map((l) => l.split(/\s+/).slice(3).join(' ')), what).toEqual(['SRV 0 100 80 order-named.snackbar.svc.cluster.local.'])
    expect(r.addresses, 'an SRV answer carries no addresses of its own').toEqual([])
  })

  test('nslookup -type=AAAA order.snackbar is NODATA for an IPv4 Service: NOERROR without records ends the walk there', () => {
    const c = withLegacy()
    const r = c.lookup('default', 'curl', 'order.snackbar', 'AAAA')
    expect({ found: r.found, rcode: r.rcode, tried: r.tried }).toEqual({ found: false, rcode: 'NOERROR', tried: ['order.snackbar.default.svc.cluster.local.', 'order.snackbar.svc.cluster.local.'] })
  })

  test('nslookup 10.96.0.10 asks the PTR of 10.0.96.10.in-addr.arpa and CoreDNS names kube-dns', () => {
    const c = withLegacy()
    const r = c.lookup('default', 'curl', '10.96.0.10', 'PTR')
    const what = `PTR of 10.96.0.10: rcode ${r.rcode}, tried ${r.tried.join(', ')}, answer:\n${bullets(r.answer)}`
    expect(r.tried, what).toEqual(['10.0.96.10.in-addr.arpa.'])
    expect(r.answer.map((l) => l.split(/\s+/).slice(3).join(' ')), what).toEqual(['PTR kube-dns.kube-system.svc.cluster.local.'])
  })

  const asking = once(() => {
    const c = snackbar([clientPodYAML('curl', 'default'), DNS_CLIENTS_YAML], { upstream: DATAPLANE_UPSTREAM })
    applyAll(c, MENU_HOST_NETWORK_YAML)
    return c
  })
  table(DATAPLANE_ROWS, (tc) => {
    const c = asking()
    expect(tc.got(c), tc.why).toEqual(tc.want(c))
  })

  test('a deleted Service’s cluster IP goes nowhere: kube-proxy removes its rules, and the node’s other Services still work', () => {
    const c = snackbar([clientPodYAML('curl', 'default'), serviceYAML('kitchen', { app: 'order' })])
    const kitchenIP = c.service('snackbar', 'kitchen').spec!.clusterIP!
    expectLandsOn(c, curl(c, { pod: 'default/curl' }, `http://${kitchenIP}/hostname`), 'order', 'kitchen selects the order pods')
    c.delete('service', 'snackbar', 'kitchen')
    expectFails(curl(c, { pod: 'default/curl' }, `http://${kitchenIP}/hostname`), 'timed out', 28, `KUBE-SERVICES has no rule for ${kitchenIP} any more: the packet follows the default route and nothing answers`)
    expectLandsOn(c, curl(c, { pod: 'default/curl' }, 'http://order.snackbar/hostname'), 'order', 'order’s rules stay')
  })

  test('a question for a name outside the cluster is forwarded: its answer is not authoritative', () => {
    const c = withLegacy()
    const r = c.lookup('default', 'curl', 'example.com', 'A')
    expect(r.authoritative, `nslookup example.com: rcode ${r.rcode}, answered by ${r.answeredBy ?? 'nobody'}`).toBe(false)
  })
})

// ---------------------------------------------------------------------------
task('curl', () => {
  /** The snackbar project, order-lb open to kind-worker's pods only, and a client pod on each worker. */
  const capturing = once(() => snackbar([CAPTURE_LB_YAML, clientPodYAML('near', 'default', 'kind-worker'), clientPodYAML('far', 'default', 'kind-worker2')]))
  table(CAPTURE_ROWS, (tc) => {
    const c = capturing()
    const path: string[] = []
    const step = captureLoadBalancerIP(c, clientOf(c, { pod: tc.from }), c.service('snackbar', 'order-lb'), CAPTURE_LB_IP, tc.port, path)
    expect(step, `captureLoadBalancerIP from ${tc.from} to ${CAPTURE_LB_IP}:${tc.port} gave ${stepText(step)}: ${tc.why}\n  path: ${path.join(' | ')}`).toEqual(tc.want(c))
  })

  table(RULE_COMMENT_ROWS, (tc) =>
    expect(ruleComment(tc.verdict), `the comment of the last matched rule, as iptables-save prints it:\n${bullets(tc.verdict.matched)}`).toBe(tc.want),
  )

  const oneOrderPod = once(() => snackbar([serviceYAML('order-lb', { app: 'order', spec: '  type: LoadBalancer\n  externalTrafficPolicy: Local\n' })], {}, 1))
  table(HEALTH_CHECK_ROWS, (tc) => {
    const c = oneOrderPod()
    const home = podsOf(c, 'order')[0]!.spec!.nodeName!
    const node = tc.home ? home : home === 'kind-worker' ? 'kind-worker2' : 'kind-worker'
    const hc = c.service('snackbar', 'order-lb').spec!.healthCheckNodePort!
    const got = healthCheckAnswer(c, node, { sourceIP: '172.18.0.1', destIP: nodeIP(c, node), destPort: hc }, [])
    expect(got, `GET ${nodeIP(c, node)}:${hc}/ on ${node}: kube-proxy's health-check server answers ${tc.status} with {"service": …, "localEndpoints": ${tc.localEndpoints}, "serviceProxyHealthy": true}, to the client as it sent`).toEqual({
      result: 'connected',
      server: 'kube-proxy',
      node,
      ip: nodeIP(c, node),
      port: hc,
      seenIP: '172.18.0.1',
      status: tc.status,
      body: healthCheckBody(tc.localEndpoints),
    })
  })

  table(
    [
      { name: 'parseURL reads http://order.snackbar/hostname as port 80, path /hostname', url: 'http://order.snackbar/hostname', want: { scheme: 'http', host: 'order.snackbar', port: 80, path: '/hostname', query: '' } },
      { name: 'parseURL reads https://kubernetes.default as port 443, path /', url: 'https://kubernetes.default', want: { scheme: 'https', host: 'kubernetes.default', port: 443, path: '/', query: '' } },
      { name: 'parseURL reads a node port and a query', url: 'http://172.18.0.3:30080/echo?msg=hi', want: { scheme: 'http', host: '172.18.0.3', port: 30080, path: '/echo', query: 'msg=hi' } },
    ],
    (tc) => expect(parseURL(tc.url)).toEqual(tc.want),
  )
  table(URL_ROWS, (tc) => expect(parseURL(tc.url), `curl ${tc.url}`).toEqual(tc.want))
  table(URL_REJECT_ROWS, (tc) => expect(() => parseURL(tc.url), `curl ${tc.url} exits 3 before it connects`).toThrow(tc.want))

  table(
    [
      { name: 'the echo server answers /hostname with the pod’s hostname', path: '/hostname', want: 'order-abc' },
      { name: 'the echo server answers /clientip with the client’s ip:port', path: '/clientip', want: '10.244.1.2:40000' },
      { name: 'the echo server answers /echo?msg=hi with hi', path: '/echo', query: 'msg=hi', want: 'hi' },
      { name: 'the echo server answers any other path with NOW: and its clock', path: '/menu', want: 'NOW: 2026-01-01 00:00:10 +0000 UTC' },
    ],
    (tc) => expect(echoServer(tc.path, tc.query ?? '', 'order-abc', '10.244.1.2:40000', 10).body).toBe(tc.want),
  )
  table(ECHO_ROWS, (tc) => expect(echoServer(tc.path, tc.query ?? '', 'order-abc', '10.244.1.2:40000', 10), `agnhost netexec: GET ${tc.path}${tc.query ? `?${tc.query}` : ''}`).toEqual(tc.want))

  // curl 8 (lib/connect.c): every failed connect reads "Couldn't connect to server"; ETIMEDOUT makes it exit 28.
  table(
    [
      { name: 'a name that does not resolve: exit 6', error: 'could not resolve host' as CurlError, ms: 0, want: 'curl: (6) Could not resolve host: order' },
      { name: 'refused at once (a reset, a REJECT): exit 7 after 0 ms', error: 'connection refused' as CurlError, ms: 0, want: "curl: (7) Failed to connect to order port 80 after 0 ms: Couldn't connect to server" },
      { name: 'no route to host, after ARP gave up on a stopped node: exit 7, the same words', error: 'no route to host' as CurlError, ms: 3000, want: "curl: (7) Failed to connect to order port 80 after 3000 ms: Couldn't connect to server" },
      { name: 'the kernel gave up the unanswered SYNs (ETIMEDOUT): exit 28, the same words', error: 'timed out' as CurlError, ms: 127000, want: "curl: (28) Failed to connect to order port 80 after 127000 ms: Couldn't connect to server" },
    ],
    (tc) => expect(curlMessage(tc.error, 'order', 80, tc.ms)).toBe(tc.want),
  )

  table(
    [
      { name: 'curl waits as long as the kernel: a cluster IP from outside goes nowhere, 127 s of unanswered SYNs', url: () => `http://${withClient().service('snackbar', 'order').spec?.clusterIP}/`, want: 127000 },
      { name: 'a port nothing listens on at a live node is reset at once: no wait', url: () => 'http://172.18.0.3:30999/', want: 0 },
    ],
    (tc) => {
      const r = curl(withClient(), { external: CLIENT }, tc.url())
      expect(r.ok ? 'an answer' : r.elapsedMs, resultText(r)).toBe(tc.want)
    },
  )

  const scenes: Record<Scene, () => Cluster> = {
    client: withClient,
    'control-plane-down': once(() => {
      const c = snackbar([clientPodYAML('curl', 'default', 'kind-worker')])
      c.nodeDown('kind-control-plane')
      return c
    }),
    'health-check': oneOrderPod,
    'stale-endpoints': once(() => snackbar([clientPodYAML('curl', 'default'), STALE_ENDPOINTS_YAML])),
  }
  table(CONNECT_ROWS, (tc) => {
    const c = scenes[tc.scene]()
    const url = tc.url(c)
    const r = curl(c, tc.from, url)
    expect(r, `curl ${url} from ${JSON.stringify(tc.from)}: ${tc.why}\n${resultText(r)}`).toMatchObject(tc.want(c))
  })
  table(CURL_OUTPUT_ROWS, (tc) => {
    const c = scenes[tc.scene]()
    const url = tc.url(c)
    expect(c.curl(tc.from, url), `curl ${url} from ${JSON.stringify(tc.from)}, as the terminal shows it`).toEqual(tc.want(c))
  })

  test('a stopped node answers no ARP: curl gives up after 3 s with exit 7', () => {
    const c = snackbar()
    c.nodeDown('kind-worker2')
    const r = curl(c, { external: CLIENT }, 'http://172.18.0.4:30080/')
    expect(r.ok ? 'an answer' : `${r.curlExit} after ${r.elapsedMs} ms: ${r.message}`, resultText(r)).toBe("7 after 3000 ms: curl: (7) Failed to connect to 172.18.0.4 port 30080 after 3000 ms: Couldn't connect to server")
  })
})

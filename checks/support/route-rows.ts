// Kata 09: more rows for the deep tasks curl and data-plane, each against the kind cluster
// with the snackbar project: kube-proxy capturing a LoadBalancer IP from inside (its KUBE-FW
// chain, the ports it has rules for), the comment of the iptables rule that decided, the
// answer of kube-proxy's health-check server; curl's URLs, agnhost's handlers, whole
// connections and what the terminal shows; and the questions the route asks the data
// plane (Services by cluster IP, host-network pods, CoreDNS and the resolvers outside).
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/healthcheck/service_health.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/test/images/agnhost/netexec/netexec.go
import type { Cluster } from '@impl/cluster/cluster.ts'
import type { Step } from '@impl/cluster/route.ts'
import type { Verdict } from '../../lib/net/iptables.ts'
import { deploymentYAML, serviceYAML } from './cluster.ts'

// ---------------------------------------------------------------------------
// captureLoadBalancerIP: a pod dials a LoadBalancer Service's ingress IP.

/** order-lb: a LoadBalancer Service with 53/UDP and 80/TCP, open only to the pods of kind-worker (10.244.1.0/24). */
export const CAPTURE_LB_YAML = serviceYAML('order-lb', { app: 'order', spec: '  type: LoadBalancer\n  loadBalancerSourceRanges: [10.244.1.0/24]\n' }).replace(
  '  - port: 80\n',
  '  - name: dns\n    port: 53\n    protocol: UDP\n    targetPort: 8080\n  - name: http\n    port: 80\n',
)
export const CAPTURE_LB_IP = '172.18.255.200'

export interface CaptureRow {
  name: string
  /** The client pod (`namespace/name`): default/near runs on kind-worker, default/far on kind-worker2. */
  from: string
  port: number
  want: (c: Cluster) => Step
  /** What real kube-proxy does, for the message. */
  why: string
}

const nodePortOf = (c: Cluster, port: number) => c.service('snackbar', 'order-lb').spec!.ports!.find((p) => p.port === port)!.nodePort!
const podIPOf = (c: Cluster, ref: string) => c.pod('default', ref.split('/')[1]!).status!.podIP!

export const CAPTURE_ROWS: CaptureRow[] = [
  {
    name: 'a pod inside loadBalancerSourceRanges dialling the load-balancer IP goes to kube-proxy on its own node, as that node’s nodePort, from its own pod IP',
    from: 'default/near',
    port: 80,
    want: (c) => ({ hop: 'kube-proxy', node: 'kind-worker', packet: { sourceIP: podIPOf(c, 'default/near'), destIP: '172.18.0.3', destPort: nodePortOf(c, 80) } }),
    why: 'kube-proxy captures the ingress IP on every node (KUBE-SERVICES -d 172.18.255.200 -j KUBE-FW-…), and -s 10.244.1.0/24 lets this pod on to KUBE-EXT, no SNAT',
  },
  {
    name: 'a pod outside loadBalancerSourceRanges dialling the load-balancer IP is dropped by kube-proxy on its own node: the ranges apply inside the cluster too',
    from: 'default/far',
    port: 80,
    want: () => ({ result: 'timeout' }),
    why: 'KUBE-FW-… lets only sources in loadBalancerSourceRanges through; a packet that falls off its end meets KUBE-PROXY-FIREWALL … -j DROP: curl waits for the SYN timeout',
  },
  {
    name: 'a pod dialling the load-balancer IP on a port the Service declares only for UDP gets no TCP rule: the connection goes nowhere',
    from: 'default/near',
    port: 53,
    want: () => ({ result: 'timeout' }),
    why: 'kube-proxy writes the rules of a port for its protocol alone (-m udp -p udp --dport 53): a TCP SYN to 53 matches nothing',
  },
  {
    name: 'a pod dialling the load-balancer IP on a port the Service does not declare gets no rule: the connection goes nowhere',
    from: 'default/near',
    port: 81,
    want: () => ({ result: 'timeout' }),
    why: 'kube-proxy has rules only for the Service’s ports; a packet to 172.18.255.200:81 matches none, and no host answers the load-balancer IP inside the cluster',
  },
]

// ---------------------------------------------------------------------------
// ruleComment: the comment of the last iptables rule that matched, as iptables-save prints it.

export interface RuleCommentRow {
  name: string
  verdict: Verdict
  want: string | undefined
}

const SVC = '-A KUBE-SERVICES -m comment --comment "snackbar/order cluster IP" -m tcp -p tcp -d 10.96.130.216 --dport 80 -j KUBE-SVC-2ZML55Q4IA6A5IAA'
const SVC_SEP = '-A KUBE-SVC-2ZML55Q4IA6A5IAA -m comment --comment "snackbar/order -> 10.244.2.2:8080" -j KUBE-SEP-U7TVV7UJRXWTDXSL'
const SEP_DNAT = '-A KUBE-SEP-U7TVV7UJRXWTDXSL -m comment --comment snackbar/order -m tcp -p tcp -j DNAT --to-destination 10.244.2.2:8080'
const NODEPORTS = '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS'

export const RULE_COMMENT_ROWS: RuleCommentRow[] = [
  {
    name: 'ruleComment reads a quoted comment whole: iptables-save quotes a comment with spaces',
    verdict: { output: 'REJECT', masq: false, matched: ['-A KUBE-SERVICES -m comment --comment "snackbar/kitchen has no endpoints" -m tcp -p tcp -d 10.96.72.55 --dport 80 -j REJECT'] },
    want: 'snackbar/kitchen has no endpoints',
  },
  {
    name: 'ruleComment reads an unquoted comment of the last rule that matched, the KUBE-SEP chain’s DNAT',
    verdict: { output: '10.244.2.2:8080', masq: false, matched: [SVC, SVC_SEP, SEP_DNAT] },
    want: 'snackbar/order',
  },
  {
    name: 'ruleComment reads the last rule of a longer walk, not an earlier one',
    verdict: {
      output: 'DROP',
      masq: false,
      matched: [
        NODEPORTS,
        '-A KUBE-NODEPORTS -m comment --comment snackbar/order-local -m tcp -p tcp --dport 31871 -j KUBE-EXT-LQL5XVL3SAOHQYDX',
        '-A KUBE-EXTERNAL-SERVICES -m comment --comment "snackbar/order-local has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 31871 -j DROP',
      ],
    },
    want: 'snackbar/order-local has no local endpoints',
  },
  {
    name: 'ruleComment gives no comment when the last rule that matched has none (KUBE-EXT’s jump to KUBE-SVC)',
    verdict: {
      output: '',
      masq: true,
      matched: [
        NODEPORTS,
        '-A KUBE-EXT-7PUCJHH2MMX63JIW -m comment --comment "masquerade traffic for snackbar/order-np external destinations" -j KUBE-MARK-MASQ',
        '-A KUBE-EXT-7PUCJHH2MMX63JIW -j KUBE-SVC-7PUCJHH2MMX63JIW',
      ],
    },
    want: undefined,
  },
  { name: 'ruleComment gives no comment when no rule matched', verdict: { output: '', masq: false, matched: [] }, want: undefined },
]

// ---------------------------------------------------------------------------
// healthCheckAnswer: kube-proxy's health-check server on a healthCheckNodePort.

/** kube-proxy's JSON body for order-lb (service_health.go, `ServeHTTP`). */
export const healthCheckBody = (localEndpoints: number): string =>
  ['{', '\t"service": {', '\t\t"namespace": "snackbar",', '\t\t"name": "order-lb"', '\t},', `\t"localEndpoints": ${localEndpoints},`, '\t"serviceProxyHealthy": true', '}'].join('\n')

export interface HealthCheckRow {
  name: string
  /** Whether the node asked runs the one order pod. */
  home: boolean
  status: 200 | 503
  localEndpoints: number
}

export const HEALTH_CHECK_ROWS: HealthCheckRow[] = [
  { name: 'kube-proxy’s health check answers 200 with its JSON body on the node with the local order pod: localEndpoints 1', home: true, status: 200, localEndpoints: 1 },
  { name: 'kube-proxy’s health check answers 503 with its JSON body on a node without a local order pod: localEndpoints 0', home: false, status: 503, localEndpoints: 0 },
]

// ---------------------------------------------------------------------------
// curl: the URL it reads, what agnhost netexec answers, and whole connections.

export interface URLRow {
  name: string
  url: string
  want: { scheme: 'http' | 'https'; host: string; port: number; path: string; query: string }
}

export const URL_ROWS: URLRow[] = [
  { name: 'parseURL reads a bare host/path as http on port 80, as curl guesses the scheme', url: 'order.snackbar/hostname', want: { scheme: 'http', host: 'order.snackbar', port: 80, path: '/hostname', query: '' } },
  { name: 'parseURL reads an IPv6 address in brackets and its port', url: 'http://[fd00:10:96::1]:8080/clientip', want: { scheme: 'http', host: 'fd00:10:96::1', port: 8080, path: '/clientip', query: '' } },
  { name: 'parseURL drops a #fragment: curl never sends it to the server', url: 'http://order.snackbar/hostname#top', want: { scheme: 'http', host: 'order.snackbar', port: 80, path: '/hostname', query: '' } },
  { name: 'parseURL takes the lowest port, 1', url: 'http://172.18.0.3:1/', want: { scheme: 'http', host: '172.18.0.3', port: 1, path: '/', query: '' } },
  { name: 'parseURL takes the highest port, 65535', url: 'http://172.18.0.3:65535/', want: { scheme: 'http', host: '172.18.0.3', port: 65535, path: '/', query: '' } },
]

export interface URLRejectRow {
  name: string
  url: string
  /** curl's line on stderr, exit 3. */
  want: string
}

export const URL_REJECT_ROWS: URLRejectRow[] = [
  { name: 'parseURL rejects a URL without a host, as curl does with exit 3', url: '/hostname', want: 'curl: (3) URL rejected: Malformed input to a URL function' },
  { name: 'parseURL rejects port 65536, as curl does with exit 3', url: 'http://172.18.0.3:65536/', want: 'curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535' },
]

export interface EchoRow {
  name: string
  path: string
  query?: string
  want: { status: number; body: string }
}

/** More of agnhost netexec's handlers (netexec.go registers /hostName beside /hostname). */
export const ECHO_ROWS: EchoRow[] = [
  { name: 'the echo server answers /hostName too, with the pod’s hostname', path: '/hostName', want: { status: 200, body: 'order-abc' } },
  { name: 'the echo server answers /healthz with an empty 200', path: '/healthz', want: { status: 200, body: '' } },
  { name: 'the echo server answers /echo without msg with an empty body', path: '/echo', want: { status: 200, body: '' } },
]

/** The clusters the connection rows run on. */
export type Scene = 'client' | 'control-plane-down' | 'health-check' | 'stale-endpoints'

/** A selector-less Service whose hand-written Endpoints name 10.244.2.250, an address no pod holds. */
export const STALE_ENDPOINTS_YAML = `apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: snackbar}
spec:
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy, namespace: snackbar}
subsets:
- addresses: [{ip: 10.244.2.250}]
  ports: [{port: 8080}]
`

export interface ConnectRow {
  name: string
  scene: Scene
  from: { pod: string } | { node: string } | { external: string }
  url: (c: Cluster) => string
  /** What curl got: where it landed and the HTTP answer, or its error and wait. */
  want: (c: Cluster) => Record<string, unknown>
  /** What real Kubernetes does, for the message. */
  why: string
}

const apiserverForbidden = (path: string) =>
  `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \\"system:anonymous\\" cannot get path \\"${path}\\"","reason":"Forbidden","details":{},"code":403}`

export const CONNECT_ROWS: ConnectRow[] = [
  {
    name: 'curl http://kubernetes.default:443/ from a pod reaches the API server, which answers plain HTTP with 400',
    scene: 'client',
    from: { pod: 'default/curl' },
    url: () => 'http://kubernetes.default:443/',
    want: () => ({ ok: true, server: 'kube-apiserver', endpoint: '172.18.0.2:6443', status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' }),
    why: 'the API server speaks only TLS on 6443; Go’s HTTPS server answers a plain request with 400 and this line',
  },
  {
    name: 'curl https://kubernetes.default/api from a pod without credentials gets 403 Forbidden for system:anonymous',
    scene: 'client',
    from: { pod: 'default/curl' },
    url: () => 'https://kubernetes.default/api',
    want: () => ({ ok: true, server: 'kube-apiserver', endpoint: '172.18.0.2:6443', status: 403, body: apiserverForbidden('/api') }),
    why: 'an anonymous request is authenticated as system:anonymous, and kubeadm’s RBAC lets it read only /healthz, /livez, /readyz and /version',
  },
  {
    name: 'port 6443 of a worker is refused: only the control plane runs the API server',
    scene: 'client',
    from: { external: '203.0.113.7' },
    url: () => 'http://172.18.0.3:6443/',
    want: () => ({ ok: false, error: 'connection refused', curlExit: 7, elapsedMs: 0 }),
    why: 'no kube-proxy rule for 172.18.0.3:6443, and nothing listens there on kind-worker: its kernel answers with a reset',
  },
  {
    name: 'a port of the control plane other than 6443 is refused: the API server listens on 6443 alone',
    scene: 'client',
    from: { external: '203.0.113.7' },
    url: () => 'http://172.18.0.2:8080/',
    want: () => ({ ok: false, error: 'connection refused', curlExit: 7, elapsedMs: 0 }),
    why: 'no kube-proxy rule for 172.18.0.2:8080, and nothing listens there: a reset',
  },
  {
    name: 'a pod IP that no pod holds (a deleted pod’s) times out: the node has no veth for it and nothing answers',
    scene: 'client',
    from: { pod: 'default/curl' },
    url: () => 'http://10.244.2.250:8080/',
    want: () => ({ ok: false, error: 'timed out', curlExit: 28, elapsedMs: 127000 }),
    why: 'kindnet routes 10.244.2.0/24 to kind-worker2, where no ptp route leads to 10.244.2.250: the SYNs go unanswered for 127 s',
  },
  {
    name: 'a Service whose Endpoints name an address no pod holds times out: kube-proxy DNATs to it and nothing answers',
    scene: 'stale-endpoints',
    from: { pod: 'default/curl' },
    url: (c) => `http://${c.service('snackbar', 'legacy').spec!.clusterIP}/`,
    want: () => ({ ok: false, error: 'timed out', curlExit: 28, elapsedMs: 127000 }),
    why: 'the EndpointSlice mirrored from the Endpoints is ready, so KUBE-SEP DNATs to 10.244.2.250:8080; kind-worker2 has no veth for it, the SYNs go unanswered for 127 s',
  },
  {
    name: 'with the control plane stopped, https://10.96.0.1 from a pod on a worker finds no route to host: its endpoint 172.18.0.2:6443 is on the dead node',
    scene: 'control-plane-down',
    from: { pod: 'default/curl' },
    url: () => 'https://10.96.0.1/',
    want: () => ({ ok: false, error: 'no route to host', curlExit: 7, elapsedMs: 3000 }),
    why: 'kube-proxy on kind-worker still DNATs to 172.18.0.2:6443 (nobody is left to change the kubernetes Endpoints), and nobody answers ARP for the stopped node',
  },
  {
    name: 'curl to a healthCheckNodePort from outside prints kube-proxy’s JSON answer: 200 on the node with the local order pod',
    scene: 'health-check',
    from: { external: '203.0.113.7' },
    url: (c) => `http://${c.node(homeOf(c)).internalIP}:${c.service('snackbar', 'order-lb').spec!.healthCheckNodePort}/`,
    want: (c) => ({ ok: true, server: 'kube-proxy', node: homeOf(c), status: 200, body: healthCheckBody(1) }),
    why: 'kube-proxy’s health-check server answers on the healthCheckNodePort of every node itself, with the count of local ready endpoints',
  },
]

/** The node of the one order pod of the health-check scene. */
const homeOf = (c: Cluster) => c.pods('snackbar').find((p) => p.metadata?.labels?.app === 'order')!.spec!.nodeName!

export interface CurlOutputRow {
  name: string
  scene: Scene
  from: { pod: string } | { node: string } | { external: string }
  url: (c: Cluster) => string
  want: (c: Cluster) => { exitCode: number; stdout: string; stderr: string; elapsedMs: number }
}

/** `curl URL` as the terminal shows it: exit code, stdout, stderr. */
export const CURL_OUTPUT_ROWS: CurlOutputRow[] = [
  {
    name: 'curl prints an HTTP 503 on stdout and exits 0: without -f an HTTP error is still an answer',
    scene: 'health-check',
    from: { external: '203.0.113.7' },
    url: (c) => `http://${c.node(homeOf(c) === 'kind-worker' ? 'kind-worker2' : 'kind-worker').internalIP}:${c.service('snackbar', 'order-lb').spec!.healthCheckNodePort}/`,
    want: () => ({ exitCode: 0, stdout: healthCheckBody(0), stderr: '', elapsedMs: 0 }),
  },
  {
    name: 'curl prints a failure on stderr only, exits 28 and has waited 127 s',
    scene: 'client',
    from: { external: '203.0.113.7' },
    url: () => 'http://10.96.0.10:53/',
    want: () => ({ exitCode: 28, stdout: '', stderr: "curl: (28) Failed to connect to 10.96.0.10 port 53 after 127000 ms: Couldn't connect to server", elapsedMs: 127000 }),
  },
]

// ---------------------------------------------------------------------------
// The data plane: the questions the route asks of the cluster, asked directly.

/** The world's DNS for the data-plane rows: an A record, an IPv6-only name and a CNAME loop. */
export const DATAPLANE_UPSTREAM = [
  'example.com. 300 IN A 93.184.215.14',
  'www.example.com. 300 IN A 93.184.215.14',
  'v6.example.com. 300 IN AAAA 2001:db8::1',
  'loop-a.example.com. 300 IN CNAME loop-b.example.com.',
  'loop-b.example.com. 300 IN CNAME loop-a.example.com.',
]

/** default/ext asks the node's resolver (dnsPolicy Default); default/own asks 8.8.8.8 with its own search list (dnsPolicy None). */
export const DNS_CLIENTS_YAML = [
  'apiVersion: v1\nkind: Pod\nmetadata: {name: ext, namespace: default}\nspec:\n  dnsPolicy: Default\n  containers: [{name: c, image: busybox}]\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: own, namespace: default}\nspec:\n  dnsPolicy: None\n  dnsConfig: {nameservers: [8.8.8.8], searches: [corp.example, example.com]}\n  containers: [{name: c, image: busybox}]\n',
].join('---\n')

/** One agnhost pod menu on the host network, listening on 9000. */
export const MENU_HOST_NETWORK_YAML = deploymentYAML('menu', { replicas: 1, port: 9000 }).replace('      containers:', '      hostNetwork: true\n      containers:')

export interface DataPlaneRow {
  name: string
  /** The question, asked of the cluster (snackbar, default/curl, default/ext, default/own, and one hostNetwork menu pod on port 9000). */
  got: (c: Cluster) => unknown
  want: (c: Cluster) => unknown
  /** What real Kubernetes (kube-proxy, kubelet, CoreDNS, the resolvers) does, for the message. */
  why: string
}

const nodeOfApp = (c: Cluster, app: string) => c.pods('snackbar').find((p) => p.metadata?.labels?.app === app)!.spec!.nodeName!
const otherWorker = (node: string) => (node === 'kind-worker' ? 'kind-worker2' : 'kind-worker')
const nameOf = (o: { metadata?: { name?: string } } | undefined) => o?.metadata?.name

export const DATAPLANE_ROWS: DataPlaneRow[] = [
  {
    name: 'serviceByClusterIP finds the Service that holds a cluster IP',
    got: (c) => nameOf(c.serviceByClusterIP(c.service('snackbar', 'order').spec!.clusterIP!)),
    want: () => 'order',
    why: 'the ClusterIP allocator gives each address to one Service: kube-proxy writes KUBE-SERVICES -d <cluster IP> for that Service alone',
  },
  {
    name: 'serviceByClusterIP finds no Service for an address of the service range nobody holds',
    got: (c) => nameOf(c.serviceByClusterIP('10.96.255.254')),
    want: () => undefined,
    why: 'an unallocated address of 10.96.0.0/16 belongs to no Service: no rule, nothing owns it',
  },
  {
    name: 'a hostNetwork pod listening on 9000 answers at its own node’s address',
    got: (c) => nameOf(c.hostNetworkPod(nodeOfApp(c, 'menu'), 9000))?.startsWith('menu-'),
    want: () => true,
    why: 'a hostNetwork pod shares its node’s network namespace: <node IP>:9000 is its socket',
  },
  {
    name: 'a hostNetwork pod is not at another node’s address: only its own node shares its ports',
    got: (c) => nameOf(c.hostNetworkPod(otherWorker(nodeOfApp(c, 'menu')), 9000)),
    want: () => undefined,
    why: 'each kind node is its own container with its own network namespace',
  },
  {
    name: 'an ordinary pod’s containerPort is not open at its node’s address: only hostNetwork pods share the node’s ports',
    got: (c) => nameOf(c.hostNetworkPod(nodeOfApp(c, 'order'), 8080)),
    want: () => undefined,
    why: 'an order pod listens on 8080 in its own network namespace, behind its veth; nothing listens on <node IP>:8080 (no hostPort, no hostNetwork)',
  },
  {
    name: 'nslookup of an absolute cluster name is answered by that very name',
    got: (c) => c.lookup('default', 'curl', 'order.snackbar.svc.cluster.local.', 'A').answeredBy,
    want: () => 'order.snackbar.svc.cluster.local.',
    why: 'a name with the final dot skips the search list: the one name asked is the one CoreDNS answered',
  },
  {
    name: 'nslookup order.snackbar.svc from a default pod is answered by the third name of its search list',
    got: (c) => c.lookup('default', 'curl', 'order.snackbar.svc', 'A').answeredBy,
    want: () => 'order.snackbar.svc.cluster.local.',
    why: 'glibc: 2 dots < ndots 5, so default.svc.cluster.local and svc.cluster.local come first and are NXDOMAIN; cluster.local answers',
  },
  {
    name: 'nslookup of an IPv6 address asks its PTR by nibbles under ip6.arpa',
    got: (c) => c.lookup('default', 'ext', 'fd00::a', 'PTR').tried,
    want: () => [`a.${'0.'.repeat(29)}d.f.ip6.arpa.`],
    why: 'RFC 3596: the 32 hex digits of the address, last first, each a label, under ip6.arpa',
  },
  {
    name: 'nslookup ::1 asks the PTR of all 32 nibbles, the leading zeros too',
    got: (c) => c.lookup('default', 'ext', '::1', 'PTR').tried,
    want: () => [`1.${'0.'.repeat(31)}ip6.arpa.`],
    why: 'RFC 3596: every one of the 32 hex digits is a label, zeros included',
  },
  {
    name: 'a name the world’s DNS does not know is NXDOMAIN through the node’s resolver too',
    got: (c) => c.lookup('default', 'ext', 'nosuch.example.com', 'A').rcode,
    want: () => 'NXDOMAIN',
    why: 'a dnsPolicy Default pod asks Docker’s DNS, which forwards to the world: the name does not exist',
  },
  {
    name: 'a dnsPolicy Default pod asking a cluster name gets no answer, and none from the cluster zone',
    got: (c) => {
      const r = c.lookup('default', 'ext', 'order.snackbar.svc.cluster.local', 'A')
      return { found: r.found, authoritative: r.authoritative }
    },
    want: () => ({ found: false, authoritative: false }),
    why: 'kubelet gives a Default pod the node’s resolv.conf: Docker’s DNS does not serve cluster.local, CoreDNS is never asked',
  },
  {
    name: 'a nameserver other than Docker’s does not know the kind nodes by name',
    got: (c) => c.lookup('default', 'own', 'kind-worker').addresses,
    want: () => [],
    why: 'only Docker’s embedded DNS (172.18.0.1, the node’s resolver) knows the containers of the kind network; 8.8.8.8 does not',
  },
  {
    name: 'a pod with its own search list walks past an NXDOMAIN of the world’s DNS to the next domain',
    got: (c) => c.lookup('default', 'own', 'www', 'A').answeredBy,
    want: () => 'www.example.com.',
    why: 'www.corp.example does not exist (NXDOMAIN), so the resolver tries www.example.com, which answers',
  },
  {
    name: 'a name with only an AAAA record is NODATA for A: NOERROR, no answer, and the walk ends there',
    got: (c) => {
      const r = c.lookup('default', 'own', 'v6', 'A')
      return { rcode: r.rcode, answer: r.answer, tried: r.tried }
    },
    want: () => ({ rcode: 'NOERROR', answer: [], tried: ['v6.corp.example.', 'v6.example.com.'] }),
    why: 'v6.example.com exists with an AAAA record only: the world’s DNS answers NOERROR without records, no CNAME',
  },
  {
    name: 'a CNAME loop in the world’s DNS resolves to no address, and the lookup ends',
    got: (c) => c.lookupOutside('loop-a.example.com').addresses,
    want: () => [],
    why: 'resolvers follow a bounded number of CNAMEs; loop-a → loop-b → loop-a never reaches an address',
  },
  {
    name: 'a node resolves an absolute name of the world outside, with its final dot',
    got: (c) => c.lookupOutside('example.com.').addresses,
    want: () => ['93.184.215.14'],
    why: 'example.com. is the same name as example.com: the final dot only says not to search',
  },
]

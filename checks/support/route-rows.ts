// Kata 09: more rows for the route's given helpers and for curl, each against the kind
// cluster with the snackbar project: kube-proxy capturing a LoadBalancer IP from inside
// (its KUBE-FW chain, the ports it has rules for), the comment of the iptables rule that
// decided, and the answer of kube-proxy's health-check server.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/iptables/proxier.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/healthcheck/service_health.go
import type { Cluster } from '@impl/cluster/cluster.ts'
import type { Step } from '@impl/cluster/route.ts'
import type { Verdict } from '../../lib/net/iptables.ts'
import { serviceYAML } from './cluster.ts'

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

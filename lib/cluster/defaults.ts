// The default cluster every kata, lesson and the simulator assume unless told
// otherwise: what `kind create cluster` with two workers gives (kubeadm's defaults as kind sets them),
// so that the model's answers match what a learner sees on a real kind cluster.

export interface NodeInfo {
  name: string
  /** The node's InternalIP. */
  internalIP: string
  /** Control-plane nodes carry the NoSchedule taint, so ordinary pods avoid them. */
  controlPlane: boolean
}

export const DEFAULT_NODES: readonly NodeInfo[] = [
  { name: 'kind-control-plane', internalIP: '172.18.0.2', controlPlane: true },
  { name: 'kind-worker', internalIP: '172.18.0.3', controlPlane: false },
  { name: 'kind-worker2', internalIP: '172.18.0.4', controlPlane: false },
]

/** `--cluster-cidr`: each node gets a /24 of it (`--node-cidr-mask-size`). */
export const CLUSTER_CIDR = '10.244.0.0/16'
export const NODE_CIDR_MASK_SIZE = 24

/**
 * `--service-cluster-ip-range`: kind narrows kubeadm's `10.96.0.0/12` to a /16
 * (`SetDefaultsCluster`: "we allocate a /16 subnet that allows 65535 services").
 * @see https://github.com/kubernetes-sigs/kind/blob/v0.30.0/pkg/internal/apis/config/default.go
 */
export const SERVICE_CIDR = '10.96.0.0/16'
/** `--service-node-port-range`. */
export const NODE_PORT_RANGE = { base: 30000, size: 2768 } as const
/** The pool a kind cluster's load-balancer implementation hands out from. */
export const LOAD_BALANCER_POOL = { first: '172.18.255.200', last: '172.18.255.250' } as const

export const CLUSTER_DOMAIN = 'cluster.local'

/**
 * Every kind node's `/etc/resolv.conf`: Docker writes `nameserver 127.0.0.11` (its
 * embedded DNS) and `options ndots:0` into a container on a user-defined network, and
 * kind's entrypoint swaps 127.0.0.11 for the address the node reaches the Docker host
 * by — the kind network's gateway. The kubelet hands it to pods that use the node's DNS
 * (`dnsPolicy: Default`, and ClusterFirst on the host network). The host's own search
 * domains, if any, would follow; the model's laptop has none.
 * @see https://github.com/kubernetes-sigs/kind/blob/v0.30.0/images/base/files/usr/local/bin/entrypoint
 */
export const NODE_RESOLV_CONF: { readonly servers: readonly string[]; readonly searches: readonly string[]; readonly options: readonly string[] } = { servers: ['172.18.0.1'], searches: [], options: ['ndots:0'] }
export const CLUSTER_DNS_IP = '10.96.0.10'

/** The API server's own Service, in `default`: first IP of the service CIDR. */
export const KUBERNETES_SERVICE = {
  namespace: 'default',
  name: 'kubernetes',
  clusterIP: '10.96.0.1',
  port: { name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' },
} as const

/** The kubelet flag `--master-service-namespace` (default `default`). */
export const MASTER_SERVICE_NAMESPACE = 'default'

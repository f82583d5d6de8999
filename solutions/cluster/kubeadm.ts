// What `kind create cluster` leaves behind — kubeadm init on the control plane, then
// kubeadm join on each worker: the system namespaces, the control-plane node, the
// `kubernetes` Service and the API server's own Endpoints, the CoreDNS addon (a
// Deployment and the `kube-system/kube-dns` Service at 10.96.0.10), then the workers.
//
// Read it to see where `kubernetes.default` and `10.96.0.10` come from.
import { KUBERNETES_SERVICE, type NodeInfo } from '../../lib/cluster/defaults.ts'
import type { KubeObject } from '../api/manifests.ts'
import { applyManifest, batch, createNamespace, SYSTEM_NAMESPACES } from './apiserver.ts'
import { writeAPIServerEndpoints } from './controllers.ts'
import { addNode, CONTROL_PLANE_TAINT } from './nodelifecycle.ts'
import { ClusterError, type ApplyResult, type ClusterState } from './storage.ts'

/** The CoreDNS image kubeadm v1.34 deploys. */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1'

/**
 * Bootstraps a new cluster on `nodes`: the system namespaces; the first control-plane
 * node (or the first node); the `kubernetes` Service (10.96.0.1:443, the first IP of the
 * service range) and its Endpoints → the API server on :6443; CoreDNS — two pods, on the
 * control plane because it is the only node yet and they tolerate its taint — behind
 * `kube-system/kube-dns` (10.96.0.10); then the other nodes join, in order.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/cmd/kubeadm/app/phases/addons/dns/dns.go
 * @throws {ClusterError} for no nodes, or an object the API server refuses
 */
export function bootstrap(s: ClusterState, nodes: readonly NodeInfo[]): void {
  if (nodes.length === 0) throw new ClusterError('a cluster needs at least one node')
  for (const ns of SYSTEM_NAMESPACES) createNamespace(s, ns)
  const cp = nodes.find((n) => n.controlPlane) ?? nodes[0]!
  addNode(s, cp)
  mustApply(s, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBERNETES_SERVICE.name, namespace: KUBERNETES_SERVICE.namespace, labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { ports: [{ ...KUBERNETES_SERVICE.port }] },
  })
  writeAPIServerEndpoints(s, cp)
  mustApply(s, corednsDeployment())
  mustApply(s, kubeDNSService(s.clusterDNSIP))
  for (const n of nodes) if (n !== cp) addNode(s, n)
}

/** One object through the API server, as `kubectl apply` would send it; refused → the cluster cannot start. */
function mustApply(s: ClusterState, object: KubeObject): void {
  let r: ApplyResult | undefined
  batch(s, () => {
    // Stryker disable next-line StringLiteral: the file shows only in a NotFound or "error when creating" text, which no bootstrap object meets (its namespace exists; an Invalid text names no file)
    r = applyManifest(s, { object, file: '<bootstrap>', line: 1 })
  })
  if (!r!.ok) throw new ClusterError(r!.error)
}

/** kubeadm's CoreDNS Deployment, as data. */
export function corednsDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: CONTROL_PLANE_TAINT, effect: 'NoSchedule' },
          ],
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
            },
          ],
          dnsPolicy: 'Default',
        },
      },
    },
  }
}

/** kubeadm's `kube-system/kube-dns` Service, as data. */
export function kubeDNSService(clusterIP: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      clusterIP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  }
}

// Builders and messages for kata 08's checks: the kind cluster's nodes as kubeadm
// labels them, LoadBalancer Services as the API server stores them (defaulted, with
// nodePorts), and events written the way `kubectl describe svc` lists them.
import type { Node, Service, ServicePort, Taint } from 'kubernetes-types/core/v1'
import { DEFAULT_NODES } from '../../lib/cluster/defaults.ts'

export const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers'
export const FINALIZER = 'service.kubernetes.io/load-balancer-cleanup'

export interface NodeOptions {
  labels?: Record<string, string>
  taints?: Taint[]
  /** The Ready condition: true, false, or 'Unknown' (the node stopped reporting). */
  ready?: boolean | 'Unknown'
  deleting?: boolean
  providerID?: string
  internalIP?: string
}

/** A node of the course's cluster; Ready unless told otherwise. */
export function node(name: string, o: NodeOptions = {}): Node {
  const ready = o.ready ?? true
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(o.labels ?? {}) },
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T01:00:00Z' } : {}),
    },
    spec: {
      ...(o.taints ? { taints: o.taints } : {}),
      ...(o.providerID !== undefined ? { providerID: o.providerID } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: o.internalIP ?? '172.18.0.9' },
        { type: 'Hostname', address: name },
      ],
      conditions: [{ type: 'Ready', status: ready === 'Unknown' ? 'Unknown' : ready ? 'True' : 'False' }],
    },
  }
}

/**
 * The default kind cluster's three nodes. kubeadm marks the control-plane node with
 * `node-role.kubernetes.io/control-plane: ""`, the NoSchedule taint and
 * `node.kubernetes.io/exclude-from-external-load-balancers: ""`.
 */
export function kindNodes(): Node[] {
  return DEFAULT_NODES.map((n) =>
    n.controlPlane
      ? node(n.name, {
          internalIP: n.internalIP,
          labels: { 'node-role.kubernetes.io/control-plane': '', [EXCLUDE_LABEL]: '' },
          taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        })
      : node(n.name, { internalIP: n.internalIP }),
  )
}

export interface LBServiceOptions {
  name: string
  namespace?: string
  uid?: string
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
  ports?: ServicePort[]
  loadBalancerClass?: string
  externalTrafficPolicy?: 'Cluster' | 'Local'
  healthCheckNodePort?: number
  /** `false`: no nodePorts, as the API server leaves them with allocateLoadBalancerNodePorts: false. */
  allocateLoadBalancerNodePorts?: boolean
  loadBalancerSourceRanges?: string[]
  annotations?: Record<string, string>
  externalIPs?: string[]
  finalizers?: string[]
  deleting?: boolean
}

/**
 * A Service as the API server stores it: type LoadBalancer unless told, cluster IP,
 * one TCP port 80 with nodePort 30080 (none with allocateLoadBalancerNodePorts: false),
 * externalTrafficPolicy Cluster.
 */
export function lbService(o: LBServiceOptions): Service {
  const type = o.type ?? 'LoadBalancer'
  const withNodePorts = (type === 'LoadBalancer' || type === 'NodePort') && o.allocateLoadBalancerNodePorts !== false
  const ports = (o.ports ?? [{ name: 'http', port: 80 }]).map((p, i) => ({
    protocol: 'TCP',
    targetPort: p.port,
    ...(withNodePorts ? { nodePort: 30080 + i } : {}),
    ...p,
  }))
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: o.name,
      namespace: o.namespace ?? 'snackbar',
      uid: o.uid ?? `uid-svc-${o.name}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.finalizers ? { finalizers: o.finalizers } : {}),
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T01:00:00Z' } : {}),
    },
    spec: {
      type,
      selector: { app: o.name },
      ports,
      clusterIP: '10.96.0.100',
      clusterIPs: ['10.96.0.100'],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ...(type === 'LoadBalancer' || type === 'NodePort' ? { externalTrafficPolicy: o.externalTrafficPolicy ?? 'Cluster' } : {}),
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: o.allocateLoadBalancerNodePorts ?? true } : {}),
      ...(o.loadBalancerClass !== undefined ? { loadBalancerClass: o.loadBalancerClass } : {}),
      ...(o.healthCheckNodePort !== undefined ? { healthCheckNodePort: o.healthCheckNodePort } : {}),
      ...(o.loadBalancerSourceRanges ? { loadBalancerSourceRanges: o.loadBalancerSourceRanges } : {}),
      ...(o.externalIPs ? { externalIPs: o.externalIPs } : {}),
    },
  }
}

/** `snackbar/order`. */
export const ref = (s: Pick<Service, 'metadata'> | undefined) => `${s?.metadata?.namespace}/${s?.metadata?.name}`

/** `Normal EnsuringLoadBalancer: Ensuring load balancer`, as `kubectl describe svc` shows an event. */
export function eventLine(e: { type: string; reason: string; message: string }): string {
  return `${e.type} ${e.reason}: ${e.message}`
}

/** The ingress IPs and hostnames of a Service's status, `[]` when there are none. */
export function ingressOf(s: Service | undefined): string[] {
  return (s?.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '?')
}

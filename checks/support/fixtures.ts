// Builders for the API objects checks feed the model. Defaults describe a
// healthy pod of the course's `snackbar` namespace; a case sets only what it is about.
import type { Pod, Service, ServicePort, ContainerPort } from 'kubernetes-types/core/v1'

export interface PodOptions {
  name: string
  namespace?: string
  labels?: Record<string, string>
  /** `status.podIP` (and `podIPs`); `null` for a pod that has no IP yet. */
  ip?: string | null
  /** The Ready condition; `undefined` leaves the condition out entirely. */
  ready?: boolean | undefined
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'
  node?: string
  uid?: string
  deleting?: boolean
  hostname?: string
  subdomain?: string
  containerPorts?: ContainerPort[]
  creationTimestamp?: string
  restarts?: number
}

export function pod(o: PodOptions): Pod {
  const ip = o.ip === undefined ? '10.244.1.2' : o.ip
  const ns = o.namespace ?? 'snackbar'
  const ready = 'ready' in o ? o.ready : true
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: ns,
      uid: o.uid ?? `uid-${ns}-${o.name}`,
      labels: o.labels ?? {},
      creationTimestamp: o.creationTimestamp ?? '2026-01-01T00:00:00Z',
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T01:00:00Z' } : {}),
    },
    spec: {
      nodeName: o.node ?? 'kind-worker',
      ...(o.hostname !== undefined ? { hostname: o.hostname } : {}),
      ...(o.subdomain !== undefined ? { subdomain: o.subdomain } : {}),
      containers: [{ name: 'app', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', ports: o.containerPorts ?? [] }],
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(ip !== null ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: ready === undefined ? [] : [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        { name: 'app', image: 'agnhost', imageID: '', ready: !!ready, restartCount: o.restarts ?? 0 },
      ],
    },
  }
}

export interface ServiceOptions {
  name: string
  namespace?: string
  selector?: Record<string, string> | null
  ports?: ServicePort[]
  clusterIP?: string
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
  publishNotReadyAddresses?: boolean
  labels?: Record<string, string>
  externalName?: string
}

/** A Service as stored by the API server: defaulted, with its cluster IP. */
export function service(o: ServiceOptions): Service {
  const type = o.type ?? 'ClusterIP'
  const clusterIP = o.clusterIP ?? (type === 'ExternalName' ? undefined : '10.96.0.100')
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: o.name,
      namespace: o.namespace ?? 'snackbar',
      uid: `uid-svc-${o.name}`,
      ...(o.labels ? { labels: o.labels } : {}),
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      type,
      ...(o.selector === null ? {} : { selector: o.selector ?? { app: o.name } }),
      ports: (o.ports ?? [{ port: 80 }]).map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p })),
      ...(clusterIP !== undefined ? { clusterIP, clusterIPs: [clusterIP] } : {}),
      ...(o.externalName !== undefined ? { externalName: o.externalName } : {}),
      ...(o.publishNotReadyAddresses !== undefined ? { publishNotReadyAddresses: o.publishNotReadyAddresses } : {}),
      sessionAffinity: 'None',
      ...(type === 'ExternalName' ? {} : { internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }),
    },
  }
}

// Kata 09, task service-storage: the registry's Service storage
// (pkg/registry/core/service/storage/storage.go) — what an update keeps, allocates and
// gives back when a Service changes type (ExternalName ↔ ClusterIP, NodePort → ClusterIP,
// LoadBalancer → ClusterIP), what a refused update leaves allocated, normalizeClusterIPs and
// patchAllocatedValues on their own, and the indexes the data plane and the controllers
// look Services up by (an informer's indexer: an object's keys in, the same keys out).
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/storage.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/registry/core/service/storage/alloc.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/client-go/tools/cache/thread_safe_store.go
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1'
import { expect } from 'vitest'
import { Cluster } from '@impl/cluster/cluster.ts'
import { indexService, normalizeClusterIPs, patchAllocatedValues, revertNodePorts, unindexService } from '@impl/cluster/servicestorage.ts'
import type { ClusterState } from '@impl/cluster/storage.ts'
import { PortAllocator } from '@impl/registry/portallocator.ts'
import { type StoryRow } from './story.ts'

const svc = (spec: ServiceSpec, name = 'menu', namespace = 'snackbar'): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec })

/** kubectl's answer to one object: `service/menu created`, or the API server's error. */
function apply(c: Cluster, spec: ServiceSpec, name = 'menu', namespace = 'default'): string {
  const r = c.applyObject(structuredClone(svc(spec, name, namespace)) as never)
  return r.ok ? r.text : r.error
}

const MENU: ServiceSpec = { selector: { app: 'menu' }, ports: [{ port: 80, targetPort: 8080 }] }
const EXTERNAL: ServiceSpec = { type: 'ExternalName', externalName: 'db.example.com' }
/** Two ports without names: validation refuses it after allocation (spec.ports[1].name: Required value). */
const TWO_UNNAMED: ServiceSpec['ports'] = [
  { port: 80, targetPort: 8080 },
  { port: 81, targetPort: 8080 },
]

const ipsOf = (s: Service | undefined) => ({ clusterIP: s?.spec?.clusterIP, clusterIPs: s?.spec?.clusterIPs, ipFamilies: s?.spec?.ipFamilies, ipFamilyPolicy: s?.spec?.ipFamilyPolicy })
const owner = (s: Service | undefined) => (s ? `${s.metadata?.namespace}/${s.metadata?.name}` : 'nobody')

// ---------------------------------------------------------------------------
// Type changes and refused updates, through the API server

export const TYPE_CHANGE_ROWS: StoryRow[] = [
  {
    name: 'a refused update names the Service’s namespace in its result, as kubectl prints the object it could not apply',
    run: () => {
      const c = new Cluster()
      expect(c.applyObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'snackbar' } }).ok).toBe(true)
      expect(c.applyObject(structuredClone(svc({ ...MENU, clusterIP: '10.96.0.50' })) as never).ok).toBe(true)
      const r = c.applyObject(structuredClone(svc({ ...MENU, clusterIP: '10.96.0.51' })) as never)
      expect(r.ok ? 'accepted' : { kind: r.kind, namespace: r.namespace, name: r.name }, 'kubectl apply of snackbar/menu with another clusterIP: ValidateServiceUpdate refuses it (spec.clusterIPs[0]: may not change once set)').toEqual({ kind: 'Service', namespace: 'snackbar', name: 'menu' })
    },
  },
  {
    name: 'kubectl delete svc of a LoadBalancer Service tells the service controller, which has the cloud delete its load balancer and frees the address',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'LoadBalancer' })).toBe('service/menu created')
      const ip = c.service('default', 'menu').status?.loadBalancer?.ingress?.[0]?.ip
      expect(c.cloud?.balancers().map((b) => b.ip), 'the cloud holds the load balancer the service controller ensured for default/menu').toEqual([ip])
      c.delete('svc', 'default', 'menu')
      expect(c.cloud?.balancers(), 'after kubectl delete svc menu: the service controller sees the deletion (by namespace and name) and calls EnsureLoadBalancerDeleted').toEqual([])
      expect(apply(c, { ...MENU, type: 'LoadBalancer' }, 'order'), 'a new LoadBalancer Service').toBe('service/order created')
      expect(c.service('default', 'order').status?.loadBalancer?.ingress?.[0]?.ip, 'the cloud hands out the freed address again, the lowest of its pool').toBe(ip)
    },
  },
  {
    name: 'a ClusterIP Service turned ExternalName drops its cluster IP fields and gives the address back: another Service may ask for it',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' })).toBe('service/menu created')
      expect(apply(c, EXTERNAL), 'kubectl apply of menu as ExternalName (no clusterIP in the manifest)').toBe('service/menu configured')
      expect(ipsOf(c.service('default', 'menu')), 'dropTypeDependentFields: an ExternalName Service has no clusterIP, clusterIPs, ipFamilies or ipFamilyPolicy').toEqual({ clusterIP: undefined, clusterIPs: undefined, ipFamilies: undefined, ipFamilyPolicy: undefined })
      expect(owner(c.serviceByClusterIP('10.96.0.50')), 'kube-proxy no longer finds a Service at 10.96.0.50').toBe('nobody')
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' }, 'order'), 'the registry released 10.96.0.50 when the update committed').toBe('service/order created')
    },
  },
  {
    name: 'a ClusterIP Service turned ExternalName by a manifest that still names its cluster IP fields (as kubectl edit leaves them) drops them and is accepted',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' })).toBe('service/menu created')
      const kept = { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' as const }
      expect(apply(c, { ...EXTERNAL, ...kept }), 'dropTypeDependentFields clears the fields the user left as they were, before ValidateServiceUpdate forbids clusterIPs for ExternalName').toBe('service/menu configured')
      expect(ipsOf(c.service('default', 'menu')), 'the stored ExternalName Service').toEqual({ clusterIP: undefined, clusterIPs: undefined, ipFamilies: undefined, ipFamilyPolicy: undefined })
    },
  },
  {
    name: 'a ClusterIP Service turned ExternalName by a manifest that names another ipFamilyPolicy, other ipFamilies or other cluster IPs is refused: only what is as before is dropped',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' })).toBe('service/menu created')
      const cases: [string, ServiceSpec, string][] = [
        ['ipFamilyPolicy PreferDualStack', { ipFamilyPolicy: 'PreferDualStack' }, 'The Service "menu" is invalid: spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services'],
        ['ipFamilies [IPv6]', { ipFamilies: ['IPv6'] }, 'The Service "menu" is invalid: spec.ipFamilies: Forbidden: may not be set for ExternalName services'],
        ['clusterIP and clusterIPs 10.96.0.51', { clusterIP: '10.96.0.51', clusterIPs: ['10.96.0.51'] }, 'The Service "menu" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
        ['clusterIPs [10.96.0.50, 10.96.0.51] beside the same clusterIP', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50', '10.96.0.51'] }, 'The Service "menu" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
      ]
      for (const [what, extra, want] of cases) {
        expect(apply(c, { ...EXTERNAL, ...extra }), `menu turned ExternalName naming ${what}: dropTypeDependentFields (strategy.go) wipes a field only if the user did not also change it, so ValidateServiceUpdate sees it`).toBe(want)
      }
      expect(ipsOf(c.service('default', 'menu')).clusterIPs, 'menu is still the ClusterIP Service it was').toEqual(['10.96.0.50'])
    },
  },
  {
    name: 'an ExternalName Service turned ClusterIP is given a cluster IP then, as a new Service is',
    run: () => {
      const c = new Cluster()
      expect(apply(c, EXTERNAL)).toBe('service/menu created')
      expect(apply(c, MENU), 'kubectl apply of menu as a ClusterIP Service').toBe('service/menu configured')
      const stored = c.service('default', 'menu')
      const ip = stored.spec?.clusterIP ?? ''
      expect(ip, 'the update allocates from the service range, since the old ExternalName Service had no address').toMatch(/^10\.96\./)
      expect(stored.spec?.clusterIPs, 'clusterIPs follows clusterIP').toEqual([ip])
      expect(owner(c.serviceByClusterIP(ip)), `kube-proxy finds menu at ${ip}`).toBe('default/menu')
    },
  },
  {
    name: 'an ExternalName Service turned ClusterIP with a clusterIP of its own, refused by validation, gives that address back',
    run: () => {
      const c = new Cluster()
      expect(apply(c, EXTERNAL)).toBe('service/menu created')
      expect(apply(c, { selector: { app: 'menu' }, clusterIP: '10.96.0.60', ports: TWO_UNNAMED }), 'two unnamed ports').toMatch(/^The Service "menu" is invalid/)
      expect(c.service('default', 'menu').spec?.type, 'the stored Service is still ExternalName').toBe('ExternalName')
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.60' }, 'order'), 'the update was refused after allocating 10.96.0.60; the registry’s transaction reverts it').toBe('service/order created')
    },
  },
  {
    name: 'an ExternalName Service turned NodePort whose nodePort is taken is refused, and the cluster IP it took goes back',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }, 'order')).toBe('service/order created')
      expect(apply(c, EXTERNAL)).toBe('service/menu created')
      expect(apply(c, { ...MENU, type: 'NodePort', clusterIP: '10.96.0.61', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }), 'nodePort 30080 belongs to order').toMatch(/provided port is already allocated/)
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.61' }, 'payment'), 'the cluster IP allocated before the node ports failed was released').toBe('service/payment created')
    },
  },
  {
    name: 'a new NodePort Service whose nodePort is taken is refused, and the cluster IP it took goes back',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }, 'order')).toBe('service/order created')
      expect(apply(c, { ...MENU, type: 'NodePort', clusterIP: '10.96.0.62', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }), 'nodePort 30080 belongs to order').toMatch(/provided port is already allocated/)
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.62' }, 'payment'), 'BeginCreate allocated 10.96.0.62, then the node ports failed: the IP goes back').toBe('service/payment created')
    },
  },
  {
    name: 'a refused update of a ClusterIP Service keeps its cluster IP allocated: another Service asking for the address is refused',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' })).toBe('service/menu created')
      expect(apply(c, { selector: { app: 'menu' }, ports: TWO_UNNAMED }), 'two unnamed ports').toMatch(/^The Service "menu" is invalid/)
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' }, 'order'), 'menu still holds 10.96.0.50').toMatch(/provided IP is already allocated/)
      expect(owner(c.serviceByClusterIP('10.96.0.50')), 'and kube-proxy still finds menu there').toBe('default/menu')
    },
  },
  {
    name: 'an update keeps the cluster IP allocated, whether accepted or refused for a taken nodePort: another Service asking for the address is refused',
    run: () => {
      const c = new Cluster()
      const np = (nodePort: number, extra: ServiceSpec = {}): ServiceSpec => ({ ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort }], ...extra })
      expect(apply(c, np(30080, { clusterIP: '10.96.0.50' }))).toBe('service/menu created')
      expect(apply(c, np(30081), 'order')).toBe('service/order created')
      expect(apply(c, np(30080, { sessionAffinity: 'ClientIP' })), 'an accepted update').toBe('service/menu configured')
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' }, 'payment'), 'menu still holds 10.96.0.50 after an accepted update').toMatch(/provided IP is already allocated/)
      expect(apply(c, np(30081)), 'an update asking for order’s nodePort').toMatch(/provided port is already allocated/)
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' }, 'payment'), 'menu still holds 10.96.0.50 after an update its node ports failed').toMatch(/provided IP is already allocated/)
    },
  },
  {
    name: 'a ClusterIP Service turned NodePort, refused by validation, gives back the nodePorts it was given and keeps none',
    run: () => {
      const c = new Cluster()
      expect(apply(c, MENU)).toBe('service/menu created')
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30090 }, { port: 81, targetPort: 8080 }] }), 'two unnamed ports').toMatch(/^The Service "menu" is invalid/)
      expect(c.service('default', 'menu').spec?.type, 'the stored Service is still ClusterIP').toBe('ClusterIP')
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30090 }] }, 'order'), '30090 went back when the update was refused').toBe('service/order created')
    },
  },
  {
    name: 'a NodePort Service turned LoadBalancer with externalTrafficPolicy Local, refused by validation, gives back the healthCheckNodePort it was given',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] })).toBe('service/menu created')
      const lb: ServiceSpec = { ...MENU, type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }, { port: 81, targetPort: 8080 }] }
      expect(apply(c, lb), 'two unnamed ports').toMatch(/^The Service "menu" is invalid/)
      expect(c.service('default', 'menu').spec?.healthCheckNodePort, 'the stored NodePort Service has none').toBeUndefined()
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 31000 }] }, 'order'), 'healthCheckNodePort 31000 went back when the update was refused').toBe('service/order created')
    },
  },
  {
    name: 'a Service without a name is refused as the API server words it',
    run: () => {
      const c = new Cluster()
      const r = c.applyObject({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default' }, spec: MENU } as never)
      expect(r.ok ? r.text : r.error, 'ValidateObjectMeta: metadata.name is required').toBe('The Service "" is invalid: metadata.name: Required value: name or generateName is required')
    },
  },
  {
    name: 'a refused update that moved a nodePort puts the ports back: the new one is free again, the old one still menu’s',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] })).toBe('service/menu created')
      const moved: ServiceSpec['ports'] = [
        { name: 'http', port: 80, targetPort: 8080, nodePort: 30090 },
        { name: 'http', port: 81, targetPort: 8080 },
      ]
      expect(apply(c, { ...MENU, type: 'NodePort', ports: moved }), 'two ports named http').toMatch(/^The Service "menu" is invalid/)
      expect(c.service('default', 'menu').spec?.ports?.map((p) => p.nodePort), 'the stored Service keeps nodePort 30080').toEqual([30080])
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30090 }] }, 'order'), '30090 was taken by the refused update and given back').toBe('service/order created')
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }, 'payment'), '30080 was released by the refused update and taken again: it is menu’s').toMatch(/provided port is already allocated/)
    },
  },
  {
    name: 'a NodePort Service re-applied with another nodePort: kube-proxy finds it only at the new port',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] })).toBe('service/menu created')
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30090 }] })).toBe('service/menu configured')
      expect([owner(c.serviceByNodePort(30080)), owner(c.serviceByNodePort(30090))], 'the old version leaves the node-port index when the new one enters it').toEqual(['nobody', 'default/menu'])
      expect(c.service('default', 'menu').status, 'an update keeps the stored status (the manifest’s is ignored): it reads back status: {loadBalancer: {}}').toEqual({ loadBalancer: {} })
    },
  },
  {
    name: 'a NodePort Service turned ClusterIP loses its node ports: they go back and kube-proxy no longer opens them',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] })).toBe('service/menu created')
      expect(apply(c, MENU), 'kubectl apply of menu as ClusterIP (no nodePort in the manifest)').toBe('service/menu configured')
      expect(c.service('default', 'menu').spec?.ports?.map((p) => p.nodePort), 'patchAllocatedValues keeps node ports only while both versions need them').toEqual([undefined])
      expect(owner(c.serviceByNodePort(30080)), 'no Service at node port 30080').toBe('nobody')
      expect(apply(c, { ...MENU, type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] }, 'order')).toBe('service/order created')
    },
  },
  {
    name: 'a NodePort Service re-applied without ports is refused for its ports, not for the node ports the old version had',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'NodePort' })).toBe('service/menu created')
      expect(apply(c, { selector: { app: 'menu' }, type: 'NodePort' }), 'ValidateService: spec.ports is required').toBe('The Service "menu" is invalid: spec.ports: Required value')
    },
  },
  {
    name: 'a LoadBalancer Service turned ClusterIP loses its load balancer’s address from status; a LoadBalancer re-applied keeps it',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, type: 'LoadBalancer' })).toBe('service/menu created')
      const ingress = c.service('default', 'menu').status?.loadBalancer?.ingress
      expect(ingress?.length, 'the cloud gave menu a load balancer').toBe(1)
      expect(apply(c, { ...MENU, type: 'LoadBalancer', sessionAffinity: 'ClientIP' })).toBe('service/menu configured')
      expect(c.service('default', 'menu').status?.loadBalancer?.ingress, 'an update of a LoadBalancer Service keeps status.loadBalancer').toEqual(ingress)
      expect(apply(c, MENU)).toBe('service/menu configured')
      expect(c.service('default', 'menu').status, 'a Service that is no longer LoadBalancer reads back status: {loadBalancer: {}}').toEqual({ loadBalancer: {} })
    },
  },
  {
    name: 'a pod’s environment is fixed when its containers start: a Service changed or deleted later does not change MENU_SERVICE_PORT',
    run: () => {
      const c = new Cluster()
      expect(apply(c, { ...MENU, clusterIP: '10.96.0.50' })).toBe('service/menu created')
      const pod = (name: string) => c.applyObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } as never)
      pod('before')
      expect(apply(c, { ...MENU, ports: [{ port: 81, targetPort: 8080 }] })).toBe('service/menu configured')
      pod('after')
      const port = (name: string) => c.env('default', name).find((e) => e.name === 'MENU_SERVICE_PORT')?.value ?? 'unset'
      expect([port('before'), port('after')], 'the kubelet writes the Services current when each pod started: port 80 for the first, 81 for the second').toEqual(['80', '81'])
      c.delete('svc', 'default', 'menu')
      expect([port('before'), port('after')], 'deleting the Service later changes neither').toEqual(['80', '81'])
      pod('later')
      expect(port('later'), 'a pod started after the delete has no MENU_ variables').toBe('unset')
    },
  },
  {
    name: 'a cluster without a cloud provider still deletes Services, and an ExternalName Service in a namespace where nothing selects pods',
    run: () => {
      const c = new Cluster({ cloud: false })
      c.applyObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy' } } as never)
      expect(apply(c, EXTERNAL, 'db', 'legacy')).toBe('service/db created')
      expect(c.delete('svc', 'legacy', 'db'), 'no service controller to tell, no selector index to leave').toBe('service "db" deleted from legacy namespace')
      expect(apply(c, MENU)).toBe('service/menu created')
      expect(c.delete('svc', 'default', 'menu')).toBe('service "menu" deleted from default namespace')
    },
  },
]

// ---------------------------------------------------------------------------
// normalizeClusterIPs on its own

const ips = (clusterIP?: string, clusterIPs?: string[], type?: ServiceSpec['type']): Service =>
  svc({ ...(type ? { type } : {}), ...(clusterIP !== undefined ? { clusterIP } : {}), ...(clusterIPs ? { clusterIPs } : {}) })
const A = '10.96.0.20'
const B = '10.96.0.21'
const V6 = 'fd00:10:96::20'

export const NORMALIZE_ROWS: { name: string; next: Service; old?: Service; want: string[] | undefined }[] = [
  { name: 'create with clusterIP only (an old client): clusterIPs becomes [clusterIP]', next: ips(A), want: [A] },
  { name: 'create with both fields: clusterIPs as given, the second family included', next: ips(A, [A, V6]), want: [A, V6] },
  { name: 'create with neither: both stay empty, to be allocated', next: ips(), want: undefined },
  { name: 'update leaving clusterIPs out with clusterIP unchanged: the old clusterIPs', next: ips(A), old: ips(A, [A, V6]), want: [A, V6] },
  { name: 'update leaving clusterIPs out with clusterIP changed: nothing to follow, validation will say', next: ips(B), old: ips(A, [A]), want: undefined },
  { name: 'update changing nothing, dual-stack: both families stay', next: ips(A, [A, V6]), old: ips(A, [A, V6]), want: [A, V6] },
  { name: 'update clearing clusterIP with clusterIPs as before: clusterIPs cleared too', next: ips('', [A]), old: ips(A, [A]), want: undefined },
  { name: 'update changing clusterIP with clusterIPs as before: clusterIPs follows, [clusterIP]', next: ips(B, [A]), old: ips(A, [A]), want: [B] },
  { name: 'update changing both fields: clusterIPs as given', next: ips(B, ['10.96.0.22']), old: ips(A, [A]), want: ['10.96.0.22'] },
  { name: 'ExternalName turned ClusterIP naming only clusterIP: clusterIPs becomes [clusterIP]', next: ips(B), old: ips(undefined, undefined, 'ExternalName'), want: [B] },
  { name: 'ExternalName staying ExternalName: no clusterIPs appear', next: ips(undefined, undefined, 'ExternalName'), old: ips(undefined, undefined, 'ExternalName'), want: undefined },
]

// ---------------------------------------------------------------------------
// patchAllocatedValues on its own: old → what the new version keeps

const LB_LOCAL: Service = svc({
  type: 'LoadBalancer',
  externalTrafficPolicy: 'Local',
  clusterIP: '10.96.0.50',
  clusterIPs: ['10.96.0.50'],
  ipFamilies: ['IPv4'],
  ipFamilyPolicy: 'SingleStack',
  healthCheckNodePort: 31000,
  ports: [{ name: 'http', port: 80, nodePort: 30080 }],
})
const NODE_PORT_UNNAMED: Service = svc({ type: 'NodePort', clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ports: [{ port: 80, nodePort: 30080 }] })

export const PATCH_ROWS: { name: string; old: Service; next: Service; get: (s: Service) => unknown; want: unknown }[] = [
  { name: 'an update naming its own clusterIPs keeps them (validation then refuses the change)', old: LB_LOCAL, next: svc({ type: 'ClusterIP', clusterIPs: ['10.96.0.60'] }), get: (s) => s.spec?.clusterIPs, want: ['10.96.0.60'] },
  { name: 'ipFamilies and ipFamilyPolicy left out are the allocated ones', old: LB_LOCAL, next: svc({ type: 'ClusterIP' }), get: (s) => [s.spec?.ipFamilies, s.spec?.ipFamilyPolicy], want: [['IPv4'], 'SingleStack'] },
  { name: 'ipFamilies and ipFamilyPolicy given are kept', old: LB_LOCAL, next: svc({ type: 'ClusterIP', ipFamilies: ['IPv6'], ipFamilyPolicy: 'PreferDualStack' }), get: (s) => [s.spec?.ipFamilies, s.spec?.ipFamilyPolicy], want: [['IPv6'], 'PreferDualStack'] },
  { name: 'an ExternalName Service turned ClusterIP has no old address to keep', old: svc({ type: 'ExternalName', externalName: 'db.example.com' }), next: svc({ type: 'ClusterIP' }), get: (s) => [s.spec?.clusterIP, s.spec?.clusterIPs], want: [undefined, undefined] },
  { name: 'a LoadBalancer turned ClusterIP keeps no nodePort and no healthCheckNodePort', old: LB_LOCAL, next: svc({ type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] }), get: (s) => [s.spec?.ports?.[0]?.nodePort, s.spec?.healthCheckNodePort], want: [undefined, undefined] },
  { name: 'a LoadBalancer turned NodePort keeps its nodePort but not its healthCheckNodePort (only LoadBalancer with Local has one)', old: LB_LOCAL, next: svc({ type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80 }] }), get: (s) => [s.spec?.ports?.[0]?.nodePort, s.spec?.healthCheckNodePort], want: [30080, undefined] },
  { name: 'externalTrafficPolicy Local turned Cluster keeps no healthCheckNodePort', old: LB_LOCAL, next: svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', ports: [{ name: 'http', port: 80 }] }), get: (s) => s.spec?.healthCheckNodePort, want: undefined },
  { name: 'a healthCheckNodePort the update names is kept', old: LB_LOCAL, next: svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000, ports: [{ name: 'http', port: 80 }] }), get: (s) => s.spec?.healthCheckNodePort, want: 32000 },
  { name: 'a port under a new name gets no nodePort from the past', old: LB_LOCAL, next: svc({ type: 'NodePort', ports: [{ name: 'web', port: 80 }] }), get: (s) => s.spec?.ports?.map((p) => p.nodePort), want: [undefined] },
  { name: 'a ClusterIP turned NodePort has no node ports to keep', old: svc({ type: 'ClusterIP', clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ports: [{ port: 80 }] }), next: svc({ type: 'NodePort', ports: [{ port: 80 }] }), get: (s) => s.spec?.ports?.map((p) => p.nodePort), want: [undefined] },
  { name: 'an update that drops every port keeps no node port (validation then asks for ports)', old: NODE_PORT_UNNAMED, next: svc({ type: 'NodePort' }), get: (s) => s.spec?.ports, want: undefined },
  { name: 'an unnamed port keeps the unnamed port’s nodePort', old: NODE_PORT_UNNAMED, next: svc({ type: 'NodePort', ports: [{ port: 8080 }] }), get: (s) => s.spec?.ports?.map((p) => p.nodePort), want: [30080] },
]

// ---------------------------------------------------------------------------
// revertNodePorts on its own

export const REVERT_ROWS: StoryRow[] = [
  {
    name: 'revertNodePorts after a refused update: ports the update took go back, ports it released are taken again, ports it kept stay',
    run: () => {
      const alloc = new PortAllocator()
      const old = svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000, ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30081 }] })
      const stored = svc({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30090 }, { name: 'b', port: 81, nodePort: 30081 }] })
      // What updateServiceNodePorts left: 30090 and 30081 held, 30080 and 31000 released.
      alloc.allocate(30090)
      alloc.allocate(30081)
      revertNodePorts(old, stored, alloc)
      expect([30080, 30081, 31000, 30090].map((p) => `${p} ${alloc.has(p) ? 'held' : 'free'}`), 'the registry’s transaction reverts the node-port allocations of a refused update').toEqual(['30080 held', '30081 held', '31000 held', '30090 free'])
    },
  },
]

// ---------------------------------------------------------------------------
// The indexes (indexService, unindexService), on a state of their own

function emptyIndexes(): ClusterState {
  return { clusterIPOwner: new Map(), externalIPOwners: new Map(), nodePortOwner: new Map(), lbServices: new Set(), serviceSelectorIndex: new Map() } as unknown as ClusterState
}

/** The indexes as plain data: what the data plane and the controllers can look up. */
function indexesOf(s: ClusterState) {
  const sets = (m: Map<string, Set<string>>) => Object.fromEntries([...m].filter(([, v]) => v.size > 0).map(([k, v]) => [k.replace('\u0000', '='), [...v].sort()]))
  return {
    clusterIPs: Object.fromEntries(s.clusterIPOwner),
    externalIPs: sets(s.externalIPOwners),
    nodePorts: Object.fromEntries(s.nodePortOwner),
    loadBalancers: [...s.lbServices],
    selectors: Object.fromEntries([...s.serviceSelectorIndex].map(([ns, i]) => [ns, { byFirstLabel: sets(i.byLabel), matchAll: [...i.matchAll] }])),
  }
}

const EMPTY = { clusterIPs: {}, externalIPs: {}, nodePorts: {}, loadBalancers: [], selectors: {} }

const ORDER_LB = svc(
  {
    type: 'LoadBalancer',
    clusterIPs: ['10.96.0.50', 'fd00:10:96::50'],
    externalIPs: ['203.0.113.10'],
    selector: { app: 'order', tier: 'backend' },
    healthCheckNodePort: 31000,
    ports: [
      { name: 'http', port: 80, nodePort: 30080 },
      { name: 'admin', port: 81, nodePort: 30081 },
    ],
  },
  'order',
)

export const INDEX_ROWS: StoryRow[] = [
  {
    name: 'indexService files a LoadBalancer Service under each cluster IP, external IP, nodePort and healthCheckNodePort, and under its selector’s first label',
    run: () => {
      const s = emptyIndexes()
      indexService(s, ORDER_LB)
      const key = 'snackbar/order'
      expect(indexesOf(s), 'kube-proxy looks a Service up by cluster IP, external IP and node port; the endpoints controller by a pod’s labels').toEqual({
        clusterIPs: { '10.96.0.50': key, 'fd00:10:96::50': key },
        externalIPs: { '203.0.113.10': [key] },
        nodePorts: { 30080: key, 30081: key, 31000: key },
        loadBalancers: [key],
        selectors: { snackbar: { byFirstLabel: { 'app=order': [key] }, matchAll: [] } },
      })
      unindexService(s, ORDER_LB)
      expect(indexesOf(s), 'unindexService takes out every key indexService put in').toEqual({ ...EMPTY, loadBalancers: [key], selectors: { snackbar: { byFirstLabel: {}, matchAll: [] } } })
    },
  },
  {
    name: 'a headless Service and an ExternalName Service, without selectors, own no address and select nothing: clusterIP None is not an address',
    run: () => {
      const s = emptyIndexes()
      const headless = svc({ clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] }, 'db')
      indexService(s, headless)
      indexService(s, svc({ type: 'ExternalName', externalName: 'db.example.com' }, 'legacy'))
      expect(indexesOf(s), 'a headless Service has no virtual IP for kube-proxy, an ExternalName Service no address at all; without a selector the endpoints controller leaves them alone').toEqual(EMPTY)
      unindexService(s, headless)
      expect(indexesOf(s), 'and leaves nothing behind').toEqual(EMPTY)
    },
  },
  {
    name: 'a Service with an empty selector is filed as selecting every pod of its namespace',
    run: () => {
      const s = emptyIndexes()
      const all = svc({ selector: {}, clusterIPs: ['10.96.0.70'], ports: [{ port: 80 }] }, 'all')
      indexService(s, all)
      expect(indexesOf(s).selectors, 'selector {} matches every pod (labels.SelectorFromSet)').toEqual({ snackbar: { byFirstLabel: {}, matchAll: ['snackbar/all'] } })
      unindexService(s, all)
      expect(indexesOf(s).selectors, 'unindexed').toEqual({ snackbar: { byFirstLabel: {}, matchAll: [] } })
    },
  },
  {
    name: 'two Services on one external IP (on other ports) are both its owners, and one leaving keeps the other',
    run: () => {
      const s = emptyIndexes()
      const one = svc({ externalIPs: ['203.0.113.10'], clusterIPs: ['10.96.0.71'], ports: [{ port: 80 }] }, 'web')
      const two = svc({ externalIPs: ['203.0.113.10'], clusterIPs: ['10.96.0.72'], ports: [{ port: 443 }] }, 'tls')
      indexService(s, one)
      indexService(s, two)
      expect(indexesOf(s).externalIPs, 'kube-proxy matches 203.0.113.10 with the port to pick the Service').toEqual({ '203.0.113.10': ['snackbar/tls', 'snackbar/web'] })
      unindexService(s, one)
      expect(indexesOf(s).externalIPs, 'web left; tls still owns it').toEqual({ '203.0.113.10': ['snackbar/tls'] })
      unindexService(s, two)
      expect(s.externalIPOwners.has('203.0.113.10'), 'the last owner gone, the address leaves the index (as client-go’s deleteKeyFromIndex drops an empty set)').toBe(false)
    },
  },
  {
    name: 'unindexing a Service leaves the addresses and node ports indexed under another Service’s key',
    run: () => {
      const s = emptyIndexes()
      s.clusterIPOwner.set('10.96.0.50', 'snackbar/payment')
      s.nodePortOwner.set(30080, 'snackbar/payment')
      s.nodePortOwner.set(31000, 'snackbar/payment')
      unindexService(s, ORDER_LB)
      expect(indexesOf(s), 'an informer’s delete takes out the object’s own key only').toEqual({ ...EMPTY, clusterIPs: { '10.96.0.50': 'snackbar/payment' }, nodePorts: { 30080: 'snackbar/payment', 31000: 'snackbar/payment' } })
    },
  },
]

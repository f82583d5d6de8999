// Kata 09, deep task apiserver: what `kubectl apply` and `kubectl delete` get from the
// API server for each kind the cluster takes — created, configured or unchanged (only an
// object that still exists is unchanged), the errors of a kind or apiVersion it does not
// serve, of a request it cannot decode or fulfil, of a Namespace or Endpoints it refuses
// (ValidateObjectMeta, ValidateEndpoints); and for delete every alias kubectl accepts,
// NotFound per resource, and a Namespace that takes everything in it along. Each row
// builds its own cluster, so that it alone answers for what it asks about.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/validation/validation.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/namespace/deletion/namespaced_resources_deleter.go
import { expect } from 'vitest'
import type { KubeObject } from '@impl/api/manifests.ts'
import { Cluster, type ApplyResult } from '@impl/cluster/cluster.ts'
import { type StoryRow, thrown } from './story.ts'

/** One object as `kubectl apply` sends it; the whole result, every field. */
const send = (c: Cluster, o: KubeObject): ApplyResult => c.applyObject(structuredClone(o), 'shop.yaml')
/** kubectl's line for one object. */
const line = (r: ApplyResult) => (r.ok ? r.text : r.error)

const ns = (name: string, labels?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } })
const service = (name: string, namespace?: string, selector?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
  spec: { ...(selector ? { selector } : {}), ports: [{ port: 80, targetPort: 8080 }] },
})
const deployment = (name: string, namespace: string, replicas = 2): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080'] }] } },
  },
})
const pod = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app: name } },
  spec: { containers: [{ name, image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080'] }] },
})
const endpoints = (name: string, namespace: string, subsets: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace }, subsets })
const SUBSET = { addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }

/** A cluster with namespace `shop` and, in it, Deployment web (2 pods), Service web, a selector-less Service db with its Endpoints, and a pod `debug`. */
function shop(): Cluster {
  const c = new Cluster()
  for (const o of [ns('shop'), deployment('web', 'shop'), service('web', 'shop', { app: 'web' }), service('db', 'shop'), endpoints('db', 'shop', [SUBSET]), pod('debug', 'shop')]) {
    const r = send(c, o)
    expect(r.ok, `kubectl apply of ${o.kind} ${o.metadata?.name}: ${line(r)}`).toBe(true)
  }
  return c
}

/** What of namespace `namespace` the API answers for: Deployments, pods, Services, Endpoints. */
const contents = (c: Cluster, namespace: string) => ({
  deployments: c.deployments(namespace).map((d) => d.metadata?.name),
  pods: c.pods(namespace).length,
  services: c.services(namespace).map((s) => s.metadata?.name),
  endpoints: c.endpoints(namespace).map((e) => e.metadata?.name),
})

// ---------------------------------------------------------------------------
// kubectl apply: one result per object

export const APPLY_ROWS: StoryRow[] = [
  {
    name: 'a kind the cluster does not serve is refused by name, and nothing is stored',
    run: () => {
      const c = new Cluster()
      expect(send(c, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' } }), 'kubectl apply of a ConfigMap (the course models five kinds)').toEqual({
        ok: false,
        kind: 'ConfigMap',
        name: 'settings',
        error: 'error: the course\'s cluster does not model kind "ConfigMap" (it knows Namespace, Pod, Deployment, Service, Endpoints)',
      })
    },
  },
  {
    name: 'a Deployment sent as apiVersion v1 finds no resource mapping: kubectl names the object, its namespace and the file',
    run: () => {
      const c = new Cluster()
      const asV1 = { ...deployment('web', 'default'), apiVersion: 'v1' }
      expect(send(c, asV1), 'kubectl apply of a Deployment with apiVersion: v1 (Deployments are served at apps/v1 only)').toEqual({
        ok: false,
        kind: 'Deployment',
        name: 'web',
        error: 'error: resource mapping not found for name: "web" namespace: "default" from "shop.yaml": no matches for kind "Deployment" in version "v1"\nensure CRDs are installed first',
      })
      const { namespace: _, ...noNamespace } = asV1.metadata!
      expect(line(send(c, { ...asV1, metadata: noNamespace })), 'the same manifest without metadata.namespace: kubectl prints the namespace as it was written, empty').toBe(
        'error: resource mapping not found for name: "web" namespace: "" from "shop.yaml": no matches for kind "Deployment" in version "v1"\nensure CRDs are installed first',
      )
      expect(send(c, { apiVersion: 'v1', kind: 'Deployment' }), 'a Deployment at v1 with no metadata at all: the mapping fails before any name is looked at').toStrictEqual({
        ok: false,
        kind: 'Deployment',
        name: '',
        error: 'error: resource mapping not found for name: "" namespace: "" from "shop.yaml": no matches for kind "Deployment" in version "v1"\nensure CRDs are installed first',
      })
      expect(c.deployments('default'), 'nothing was stored').toEqual([])
    },
  },
  {
    name: 'a Namespace is cluster-scoped: its results carry no namespace, while a Service without one lands in default',
    run: () => {
      const c = new Cluster()
      expect(send(c, ns('shop')), 'kubectl apply of Namespace shop').toStrictEqual({ ok: true, kind: 'Namespace', name: 'shop', action: 'created', text: 'namespace/shop created' })
      expect(send(c, ns('shop')), 'the same Namespace again').toStrictEqual({ ok: true, kind: 'Namespace', name: 'shop', action: 'unchanged', text: 'namespace/shop unchanged' })
      expect(send(c, service('web')), 'a Service without metadata.namespace: kubectl sends it to the current namespace, default').toEqual({
        ok: true,
        kind: 'Service',
        namespace: 'default',
        name: 'web',
        action: 'created',
        text: 'service/web created',
      })
      expect(send(c, service('web')), 'the same Service again').toEqual({ ok: true, kind: 'Service', namespace: 'default', name: 'web', action: 'unchanged', text: 'service/web unchanged' })
      expect(send(c, service('menu', '')), 'metadata.namespace: "" is no namespace either: default').toEqual({
        ok: true,
        kind: 'Service',
        namespace: 'default',
        name: 'menu',
        action: 'created',
        text: 'service/menu created',
      })
    },
  },
  {
    name: 'a Namespace applied again with other labels is configured; the API server keeps the one it made',
    run: () => {
      const c = new Cluster()
      send(c, ns('shop'))
      expect(send(c, ns('shop', { team: 'kitchen' })), 'kubectl apply of Namespace shop with a label added').toStrictEqual({ ok: true, kind: 'Namespace', name: 'shop', action: 'configured', text: 'namespace/shop configured' })
      expect(c.namespaces().filter((n) => n.metadata?.name === 'shop').length, 'still one Namespace shop').toBe(1)
    },
  },
  {
    name: 'a new Namespace is Active, labelled kubernetes.io/metadata.name, with the kubernetes finalizer, a uid and its creation time',
    run: () => {
      const c = new Cluster()
      c.advance(90)
      send(c, ns('shop'))
      const got = c.namespaces().find((n) => n.metadata?.name === 'shop')
      expect(got, 'kubectl get ns shop -o yaml').toEqual({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop', uid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/), creationTimestamp: '2026-01-01T00:01:30Z', labels: { 'kubernetes.io/metadata.name': 'shop' } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      })
      expect(new Set(c.namespaces().map((n) => n.metadata?.uid)).size, 'every Namespace has its own uid').toBe(c.namespaces().length)
    },
  },
  {
    name: 'a Namespace name must be a DNS-1123 label: Shop_1 is Invalid, and no name at all is Required and nothing else',
    run: () => {
      const c = new Cluster()
      expect(send(c, ns('Shop_1')), 'kubectl apply of Namespace Shop_1').toEqual({
        ok: false,
        kind: 'Namespace',
        name: 'Shop_1',
        error:
          'The Namespace "Shop_1" is invalid: metadata.name: Invalid value: "Shop_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')',
      })
      expect(line(send(c, { apiVersion: 'v1', kind: 'Namespace' })), 'a Namespace without metadata: ValidateObjectMeta checks the name only when there is one').toBe(
        'The Namespace "" is invalid: metadata.name: Required value: name or generateName is required',
      )
      expect(
        c.namespaces().map((n) => n.metadata?.name),
        'a refused Namespace is not stored',
      ).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system'])
    },
  },
  {
    name: 'a request the API server cannot decode is BadRequest, with the object’s kind, name and namespace',
    run: () => {
      const c = new Cluster()
      const typo = { ...service('web'), spec: { secector: { app: 'web' }, ports: [{ port: 80 }] } }
      expect(send(c, typo), 'kubectl apply of a Service with spec.secector (strict field validation)').toEqual({
        ok: false,
        kind: 'Service',
        namespace: 'default',
        name: 'web',
        error: 'Error from server (BadRequest): error when creating "shop.yaml": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.secector"',
      })
    },
  },
  {
    name: 'a Service the full service range cannot give an IP is an InternalError of the API server, not Invalid',
    run: () => {
      // 10.96.0.0/28: 14 addresses, 10.96.0.1 and 10.96.0.10 taken by kubernetes and kube-dns.
      const c = new Cluster({ serviceCIDR: '10.96.0.0/28' })
      const results = Array.from({ length: 13 }, (_, i) => send(c, service(`s${i}`)))
      expect(results.slice(0, 12).map(line), 'twelve Services take the twelve free addresses').toEqual(Array.from({ length: 12 }, (_, i) => `service/s${i} created`))
      expect(results[12], 'the thirteenth: the allocator has nothing left (ipallocator ErrFull), which the API server reports as an internal error').toEqual({
        ok: false,
        kind: 'Service',
        namespace: 'default',
        name: 's12',
        error: 'Error from server (InternalError): error when creating "shop.yaml": Internal error occurred: failed to allocate a serviceIP: range is full',
      })
    },
  },
  ...(
    [
      { kind: 'Namespace', object: ns('attic'), deleteAs: ['ns', '', 'attic'], text: 'namespace/attic' },
      { kind: 'Pod', object: pod('debug', 'shop'), deleteAs: ['pod', 'shop', 'debug'], text: 'pod/debug' },
      { kind: 'Deployment', object: deployment('web', 'shop'), deleteAs: ['deployment', 'shop', 'web'], text: 'deployment.apps/web' },
      { kind: 'Service', object: service('web', 'shop', { app: 'web' }), deleteAs: ['service', 'shop', 'web'], text: 'service/web' },
      { kind: 'Endpoints', object: endpoints('db', 'shop', [SUBSET]), deleteAs: ['endpoints', 'shop', 'db'], text: 'endpoints/db' },
    ] as const
  ).map(
    (k): StoryRow => ({
      name: `a ${k.kind} applied again is unchanged while it exists, and created again once it was deleted`,
      run: () => {
        const c = new Cluster()
        send(c, ns('shop'))
        expect(line(send(c, k.object)), `kubectl apply of the ${k.kind}`).toBe(`${k.text} created`)
        expect(line(send(c, k.object)), 'the same manifest again: it matches the last-applied-configuration of the live object').toBe(`${k.text} unchanged`)
        c.delete(k.deleteAs[0], k.deleteAs[1], k.deleteAs[2], { gracePeriodSeconds: 0 })
        expect(line(send(c, k.object)), `the same manifest after kubectl delete ${k.deleteAs[0]} ${k.deleteAs[2]}: there is no live object to compare with, so it is created`).toBe(`${k.text} created`)
      },
    }),
  ),
  {
    name: 'the endpoints controller owns the Endpoints of a Service with a selector: Endpoints applied beside it are replaced by the pods it selects',
    run: () => {
      const c = new Cluster()
      send(c, ns('shop'))
      const rs = c.apply(
        [service('web', 'shop', { app: 'web' }), endpoints('web', 'shop', [SUBSET])].map((o) => JSON.stringify(o)).join('\n---\n'),
        'shop.yaml',
      )
      expect(rs.map(line), 'kubectl apply -f shop.yaml: the Service, then the Endpoints').toEqual(['service/web created', 'endpoints/web created'])
      const ep = c.endpoints('shop').find((e) => e.metadata?.name === 'web')
      expect(
        { managedBy: ep?.metadata?.labels?.['endpoints.kubernetes.io/managed-by'], subsets: ep?.subsets },
        'the endpoints controller syncs the Service after the apply (its work queue) and writes what the selector finds — no pod is app=web, so no address; the user’s 192.0.2.10 does not last',
      ).toEqual({ managedBy: 'endpoint-controller', subsets: [] })
    },
  },
  {
    name: 'user Endpoints are validated: every address a valid IP, ready or not, every port 1–65535',
    run: () => {
      const c = new Cluster()
      send(c, ns('shop'))
      const bad = endpoints('db', 'shop', [
        { addresses: [{ ip: '192.0.2.10' }, { ip: '192.0.2.300' }], notReadyAddresses: [{ ip: 'db-1' }, {}], ports: [{ port: 0 }, { port: 1 }, { port: 65535 }, { port: 65536 }] },
        { addresses: [{ ip: '192.0.2.12' }] },
      ])
      expect(send(c, bad), 'kubectl apply of Endpoints with bad addresses and ports (ValidateEndpoints)').toEqual({
        ok: false,
        kind: 'Endpoints',
        namespace: 'shop',
        name: 'db',
        error: [
          'The Endpoints "db" is invalid: ',
          '* subsets[0].addresses[1].ip: Invalid value: "192.0.2.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
          '* subsets[0].notReadyAddresses[0].ip: Invalid value: "db-1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
          '* subsets[0].notReadyAddresses[1].ip: Invalid value: "": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
          '* subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
          '* subsets[0].ports[3].port: Invalid value: 65536: must be between 1 and 65535, inclusive',
        ].join('\n'),
      })
      expect(c.endpoints('shop'), 'refused Endpoints are not stored').toEqual([])
      expect(line(send(c, endpoints('db', 'shop', [{ notReadyAddresses: [{ ip: '192.0.2.11' }], ports: [{ port: 1 }, { port: 65535, protocol: 'UDP' }] }]))), 'ports 1 and 65535 are the edges of the range, both valid').toBe(
        'endpoints/db created',
      )
      expect(c.endpoints('shop')[0]?.subsets?.[0]?.ports, 'a port without protocol is TCP (SetDefaults_EndpointPort)').toEqual([
        { port: 1, protocol: 'TCP' },
        { port: 65535, protocol: 'UDP' },
      ])
    },
  },
  {
    name: 'user Endpoints need a name that is a DNS-1123 subdomain: none is Required, DB_1 Invalid',
    run: () => {
      const c = new Cluster()
      expect(send(c, { apiVersion: 'v1', kind: 'Endpoints', subsets: [SUBSET] }), 'kubectl apply of Endpoints without metadata').toEqual({
        ok: false,
        kind: 'Endpoints',
        namespace: 'default',
        name: '',
        error: 'The Endpoints "" is invalid: metadata.name: Required value: name or generateName is required',
      })
      expect(line(send(c, endpoints('DB_1', 'default', [SUBSET]))), 'kubectl apply of Endpoints DB_1 (ValidateEndpointsName: NameIsDNSSubdomain)').toBe(
        'The Endpoints "DB_1" is invalid: metadata.name: Invalid value: "DB_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      )
      expect(c.endpoints('default').map((e) => e.metadata?.name), 'nothing stored under an empty or invalid name').toEqual(['kubernetes'])
    },
  },
  {
    name: 'user Endpoints applied again with another address are configured, and the Service’s mirrored EndpointSlice follows',
    run: () => {
      const c = new Cluster()
      send(c, ns('shop'))
      send(c, service('db', 'shop'))
      expect(line(send(c, endpoints('db', 'shop', [SUBSET]))), 'kubectl apply of Endpoints db').toBe('endpoints/db created')
      expect(line(send(c, endpoints('db', 'shop', [{ ...SUBSET, addresses: [{ ip: '192.0.2.20' }] }]))), 'the same Endpoints with another address').toBe('endpoints/db configured')
      const slices = c.endpointSlices('shop').filter((x) => x.metadata?.labels?.['kubernetes.io/service-name'] === 'db')
      expect(slices.flatMap((x) => (x.endpoints ?? []).map((e) => e.addresses[0])), 'the mirroring controller copies the new address into the slice').toEqual(['192.0.2.20'])
    },
  },
]

// ---------------------------------------------------------------------------
// kubectl delete

/** Every name kubectl accepts for the five kinds (`kubectl api-resources`: singular, plural, short name; any case), and the object it deletes in shop(). */
export const DELETE_ALIAS_ROWS: { name: string; as: string; namespace: string; object: string; want: string }[] = [
  ...['ns', 'namespace', 'namespaces', 'Namespace'].map((as) => ({ as, namespace: '', object: 'shop', want: 'namespace "shop" deleted' })),
  ...['po', 'pod', 'pods', 'Pod'].map((as) => ({ as, namespace: 'shop', object: 'debug', want: 'pod "debug" deleted from shop namespace' })),
  ...['deploy', 'deployment', 'deployments', 'Deployment'].map((as) => ({ as, namespace: 'shop', object: 'web', want: 'deployment.apps "web" deleted from shop namespace' })),
  ...['svc', 'service', 'services', 'SVC'].map((as) => ({ as, namespace: 'shop', object: 'web', want: 'service "web" deleted from shop namespace' })),
  ...['ep', 'endpoints', 'Endpoints'].map((as) => ({ as, namespace: 'shop', object: 'db', want: 'endpoints "db" deleted from shop namespace' })),
].map((r) => ({ ...r, name: `kubectl delete ${r.as} ${r.object} deletes it and says so` }))

export function deleteAliasRow(r: (typeof DELETE_ALIAS_ROWS)[number]): void {
  const c = shop()
  expect(c.delete(r.as, r.namespace, r.object), `kubectl delete ${r.as} ${r.object}${r.namespace ? ` -n ${r.namespace}` : ''}: kubectl 1.34's line names the namespace of a namespaced object`).toBe(r.want)
  expect(thrown(() => c.delete(r.as, r.namespace, r.object)), `kubectl delete ${r.as} ${r.object} a second time: the object is gone`).toMatch(/^NotFoundError: Error from server \(NotFound\): /)
}

export const DELETE_ROWS: StoryRow[] = [
  {
    name: 'deleting what does not exist is NotFound, named by the resource and its API group',
    run: () => {
      const c = shop()
      expect(
        [
          ['pod', 'shop', 'ghost'],
          ['deployment', 'shop', 'ghost'],
          ['svc', 'shop', 'ghost'],
          ['ep', 'shop', 'ghost'],
          ['ns', '', 'ghost'],
          ['svc', 'default', 'web'],
        ].map(([kind, namespace, name]) => thrown(() => c.delete(kind!, namespace!, name!))),
        'kubectl delete of objects that do not exist (the last: web exists, but in shop, not in default)',
      ).toEqual([
        'NotFoundError: Error from server (NotFound): pods "ghost" not found',
        'NotFoundError: Error from server (NotFound): deployments.apps "ghost" not found',
        'NotFoundError: Error from server (NotFound): services "ghost" not found',
        'NotFoundError: Error from server (NotFound): endpoints "ghost" not found',
        'NotFoundError: Error from server (NotFound): namespaces "ghost" not found',
        'NotFoundError: Error from server (NotFound): services "web" not found',
      ])
    },
  },
  {
    name: 'a resource type the server does not serve is refused by kubectl before anything is deleted',
    run: () => {
      const c = shop()
      expect(thrown(() => c.delete('configmap', 'shop', 'web')), 'kubectl delete configmap web -n shop').toBe('ClusterError: error: the server doesn\'t have a resource type "configmap"')
      expect(contents(c, 'shop'), 'everything in shop is still there').toEqual({ deployments: ['web'], pods: 3, services: ['db', 'web'], endpoints: ['db', 'web'] })
    },
  },
  {
    name: 'deleting a Namespace deletes everything in it — Deployments, pods, Services, Endpoints — and nothing in another namespace, even one whose name it begins',
    run: () => {
      const c = shop()
      for (const o of [ns('shop-2'), deployment('web', 'shop-2'), service('web', 'shop-2', { app: 'web' })]) send(c, o)
      const before = contents(c, 'shop-2')
      const ip = c.service('shop', 'web').spec?.clusterIP
      expect(c.delete('ns', '', 'shop'), 'kubectl delete ns shop').toBe('namespace "shop" deleted')
      expect(contents(c, 'shop'), 'the namespace controller deletes every object in shop').toEqual({ deployments: [], pods: 0, services: [], endpoints: [] })
      expect(c.endpointSlices('shop'), 'and the EndpointSlices of its Services').toEqual([])
      expect(c.serviceByClusterIP(ip ?? ''), `web's cluster IP ${ip} belongs to no Service any more`).toBeUndefined()
      expect(c.namespaces().map((n) => n.metadata?.name), 'kubectl get ns').not.toContain('shop')
      expect(contents(c, 'shop-2'), 'shop-2 keeps everything: only the objects of namespace shop go').toEqual(before)
      expect(line(send(c, service('web', 'shop'))), 'kubectl apply into the deleted namespace').toBe('Error from server (NotFound): error when creating "shop.yaml": namespaces "shop" not found')
    },
  },
  {
    name: 'deleting user Endpoints deletes the EndpointSlice mirrored from them',
    run: () => {
      const c = shop()
      const mirrored = () => c.endpointSlices('shop').filter((x) => x.metadata?.labels?.['kubernetes.io/service-name'] === 'db').flatMap((x) => (x.endpoints ?? []).map((e) => e.addresses[0]))
      expect(mirrored(), 'before: the mirroring controller copied db’s Endpoints').toEqual(['192.0.2.10'])
      c.delete('ep', 'shop', 'db')
      expect(c.endpoints('shop').map((e) => e.metadata?.name), 'kubectl get ep -n shop').toEqual(['web'])
      expect(mirrored(), 'after: the mirroring controller deletes the slice it made (kubectl get endpointslices -l kubernetes.io/service-name=db)').toEqual([])
    },
  },
]

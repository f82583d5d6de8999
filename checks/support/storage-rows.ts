// Kata 09, task storage: what the API server and the informers' caches remember and how
// they answer — client-go's label indexer (thread_safe_store.go: a pod filed under each
// `label=value`, a label's entry dropped with its last pod), the smallest index set a
// selector starts from, `kubectl get`'s order (etcd key order: `namespace/name` byte by
// byte), a pod re-indexed when its labels change (`labels.Equals`), UIDs, the canonical
// JSON that `kubectl apply` compares and the pod-template-hash is computed from, and the
// errors the cluster answers with. The index and list rows build a small ClusterState of
// their own: only the maps the function under test reads.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/client-go/tools/cache/thread_safe_store.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/apimachinery/pkg/labels/labels.go
import type { Pod, Service } from 'kubernetes-types/core/v1'
import { expect } from 'vitest'
import { Cluster, ClusterError, NotFoundError } from '@impl/cluster/cluster.ts'
import { candidatePods, indexPodLabels, labelKey, listPods, listServices, uid, type ClusterState } from '@impl/cluster/storage.ts'
import { Random } from '../../lib/random.ts'
import { type StoryRow, thrown } from './story.ts'

const pod = (namespace: string, name: string, labels: Record<string, string> = {}): Pod => ({ metadata: { namespace, name, labels }, spec: { containers: [] } })
const service = (namespace: string, name: string): Service => ({ metadata: { namespace, name }, spec: {} })

/** A state holding these pods in its store, the namespace index and (through indexPodLabels) the label index. */
function indexed(...pods: Pod[]): ClusterState {
  const s = { podStore: new Map(), podsByNamespace: new Map(), podLabelIndex: new Map(), serviceStore: new Map() } as unknown as ClusterState
  for (const p of pods) {
    const { namespace = '', name = '', labels = {} } = p.metadata ?? {}
    s.podStore.set(`${namespace}/${name}`, { pod: p })
    let names = s.podsByNamespace.get(namespace)
    if (!names) s.podsByNamespace.set(namespace, (names = new Set()))
    names.add(name)
    indexPodLabels(s, namespace, name, labels, true)
  }
  return s
}

/** The names candidatePods starts from, sorted (a Set's order is not the question). */
const candidates = (s: ClusterState, namespace: string, selector: Record<string, string>) =>
  candidatePods(s, namespace, selector)
    .map((p) => p.metadata?.name)
    .sort()

const describeSelector = (selector: Record<string, string>) => `{${Object.entries(selector).map(([k, v]) => `${k}: ${v}`).join(', ')}}`

/** order-1 (app=order, tier=backend), order-2 and order-3 (app=order), menu-1 (app=menu, tier=backend), web (app=web); and other/order-x. */
const snackbarPods = () =>
  indexed(
    pod('snackbar', 'order-1', { app: 'order', tier: 'backend' }),
    pod('snackbar', 'order-2', { app: 'order' }),
    pod('snackbar', 'order-3', { app: 'order' }),
    pod('snackbar', 'menu-1', { app: 'menu', tier: 'backend' }),
    pod('snackbar', 'web', { app: 'web' }),
    pod('other', 'order-x', { app: 'order' }),
  )

function expectCandidates(s: ClusterState, namespace: string, selector: Record<string, string>, want: string[], why: string): void {
  const got = candidates(s, namespace, selector)
  expect(got, `candidatePods(${namespace}, ${describeSelector(selector)}): ${why}; the learner's code started from [${got.join(', ')}]`).toEqual(want)
}

/** The pod-template-hash of the `web` template below, as the course's model computes it. */
const GOLDEN_HASH = '59c59b7d5'

export const STORAGE_ROWS: StoryRow[] = [
  // ---- client-go's indexer: namespace → label=value → pod names
  {
    name: 'the label index answers app=order with the three pods labelled so in that namespace, not the whole namespace and not another namespace’s pod',
    run: () =>
      expectCandidates(snackbarPods(), 'snackbar', { app: 'order' }, ['order-1', 'order-2', 'order-3'], 'an informer’s indexer files each pod under every label=value it carries, per namespace (ByIndex), so every pod indexed stays there'),
  },
  {
    name: 'a selector of two labels starts from the smaller index set, whichever label comes first: tier=backend (2 pods) rather than app=order (3)',
    run: () => {
      const s = snackbarPods()
      const why = 'the smallest set of any selector label is the cheapest superset of the matches (150 000 pods must not be scanned); tier=backend holds order-1 and menu-1'
      expectCandidates(s, 'snackbar', { app: 'order', tier: 'backend' }, ['menu-1', 'order-1'], why)
      expectCandidates(s, 'snackbar', { tier: 'backend', app: 'order' }, ['menu-1', 'order-1'], why)
      expectCandidates(s, 'snackbar', { app: 'web', tier: 'backend' }, ['web'], 'app=web (1 pod) is smaller than tier=backend (2)')
    },
  },
  {
    name: 'a selector label no pod carries leaves no candidates at all, whatever the other labels match',
    run: () => {
      const s = snackbarPods()
      expectCandidates(s, 'snackbar', { app: 'order', tier: 'frontend' }, [], 'no pod is indexed under tier=frontend, so none can match the selector')
      expectCandidates(s, 'snackbar', { app: 'payment' }, [], 'no pod is indexed under app=payment')
    },
  },
  {
    name: 'an empty selector selects every pod of the namespace; a namespace without pods has none to offer',
    run: () => {
      const s = snackbarPods()
      expectCandidates(s, 'snackbar', {}, ['menu-1', 'order-1', 'order-2', 'order-3', 'web'], 'labels.SelectorFromSet({}) matches everything: the endpoints controller selects all pods of the namespace')
      expectCandidates(s, 'payments', {}, [], 'the namespace holds no pods')
      expectCandidates(s, 'payments', { app: 'order' }, [], 'the namespace has no label index at all')
    },
  },
  {
    name: 'kubectl label pod order-1 app=menu --overwrite: the indexer takes order-1 out of app=order and files it under app=menu',
    run: () => {
      const s = snackbarPods()
      indexPodLabels(s, 'snackbar', 'order-1', { app: 'order', tier: 'backend' }, false)
      indexPodLabels(s, 'snackbar', 'order-1', { app: 'menu', tier: 'backend' }, true)
      expectCandidates(s, 'snackbar', { app: 'order' }, ['order-2', 'order-3'], 'the update removes the old object from the index values it had (updateIndices) before adding the new ones')
      expectCandidates(s, 'snackbar', { app: 'menu' }, ['menu-1', 'order-1'], 'the new label value indexes order-1')
    },
  },
  {
    name: 'the last pod leaving a label takes the label’s index entry with it, while a label other pods still carry keeps them',
    run: () => {
      const s = snackbarPods()
      indexPodLabels(s, 'snackbar', 'menu-1', { app: 'menu', tier: 'backend' }, false)
      const index = s.podLabelIndex.get('snackbar')
      expect(index?.has(labelKey('app', 'menu')), 'client-go’s deleteKeyFromIndex deletes a set left empty, so an index does not grow with every label value ever seen').toBe(false)
      expectCandidates(s, 'snackbar', { tier: 'backend' }, ['order-1'], 'menu-1 left tier=backend; order-1 still carries it')
    },
  },
  // ---- kubectl get: the API server lists in etcd key order
  {
    name: 'kubectl get pods -A lists in etcd key order, namespace/name byte by byte: team-b/api comes before team/api, default before kube-system',
    run: () => {
      const s = indexed(pod('team', 'web'), pod('team-b', 'api'), pod('team', 'api'), pod('kube-system', 'coredns'), pod('default', 'zeta'), pod('default', 'alpha'))
      const got = listPods(s).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)
      expect(got, `the API server answers a list from its keys /registry/pods/<namespace>/<name> in order ('-' sorts before '/'), and kubectl prints that order; the learner's code listed [${got.join(', ')}]`).toEqual([
        'default/alpha',
        'default/zeta',
        'kube-system/coredns',
        'team-b/api',
        'team/api',
        'team/web',
      ])
      expect(listPods(s, 'team').map((p) => p.metadata?.name), 'kubectl get pods -n team').toEqual(['api', 'web'])
    },
  },
  {
    name: 'kubectl get svc -A lists Services in etcd key order too, whatever order they were created in',
    run: () => {
      const s = indexed()
      for (const svc of [service('snackbar', 'payment'), service('default', 'kubernetes'), service('snackbar', 'order'), service('kube-system', 'kube-dns')]) s.serviceStore.set(`${svc.metadata?.namespace}/${svc.metadata?.name}`, svc)
      const got = listServices(s).map((x) => `${x.metadata?.namespace}/${x.metadata?.name}`)
      expect(got, `/registry/services/specs/<namespace>/<name> in order; the learner's code listed [${got.join(', ')}]`).toEqual(['default/kubernetes', 'kube-system/kube-dns', 'snackbar/order', 'snackbar/payment'])
      expect(listServices(s, 'snackbar').map((x) => x.metadata?.name), 'kubectl get svc -n snackbar').toEqual(['order', 'payment'])
    },
  },
  // ---- the pod informer re-files a pod when its labels change (labels.Equals)
  {
    name: 'a pod relabelled with kubectl apply leaves the EndpointSlices of the Services that no longer select it and joins those that now do',
    run: () => {
      const c = new Cluster()
      for (const [name, selector] of [['order', { app: 'order' }], ['menu', { app: 'menu' }], ['v2', { release: 'v2' }], ['api', { tier: 'api' }]] as const) {
        c.applyObject({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } } as never)
      }
      const apply = (labels: Record<string, string>) => {
        const r = c.applyObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] } } as never)
        expect(r.ok ? r.text : r.error, `kubectl apply of pod web with labels ${describeSelector(labels)}`).toMatch(/^pod\/web (created|configured)$/)
      }
      const selecting = () => {
        const ip = c.pod('default', 'web').status?.podIP
        return c
          .endpointSlices('default')
          .filter((x) => (x.endpoints ?? []).some((e) => e.addresses.includes(ip ?? '')))
          .map((x) => x.metadata?.labels?.['kubernetes.io/service-name'])
          .sort()
      }
      const steps: [Record<string, string>, string[], string][] = [
        [{ app: 'order', tier: 'web' }, ['order'], 'created with app=order'],
        [{ app: 'menu', tier: 'web' }, ['menu'], 'app=order became app=menu: the same keys, another value'],
        [{ app: 'menu', tier: 'web', release: 'v2' }, ['menu', 'v2'], 'a label added: release=v2'],
        [{ app: 'menu', tier: 'api', release: 'v2' }, ['api', 'menu', 'v2'], 'tier=web became tier=api while app and release stay'],
        [{ app: 'order', tier: 'web', release: 'v1' }, ['order'], 'every value changed at once'],
      ]
      for (const [labels, want, what] of steps) {
        apply(labels)
        expect(selecting(), `${what}: the pod informer compares old and new labels (labels.Equals) and re-indexes the pod when they differ, so the endpoints controller finds it under its new labels`).toEqual(want)
      }
    },
  },
  // ---- UIDs
  {
    name: 'a UID is a version-4 UUID of 128 random bits: eight 16-bit draws of the seeded source, no more, so the next object’s UID follows on',
    run: () => {
      const s = { uids: new Random(7) } as unknown as ClusterState
      const first = uid(s)
      expect(first, 'google/uuid NewRandom: 8-4-4-4-12 hex digits, version 4, variant 10').toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      const reference = new Random(7)
      for (let i = 0; i < 8; i++) reference.int(0, 0xffff)
      expect(s.uids.int(0, 0xffff), 'after one UID the source has given exactly eight numbers of 0…0xffff (16 bytes)').toBe(reference.int(0, 0xffff))
    },
  },
  // ---- the canonical JSON that apply and the pod-template-hash read
  {
    name: 'kubectl apply of the same Service with its keys in another order is unchanged; a label key moved into the selector is a change',
    run: () => {
      const c = new Cluster()
      const send = (spec: Record<string, unknown>) => {
        const r = c.applyObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'menu', namespace: 'default' }, spec } as never)
        return r.ok ? r.text : r.error
      }
      expect(send({ selector: { app: 'menu' }, sessionAffinity: 'None', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 81, targetPort: 8081 }] })).toBe('service/menu created')
      expect(send({ ports: [{ targetPort: 8080, port: 80, name: 'http' }, { port: 81, targetPort: 8081, name: 'admin' }], sessionAffinity: 'None', selector: { app: 'menu' } }), 'the last-applied configuration is compared as JSON, whose object keys have no order').toBe('service/menu unchanged')
      expect(send({ selector: { app: 'menu' }, sessionAffinity: 'None', externalName: undefined, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 81, targetPort: 8081 }] }), 'a field set to undefined is not in the JSON a client sends: the same manifest').toBe('service/menu unchanged')
      expect(send({ selector: { app: 'menu', sessionAffinity: 'None' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 81, targetPort: 8081 }] }), 'sessionAffinity: None moved into the selector as a label: another object').toBe('service/menu configured')
    },
  },
  {
    name: 'a Deployment’s pod-template-hash is the FNV-1a hash of its pod template’s canonical JSON: the same template gives the same hash on every cluster',
    run: () => {
      const c = new Cluster()
      c.applyObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { tier: 'frontend', app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080', '--udp-port=-1'], ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090 }] }] },
          },
        },
      } as never)
      const hashes = c.pods('default').map((p) => p.metadata?.labels?.['pod-template-hash'])
      expect(hashes, 'the ReplicaSet web-<hash> and its pods carry the hash of that template: computeHash in the Deployment controller is deterministic').toEqual([GOLDEN_HASH])
    },
  },
  // ---- the errors the cluster answers with
  {
    name: 'the cluster’s errors carry their class name, as an uncaught error prints it: NotFoundError for a missing object, ClusterError otherwise',
    run: () => {
      const c = new Cluster()
      expect(thrown(() => c.delete('svc', 'default', 'menu')), 'kubectl delete svc menu when there is none').toBe('NotFoundError: Error from server (NotFound): services "menu" not found')
      expect(thrown(() => new Cluster({ nodes: [] })), 'kubeadm init with no node to run on').toBe('ClusterError: a cluster needs at least one node')
      let error: unknown
      try {
        c.delete('svc', 'default', 'menu')
      } catch (e) {
        error = e
      }
      expect(error instanceof NotFoundError && error instanceof ClusterError, 'NotFoundError extends ClusterError').toBe(true)
    },
  },
  {
    name: 'an object kubectl apply refuses names its namespace in the answer; a refused Namespace, cluster-scoped, has none',
    run: () => {
      const c = new Cluster()
      const svc = c.applyObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'menu', namespace: 'default' }, spec: { ports: [{ port: 80 }, { port: 81 }] } })
      expect(svc.ok ? 'accepted' : { kind: svc.kind, namespace: svc.namespace, name: svc.name }, 'a Service with two unnamed ports: The Service "menu" is invalid, in namespace default').toEqual({ kind: 'Service', namespace: 'default', name: 'menu' })
      const ns = c.applyObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Snackbar' } })
      expect(ns.ok ? 'accepted' : Object.keys(ns).sort(), 'a Namespace named Snackbar (not a DNS label): the answer has no namespace field').toEqual(['error', 'kind', 'name', 'ok'])
    },
  },
  {
    name: 'CoreDNS answers for a Service created after it last answered: every change to what the zone holds makes it rebuild',
    run: () => {
      const c = new Cluster()
      const ask = () => c.zone().serveDNS('menu.default.svc.cluster.local.', 'A').rcode
      expect(ask(), 'before kubectl apply, menu.default.svc.cluster.local does not exist').toBe('NXDOMAIN')
      c.applyObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'menu', namespace: 'default' }, spec: { selector: { app: 'menu' }, ports: [{ port: 80 }] } })
      expect(ask(), 'the kubernetes plugin watches Services: a new one is answered at once, not after the zone was rebuilt for another reason').toBe('NOERROR')
    },
  },
]

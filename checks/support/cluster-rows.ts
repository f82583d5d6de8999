// Kata 09, deep task kind-cluster: what the Cluster class itself answers for — the
// options a kind cluster is created with (--node-cidr-mask-size, kube-proxy's mode, a
// CNI that routes pod IPs, CoreDNS's `pods insecure`), the file kubectl names in its
// errors, what `kubectl get` lists and in which order, `kubectl delete --force
// --grace-period=0`, a readiness probe on a pod that does not run, the events `kubectl
// describe svc` shows, and a pod's DNS settings. Each row builds its own cluster, so
// that it alone answers for what it asks about.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/proxy/ipvs/proxier.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/nodeipam/ipam/range_allocator.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/cmd/kubeadm/app/phases/addons/dns/manifests.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/kubelet/network/dns/dns.go
import { expect } from 'vitest'
import type { KubeObject } from '@impl/api/manifests.ts'
import { Cluster, type ApplyResult } from '@impl/cluster/cluster.ts'
import { type StoryRow, thrown } from './story.ts'

const line = (r: ApplyResult | undefined) => (r === undefined ? 'no result' : r.ok ? r.text : r.error)

/** A curl pod in `namespace`; `preStop` seconds of sleep before it stops; `nodeSelector` to keep it Pending. */
const pod = (name: string, namespace: string, o: { preStop?: number; nodeSelector?: Record<string, string> } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: {
    ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
    containers: [{ name: 'curl', image: 'curlimages/curl:8.10.1', command: ['sleep', 'infinity'], ...(o.preStop !== undefined ? { lifecycle: { preStop: { sleep: { seconds: o.preStop } } } } : {}) }],
  },
})
const lb = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } })
const send = (c: Cluster, o: KubeObject) => {
  const r = c.applyObject(structuredClone(o))
  expect(r.ok, `kubectl apply of ${o.kind} ${o.metadata?.name}: ${line(r)}`).toBe(true)
}
const phase = (c: Cluster, namespace: string, name: string) => {
  const p = c.pods(namespace).find((x) => x.metadata?.name === name)
  return p === undefined ? 'gone' : p.metadata?.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? '')
}

export const CLUSTER_ROWS: StoryRow[] = [
  {
    name: 'nodeCIDRMaskSize 26 gives each node a /26 of 10.244.0.0/16, as kube-controller-manager’s --node-cidr-mask-size does',
    run: () =>
      expect(
        new Cluster({ nodeCIDRMaskSize: 26 }).nodes().map((n) => `${n.metadata?.name} ${n.spec?.podCIDR}`),
        'new Cluster({nodeCIDRMaskSize: 26}): the node IPAM range allocator hands out /26 blocks in order',
      ).toEqual(['kind-control-plane 10.244.0.0/26', 'kind-worker 10.244.0.64/26', 'kind-worker2 10.244.0.128/26']),
  },
  {
    name: 'proxyMode ipvs makes every node’s kube-proxy take a Service’s endpoints round robin (IPVS’s rr scheduler); iptables picks at random',
    run: () => {
      const answers = (proxyMode?: 'ipvs' | 'iptables') => {
        const c = new Cluster(proxyMode === undefined ? {} : { proxyMode })
        send(c, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
        for (const name of ['web-a', 'web-b', 'web-c']) {
          send(c, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080'], ports: [{ containerPort: 8080 }] }] } })
        }
        send(c, pod('client', 'default'))
        return Array.from({ length: 6 }, () => {
          const r = c.connect({ from: { pod: 'default/client' }, url: 'http://web/hostname' })
          return r.ok ? r.body : `no answer: ${r.message}`
        })
      }
      const rr = answers('ipvs')
      const first = rr.slice(0, 3)
      expect([...first].sort(), 'new Cluster({proxyMode: "ipvs"}), curl http://web/hostname three times: rr hands each of the three endpoints one connection').toEqual(['web-a', 'web-b', 'web-c'])
      expect(rr.slice(3), 'the next three connections go round the endpoints again, in the same order').toEqual(first)
      expect(answers(), 'new Cluster() runs kube-proxy in iptables mode (statistic --mode random), not round robin').not.toEqual(rr)
    },
  },
  {
    name: 'with routablePodIPs a CNI that routes pod IPs lets a machine outside reach a pod by its IP; kindnet (the default) does not',
    run: () => {
      for (const [routable, want] of [
        [true, true],
        [undefined, false],
      ] as const) {
        const c = new Cluster(routable === undefined ? {} : { routablePodIPs: routable })
        send(c, pod('client', 'default'))
        const ip = c.pods('default')[0]?.status?.podIP ?? ''
        expect(c.reach(c.client({ external: '203.0.113.7' }), ip).reachable, `from 203.0.113.7 to pod IP ${ip}, routablePodIPs ${String(routable)} (kata 00)`).toBe(want)
      }
    },
  },
  {
    name: 'CoreDNS answers pod A records by default: kubeadm’s Corefile says pods insecure, so 10-244-9-9.default.pod.cluster.local is 10.244.9.9',
    run: () => {
      const c = new Cluster()
      send(c, pod('client', 'default'))
      expect(c.lookup('default', 'client', '10-244-9-9.default.pod.cluster.local').addresses, 'getaddrinfo in a pod: `pods insecure` answers any dashed IP without looking for the pod').toEqual(['10.244.9.9'])
    },
  },
  {
    name: 'kubectl apply -f names the file in the API server’s errors: manifest.yaml when none is given, <api> for an object sent as API data',
    run: () => {
      const c = new Cluster()
      const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } }
      expect(line(c.apply('apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n')[0]), 'c.apply(text) without a file name').toBe(
        'Error from server (NotFound): error when creating "manifest.yaml": namespaces "shop" not found',
      )
      expect(line(c.applyObject(svc)), 'c.applyObject(object) without a file name').toBe('Error from server (NotFound): error when creating "<api>": namespaces "shop" not found')
    },
  },
  {
    name: 'kubectl get ns lists Namespaces by name, not in the order they were created',
    run: () => {
      const c = new Cluster()
      for (const name of ['zoo', 'aardvark', 'kube-apps', 'default-2']) send(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })
      expect(c.namespaces().map((n) => n.metadata?.name), 'kubectl get ns').toEqual(['aardvark', 'default', 'default-2', 'kube-apps', 'kube-node-lease', 'kube-public', 'kube-system', 'zoo'])
    },
  },
  {
    name: 'getting a pod or a Service that does not exist is NotFound, as kubectl get prints it',
    run: () => {
      const c = new Cluster()
      expect([thrown(() => c.pod('default', 'ghost')), thrown(() => c.service('default', 'ghost')), thrown(() => c.service('kube-system', 'kubernetes'))], 'kubectl get pod ghost; kubectl get svc ghost; kubectl get svc kubernetes -n kube-system').toEqual([
        'NotFoundError: Error from server (NotFound): pods "ghost" not found',
        'NotFoundError: Error from server (NotFound): services "ghost" not found',
        'NotFoundError: Error from server (NotFound): services "kubernetes" not found',
      ])
    },
  },
  ...['po', 'pod', 'pods'].map(
    (as): StoryRow => ({
      name: `kubectl delete ${as} --force --grace-period=0 removes a pod at once, though its preStop hook would keep it Terminating for 20 s`,
      run: () => {
        const c = new Cluster()
        send(c, pod('slow', 'default', { preStop: 20 }))
        send(c, pod('forced', 'default', { preStop: 20 }))
        c.delete(as, 'default', 'slow')
        c.delete(as, 'default', 'forced', { gracePeriodSeconds: 0 })
        expect([phase(c, 'default', 'slow'), phase(c, 'default', 'forced')], `kubectl delete ${as} slow; kubectl delete ${as} forced --force --grace-period=0`).toEqual(['Terminating', 'gone'])
        c.delete(as, 'default', 'slow', { gracePeriodSeconds: 0 })
        expect(phase(c, 'default', 'slow'), `kubectl delete ${as} slow --force --grace-period=0 while it is Terminating: the API server removes it without waiting`).toBe('gone')
      },
    }),
  ),
  {
    name: 'a grace period of 0 on another kind does not remove a pod of the same name',
    run: () => {
      const c = new Cluster()
      send(c, pod('web', 'default', { preStop: 20 }))
      send(c, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } })
      c.delete('pod', 'default', 'web')
      c.delete('svc', 'default', 'web', { gracePeriodSeconds: 0 })
      expect(phase(c, 'default', 'web'), 'kubectl delete pod web, then kubectl delete svc web --grace-period=0: the pod keeps terminating').toBe('Terminating')
    },
  },
  {
    name: 'a readiness probe can only change on a pod that runs: an unknown pod is NotFound, a Pending one is not running',
    run: () => {
      const c = new Cluster()
      send(c, pod('stuck', 'default', { nodeSelector: { disktype: 'ssd' } }))
      expect([thrown(() => c.setPodReady('default', 'ghost', false)), thrown(() => c.setPodReady('default', 'stuck', true))], 'setPodReady on pod ghost, and on pod stuck (no node has disktype=ssd: Pending, no IP, no kubelet runs it)').toEqual([
        'NotFoundError: Error from server (NotFound): pods "ghost" not found',
        'ClusterError: pod default/stuck is not running',
      ])
    },
  },
  {
    name: 'kubectl describe svc shows the service controller’s events at the cluster’s time, only those of the Service stored under that name now',
    run: () => {
      const c = new Cluster()
      c.advance(60)
      send(c, lb('shop'))
      const first = c.serviceEvents('default', 'shop')
      expect(first.map((e) => `${e.timestamp} ${e.type} ${e.reason}`), 'kubectl describe svc shop, a minute after the cluster was created').toEqual([
        '2026-01-01T00:01:00Z Normal EnsuringLoadBalancer',
        '2026-01-01T00:01:00Z Normal EnsuredLoadBalancer',
      ])
      c.delete('svc', 'default', 'shop')
      expect(c.serviceEvents('default', 'shop'), 'after kubectl delete svc shop: no Service, no events to describe').toEqual([])
      c.advance(30)
      send(c, lb('shop'))
      const uid = c.service('default', 'shop').metadata?.uid
      expect(
        c.serviceEvents('default', 'shop').map((e) => `${e.timestamp} ${e.reason} ${e.uid === uid ? 'this Service' : 'another'}`),
        'shop created again: kubectl describe lists the events of the new object (its uid), not those of the one deleted before',
      ).toEqual(['2026-01-01T00:01:30Z EnsuringLoadBalancer this Service', '2026-01-01T00:01:30Z EnsuredLoadBalancer this Service'])
      const none = new Cluster({ cloud: false })
      send(none, lb('shop'))
      expect(none.serviceEvents('default', 'shop'), 'without a cloud no service controller runs: no events').toEqual([])
    },
  },
  {
    name: 'a pod’s DNS settings are the kubelet’s for ClusterFirst: nameserver 10.96.0.10, its namespace’s search list, ndots:5; CoreDNS serves the zone',
    run: () => {
      const c = new Cluster()
      send(c, pod('client', 'default'))
      expect(c.dnsConfig('default', 'client'), 'the kubelet’s DNS configuration of default/client').toEqual({
        servers: ['10.96.0.10'],
        searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
        options: ['ndots:5'],
      })
      expect(c.zone().serveDNS('kube-dns.kube-system.svc.cluster.local.', 'A').answer, 'dig @10.96.0.10 kube-dns.kube-system.svc.cluster.local').toEqual(['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10'])
    },
  },
]

// ────────────────────────────────────────────────────────────────────────
// Kata 09 · given: nothing to write here on the core path.
// This is finished code to read and step into; the checks rely on it as it is.
// The deep track asks for it too: `katas deep 09`.
// ────────────────────────────────────────────────────────────────────────
// The controllers of kube-controller-manager, wired to the API server: who hears of a
// change, and what each writes back. In Kubernetes every controller watches the API
// through an informer; the model tells them directly, in the same order:
//
//   a pod changed      → the endpoints controller (kata 03), and every Service whose
//                        selector matches the pod (kata 02) has stale EndpointSlices
//   a Service changed  → the endpoints controller, the service controller (kata 08)
//   EndpointSlices     → built on demand by kata 03's syncService for Services with a
//                        selector; mirrored from a user's Endpoints for the others
//   load balancers     → the service controller's status and finalizer copied back
//
// Read it to see where each kata's module is called.
import type { EndpointAddress, Endpoints, Pod, Service } from 'kubernetes-types/core/v1'
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1'
import { KUBERNETES_SERVICE, type NodeInfo } from '../../lib/cluster/defaults.ts'
import { Random } from '../../lib/random.ts'
import { generateName } from '../../lib/storage/names.ts'
import { LABEL_SERVICE_NAME, syncService as syncEndpointSlices } from '../controller/endpointslice.ts'
import { selectorFromSet, type Selector } from '../labels/selector.ts'
import { canonicalJSON, candidatePods, changed, fnv32a, indexPodLabels, labelKey, metaKey, sameLabels, type ClusterState, type PodRecord } from './storage.ts'

/** Endpoints with this label are not mirrored into EndpointSlices. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror'
/** `managed-by` value of slices the EndpointSlice mirroring controller writes. */
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io'

/** A pod's new version: the controllers and caches hear about it. */
export function podChanged(s: ClusterState, rec: PodRecord, next: Pod): void {
  const before = rec.pod
  const namespace = next.metadata!.namespace!
  const name = next.metadata!.name!
  rec.pod = next
  const oldLabels = before.metadata?.labels ?? {}
  const newLabels = next.metadata?.labels ?? {}
  const relabelled = oldLabels !== newLabels && !sameLabels(oldLabels, newLabels)
  if (relabelled) {
    indexPodLabels(s, namespace, name, oldLabels, false)
    indexPodLabels(s, namespace, name, newLabels, true)
  }
  s.endpointsController.updatePod(next)
  bumpSelecting(s, namespace, oldLabels)
  if (relabelled) bumpSelecting(s, namespace, newLabels)
  changed(s)
}

/** Services of the namespace whose selector matches these labels (kata 02). */
export function servicesSelecting(s: ClusterState, namespace: string, labels: Record<string, string>): Service[] {
  const index = s.serviceSelectorIndex.get(namespace)
  if (!index) return []
  const keys = new Set(index.matchAll)
  for (const [k, v] of Object.entries(labels)) for (const key of index.byLabel.get(labelKey(k, v)) ?? []) keys.add(key)
  const out: Service[] = []
  for (const key of keys) {
    const svc = s.serviceStore.get(key)
    if (svc && selectorOf(svc).matches(labels)) out.push(svc)
  }
  return out
}

/**
 * A Service's selector as kata 02 reads it, parsed once per selector object: every pod
 * change asks every Service that may select it.
 */
function selectorOf(svc: Service): Selector {
  const set = svc.spec?.selector
  if (!set) return selectorFromSet(set)
  let selector = selectors.get(set)
  if (!selector) selectors.set(set, (selector = selectorFromSet(set)))
  return selector
}
const selectors = new WeakMap<object, Selector>()

/** The Services whose endpoints may change with a pod of these labels: their slices and rules are stale. */
export function bumpSelecting(s: ClusterState, namespace: string, labels: Record<string, string>): void {
  for (const svc of servicesSelecting(s, namespace, labels)) bump(s, metaKey(svc))
}

/** The Service (or its endpoints) changed: its EndpointSlices and every node's rules for it are stale. */
export function bump(s: ClusterState, key: string): void {
  s.serviceVersion.set(key, (s.serviceVersion.get(key) ?? 0) + 1)
}

/**
 * The EndpointSlice mirroring controller: a Service without selector gets one slice per
 * subset of the user's Endpoints (`<name>-xxxxx`, managed by
 * endpointslicemirroring-controller.k8s.io), unless the Endpoints carry
 * `endpointslice.kubernetes.io/skip-mirror: "true"`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/endpointslicemirroring/utils.go
 */
export function mirroredSlices(s: ClusterState, svc: Service): EndpointSlice[] {
  const namespace = svc.metadata?.namespace ?? ''
  const name = svc.metadata?.name ?? ''
  const eps = s.endpointsController.get(namespace, name)
  if (!eps || eps.metadata?.labels?.[SKIP_MIRROR_LABEL] === 'true') return []
  const random = new Random(fnv32a(`mirror/${namespace}/${name}`))
  return (eps.subsets ?? []).map((subset) => {
    const endpoint = (a: EndpointAddress, ready: boolean): Endpoint => ({
      addresses: [a.ip],
      conditions: { ready },
      ...(a.hostname ? { hostname: a.hostname } : {}),
      ...(a.nodeName ? { nodeName: a.nodeName } : {}),
      ...(a.targetRef ? { targetRef: a.targetRef } : {}),
    })
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: generateName(`${name}-`, random),
        generateName: `${name}-`,
        namespace,
        labels: { ...(eps.metadata?.labels ?? {}), [LABEL_SERVICE_NAME]: name, 'endpointslice.kubernetes.io/managed-by': MIRRORING_CONTROLLER_NAME },
      },
      addressType: 'IPv4',
      endpoints: [...(subset.addresses ?? []).map((a) => endpoint(a, true)), ...(subset.notReadyAddresses ?? []).map((a) => endpoint(a, false))],
      ports: (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    }
  })
}

/**
 * The EndpointSlices of one Service (cached until its pods or the Service change): the
 * EndpointSlice controller's (kata 03) for a Service with a selector — names drawn from a
 * seed of the Service, so they stay the same from sync to sync — mirrored ones without.
 */
export function slicesOf(s: ClusterState, svc: Service): EndpointSlice[] {
  const key = metaKey(svc)
  const version = s.serviceVersion.get(key) ?? 0
  const cached = s.sliceCache.get(key)
  if (cached && cached.version === version) return cached.slices
  const apiserver = s.apiserverSlices.get(key)
  const selector = svc.spec?.selector
  let slices: EndpointSlice[]
  if (apiserver) slices = [apiserver]
  // Mirroring looks at the selector only, not the type: an ExternalName Service's Endpoints
  // are mirrored too; kata 03's syncService gives it none from a selector.
  else if (selector == null) slices = mirroredSlices(s, svc)
  else {
    const namespace = svc.metadata?.namespace ?? ''
    slices = syncEndpointSlices(svc, candidatePods(s, namespace, selector), { random: new Random(fnv32a(`slices/${key}`)) }) ?? []
  }
  s.sliceCache.set(key, { version, slices })
  return slices
}

/** The service controller wrote status (and its finalizer) on its copy: the API server's copy gets them. */
export function copyControllerState(s: ClusterState, key: string): void {
  const svc = s.serviceStore.get(key)
  if (!svc || !s.serviceController) return
  const [namespace, name] = [svc.metadata?.namespace ?? '', svc.metadata?.name ?? '']
  const ctrl = s.serviceController.get(namespace, name)
  if (!ctrl) return
  const before = canonicalJSON([svc.status, svc.metadata?.finalizers])
  const status = ctrl.status ? structuredClone(ctrl.status) : undefined
  const finalizers = ctrl.metadata?.finalizers
  const { status: _old, ...rest } = svc
  const { finalizers: _f, ...meta } = svc.metadata ?? {}
  const next: Service = {
    ...rest,
    metadata: { ...meta, ...(finalizers?.length ? { finalizers: [...finalizers] } : {}) },
    ...(status && Object.keys(status).length ? { status } : {}),
  }
  if (canonicalJSON([next.status, next.metadata?.finalizers]) === before) return
  s.serviceStore.set(key, next)
  const version = s.currentVersion.get(key)
  if (version) version.service = next
  if (next.spec?.type === 'LoadBalancer') s.lbServices.add(key)
  bump(s, key)
}

/** After a node change: every LoadBalancer Service's status as the service controller now has it. */
export function syncLoadBalancerStatuses(s: ClusterState): void {
  for (const svc of s.serviceStore.values()) if (svc.spec?.type === 'LoadBalancer') copyControllerState(s, metaKey(svc))
}

/**
 * The API server's endpoint reconciler: Endpoints and EndpointSlice `kubernetes` → the
 * control plane's :6443.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controlplane/reconcilers/endpointsadapter.go
 */
export function writeAPIServerEndpoints(s: ClusterState, cp: NodeInfo): void {
  const port = KUBERNETES_SERVICE.port
  const endpoints: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [SKIP_MIRROR_LABEL]: 'true' } },
    subsets: [{ addresses: [{ ip: cp.internalIP }], ports: [{ name: port.name, port: port.targetPort, protocol: port.protocol }] }],
  }
  s.endpointsController.applyEndpoints(endpoints)
  s.apiserverSlices.set('default/kubernetes', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [LABEL_SERVICE_NAME]: 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [cp.internalIP], conditions: { ready: true } }],
    ports: [{ name: port.name, port: port.targetPort, protocol: port.protocol }],
  })
  bump(s, 'default/kubernetes')
}

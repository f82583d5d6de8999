// Scenarios for kata 03's endpoints controller: events fed to a new controller, then
// what one Endpoints object must say — its addresses, ports, labels and
// last-change-trigger-time. The trigger-time rows follow Kubernetes'
// trigger_time_tracker_test.go; the rest, the controller's informer handlers.
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointsController } from '@impl/controller/endpoints.ts'
import { withIPs, withReady } from './endpoints.ts'
import { pod, service, type PodOptions, type ServiceOptions } from './fixtures.ts'

export const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time'
export const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity'
export const MANAGED_BY = 'endpoints.kubernetes.io/managed-by'

export interface ReconcileRow {
  name: string
  /** Events fed to a new controller. */
  events: (c: EndpointsController) => void
  /** The Endpoints read afterwards, `namespace/name`; default `snackbar/order`. */
  endpoints?: string
  want: {
    /** `null`: no Endpoints object at all. */
    ips?: { ready: string[]; notReady: string[] } | null
    /** The ports listed, sorted. */
    ports?: number[]
    labels?: Record<string, string>
    /** `null`: no last-change-trigger-time annotation. */
    triggerTime?: string | null
  }
  why: string
}

const at = (hhmmss: string) => `2026-01-01T${hhmmss}Z`
const order = (o: Partial<ServiceOptions> = {}) => service({ name: 'order', selector: { app: 'order' }, ...o })
const orderPod = (name: string, ip: string, o: Partial<PodOptions> = {}) => pod({ name, labels: { app: 'order' }, ip, ...o })
/** A Ready pod of `order` whose Ready condition turned True at `time`. */
const readyAt = (name: string, ip: string, time: string, o: Partial<PodOptions> = {}) => withReady(orderPod(name, ip, o), true, at(time))
const created = (s: Service, time: string): Service => ({ ...s, metadata: { ...s.metadata, creationTimestamp: time } })
const none = { ready: [] as string[], notReady: [] as string[] }
const ready = (...ips: string[]) => ({ ready: ips, notReady: [] as string[] })

export const reconcileRows: ReconcileRow[] = [
  {
    name: 'a pod whose Ready condition is stamped again without a change of readiness leaves the Endpoints unwritten: last-change-trigger-time stays',
    events: (c) => {
      c.addService(order({ labels: { app: 'order', team: 'food' } }))
      c.addPod(readyAt('order-1', '10.244.1.2', '00:05:00'))
      c.updatePod(readyAt('order-1', '10.244.1.2', '00:07:00'))
    },
    want: { ips: ready('10.244.1.2'), triggerTime: at('00:05:00') },
    why: 'subsets and labels are unchanged, so syncService skips the update, and the annotation keeps the time of the last write',
  },
  {
    name: 'a Service whose label changes value gets its Endpoints rewritten with the new labels, though no pod changed',
    events: (c) => {
      c.addService(order({ labels: { app: 'order', team: 'food' } }))
      c.addPod(orderPod('order-1', '10.244.1.2'))
      c.updateService(order({ labels: { app: 'order', team: 'kitchen' } }))
    },
    want: { labels: { app: 'order', team: 'kitchen', [MANAGED_BY]: 'endpoint-controller' } },
    why: 'syncService compares the Endpoints labels with the Service labels and writes when they differ',
  },
  {
    name: 'a Service that gains a label gets its Endpoints rewritten with it, though no pod changed',
    events: (c) => {
      c.addService(order({ labels: { app: 'order' } }))
      c.addPod(orderPod('order-1', '10.244.1.2'))
      c.updateService(order({ labels: { app: 'order', team: 'food' } }))
    },
    want: { labels: { app: 'order', team: 'food', [MANAGED_BY]: 'endpoint-controller' } },
    why: 'the Service has one label more than its Endpoints: the label sets differ',
  },
  {
    name: 'a Service whose targetPort changes gets its Endpoints rewritten with the new port, though no pod changed',
    events: (c) => {
      c.addService(order({ ports: [{ port: 80, targetPort: 8080 }] }))
      c.addPod(orderPod('order-1', '10.244.1.2'))
      c.updateService(order({ ports: [{ port: 80, targetPort: 9090 }] }))
    },
    want: { ips: ready('10.244.1.2'), ports: [9090] },
    why: 'the subsets now list port 9090: they differ from the stored ones, so the Endpoints are updated',
  },
  {
    name: 'Endpoints a user wrote listing a Ready pod as not ready are overwritten at the next sync',
    events: (c) => {
      c.addService(order())
      c.applyEndpoints({ metadata: { name: 'order', namespace: 'snackbar' }, subsets: [{ notReadyAddresses: [{ ip: '10.244.1.2' }], ports: [{ port: 80 }] }] })
      c.addPod(orderPod('order-1', '10.244.1.2'))
    },
    want: { ips: ready('10.244.1.2') },
    why: 'the stored subset has notReadyAddresses where the wanted one has addresses: they differ, and the controller writes what the pods say',
  },
  {
    name: 'Endpoints cut at 1000 addresses are written again at every sync, so a pod stamped Ready again updates last-change-trigger-time',
    events: (c) => {
      c.addService(order())
      c.batch(() => {
        for (let i = 0; i < 1001; i++) c.addPod(orderPod(`order-${i}`, `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`))
      })
      c.updatePod(readyAt('order-0', '10.244.0.2', '00:07:00'))
    },
    want: { triggerTime: at('00:07:00') },
    why: 'the over-capacity annotation means the stored object is not what the pods say (1001 of them): syncService never skips that update',
  },
  {
    name: 'batches nest: an inner batch syncs nothing, the outer one syncs everything once at its end',
    events: (c) => {
      c.addService(order())
      c.batch(() => {
        c.addPod(orderPod('order-1', '10.244.1.2'))
        c.batch(() => c.addPod(orderPod('order-2', '10.244.1.3')))
        c.addPod(orderPod('order-3', '10.244.1.4'))
      })
    },
    want: { ips: ready('10.244.1.2', '10.244.1.3', '10.244.1.4') },
    why: 'all three pods were added inside the outer batch',
  },
  {
    name: 'a Service deleted and created again is stamped with its creationTimestamp again, as on any first sync',
    events: (c) => {
      c.addService(order())
      c.addPod(readyAt('order-1', '10.244.1.2', '00:05:00'))
      c.deleteService(order())
      c.addService(order())
    },
    want: { ips: ready('10.244.1.2'), triggerTime: at('00:00:00') },
    why: 'deleting the Service drops its trigger-time state, so the new Service is new to the tracker',
  },
  {
    name: 'a Service created after its pods became Ready is stamped with its own creationTimestamp, not the pods\' earlier Ready times',
    events: (c) => {
      c.addPod(withReady(orderPod('order-1', '10.244.1.2'), true, '2025-12-31T23:55:00Z'))
      c.addService(order())
    },
    want: { ips: ready('10.244.1.2'), triggerTime: at('00:00:00') },
    why: 'TestNewServiceExistingPods: on a Service\'s first sync the trigger time is its creationTimestamp',
  },
  {
    name: 'the trigger time is the Ready time of the pod that changed, not of a pod that was already listed',
    events: (c) => {
      c.addService(order())
      c.addPod(readyAt('order-1', '10.244.1.2', '00:05:00'))
      c.addPod(readyAt('order-2', '10.244.1.3', '00:07:00'))
    },
    want: { ips: ready('10.244.1.2', '10.244.1.3'), triggerTime: at('00:07:00') },
    why: 'TestPodsAdded: order-1 became Ready at 00:05 and was synced then; only order-2 (00:07) changed since',
  },
  {
    name: 'of two pods added in one batch, the earlier Ready time is the trigger time',
    events: (c) => {
      c.addService(order())
      c.batch(() => {
        c.addPod(readyAt('order-1', '10.244.1.2', '00:07:00'))
        c.addPod(readyAt('order-2', '10.244.1.3', '00:05:00'))
      })
    },
    want: { ips: ready('10.244.1.2', '10.244.1.3'), triggerTime: at('00:05:00') },
    why: 'TestPodsAdded: both pods changed since the last sync; the earliest change is the trigger',
  },
  {
    name: 'a Service deleted and created anew within one batch is stamped with the new creationTimestamp when it is the earliest change',
    events: (c) => {
      c.addService(order())
      c.addPod(readyAt('order-1', '10.244.1.2', '00:05:00'))
      c.batch(() => {
        c.deleteService(order())
        c.addPod(readyAt('order-2', '10.244.1.3', '00:30:00'))
        c.addService(created(order(), at('00:20:00')))
      })
    },
    want: { ips: ready('10.244.1.2', '10.244.1.3'), triggerTime: at('00:20:00') },
    why: 'the work queue syncs the Service once: its creationTimestamp (00:20) and order-2\'s Ready time (00:30) both changed, and the earlier wins',
  },
  {
    name: 'the Ready time is read from the condition of type Ready, not from the first condition listed',
    events: (c) => {
      c.addService(order())
      const p = orderPod('order-1', '10.244.1.2')
      c.addPod({
        ...p,
        status: {
          ...p.status,
          conditions: [
            { type: 'PodScheduled', status: 'True', lastTransitionTime: at('00:02:00') },
            { type: 'Ready', status: 'True', lastTransitionTime: at('00:05:00') },
          ],
        },
      })
    },
    want: { ips: ready('10.244.1.2'), triggerTime: at('00:05:00') },
    why: 'the tracker uses the lastTransitionTime of the Ready condition',
  },
  {
    name: 'a pod just created, without conditions or IP yet, changes nothing',
    events: (c) => {
      c.addService(order())
      const p = orderPod('order-1', '10.244.1.2')
      c.addPod({ ...p, status: { phase: 'Pending' } })
    },
    want: { ips: none, triggerTime: at('00:00:00') },
    why: 'the pod has no Ready condition and no IP: nothing to list and no trigger time, so the Endpoints are not rewritten',
  },
  {
    name: 'a pod without a Ready condition is listed not ready and brings no trigger time',
    events: (c) => {
      c.addService(order())
      const p = orderPod('order-1', '10.244.1.2', { ready: undefined })
      c.addPod({ ...p, status: { ...p.status, conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: at('00:02:00') }] } })
    },
    want: { ips: { ready: [], notReady: ['10.244.1.2'] }, triggerTime: null },
    why: 'only a Ready condition gives a pod its trigger time; this one has none yet, so the Endpoints are written without the annotation',
  },
  {
    name: 'a Ready time with a fraction of a second is written as Go\'s RFC3339Nano writes it, without trailing zeros',
    events: (c) => {
      c.addService(order())
      c.addPod(readyAt('order-1', '10.244.1.2', '00:05:00.250'))
    },
    want: { triggerTime: at('00:05:00.25') },
    why: 'time.RFC3339Nano drops the trailing zeros of the fraction',
  },
  {
    name: 'a pod relabelled out of the selector: the Endpoints are rewritten without last-change-trigger-time',
    events: (c) => {
      c.addService(order())
      c.addPod(readyAt('order-1', '10.244.1.2', '00:05:00'))
      c.updatePod(withReady(pod({ name: 'order-1', labels: { app: 'debug' }, ip: '10.244.1.2' }), true, at('00:05:00')))
    },
    want: { ips: none, triggerTime: null },
    why: 'no Ready time and no Service changed since the last sync: syncService clears the annotation',
  },
  {
    name: 'a Service that gains a selector is stamped with its creationTimestamp at its first sync',
    events: (c) => {
      c.addPod(readyAt('order-1', '10.244.1.2', '00:05:00'))
      c.addService(order({ selector: null }))
      c.updateService(order())
    },
    want: { ips: ready('10.244.1.2'), triggerTime: at('00:00:00') },
    why: 'a Service without selector returns before the trigger-time tracker: the first sync with a selector is the first it sees',
  },
  {
    name: 'an ExternalName Service turned into a ClusterIP Service is stamped with its creationTimestamp at its first sync',
    events: (c) => {
      c.addPod(readyAt('order-1', '10.244.1.2', '00:05:00'))
      c.addService(order({ type: 'ExternalName', externalName: 'order.example.com' }))
      c.updateService(order())
    },
    want: { ips: ready('10.244.1.2'), triggerTime: at('00:00:00') },
    why: 'an ExternalName Service returns before the trigger-time tracker: the first sync as ClusterIP is the first it sees',
  },
  {
    name: 'a Service with the empty selector {} lists every pod of its namespace, pods added after it too',
    events: (c) => {
      c.addService(order({ selector: {} }))
      c.addPod(pod({ name: 'web-1', labels: { app: 'web' }, ip: '10.244.1.2' }))
      c.addPod(pod({ name: 'debug', ip: '10.244.1.3' }))
    },
    want: { ips: ready('10.244.1.2', '10.244.1.3') },
    why: 'an empty selector matches every pod, with or without labels',
  },
  {
    name: 'two Services whose selectors share their first label both list a pod added after them',
    events: (c) => {
      c.addService(service({ name: 'order-v2', selector: { app: 'order', version: 'v2' } }))
      c.addService(order())
      c.addPod(orderPod('order-1', '10.244.1.2', { labels: { app: 'order', version: 'v2' } }))
    },
    endpoints: 'snackbar/order-v2',
    want: { ips: ready('10.244.1.2') },
    why: 'selector {app: order, version: v2} matches order-1 as {app: order} does',
  },
  {
    name: 'a pod selected by two Services added after it leaves both Endpoints when deleted',
    events: (c) => {
      c.addPod(orderPod('order-1', '10.244.1.2', { labels: { app: 'order', track: 'canary' } }))
      c.addService(service({ name: 'canary', selector: { track: 'canary' } }))
      c.addService(order())
      c.deletePod(orderPod('order-1', '10.244.1.2', { labels: { app: 'order', track: 'canary' } }))
    },
    endpoints: 'snackbar/canary',
    want: { ips: none },
    why: 'order-1 was deleted: every Service that selected it drops it',
  },
  {
    name: 'a pod selected by two Services leaves both Endpoints when deleted, after one Service was updated',
    events: (c) => {
      c.addService(service({ name: 'canary', selector: { track: 'canary' } }))
      c.addService(order())
      c.addPod(orderPod('order-1', '10.244.1.2', { labels: { app: 'order', track: 'canary' } }))
      c.updateService(order({ labels: { team: 'food' } }))
      c.deletePod(orderPod('order-1', '10.244.1.2', { labels: { app: 'order', track: 'canary' } }))
    },
    endpoints: 'snackbar/canary',
    want: { ips: none },
    why: 'order-1 was deleted: updating Service order must not make the controller forget that canary selected it',
  },
  {
    name: 'a pod of a deleted Service can change and be deleted: no Endpoints come back',
    events: (c) => {
      c.addService(order())
      c.addPod(orderPod('order-1', '10.244.1.2'))
      c.deleteService(order())
      c.updatePod(orderPod('order-1', '10.244.1.2', { ready: false }))
      c.deletePod(orderPod('order-1', '10.244.1.2'))
    },
    want: { ips: null },
    why: 'Service order is gone: nothing selects order-1 any more',
  },
  {
    name: 'a pod of a Service whose selector was removed can change: its last Endpoints stay as they were',
    events: (c) => {
      c.addService(order({ selector: {} }))
      c.addPod(orderPod('order-1', '10.244.1.2'))
      c.updateService(order({ selector: null }))
      c.updatePod(orderPod('order-1', '10.244.1.2', { ready: false }))
      c.addPod(pod({ name: 'debug', ip: '10.244.1.3' }))
    },
    want: { ips: ready('10.244.1.2') },
    why: 'without selector the controller no longer manages the Endpoints',
  },
  {
    name: 'deleting a pod or a Service the controller never saw changes nothing',
    events: (c) => {
      c.addService(order())
      c.deletePod(pod({ name: 'ghost', namespace: 'elsewhere', labels: { app: 'order' } }))
      c.deleteService(service({ name: 'ghost', namespace: 'elsewhere' }))
      c.addPod(orderPod('order-1', '10.244.1.2'))
    },
    want: { ips: ready('10.244.1.2') },
    why: 'a delete event for an unknown object is a no-op (the informer may deliver one after a resync)',
  },
  {
    name: 'Endpoints a user deletes in a namespace without Services stay deleted',
    events: (c) => {
      c.applyEndpoints({ metadata: { name: 'legacy-db', namespace: 'legacy' }, subsets: [{ addresses: [{ ip: '192.168.10.5' }], ports: [{ port: 5432 }] }] })
      c.deleteEndpoints('legacy', 'legacy-db')
    },
    endpoints: 'legacy/legacy-db',
    want: { ips: null },
    why: 'no Service manages legacy/legacy-db: nothing recreates it',
  },
  {
    name: 'Endpoints a user deletes for a Service without selector stay deleted',
    events: (c) => {
      c.addService(service({ name: 'legacy-db', selector: null }))
      c.applyEndpoints({ metadata: { name: 'legacy-db', namespace: 'snackbar' }, subsets: [{ addresses: [{ ip: '192.168.10.5' }], ports: [{ port: 5432 }] }] })
      c.deleteEndpoints('snackbar', 'legacy-db')
    },
    endpoints: 'snackbar/legacy-db',
    want: { ips: null },
    why: 'the Endpoints of a Service without selector are the user\'s: the controller does not recreate them',
  },
]

/** The distinct port numbers of an Endpoints object, sorted. */
export function portsOf(ep: Endpoints | undefined): number[] {
  return [...new Set((ep?.subsets ?? []).flatMap((s) => (s.ports ?? []).map((p) => p.port)))].sort((a, b) => a - b)
}

/** Services of two namespaces, added in no particular order, for `list`. */
export const listServices: Service[] = [
  service({ name: 'web' }),
  service({ name: 'order', namespace: 'kitchen' }),
  service({ name: 'api' }),
  service({ name: 'order' }),
  service({ name: 'cart', namespace: 'kitchen' }),
  service({ name: 'menu' }),
]

/** A dual-stack pod whose primary IP (`status.podIP`) is IPv6. */
export const v6FirstPod: Pod = withIPs(pod({ name: 'order-7d4' }), ['fd00:10:244:1::5', '10.244.1.5'])

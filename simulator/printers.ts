// `kubectl get` tables, column for column as the API server's table printer builds them
// and kubectl's tabwriter lays them out.
// @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/printers/internalversion/printers.go
// @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/cmd/get/table_printer.go
import type { Deployment } from 'kubernetes-types/apps/v1'
import type { Endpoints, Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { LabelSelector } from 'kubernetes-types/meta/v1'
import { EPOCH } from '../lib/cluster/clock.ts'

/**
 * Go's text/tabwriter as kubectl sets it up (`printers.GetNewTabWriter`: minwidth 6,
 * padding 3): each column as wide as its widest cell plus 3; the last cell of a line is
 * not padded.
 */
export function tabwrite(rows: readonly (readonly string[])[], padding = 3, minWidth = 6): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => i < row.length - 1 && (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)))
  return rows
    .map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(Math.max(widths[i]! + padding, minWidth) - ([...cell].length - cell.length)) : cell)).join(''))
    .map((line) => `${line}\n`)
    .join('')
}

const EPOCH_MS = Date.parse(EPOCH)

/**
 * `duration.HumanDuration`: `45s`, `2m`, `3m20s`, `10m`, `3h`, `4h30m`, `2d`, `3d4h`, `1y`.
 * @see https://github.com/kubernetes/apimachinery/blob/kubernetes-1.34.0/pkg/util/duration/duration.go
 */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds)
  if (s < -1) return '<invalid>'
  if (s < 0) return '0s'
  if (s < 120) return `${s}s`
  const minutes = Math.floor(s / 60)
  if (minutes < 10) return s % 60 === 0 ? `${minutes}m` : `${minutes}m${s % 60}s`
  if (minutes < 180) return `${minutes}m`
  const hours = Math.floor(s / 3600)
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`
  }
  return `${Math.floor(hours / 24 / 365)}y`
}

/** The AGE cell: the cluster's clock minus the object's creationTimestamp. */
export function age(obj: { metadata?: { creationTimestamp?: string } }, now: number): string {
  const t = obj.metadata?.creationTimestamp
  if (!t) return '<unknown>'
  return humanDuration(now - (Date.parse(t) - EPOCH_MS) / 1000)
}

/** `labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort()
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>'
}

/** `metav1.FormatLabelSelector`: matchLabels then matchExpressions, `<none>` for an empty selector. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  if (!sel) return '<none>'
  const parts = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels![k]}`)
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator
    if (op === 'Exists') parts.push(e.key)
    else if (op === 'DoesNotExist') parts.push(`!${e.key}`)
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`)
  }
  const s = parts.join(',')
  return s === '' ? '<none>' : s
}

/** `listWithMoreString`: at most three, then ` + N more...`; nothing → `<unset>`. */
function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const s = list.join(',')
  if (more) return `${s} + ${count - max} more...`
  return s === '' ? '<unset>' : s
}

const joinHostPort = (ip: string, port: number | string) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`)

export interface TableOptions {
  now: number
  wide: boolean
  /** `-A`: a NAMESPACE column first. */
  withNamespace: boolean
  externalIPColumn: (svc: Service, wide: boolean) => string
}

export interface Printer<T> {
  headers: string[]
  wideHeaders: string[]
  row(obj: T, o: TableOptions): string[]
  wide(obj: T, o: TableOptions): string[]
}

/** `printPod`. */
export const podPrinter: Printer<Pod> = {
  headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
  wideHeaders: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
  row(pod, o) {
    const statuses = pod.status?.containerStatuses ?? []
    const total = pod.spec?.containers?.length ?? statuses.length
    const ready = statuses.filter((c) => c.ready).length
    const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0)
    let reason = pod.status?.reason || pod.status?.phase || ''
    if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating'
    return [pod.metadata?.name ?? '', `${ready}/${total}`, reason, String(restarts), age(pod, o.now)]
  },
  wide(pod) {
    return [pod.status?.podIP || '<none>', pod.spec?.nodeName || '<none>', pod.status?.nominatedNodeName || '<none>', '<none>']
  },
}

/** `makePortString`: `80/TCP`, `80:30080/TCP`, joined by `,`. */
function portString(svc: Service): string {
  const ports = svc.spec?.ports ?? []
  if (ports.length === 0) return '<none>'
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',')
}

/** `printService`. */
export const servicePrinter: Printer<Service> = {
  headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
  wideHeaders: ['SELECTOR'],
  row(svc, o) {
    const clusterIP = svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP ?? ''
    return [
      svc.metadata?.name ?? '',
      svc.spec?.type ?? 'ClusterIP',
      clusterIP === '' ? '<none>' : clusterIP,
      o.externalIPColumn(svc, o.wide),
      portString(svc),
      age(svc, o.now),
    ]
  },
  wide(svc) {
    return [formatLabels(svc.spec?.selector)]
  },
}

/** `formatEndpoints`: ready addresses only, port-major within each subset, three at most. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? []
  if (subsets.length === 0) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const ss of subsets) {
    const ports = ss.ports ?? []
    if (ports.length === 0) {
      for (const a of ss.addresses ?? []) {
        if (list.length < max) list.push(a.ip)
        else more = true
        count++
      }
      continue
    }
    for (const port of ports) {
      for (const a of ss.addresses ?? []) {
        if (list.length < max) list.push(joinHostPort(a.ip, port.port))
        else more = true
        count++
      }
    }
  }
  const s = list.join(',')
  return more ? `${s} + ${count - max} more...` : s
}

/** `printEndpoints`. */
export const endpointsPrinter: Printer<Endpoints> = {
  headers: ['NAME', 'ENDPOINTS', 'AGE'],
  wideHeaders: [],
  row(ep, o) {
    return [ep.metadata?.name ?? '', formatEndpoints(ep), age(ep, o.now)]
  },
  wide() {
    return []
  },
}

/** `printEndpointSlice`: ports (number, else name, else `*`) and every endpoint's first address, three at most. */
export const endpointSlicePrinter: Printer<EndpointSlice> = {
  headers: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  wideHeaders: [],
  row(slice, o) {
    const max = 3
    const ports: string[] = []
    let pmore = false
    let pcount = 0
    for (const p of slice.ports ?? []) {
      if (ports.length < max) ports.push(p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*')
      else pmore = true
      pcount++
    }
    const addrs: string[] = []
    let amore = false
    let acount = 0
    for (const e of slice.endpoints ?? []) {
      for (const a of e.addresses ?? []) {
        if (addrs.length < max) addrs.push(a)
        else amore = true
        acount++
      }
    }
    return [slice.metadata?.name ?? '', slice.addressType ?? '', listWithMore(ports, pmore, pcount, max), listWithMore(addrs, amore, acount, max), age(slice, o.now)]
  },
  wide() {
    return []
  },
}

/** The kubelet version kind's v1.34.0 node image reports (the model's nodes carry no `nodeInfo`). */
export const KUBELET_VERSION = 'v1.34.0'

/** `printNode`: Ready / NotReady (a Ready condition that is not True), ROLES from `node-role.kubernetes.io/*` labels. */
export const nodePrinter: Printer<Node> = {
  headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
  wideHeaders: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  row(node, o) {
    const conditions = node.status?.conditions ?? []
    const status: string[] = []
    for (const c of conditions) if (c.type === 'Ready') status.push(c.status === 'True' ? 'Ready' : 'NotReady')
    if (status.length === 0) status.push('Unknown')
    if (node.spec?.unschedulable) status.push('SchedulingDisabled')
    const roles = new Set<string>()
    for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
      if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length))
      else if (k === 'kubernetes.io/role' && v) roles.add(v)
    }
    const info = node.status?.nodeInfo
    return [node.metadata?.name ?? '', status.join(','), roles.size ? [...roles].sort().join(',') : '<none>', age(node, o.now), info?.kubeletVersion || KUBELET_VERSION]
  },
  wide(node) {
    const addr = (t: string) => node.status?.addresses?.find((a) => a.type === t)?.address ?? '<none>'
    const info = node.status?.nodeInfo
    return [addr('InternalIP'), addr('ExternalIP'), info?.osImage || '<unknown>', info?.kernelVersion || '<unknown>', info?.containerRuntimeVersion || '<unknown>']
  },
}

/** `printDeployment`. */
export const deploymentPrinter: Printer<Deployment> = {
  headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row(d, o) {
    const st = d.status ?? {}
    return [d.metadata?.name ?? '', `${st.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), age(d, o.now)]
  },
  wide(d) {
    const cs = d.spec?.template?.spec?.containers ?? []
    return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(','), formatLabelSelector(d.spec?.selector)]
  },
}

/** `printNamespace`. */
export const namespacePrinter: Printer<Namespace> = {
  headers: ['NAME', 'STATUS', 'AGE'],
  wideHeaders: [],
  row(ns, o) {
    return [ns.metadata?.name ?? '', ns.status?.phase ?? '', age(ns, o.now)]
  },
  wide() {
    return []
  },
}

/** A whole table: headers (NAMESPACE first with `-A`), one row per object. */
export function printTable<T extends { metadata?: { namespace?: string } }>(printer: Printer<T>, objects: readonly T[], o: TableOptions): string {
  const ns = o.withNamespace
  const headers = [...(ns ? ['NAMESPACE'] : []), ...printer.headers, ...(o.wide ? printer.wideHeaders : [])]
  const rows = objects.map((obj) => [...(ns ? [obj.metadata?.namespace ?? ''] : []), ...printer.row(obj, o), ...(o.wide ? printer.wide(obj, o) : [])])
  return tabwrite([headers, ...rows])
}

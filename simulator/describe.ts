// `kubectl describe svc NAME`, line for line as kubectl's ServiceDescriber writes it
// (a tabwriter with padding 2; the endpoints of each port read from EndpointSlices).
// @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/describe/describe.go
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { EPOCH } from '../lib/cluster/clock.ts'
import type { RecordedEvent } from './model.ts'
import { formatLabels, humanDuration, tabwrite } from './printers.ts'

/** `formatEndpointSlices`: ready endpoints of the named port, three at most (kubectl's own off-by-one on `more` kept). */
export function formatEndpointSlices(slices: readonly EndpointSlice[], portName: string | undefined): string {
  if (slices.length === 0) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const s of slices) {
    const ports = s.ports ?? []
    if (ports.length === 0) {
      for (const e of s.endpoints ?? []) {
        if (list.length === max) more = true
        if (e.conditions?.ready === false) continue
        if (!more) list.push(e.addresses[0]!)
        count++
      }
      continue
    }
    for (const port of ports) {
      if (portName !== undefined && (port.name ?? '') !== portName) continue
      for (const e of s.endpoints ?? []) {
        if (list.length === max) more = true
        if (e.conditions?.ready === false) continue
        const addr = e.addresses[0]!
        if (!more) list.push(addr.includes(':') ? `[${addr}]:${port.port}` : `${addr}:${port.port}`)
        count++
      }
    }
  }
  const s = list.join(',')
  return more ? `${s} + ${count - max} more...` : s
}

/** `printLabelsMultiline`: the first on the title line, the rest below it, sorted. */
function multiline(title: string, m: Record<string, string> | undefined): string[][] {
  const keys = Object.keys(m ?? {}).sort()
  if (keys.length === 0) return [[`${title}:`, '<none>']]
  return keys.map((k, i) => [i === 0 ? `${title}:` : '', `${k}=${m![k]}`])
}

export function describeService(svc: Service, slices: readonly EndpointSlice[], events: readonly RecordedEvent[] = [], now = 0): string {
  const spec = svc.spec ?? {}
  const rows: string[][] = [
    ['Name:', svc.metadata?.name ?? ''],
    ['Namespace:', svc.metadata?.namespace ?? ''],
    ...multiline('Labels', svc.metadata?.labels),
    ...multiline('Annotations', svc.metadata?.annotations),
    ['Selector:', formatLabels(spec.selector)],
    ['Type:', spec.type ?? 'ClusterIP'],
  ]
  if (spec.ipFamilyPolicy) rows.push(['IP Family Policy:', spec.ipFamilyPolicy])
  rows.push(['IP Families:', spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'])
  rows.push(['IP:', spec.clusterIP ?? ''])
  rows.push(['IPs:', spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'])
  if (spec.externalIPs?.length) rows.push(['External IPs:', spec.externalIPs.join(',')])
  if (spec.loadBalancerIP) rows.push(['IP:', spec.loadBalancerIP])
  if (spec.externalName) rows.push(['External Name:', spec.externalName])
  const ingress = svc.status?.loadBalancer?.ingress ?? []
  if (ingress.length) {
    rows.push(['LoadBalancer Ingress:', ingress.map((i) => `${i.ip || i.hostname || ''}${i.ipMode ? ` (${i.ipMode})` : ''}`).join(', ')])
  }
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>'
    const proto = p.protocol ?? 'TCP'
    rows.push(['Port:', name, `${p.port}/${proto}`])
    rows.push(['TargetPort:', `${p.targetPort ?? p.port}/${proto}`])
    if (p.nodePort) rows.push(['NodePort:', name, `${p.nodePort}/${proto}`])
    rows.push(['Endpoints:', formatEndpointSlices(slices, p.name ?? '')])
  }
  rows.push(['Session Affinity:', spec.sessionAffinity ?? 'None'])
  if (spec.externalTrafficPolicy) rows.push(['External Traffic Policy:', spec.externalTrafficPolicy])
  if (spec.internalTrafficPolicy) rows.push(['Internal Traffic Policy:', spec.internalTrafficPolicy])
  if (spec.healthCheckNodePort) rows.push(['HealthCheck NodePort:', String(spec.healthCheckNodePort)])
  if (spec.loadBalancerSourceRanges?.length) rows.push(['LoadBalancer Source Ranges:', spec.loadBalancerSourceRanges.join(',')])
  const table = describeEvents(events, now)
  if (!table) rows.push(['Events:', '<none>'])
  return alignDescribe(rows) + table
}

/** The API server's `--event-ttl` default: an event not seen again for an hour is gone. */
const EVENT_TTL_SECONDS = 3600
const EPOCH_MS = Date.parse(EPOCH)
const secondsOf = (t: string | undefined) => (t ? (Date.parse(t) - EPOCH_MS) / 1000 : undefined)

interface StoredEvent {
  type: string
  reason: string
  message: string
  count: number
  first?: number
  last?: number
}

/**
 * The events as the API server holds them: the recorder's correlator folds a repeat of
 * the same event (type, reason, message) into one with a count and the last time
 * seen, and the API server drops those not seen for {@link EVENT_TTL_SECONDS}.
 * @see https://github.com/kubernetes/client-go/blob/kubernetes-1.34.0/tools/record/events_cache.go
 */
export function storedEvents(events: readonly RecordedEvent[], now: number): StoredEvent[] {
  const byKey = new Map<string, StoredEvent>()
  for (const e of events) {
    const key = JSON.stringify([e.type, e.reason, e.message])
    const at = secondsOf(e.timestamp)
    const seen = byKey.get(key)
    if (seen) {
      seen.count++
      seen.last = at
    } else byKey.set(key, { type: e.type, reason: e.reason, message: e.message, count: 1, first: at, last: at })
  }
  // Array.prototype.sort is stable: ties keep the order the events were first recorded (their names).
  return [...byKey.values()].filter((e) => e.last === undefined || now - e.last < EVENT_TTL_SECONDS).sort((a, b) => (a.last ?? 0) - (b.last ?? 0))
}

/**
 * `DescribeEvents`: after the fields (their own tabwriter block), a table sorted by last
 * time seen; Age is `<last> (xN over <first>)` for a repeated event. `''` when there are none.
 * @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/describe/describe.go
 */
export function describeEvents(events: readonly RecordedEvent[], now: number): string {
  const stored = storedEvents(events, now)
  if (stored.length === 0) return ''
  const since = (t: number | undefined) => (t === undefined ? '<unknown>' : humanDuration(now - t))
  const rows = [
    ['  Type', 'Reason', 'Age', 'From', 'Message'],
    ['  ----', '------', '----', '----', '-------'],
    ...stored.map((e) => [
      `  ${e.type}`,
      e.reason,
      e.count > 1 ? `${since(e.last)} (x${e.count} over ${since(e.first)})` : since(e.first),
      // Every event the model records is the service controller's (its recorder's source).
      'service-controller',
      e.message.trim(),
    ]),
  ]
  return `Events:\n${tabwrite(rows, 2, 0)}`
}

/**
 * Go's tabwriter, padding 2: the first column is one block for all lines; a third cell
 * (`Port:  http  80/TCP`) is aligned only with the neighbouring lines that have one too.
 */
function alignDescribe(rows: string[][]): string {
  const first = Math.max(...rows.map((r) => (r.length > 1 ? r[0]!.length : 0))) + 2
  return rows
    .map((r) => {
      if (r.length === 1) return `${r[0]}\n`
      const head = r[0]!.padEnd(first)
      return r.length === 2 ? `${head}${r[1]}\n` : `${head}${tabwrite([r.slice(1)], 2, 0)}`
    })
    .join('')
}

// `kubectl describe svc NAME`, line for line as kubectl's ServiceDescriber writes it
// (a tabwriter with padding 2; the endpoints of each port read from EndpointSlices).
// @see https://github.com/kubernetes/kubectl/blob/kubernetes-1.34.0/pkg/describe/describe.go
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { formatLabels, tabwrite } from './printers.ts'

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

export function describeService(svc: Service, slices: readonly EndpointSlice[]): string {
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
  rows.push(['Events:', '<none>'])
  return alignDescribe(rows)
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

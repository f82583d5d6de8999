// Builders and messages for kata 05's checks: Services and Endpoints the way
// CoreDNS's handler tests declare them, and DNS responses compared as CoreDNS's
// test.SortAndCheck does — each section as a set of zone-file lines — with failure
// messages in DNS terms ("… A: want NOERROR with 10.0.0.1, got NXDOMAIN — why").
import { expect } from 'vitest'
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Service, ServicePort, ServiceSpec } from 'kubernetes-types/core/v1'
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1'
import { parseRR } from '../../lib/dns/rr.ts'
import { bullets, listDiff } from './explain.ts'

export const HTTP: ServicePort = { name: 'http', port: 80, protocol: 'TCP' }

export function svc(name: string, namespace: string, spec: ServiceSpec): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec }
}

/** A ClusterIP Service with these cluster IPs (the first is `clusterIP`). */
export function clusterIP(ips: string[], ports: ServicePort[] = [HTTP]): ServiceSpec {
  const families = ips.map((ip) => (ip.includes(':') ? 'IPv6' : 'IPv4'))
  return { type: 'ClusterIP', clusterIP: ips[0], clusterIPs: ips, ports, ipFamilies: families }
}

/** A headless Service (`clusterIP: None`), with ports or without. */
export function headless(ports?: ServicePort[]): ServiceSpec {
  return { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ...(ports ? { ports } : {}) }
}

export function externalName(target: string, ports: ServicePort[] = [HTTP]): ServiceSpec {
  return { type: 'ExternalName', externalName: target, ports }
}

export function addr(ip: string, hostname?: string, pod?: string): EndpointAddress {
  return {
    ip,
    ...(hostname ? { hostname } : {}),
    ...(pod ? { targetRef: { kind: 'Pod', name: pod, namespace: 'snackbar' } } : {}),
  }
}

export function endpoints(name: string, namespace: string, subsets: EndpointSubset[]): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace }, subsets }
}

export function slice(
  name: string,
  namespace: string,
  service: string,
  eps: Endpoint[],
  ports: EndpointPort[] = [{ name: 'http', port: 80, protocol: 'TCP' }],
): EndpointSlice {
  const v6 = eps.some((e) => e.addresses.some((a) => a.includes(':')))
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: v6 ? 'IPv6' : 'IPv4',
    endpoints: eps,
    ports,
  }
}

/** A response: rcode and sections of zone-file lines. */
export interface Response {
  rcode: string
  answer: readonly string[]
  extra: readonly string[]
  ns: readonly string[]
}

/** What a row expects; missing sections are expected empty. */
export interface Want {
  rcode: 'NOERROR' | 'NXDOMAIN'
  answer?: string[]
  extra?: string[]
  ns?: string[]
}

/** `NXDOMAIN`, `NOERROR with 10.0.0.1, 10.0.0.2`, `NOERROR with no records (NODATA)`, `NOERROR with CNAME ext.interwebs.test., A 1.2.3.4`. */
export function summary(r: { rcode: string; answer?: readonly string[] }, qtype: string): string {
  if (r.rcode !== 'NOERROR') return r.rcode
  const answer = r.answer ?? []
  if (answer.length === 0) return 'NOERROR with no records (NODATA)'
  const parts = answer.map((line) => {
    try {
      const rr = parseRR(line)
      return rr.type === qtype ? rr.data : `${rr.type} ${rr.data}`
    } catch {
      return line
    }
  })
  return `NOERROR with ${parts.join(', ')}`
}

const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort()

/**
 * Compares a response with a row the way CoreDNS's tests do: the rcode, then each
 * section as a set of lines. `why` says, in one clause, the rule the row is about.
 */
export function expectDNS(got: Response, qname: string, qtype: string, want: Want, why: string): void {
  const head = `${qname} ${qtype}: want ${summary(want, qtype)}, got ${summary(got, qtype)} — ${why}`
  expect(got.rcode, head).toBe(want.rcode)
  for (const section of ['answer', 'extra', 'ns'] as const) {
    const w = sorted(want[section])
    const g = sorted(got[section])
    expect(g, `${head}\n${section} section:\n${listDiff(w, g)}\nwhole response:\n${bullets([...got.answer, ...got.extra.map((l) => `(extra) ${l}`), ...got.ns.map((l) => `(ns) ${l}`)])}`).toEqual(w)
  }
}

/** CoreDNS's test.CNAMEOrder: a CNAME never comes after the records of its target. */
export function expectCNAMEOrder(answer: readonly string[], qname: string, qtype: string): void {
  const rrs = answer.map(parseRR)
  rrs.forEach((rr, i) => {
    if (rr.type !== 'CNAME') return
    const firstTarget = rrs.findIndex((x) => x.name.toLowerCase() === rr.data.toLowerCase())
    expect(
      firstTarget === -1 || firstTarget > i,
      `${qname} ${qtype}: the CNAME to ${rr.data} must come before ${rr.data}'s own records, so a resolver can follow the chain in order:\n${bullets(answer)}`,
    ).toBe(true)
  })
}

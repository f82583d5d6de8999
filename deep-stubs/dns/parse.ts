// How the cluster zone reads a query name (CoreDNS plugin/kubernetes/parse.go): the
// labels of `_http._tcp.order.snackbar.svc.cluster.local.` right to left — `svc` or
// `pod`, the namespace, the Service (or a pod's dashed IP), then one endpoint label or a
// `_port._protocol` pair. Anything else in the zone does not exist.

/** `errInvalidRequest`: a name in the zone that does not fit the Kubernetes grammar. */
export class InvalidQueryNameError extends Error {
  override name = 'InvalidQueryNameError'
  constructor() {
    super('invalid query name')
  }
}

/**
 * A query name taken apart (`recordRequest`). Fields a name does not have are `''`;
 * `port` and `protocol` lose their leading underscore.
 */
export interface RecordRequest {
  port: string
  protocol: string
  endpoint: string
  service: string
  namespace: string
  /** `svc`, `pod`, or `''` for the zone apex, `svc.<zone>` and `pod.<zone>`. */
  podOrSvc: string
}

/**
 * Takes a query name apart by the Kubernetes DNS grammar (`parseRequest`):
 *
 * 1. Strip the zone; `''`, `svc` and `pod` alone give an empty request (NODATA).
 * 2. Read labels right to left: the last must be `svc` or `pod`
 *    (else {@link InvalidQueryNameError}), then the namespace, then the service
 *    (for `pod` names: the pod's dashed IP).
 * 3. One label left is an endpoint (`172-0-0-2.hdls1.testns.svc…`); two are
 *    `_port._protocol` (`_http._tcp.svc1.testns.svc…`).
 * 4. More labels are a name too long to answer: {@link InvalidQueryNameError}.
 *
 * Names are compared case-insensitively later; this function does not change case.
 * Wildcards (`*`) were removed in CoreDNS 1.9.0 and are ordinary labels here.
 *
 * @example parseRequest('_http._tcp.webs.mynamespace.svc.inter.webs.tests.', 'inter.webs.tests.')
 *   // { port: 'http', protocol: 'tcp', endpoint: '', service: 'webs', namespace: 'mynamespace', podOrSvc: 'svc' }
 * @see https://github.com/coredns/coredns/blob/v1.14.7/plugin/kubernetes/parse.go
 */
export function parseRequest(name: string, zone: string): RecordRequest {
  // TODO(kata 05): strip the zone, then read svc|pod, namespace, service, and an endpoint or _port._proto.
  throw new Error('kata 05-dns: parseRequest is not implemented yet — see lessons/05-dns.md')
}

/** The labels of `name` in front of `zone` (both fully qualified), `''` for the apex. */
export function trimZone(name: string, zone: string): string {
  if (name.toLowerCase() === zone.toLowerCase()) return ''
  return name.slice(0, name.length - zone.length - 1)
}

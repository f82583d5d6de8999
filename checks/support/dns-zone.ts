// A name server for the resolver checks of kata 05 that answers from zone-file lines
// alone, so the pod's resolver can be checked without the cluster zone: the names
// exist exactly as written, and every question is recorded in order.
import type { DNSResponse, DNSServer, QType } from '@impl/dns/records.ts'
import { parseRR, sameName } from '../../lib/dns/rr.ts'

export interface RecordingServer extends DNSServer {
  /** Every question asked, `name type`, in order. */
  readonly asked: string[]
}

/**
 * A name server holding these records (`order.snackbar.svc.cluster.local. 5 IN A 10.96.0.20`):
 * 1. a name with records of the asked type answers them, NOERROR;
 * 2. a name with a CNAME answers the CNAME and what its target answers, as CoreDNS does;
 * 3. a name with records of other types only is NODATA (NOERROR, empty answer);
 * 4. any other name is NXDOMAIN.
 */
export function zoneOf(lines: readonly string[]): RecordingServer {
  const rrs = lines.map(parseRR)
  const asked: string[] = []
  const answer = (name: string, qtype: QType, depth: number): string[] => {
    const own = rrs.filter((rr) => sameName(rr.name, name))
    const direct = own.filter((rr) => rr.type === qtype)
    if (direct.length > 0 || depth > 8) return direct.map((rr) => lines[rrs.indexOf(rr)]!)
    const cname = own.find((rr) => rr.type === 'CNAME')
    return cname ? [lines[rrs.indexOf(cname)]!, ...answer(cname.data, qtype, depth + 1)] : []
  }
  return {
    asked,
    serveDNS(qname: string, qtype: QType): DNSResponse {
      asked.push(`${qname} ${qtype}`)
      if (!rrs.some((rr) => sameName(rr.name, qname))) return { rcode: 'NXDOMAIN', answer: [], extra: [], ns: [] }
      return { rcode: 'NOERROR', answer: answer(qname, qtype, 0), extra: [], ns: [] }
    },
  }
}

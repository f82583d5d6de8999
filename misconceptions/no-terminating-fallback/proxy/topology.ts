// Wrong on purpose: a terminating endpoint is never used, even when nothing else is left.
import { categorizeEndpoints as realCategorize, type CategorizedEndpoints, type Endpoint, type TrafficPolicyInfo } from '../../../solutions/proxy/topology.ts'

export * from '../../../solutions/proxy/topology.ts'

export function categorizeEndpoints(
  endpoints: readonly Endpoint[],
  svcInfo: TrafficPolicyInfo,
  nodeName: string,
  nodeLabels?: Readonly<Record<string, string>>,
): CategorizedEndpoints {
  return realCategorize(
    endpoints.map((ep) => (ep.terminating ? { ...ep, serving: false } : ep)),
    svcInfo,
    nodeName,
    nodeLabels,
  )
}

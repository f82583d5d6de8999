// Wrong on purpose: every endpoint of the EndpointSlices is used, Ready or not.
import { categorizeEndpoints as realCategorize, type CategorizedEndpoints, type Endpoint, type TrafficPolicyInfo } from '../../../solutions/proxy/topology.ts'

export * from '../../../solutions/proxy/topology.ts'

export function categorizeEndpoints(
  endpoints: readonly Endpoint[],
  svcInfo: TrafficPolicyInfo,
  nodeName: string,
  nodeLabels?: Readonly<Record<string, string>>,
): CategorizedEndpoints {
  return realCategorize(
    endpoints.map((ep) => ({ ...ep, ready: true })),
    svcInfo,
    nodeName,
    nodeLabels,
  )
}

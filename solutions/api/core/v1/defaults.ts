// v1 defaulting of a Service: what the API server fills in on every decode,
// before validation, for the fields a manifest leaves out. This is why
// `kubectl get svc order -o yaml` shows `type: ClusterIP`, `protocol: TCP` and
// `targetPort: 80` although the manifest said only `port: 80`.
import type { Service } from 'kubernetes-types/core/v1'

/** `v1.DefaultClientIPServiceAffinitySeconds`: three hours. */
export const DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 10800

/**
 * `ExternallyAccessible`: whether traffic from outside the cluster can reach the
 * Service, so that `externalTrafficPolicy` means something.
 *
 * 1. `type: LoadBalancer` or `type: NodePort` → yes.
 * 2. `type: ClusterIP` with at least one `externalIPs` entry → yes.
 * 3. Anything else (plain ClusterIP, ExternalName, an unknown type) → no.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/service/util.go
 */
export function externallyAccessible(svc: Service): boolean {
  const type = svc.spec?.type
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && (svc.spec?.externalIPs?.length ?? 0) > 0)
  )
}

/**
 * `NeedsHealthCheck`: a `LoadBalancer` whose `externalTrafficPolicy` is `Local`
 * needs a `healthCheckNodePort` (the cloud load balancer asks each node whether
 * it has a local endpoint). Every other Service must not have one.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/api/v1/service/util.go
 */
export function needsHealthCheck(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && externallyAccessible(svc) && svc.spec?.externalTrafficPolicy === 'Local'
}

/**
 * `SetDefaults_Service`: returns a defaulted deep copy; `svc` is not changed.
 *
 * 1. `sessionAffinity` empty → `None`.
 * 2. `sessionAffinity: None` → `sessionAffinityConfig` is dropped (silently).
 * 3. `sessionAffinity: ClientIP` with no `sessionAffinityConfig.clientIP.timeoutSeconds`
 *    → `sessionAffinityConfig: {clientIP: {timeoutSeconds: 10800}}`.
 * 4. `type` empty → `ClusterIP`.
 * 5. Every port: `protocol` empty → `TCP`; `targetPort` missing, `0` or `""` →
 *    the port's own `port` number (0 when the port has none). A numeric
 *    targetPort needs no matching `containerPort`: it is simply where traffic goes.
 * 6. Externally accessible (see {@link externallyAccessible}, judged after rule 4)
 *    and `externalTrafficPolicy` empty → `Cluster`.
 * 7. `internalTrafficPolicy` missing and type ClusterIP, NodePort or LoadBalancer → `Cluster`
 *    (ExternalName, or an unknown type, is left alone).
 * 8. `type: LoadBalancer` and `allocateLoadBalancerNodePorts` missing → `true`.
 * 9. `type: LoadBalancer`: every `status.loadBalancer.ingress[]` entry with an `ip`
 *    and no `ipMode` → `ipMode: VIP`.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/v1/defaults.go
 */
export function setDefaultsService(svc: Service): Service {
  const out = structuredClone(svc)
  const spec = (out.spec ??= {})

  if (!spec.sessionAffinity) spec.sessionAffinity = 'None'
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS } }
  }

  if (!spec.type) spec.type = 'ClusterIP'

  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP'
    if (port.targetPort == null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port ?? 0
  }

  if (externallyAccessible(out) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster'

  if (spec.internalTrafficPolicy == null && ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type)) {
    spec.internalTrafficPolicy = 'Cluster'
  }

  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true
    // Stryker disable next-line ArrayDeclaration: an entry that is no ingress has no ip, so it gets no ipMode either
    for (const ingress of out.status?.loadBalancer?.ingress ?? []) {
      if (ingress.ip && ingress.ipMode == null) ingress.ipMode = 'VIP'
    }
  }
  return out
}

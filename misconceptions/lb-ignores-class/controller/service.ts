// Wrong: every Service of type LoadBalancer is provisioned by the default controller,
// even one whose loadBalancerClass hands it to another implementation.
import type { Service } from 'kubernetes-types/core/v1'

export * from '../../../solutions/controller/service.ts'

export function wantsLoadBalancer(service: Service): boolean {
  return service.spec?.type === 'LoadBalancer'
}

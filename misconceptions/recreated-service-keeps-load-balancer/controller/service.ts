// Wrong on purpose: a Service created again under the same name is taken for the old one
// (keyed by namespace/name alone), so its old load balancer is updated, not replaced.
import type { Service } from 'kubernetes-types/core/v1'
import { ServiceController as RealController } from '../../../solutions/controller/service.ts'

export * from '../../../solutions/controller/service.ts'

export class ServiceController extends RealController {
  override addService(service: Service): void {
    const { namespace = '', name = '' } = service.metadata ?? {}
    const stored = this.get(namespace, name)
    if (!stored) return super.addService(service)
    super.addService({ ...service, metadata: { ...service.metadata, uid: stored.metadata?.uid } })
  }
}

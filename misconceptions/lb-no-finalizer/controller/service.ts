// Wrong on purpose: the controller never puts its cleanup finalizer on a Service; it
// expects to delete the cloud load balancer when it sees the Service go.
import type { Service } from 'kubernetes-types/core/v1'
import { ServiceController as RealController } from '../../../solutions/controller/service.ts'

export * from '../../../solutions/controller/service.ts'

export class ServiceController extends RealController {
  protected override addFinalizer(_service: Service): void {}
}

// Wrong on purpose: Endpoints a user applied are kept as written, even for a Service with a
// selector, whose Endpoints the controller owns and rewrites from the pods.
import type { Endpoints } from 'kubernetes-types/core/v1'
import { EndpointsController as RealController } from '../../../solutions/controller/endpoints.ts'

export * from '../../../solutions/controller/endpoints.ts'

export class EndpointsController extends RealController {
  readonly #byUser = new Map<string, Endpoints>()

  override applyEndpoints(endpoints: Endpoints): void {
    this.#byUser.set(`${endpoints.metadata?.namespace ?? ''}/${endpoints.metadata?.name ?? ''}`, endpoints)
    super.applyEndpoints(endpoints)
  }

  override deleteEndpoints(namespace: string, name: string): void {
    this.#byUser.delete(`${namespace}/${name}`)
    super.deleteEndpoints(namespace, name)
  }

  override get(namespace: string, name: string): Endpoints | undefined {
    const stored = super.get(namespace, name)
    return stored && (this.#byUser.get(`${namespace}/${name}`) ?? stored)
  }
}

// Wrong on purpose: on update only the primary cluster IP is held fixed, so a dual-stack
// Service's secondary may be swapped for another address.
import type { Service } from 'kubernetes-types/core/v1'
import type { FieldError } from '../../../../../lib/field/errors.ts'
import { validateServiceUpdate as realUpdate } from '../../../../../solutions/api/core/validation/validation.ts'

export * from '../../../../../solutions/api/core/validation/validation.ts'

export function validateServiceUpdate(newSvc: Service, oldSvc: Service): FieldError[] {
  return realUpdate(newSvc, oldSvc).filter((e) => e.field !== 'spec.clusterIPs[1]')
}

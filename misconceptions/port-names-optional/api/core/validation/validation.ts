// Misconception: port names are optional, always. The learner never checks that
// every port is named when a Service has several, so only that error is missing.
import type { Service } from 'kubernetes-types/core/v1'
import type { FieldError } from '../../../../../lib/field/errors.ts'
import { validateService as validateServiceRight } from '../../../../../solutions/api/core/validation/validation.ts'

export * from '../../../../../solutions/api/core/validation/validation.ts'

export function validateService(svc: Service): FieldError[] {
  return validateServiceRight(svc).filter(
    (e) => !(e.type === 'FieldValueRequired' && /^spec\.ports\[\d+\]\.name$/.test(e.field)),
  )
}

// Misconception: port names are optional, always. The learner never checks that
// every port is named when a Service has several, so only that error is missing.
import type { ServicePort } from 'kubernetes-types/core/v1'
import type { FieldError } from '../../../../../lib/field/errors.ts'
import type { Path } from '../../../../../lib/field/path.ts'
import { validateServicePort as validateServicePortRight } from '../../../../../solutions/api/core/validation/validation.ts'

export * from '../../../../../solutions/api/core/validation/validation.ts'

export function validateServicePort(sp: ServicePort, _requireName: boolean, names: Set<string>, p: Path): FieldError[] {
  return validateServicePortRight(sp, false, names, p)
}

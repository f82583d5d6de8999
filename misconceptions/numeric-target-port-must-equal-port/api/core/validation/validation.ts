// Misconception: a numeric targetPort must equal the Service port (or else the
// traffic could not find the container), so the learner refuses any other number.
import type { ServicePort } from 'kubernetes-types/core/v1'
import { invalid, type FieldError } from '../../../../../lib/field/errors.ts'
import type { Path } from '../../../../../lib/field/path.ts'
import { validateServicePort as validateServicePortRight } from '../../../../../solutions/api/core/validation/validation.ts'

export * from '../../../../../solutions/api/core/validation/validation.ts'

export function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, p: Path): FieldError[] {
  const errs = validateServicePortRight(sp, requireName, names, p)
  if (typeof sp.targetPort === 'number' && sp.targetPort !== sp.port) {
    errs.push(invalid(p.child('targetPort'), sp.targetPort, "must be equal to the value of 'port'"))
  }
  return errs
}

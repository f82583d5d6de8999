// Misconception: a numeric targetPort must equal the Service port (or else the
// traffic could not find the container), so the learner refuses any other number.
import type { Service } from 'kubernetes-types/core/v1'
import { invalid, type FieldError } from '../../../../../lib/field/errors.ts'
import { newPath } from '../../../../../lib/field/path.ts'
import { validateService as validateServiceRight } from '../../../../../solutions/api/core/validation/validation.ts'

export * from '../../../../../solutions/api/core/validation/validation.ts'

export function validateService(svc: Service): FieldError[] {
  const errs = validateServiceRight(svc)
  const headless = svc.spec?.clusterIPs?.length === 1 && svc.spec.clusterIPs[0] === 'None'
  if (!headless) {
    svc.spec?.ports?.forEach((port, i) => {
      if (typeof port.targetPort === 'number' && port.targetPort !== port.port) {
        const p = newPath('spec', 'ports').index(i).child('targetPort')
        errs.push(invalid(p, port.targetPort, "must be equal to the value of 'port'"))
      }
    })
  }
  return errs
}

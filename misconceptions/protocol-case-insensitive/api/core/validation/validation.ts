// Misconception: protocols are case-insensitive, like in most network tools, so
// `tcp` is as good as `TCP`. The learner compares protocols upper-cased.
import type { ServicePort } from 'kubernetes-types/core/v1'
import type { FieldError } from '../../../../../lib/field/errors.ts'
import type { Path } from '../../../../../lib/field/path.ts'
import { validateServicePort as validateServicePortRight } from '../../../../../solutions/api/core/validation/validation.ts'

export * from '../../../../../solutions/api/core/validation/validation.ts'

export function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, p: Path): FieldError[] {
  return validateServicePortRight({ ...sp, ...(sp.protocol ? { protocol: sp.protocol.toUpperCase() } : {}) }, requireName, names, p)
}

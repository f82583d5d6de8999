// Misconception: protocols are case-insensitive, like in most network tools, so
// `tcp` is as good as `TCP`. The learner compares protocols upper-cased.
import type { Service } from 'kubernetes-types/core/v1'
import type { FieldError } from '../../../../../lib/field/errors.ts'
import { validateService as validateServiceRight } from '../../../../../solutions/api/core/validation/validation.ts'

export * from '../../../../../solutions/api/core/validation/validation.ts'

export function validateService(svc: Service): FieldError[] {
  const copy = structuredClone(svc)
  for (const port of copy.spec?.ports ?? []) if (port.protocol) port.protocol = port.protocol.toUpperCase()
  return validateServiceRight(copy)
}

// Wrong: sessionAffinity ClientIP gets the default timeout only when sessionAffinityConfig
// is missing altogether; a config that is there, even empty, is kept as it is.
import type { Service } from 'kubernetes-types/core/v1'
import { setDefaultsService as right } from '../../../../../solutions/api/core/v1/defaults.ts'

export * from '../../../../../solutions/api/core/v1/defaults.ts'

export function setDefaultsService(svc: Service): Service {
  const out = right(svc)
  const given = svc.spec?.sessionAffinityConfig
  if (out.spec?.sessionAffinity === 'ClientIP' && given != null) out.spec.sessionAffinityConfig = structuredClone(given)
  return out
}

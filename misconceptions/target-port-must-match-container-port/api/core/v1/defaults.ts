// Misconception: "targetPort must match the pod's containerPort", so the API
// server cannot know it and leaves an unset targetPort unset (to be filled from
// the container later). Everything else is defaulted correctly.
import type { Service } from 'kubernetes-types/core/v1'
import { setDefaultsService as setDefaultsRight } from '../../../../../solutions/api/core/v1/defaults.ts'

export * from '../../../../../solutions/api/core/v1/defaults.ts'

export function setDefaultsService(svc: Service): Service {
  const out = setDefaultsRight(svc)
  out.spec?.ports?.forEach((port, i) => {
    const written = svc.spec?.ports?.[i]?.targetPort
    if (written === undefined) delete port.targetPort
    else port.targetPort = written
  })
  return out
}

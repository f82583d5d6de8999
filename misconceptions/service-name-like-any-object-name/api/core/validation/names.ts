// Misconception: a Service name follows the rule most object names follow, a DNS-1123
// subdomain, so dots and a leading digit pass.
import { isDNS1123Subdomain } from '../../../../../lib/validation/labels.ts'

export * from '../../../../../solutions/api/core/validation/names.ts'

export function isDNS1035Label(value: string): string[] {
  return isDNS1123Subdomain(value)
}

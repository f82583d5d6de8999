// Wrong (Kubernetes before 1.34): the label's presence excludes the node, whatever its value.
import type { Node } from 'kubernetes-types/core/v1'
import { LABEL_NODE_EXCLUDE_BALANCERS } from '../../../solutions/controller/service.ts'

export * from '../../../solutions/controller/service.ts'

export function nodeIncludedPredicate(node: Node): boolean {
  return !Object.hasOwn(node.metadata?.labels ?? {}, LABEL_NODE_EXCLUDE_BALANCERS)
}

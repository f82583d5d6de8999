// Wrong on purpose: the session never notices that its pod was deleted.
import { PortForwardSession as EndingSession } from '../../../solutions/kubectl/portforward.ts'

export * from '../../../solutions/kubectl/portforward.ts'

export class PortForwardSession extends EndingSession {
  override podDeleted(_namespace: string, _name: string): void {}
}

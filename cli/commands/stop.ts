// `katas stop`: stops the workspace's background checker now (it stops by itself
// after ten idle minutes; the next check starts it again).
import { stopServer } from '../checker/client.ts'
import type { Context } from '../context.ts'
import { dim } from '../style.ts'

export async function stop(ctx: Context): Promise<number> {
  ctx.out((await stopServer(ctx.ws)) ? 'Stopped the background checker.' : dim('No background checker was running.'))
  return 0
}

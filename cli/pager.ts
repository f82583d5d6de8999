// Long output through the learner's pager (`$PAGER`, else `less`) when it would not
// fit on the terminal; printed as it is on a pipe or when no pager runs.
import { spawn } from 'node:child_process'

export async function page(text: string, out: (text: string) => void): Promise<void> {
  const rows = process.stdout.rows || 24
  if (!process.stdout.isTTY || text.split('\n').length < rows - 1 || process.env.KATAS_PAGER === '0') return out(text)
  const [cmd, ...args] = (process.env.PAGER || 'less -FRX').split(/\s+/).filter(Boolean)
  const ok = await new Promise<boolean>((resolve) => {
    const child = spawn(cmd!, args, { stdio: ['pipe', 'inherit', 'inherit'] })
    child.on('error', () => resolve(false))
    child.on('exit', () => resolve(true))
    child.stdin.on('error', () => undefined)
    child.stdin.end(`${text}\n`)
  })
  if (!ok) out(text)
}

// `katas doctor`: is this machine ready for the course? Each line says what to do if not.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../../harness/paths.ts'
import type { Context } from '../context.ts'
import { stateFile } from '../state.ts'
import { green, red, yellow } from '../style.ts'
import { chooseWatchMode } from '../watcher.ts'

interface Finding {
  ok: boolean | 'warn'
  what: string
  fix?: string
}

function nodeFinding(): Finding {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const ok = major > 20 || (major === 20 && minor >= 11)
  return ok ? { ok, what: `Node.js ${process.versions.node}` } : { ok, what: `Node.js ${process.versions.node} is too old`, fix: 'install Node.js 20.11 or newer' }
}

export async function doctor(ctx: Context, _args: string[]): Promise<number> {
  const findings: Finding[] = [nodeFinding()]
  const vitestPkg = path.join(PACKAGE_ROOT, 'node_modules', 'vitest', 'package.json')
  findings.push(
    existsSync(vitestPkg)
      ? { ok: true, what: `vitest ${JSON.parse(readFileSync(vitestPkg, 'utf8')).version as string} installed` }
      : { ok: false, what: 'vitest is not installed', fix: 'run `npm install`' },
  )
  if (!existsSync(ctx.ws)) {
    findings.push({ ok: false, what: `no workspace at ${ctx.ws}`, fix: 'run `katas` once to create it from the stubs' })
  } else {
    const missing = ctx.katas.flatMap((k) => k.modules).filter((m) => !existsSync(path.join(ctx.ws, m)))
    findings.push(
      missing.length
        ? { ok: false, what: `workspace lacks ${missing.join(', ')}`, fix: 'run `katas` to copy the missing stubs (existing files are kept), or `katas reset KATA`' }
        : { ok: true, what: `workspace ${ctx.ws} has every kata module` },
    )
    findings.push({ ok: true, what: existsSync(stateFile(ctx.ws)) ? `progress file ${stateFile(ctx.ws)} is readable` : 'no progress yet (created on the first run)' })
    const w = chooseWatchMode(ctx.ws)
    findings.push(w.mode === 'events' ? { ok: true, what: 'file watcher: file-system events' } : { ok: 'warn', what: `file watcher: polling every 250 ms — ${w.reason}` })
  }
  for (const f of findings) {
    const mark = f.ok === true ? green('✓') : f.ok === 'warn' ? yellow('!') : red('✗')
    ctx.out(`${mark} ${f.what}${f.fix ? `\n    → ${f.fix}` : ''}`)
  }
  return findings.some((f) => f.ok === false) ? 1 : 0
}

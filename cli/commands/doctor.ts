// `katas doctor`: is this machine ready for the course, and is the workspace sound?
// Each line says what to do if not.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_ROOT } from '../../harness/paths.ts'
import type { Context } from '../context.ts'
import { probeWatcher } from '../probe.ts'
import { stateFile, trackOf } from '../state.ts'
import { green, red, yellow } from '../style.ts'
import { chooseWatchMode } from '../watcher.ts'
import { commandOnPath } from '../launcher.ts'

interface Finding {
  ok: boolean | 'warn'
  what: string
  fix?: string
}

const rel = (p: string) => path.relative(process.cwd(), p) || '.'

function nodeFinding(): Finding {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  const ok = major > 20 || (major === 20 && minor >= 11)
  return ok ? { ok, what: `Node.js ${process.versions.node}` } : { ok, what: `Node.js ${process.versions.node} is too old`, fix: 'install Node.js 20.11 or newer' }
}

/** Given functions the learner edited, per module, with the way back. */
async function givenFindings(ctx: Context): Promise<Finding[]> {
  const { editedGiven } = await import('../../harness/tracks.ts')
  const out: Finding[] = []
  for (const kata of ctx.katas) {
    const p = ctx.progress.katas[kata.id]
    if (p?.status === 'given') continue
    const track = trackOf(ctx.progress, kata)
    for (const m of kata.modules) {
      const file = path.join(ctx.ws, m)
      if (!existsSync(file)) continue
      let edited: string[]
      try {
        edited = editedGiven(kata, m, readFileSync(file, 'utf8'), track)
      } catch (err) {
        out.push({ ok: 'warn', what: `${rel(file)}: cannot compare with the given code (${(err as Error).message})` })
        continue
      }
      if (edited.length) {
        out.push({
          ok: 'warn',
          what: `${rel(file)}: given code edited: ${edited.join(', ')} (kata ${kata.id})`,
          fix: `the grader lays the given code back as shipped; \`katas core ${kata.id}\` restores it here and keeps your own functions (your files are backed up first)`,
        })
      }
    }
  }
  return out.length ? out : [{ ok: true, what: 'given code: unchanged in every module' }]
}

export async function doctor(ctx: Context): Promise<number> {
  const findings: Finding[] = [nodeFinding()]
  const vitestPkg = path.join(PACKAGE_ROOT, 'node_modules', 'vitest', 'package.json')
  findings.push(
    existsSync(vitestPkg)
      ? { ok: true, what: `vitest ${JSON.parse(readFileSync(vitestPkg, 'utf8')).version as string} installed` }
      : { ok: false, what: 'vitest is not installed', fix: 'run `npm install`' },
  )
  const onPath = commandOnPath()
  findings.push(onPath ? { ok: true, what: `the katas command: ${onPath}` } : { ok: 'warn', what: 'the katas command is not on your PATH', fix: 'run `npm run link` in the course folder, or use `npm run katas -- …` in the course folder' })
  if (!existsSync(ctx.ws)) {
    findings.push({ ok: false, what: `no workspace at ${ctx.ws}`, fix: 'run `katas` once to create it from the stubs' })
  } else {
    const missing = ctx.katas.flatMap((k) => k.modules).filter((m) => !existsSync(path.join(ctx.ws, m)))
    findings.push(
      missing.length
        ? { ok: false, what: `workspace lacks ${missing.join(', ')}`, fix: 'run `katas` to copy the missing stubs (existing files are kept), or `katas reset KATA`' }
        : { ok: true, what: `workspace ${rel(ctx.ws)} has every kata module` },
    )
    findings.push({ ok: true, what: existsSync(stateFile(ctx.ws)) ? `progress file ${rel(stateFile(ctx.ws))} is readable` : 'no progress yet (created on the first run)' })
    findings.push(...(await givenFindings(ctx)))
    const choice = chooseWatchMode(ctx.ws)
    const probe = await probeWatcher(ctx.ws, choice.mode)
    const how = choice.mode === 'events' ? 'file-system events' : `polling every 250 ms (${choice.reason})`
    const total = probe.seen.length + probe.missed.length
    findings.push(
      probe.missed.length === 0
        ? { ok: true, what: `file watcher (${how}): saw ${probe.seen.length} of ${total} kinds of save, the slowest in ${Math.round(probe.slowestMs)} ms` }
        : {
            ok: false,
            what: `file watcher (${how}): missed ${probe.missed.join('; ')}`,
            fix: choice.mode === 'events' ? 'set KATAS_POLL=1 (polling) before `katas`, and tell the course maintainers your system' : 'the workspace may be on a file system that does not report changes: move it to a local disk',
          },
    )
  }
  for (const f of findings) {
    const mark = f.ok === true ? green('✓') : f.ok === 'warn' ? yellow('!') : red('✗')
    ctx.out(`${mark} ${f.what}${f.fix ? `\n    → ${f.fix}` : ''}`)
  }
  return findings.some((f) => f.ok === false) ? 1 : 0
}

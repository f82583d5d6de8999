// The OS sandbox a grading process runs in: bubblewrap (`bwrap`, Debian's
// `bubblewrap` package), the unprivileged sandbox Flatpak is built on.
//
// Inside, the grading process sees the operating system and the course's checks,
// harness, lib and node_modules read-only; a private tmpfs holds its copy of the
// learner's workspace; there is no `solutions/`, no network, no other process
// of the machine (a new PID namespace, so whatever the learner's code starts
// dies with the sandbox) and no capabilities. Memory and CPU time are capped with
// rlimits (util-linux `prlimit`), wall time by the grader's watchdog.
//
// Where bwrap is missing or cannot make namespaces (a container, a CI runner
// that forbids user namespaces) grading runs unsandboxed, and says so.
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs'
import path from 'node:path'

export type SandboxMode = 'auto' | 'required' | 'off'
export const SANDBOX_MODES: readonly SandboxMode[] = ['auto', 'required', 'off']

export interface SandboxStatus {
  sandboxed: boolean
  /** Why grading runs unsandboxed: one line. */
  reason?: string
}

/** The folders every process needs: the system, read-only. Merged-/usr links are recreated as links. */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']

function systemMounts(): string[] {
  const args: string[] = []
  for (const dir of SYSTEM) {
    let st
    try {
      st = lstatSync(dir)
    } catch {
      continue
    }
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir)
    else if (st.isDirectory()) args.push('--ro-bind', dir, dir)
  }
  // Node installed outside /usr (nvm, a CI tool cache): its own tree, read-only.
  const prefix = path.dirname(path.dirname(realpathSync(process.execPath)))
  if (!SYSTEM.some((d) => prefix === d || prefix.startsWith(`${d}/`))) args.push('--ro-bind', prefix, prefix)
  return args
}

/** What a sandbox shows of the course, and where the learner's code lives. */
export interface SandboxLayout {
  /** Course paths (files or folders) mounted read-only at the same place. */
  readOnly: string[]
  /** Folders inside those that must look empty (caches that may hold bundles of the reference). */
  hidden: string[]
  /** A host folder mounted read-only at `target`: the prepared copy of the workspace. */
  source: string
  target: string
  /** Links made inside: target → link path (the copy's `lib/`, resolved to the course's own, so modules load once). */
  links: [string, string][]
  /** The sandbox's working folder. */
  cwd: string
}

export interface SandboxLimits {
  /** Private writable tmpfs (/tmp), MiB. */
  tmpfsMiB: number
  /** Data segment of every process (RLIMIT_DATA: the heap, buffers, anonymous maps), MiB. */
  memoryMiB: number
  /** CPU seconds of every process (RLIMIT_CPU): a backstop behind the wall-clock watchdog. */
  cpuSeconds: number
}

const MiB = 1024 * 1024

/**
 * The environment a sandbox starts with: the grader's own stays outside (it may
 * hold tokens); Node adds its IPC channel's variables when it spawns.
 */
export function sandboxEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', TMPDIR: '/tmp', LANG: 'C.UTF-8', ...extra }
}

/** The argv (command first) that runs `command` in a sandbox laid out as `layout`. */
export function sandboxArgv(layout: SandboxLayout, limits: SandboxLimits, command: string[]): string[] {
  const bwrap = [
    'bwrap',
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--new-session',
    ...systemMounts(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(limits.tmpfsMiB * MiB),
    '--tmpfs',
    '/tmp',
  ]
  for (const p of layout.readOnly) if (existsSync(p)) bwrap.push('--ro-bind', p, p)
  for (const p of layout.hidden) {
    if (!existsSync(p)) continue
    bwrap.push('--size', String(MiB), '--tmpfs', p, '--remount-ro', p)
  }
  for (const [target, link] of layout.links) bwrap.push('--symlink', target, link)
  bwrap.push('--ro-bind', layout.source, layout.target)
  bwrap.push('--chdir', layout.cwd, '--', ...command)
  return ['prlimit', `--data=${limits.memoryMiB * MiB}`, `--cpu=${limits.cpuSeconds}`, '--', ...bwrap]
}

let probed: SandboxStatus | undefined

/** Whether a sandbox can start here: bwrap and prlimit run a process with every namespace. Asked once. */
export function probeSandbox(): SandboxStatus {
  if (probed) return probed
  if (process.platform !== 'linux') return (probed = { sandboxed: false, reason: `no sandbox on ${process.platform} (bubblewrap is Linux only)` })
  const r = spawnSync('prlimit', ['--', 'bwrap', '--unshare-all', '--unshare-user', '--disable-userns', '--cap-drop', 'ALL', '--die-with-parent', ...systemMounts(), '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--', process.execPath, '-e', '0'], {
    encoding: 'utf8',
    timeout: 20_000,
  })
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    return (probed = { sandboxed: false, reason: 'prlimit (util-linux) is not installed' })
  }
  if (r.status === 0) return (probed = { sandboxed: true })
  const said = `${r.stderr ?? ''}`.trim().split('\n')[0] ?? ''
  if (/bwrap.*(No such file|not found)/i.test(said) || /failed to execute bwrap/i.test(said)) {
    return (probed = { sandboxed: false, reason: 'bubblewrap is not installed (`apt-get install bubblewrap`)' })
  }
  return (probed = { sandboxed: false, reason: `bubblewrap cannot start here (${said || `exit ${r.status ?? r.signal}`}); user namespaces may be disabled` })
}

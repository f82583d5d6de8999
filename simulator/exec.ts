// `kubectl exec POD -- CMD`: the few commands the course's containers have — env,
// printenv, hostname, cat (of /etc/resolv.conf and /etc/hostname), nslookup (busybox's
// output) and curl (curl's own errors and exit codes). A command that exits non-zero
// makes kubectl print `command terminated with exit code N` and exit with N.
import { kubectlError } from './errors.ts'
import type { Lookup } from './model.ts'
import type { Output } from './kubectl.ts'
import type { Session } from './session.ts'

interface Run {
  stdout: string
  stderr: string
  code: number
  /** Seconds it took on the cluster's clock. */
  seconds?: number
}

const COMMANDS = 'env, printenv [NAME], hostname, cat /etc/resolv.conf, nslookup [-type=A|AAAA|SRV|CNAME|PTR] NAME, curl [-sS] [-m SECONDS] URL'

export function execInPod(session: Session, namespace: string, pod: string, container: string | undefined, command: string[]): Output {
  const cluster = session.sync()
  // The pod must exist and run; the model's own errors say why not (kubectl's words).
  let env: { name: string; value: string }[]
  try {
    env = cluster.env(namespace, pod, container)
  } catch (err) {
    const e = err as Error
    if (e.name === 'NotFoundError' || e.name === 'ClusterError') throw kubectlError(e.message)
    throw err
  }
  const [cmd, ...args] = command
  let r: Run
  let changed = false
  switch (cmd) {
    case 'env':
      r = { stdout: env.map((v) => `${v.name}=${v.value}\n`).join(''), stderr: '', code: 0 }
      break
    case 'printenv':
      if (args.length === 0) r = { stdout: env.map((v) => `${v.name}=${v.value}\n`).join(''), stderr: '', code: 0 }
      else {
        const found = args.map((a) => env.find((v) => v.name === a))
        r = { stdout: found.filter((v) => v).map((v) => `${v!.value}\n`).join(''), stderr: '', code: found.every((v) => v) ? 0 : 1 }
      }
      break
    case 'hostname':
      r = { stdout: `${env.find((v) => v.name === 'HOSTNAME')?.value ?? pod}\n`, stderr: '', code: 0 }
      break
    case 'cat':
      r = cat(args, () => cluster.resolvConf(namespace, pod), env.find((v) => v.name === 'HOSTNAME')?.value ?? pod)
      break
    case 'nslookup': {
      const parsed = parseNslookup(args)
      if ('error' in parsed) {
        r = { stdout: '', stderr: parsed.error, code: 1 }
        break
      }
      changed = true
      r = nslookup(session.lookup(namespace, pod, parsed.name, parsed.type), parsed.name)
      break
    }
    case 'curl': {
      const parsed = parseCurl(args)
      if ('error' in parsed) {
        r = { stdout: '', stderr: parsed.error, code: 2 }
        break
      }
      changed = true
      r = curlOutput(rejectedURL(() => session.curl({ pod: `${namespace}/${pod}` }, parsed.url)), parsed)
      break
    }
    default:
      r = {
        stdout: '',
        stderr: `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd}": executable file not found in $PATH: unknown\n(the course's containers have: ${COMMANDS})\n`,
        code: 1,
      }
      return { stdout: '', stderr: r.stderr, exitCode: 1, changed: false }
  }
  const tail = r.code !== 0 ? `command terminated with exit code ${r.code}\n` : ''
  return { stdout: r.stdout, stderr: r.stderr + tail, exitCode: r.code, changed, ...(r.seconds ? { seconds: r.seconds } : {}) }
}

function cat(files: string[], resolvConf: () => string, hostname: string): Run {
  let stdout = ''
  let stderr = ''
  for (const f of files) {
    if (f === '/etc/resolv.conf') stdout += resolvConf()
    else if (f === '/etc/hostname') stdout += `${hostname}\n`
    else stderr += `cat: can't open '${f}': No such file or directory\n`
  }
  if (stdout && !stdout.endsWith('\n')) stdout += '\n'
  return { stdout, stderr, code: stderr ? 1 : 0 }
}

const noDot = (n: string) => n.replace(/\.$/, '')

const NSLOOKUP_USAGE = 'BusyBox v1.37.0 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n'
/** The query types busybox's nslookup knows (its `qtypes` table) that the model answers. */
const NSLOOKUP_TYPES = ['A', 'AAAA', 'CNAME', 'SRV', 'PTR', 'TXT', 'SOA', 'NS', 'MX']

/**
 * busybox `nslookup [-type=T] HOST`: the question's type (`-type=`, `-query=`, `-q=`, any
 * case; A by default, PTR for an address) and the host. An unknown type or option gets busybox's refusal.
 * Simplified: busybox asks A and AAAA by default; the model asks A.
 */
export function parseNslookup(args: string[]): { name: string; type: string } | { error: string } {
  let type: string | undefined
  let name: string | undefined
  for (const a of args) {
    const m = /^-(?:type|query|q)=(.*)$/i.exec(a)
    if (m) {
      type = m[1]!.toUpperCase()
      if (!NSLOOKUP_TYPES.includes(type)) return { error: `nslookup: invalid query type "${m[1]}"\n` }
    } else if (a === '-debug') continue
    else if (a.startsWith('-')) return { error: `nslookup: unrecognized option '${a}'\n${NSLOOKUP_USAGE}` }
    else if (name === undefined) name = a
  }
  if (name === undefined) return { error: NSLOOKUP_USAGE }
  // An address is looked up backwards: its PTR record, unless a type was given.
  const isAddress = /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':')
  return { name, type: type ?? (isAddress ? 'PTR' : 'A') }
}

/**
 * busybox `nslookup NAME`: the server it asked, then the answer — a CNAME as
 * `canonical name =`, each address as `Name:`/`Address:` — or `** server can't find`.
 * Simplified: busybox prints the answer to each query of the search list (A and AAAA);
 * the model prints the walk's result, as `getaddrinfo` sees it.
 * @see https://git.busybox.net/busybox/tree/networking/nslookup.c?h=1_37_stable
 */
export function nslookup(r: Lookup, name: string): Run {
  if (!r.serverReachable) return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', code: 1 }
  let out = `Server:\t\t${r.nameserver}\nAddress:\t${r.nameserver}:53\n\n`
  if (!r.found) {
    const asked = r.tried.at(-1) ?? name
    out += `** server can't find ${noDot(asked)}: ${r.rcode === 'NOERROR' ? 'NODATA' : r.rcode}\n\n`
    return { stdout: out, stderr: '', code: 1 }
  }
  for (const line of r.answer) {
    const [owner, , , type, data] = line.split(/\s+/)
    const rest = line.split(/\s+/).slice(4)
    if (type === 'CNAME') out += `${noDot(owner ?? '')}\tcanonical name = ${noDot(data ?? '')}\n`
    else if (type === 'A' || type === 'AAAA') out += `Name:\t${noDot(owner ?? '')}\nAddress: ${data}\n`
    else if (type === 'SRV') out += `${noDot(owner ?? '')}\tservice = ${rest.slice(0, 3).join(' ')} ${noDot(rest[3] ?? '')}\n`
    else if (type === 'PTR') out += `${noDot(owner ?? '')}\tname = ${noDot(data ?? '')}\n`
    else if (type === 'TXT') out += `${noDot(owner ?? '')}\ttext = ${rest.join(' ')}\n`
  }
  return { stdout: `${out}\n`, stderr: '', code: 0 }
}

export interface CurlArgs {
  url: string
  silent: boolean
  showError: boolean
  maxTime?: number
}

/** curl's few options the course uses; others get curl's own complaint (exit 2). */
export function parseCurl(args: string[]): CurlArgs | { error: string } {
  const out: Partial<CurlArgs> = { silent: false, showError: false }
  const unknown = (o: string) => ({ error: `curl: option ${o}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n` })
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--silent') out.silent = true
    else if (a === '--show-error') out.showError = true
    else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') {
      const v = Number(args[++i])
      if (!(v > 0)) return { error: `curl: option ${a}: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n` }
      out.maxTime = Math.min(out.maxTime ?? Infinity, v)
    } else if (/^-[sS]+$/.test(a)) {
      if (a.includes('s')) out.silent = true
      if (a.includes('S')) out.showError = true
    } else if (a.startsWith('-')) return unknown(a)
    else out.url = a
  }
  if (!out.url) return { error: 'curl: no URL specified\ncurl: try \'curl --help\' or \'curl --manual\' for more information\n' }
  return out as CurlArgs
}

/** A URL curl cannot parse (`curl: (3) URL rejected: …`, exit 3), from the model's parseURL. */
export function rejectedURL(run: () => { exitCode: number; stdout: string; stderr: string }): { exitCode: number; stdout: string; stderr: string } {
  try {
    return run()
  } catch (err) {
    if (err instanceof TypeError && err.message.startsWith('curl: (3)')) return { exitCode: 3, stdout: '', stderr: err.message }
    throw err
  }
}

/**
 * What the terminal shows: the body (with a newline so the prompt starts on its own line),
 * or curl's error unless `-s` without `-S`; and how long curl ran. Without `-m` curl waits
 * as long as the kernel does (the model's `elapsedMs`); `-m`/`--connect-timeout` cut a
 * longer wait short with multi.c's "Connection timed out" (exit 28).
 * @see https://github.com/curl/curl/blob/curl-8_5_0/lib/multi.c
 */
export function curlOutput(r: { exitCode: number; stdout: string; stderr: string; elapsedMs?: number }, args: CurlArgs): Run {
  if (r.exitCode === 0) return { stdout: r.stdout === '' || r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`, stderr: '', code: 0 }
  let message = r.stderr
  let code = r.exitCode
  let elapsedMs = r.elapsedMs ?? 0
  if (args.maxTime !== undefined && elapsedMs >= args.maxTime * 1000) {
    // curl notices its deadline a couple of milliseconds late.
    elapsedMs = args.maxTime * 1000 + 2
    message = `curl: (28) Connection timed out after ${elapsedMs} milliseconds`
    code = 28
  }
  const show = !args.silent || args.showError
  return { stdout: r.stdout, stderr: show && message ? `${message.replace(/\n?$/, '\n')}` : '', code, ...(elapsedMs > 0 ? { seconds: Math.round(elapsedMs / 1000) } : {}) }
}

#!/usr/bin/env node
/**
 * The simulator's benchmarks: `node bench/simulator.mjs [--runs N]` (also a section of
 * `npm run bench`). Whole processes of the built tool (`npm run build` first), medians of
 * N runs after one warm-up, on the reference model:
 *   - `katas kubectl get svc` on a cluster of 50 objects (target ≤ 0.3 s);
 *   - a cluster of 5,000 pods and 500 Services: `kubectl apply`, `kubectl get`,
 *     `katas curl` (target ≤ 1 s each).
 * Each row as a learner meets it, with the cluster's server up (it starts with the first
 * command), and — `(no server)` — each command rebuilding the cluster from its log.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const KATAS = path.join(ROOT, 'bin', 'katas.mjs')
process.env.KATAS_SERVER_IDLE_MS = '120000'
const args = process.argv.slice(2)
const runsAt = args.indexOf('--runs')
const RUNS = Number((runsAt >= 0 ? args[runsAt + 1] : undefined) ?? '5')

if (!existsSync(path.join(ROOT, 'dist', 'simulator', 'cli.js'))) {
  console.error('bench/simulator.mjs: the tool is not built; run `npm run build` first')
  process.exit(2)
}

const dir = mkdtempSync(path.join(tmpdir(), 'katas-bench-sim-'))
/** @param {string} state */
const env = (state) => ({ ...process.env, KATAS_CLUSTER_FILE: path.join(dir, state), NO_COLOR: '1' })

/** @param {string} state @param {string[]} argv @param {boolean} [server] */
function katas(state, argv, server = true) {
  const r = spawnSync(process.execPath, [KATAS, ...argv], { cwd: ROOT, env: { ...env(state), KATAS_CLUSTER_SERVER: server ? '1' : '0' }, encoding: 'utf8' })
  if (r.status !== 0 && !(argv[0] === 'curl')) throw new Error(`katas ${argv.join(' ')} exited ${r.status}: ${r.stderr}`)
  return r
}

/**
 * A namespace with `deployments` Deployments of `replicas` pods, each behind a NodePort
 * Service; the Services first, as Kubernetes' configuration best practices advise.
 * @param {string} namespace @param {number} deployments @param {number} replicas
 */
function manifest(namespace, deployments, replicas) {
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`]
  const workloads = []
  for (let i = 0; i < deployments; i++) {
    workloads.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${namespace}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
      - name: echo
        image: registry.k8s.io/e2e-test-images/agnhost:2.53
        ports:
        - containerPort: 8080
`)
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: ${namespace}
spec:
  type: NodePort
  selector: {app: app-${i}}
  ports:
  - port: 80
    targetPort: 8080
    nodePort: ${30000 + i}
`)
  }
  return [...docs, ...workloads].join('---\n')
}

/**
 * @param {string} name @param {string} state @param {string[]} argv @param {number} target
 * @param {boolean} [server] whether the cluster's server answers (else every command replays the log)
 */
function bench(name, state, argv, target, server = true) {
  const once = () => {
    const t0 = process.hrtime.bigint()
    katas(state, argv, server)
    return Number(process.hrtime.bigint() - t0) / 1e9
  }
  once()
  const xs = Array.from({ length: RUNS }, once).sort((a, b) => a - b)
  const at = (/** @type {number} */ i) => xs[i] ?? NaN
  const median = xs.length % 2 ? at((xs.length - 1) / 2) : (at(xs.length / 2 - 1) + at(xs.length / 2)) / 2
  const verdict = median <= target ? 'ok' : 'OVER TARGET'
  console.log(`${name.padEnd(60)} median ${median.toFixed(3)} s  (min ${at(0).toFixed(3)} s, max ${at(xs.length - 1).toFixed(3)} s, n=${RUNS})  target ≤ ${target} s ${verdict}`)
  return median <= target
}

let ok = true
try {
  // 50 objects: a namespace, 8 Deployments of 2 pods, their 8 Services, Endpoints and slices.
  writeFileSync(path.join(dir, 'small.yaml'), manifest('snackbar', 8, 2))
  katas('small.json', ['cluster', 'use', 'solutions'])
  katas('small.json', ['kubectl', 'apply', '-f', path.join(dir, 'small.yaml')])
  ok = bench('katas kubectl get svc (50 objects)', 'small.json', ['kubectl', 'get', 'svc', '-n', 'snackbar'], 0.3) && ok
  bench('katas kubectl get svc (50 objects, no server)', 'small.json', ['kubectl', 'get', 'svc', '-n', 'snackbar'], 0.3, false)

  // 5,000 pods and 500 Services.
  writeFileSync(path.join(dir, 'large.yaml'), manifest('bench', 500, 10))
  katas('large.json', ['cluster', 'use', 'solutions'])
  // 25 workers: each node's /24 pod CIDR holds 254 pods, so 5,000 need 20 at least.
  katas('large.json', ['cluster', 'reset', '--workers', '25'])
  katas('large.json', ['kubectl', 'apply', '-f', path.join(dir, 'large.yaml')])
  writeFileSync(path.join(dir, 'one.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: one\n  namespace: bench\nspec:\n  containers:\n  - name: c\n    image: agnhost\n`)
  ok = bench('kubectl apply -f (5,000 pods, 500 services)', 'large.json', ['kubectl', 'apply', '-f', path.join(dir, 'one.yaml')], 1) && ok
  ok = bench('kubectl get svc -n bench (5,000 pods, 500 services)', 'large.json', ['kubectl', 'get', 'svc', '-n', 'bench'], 1) && ok
  ok = bench('katas curl NODE:NODEPORT (5,000 pods, 500 services)', 'large.json', ['curl', 'http://172.18.0.3:30250/hostname'], 1) && ok
  bench('kubectl get svc -n bench (5,000 pods, 500 services, no server)', 'large.json', ['kubectl', 'get', 'svc', '-n', 'bench'], 1, false)
} finally {
  for (const state of ['small.json', 'large.json']) katas(state, ['cluster', 'stop'])
  rmSync(dir, { recursive: true, force: true })
}
process.exitCode = ok ? 0 : 1

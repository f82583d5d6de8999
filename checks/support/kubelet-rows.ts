// Kata 09, task kubelet: how long the kubelet takes to stop a deleted pod's containers
// (pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer: the preStop hook, then
// SIGTERM, capped by the grace period) and the hostname its containers see.
import type { Container, Pod } from 'kubernetes-types/core/v1'

const container = (name: string, preStop?: NonNullable<Container['lifecycle']>['preStop']): Container => ({ name, image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', ...(preStop ? { lifecycle: { preStop } } : {}) })
const sleeping = (seconds: number) => container('app', { sleep: { seconds } })
const exec = (...command: string[]) => container('app', { exec: { command } })
const pod = (containers: Container[], o: { grace?: number; deletionGrace?: number } = {}): Pod => ({
  metadata: { name: 'web', namespace: 'snackbar', ...(o.deletionGrace !== undefined ? { deletionGracePeriodSeconds: o.deletionGrace } : {}) },
  spec: { containers, ...(o.grace !== undefined ? { terminationGracePeriodSeconds: o.grace } : {}) },
})

export interface StopRow {
  name: string
  pod: Pod
  want: number
}

export const STOP_ROWS: StopRow[] = [
  { name: 'no preStop hook: agnhost exits on SIGTERM at once', pod: pod([container('app')]), want: 0 },
  { name: 'a preStop sleep of 20 s within the default 30 s of grace', pod: pod([sleeping(20)]), want: 20 },
  { name: 'a preStop sleep of 45 s is cut at the default 30 s of grace', pod: pod([sleeping(45)]), want: 30 },
  { name: 'terminationGracePeriodSeconds 10 caps a 60 s sleep', pod: pod([sleeping(60)], { grace: 10 }), want: 10 },
  { name: 'terminationGracePeriodSeconds 0: killed at once, hook or not', pod: pod([sleeping(60)], { grace: 0 }), want: 0 },
  { name: 'kubectl delete --grace-period=5 (deletionGracePeriodSeconds) wins over the spec’s 30 s', pod: pod([sleeping(20)], { grace: 30, deletionGrace: 5 }), want: 5 },
  { name: 'deletionGracePeriodSeconds 0 as well', pod: pod([sleeping(20)], { deletionGrace: 0 }), want: 0 },
  { name: 'an exec hook `sleep 15`', pod: pod([exec('sleep', '15')]), want: 15 },
  { name: 'an exec hook `/bin/sleep 15`', pod: pod([exec('/bin/sleep', '15')]), want: 15 },
  { name: 'an exec hook `sh -c "sleep 15"`', pod: pod([exec('sh', '-c', 'sleep 15')]), want: 15 },
  { name: 'an exec hook `/bin/sh -c "/bin/sleep 15"`', pod: pod([exec('/bin/sh', '-c', '/bin/sleep 15')]), want: 15 },
  { name: 'an exec hook that does more than sleep is not timed: nginx -s quit returns at once', pod: pod([exec('nginx', '-s', 'quit')]), want: 0 },
  { name: 'an exec hook `sleep 15; echo bye` is not a plain sleep', pod: pod([exec('sh', '-c', 'sleep 15; echo bye')]), want: 0 },
  { name: 'an exec hook `sh -c "echo sleep 15"` prints and returns at once', pod: pod([exec('sh', '-c', 'echo sleep 15')]), want: 0 },
  { name: 'containers stop in parallel: the longest hook counts (10 s and 25 s)', pod: pod([sleeping(10), { ...sleeping(25), name: 'side' }]), want: 25 },
  { name: 'the longest hook may come first (25 s and 10 s)', pod: pod([sleeping(25), { ...sleeping(10), name: 'side' }]), want: 25 },
]

export interface HostnameRow {
  name: string
  pod: Pod
  want: string
}

export const HOSTNAME_ROWS: HostnameRow[] = [
  { name: 'a pod’s hostname is its name', pod: { metadata: { name: 'order-7d4b9c-x2x9q' }, spec: { containers: [] } }, want: 'order-7d4b9c-x2x9q' },
  { name: 'spec.hostname replaces it', pod: { metadata: { name: 'db-0' }, spec: { hostname: 'primary', containers: [] } }, want: 'primary' },
  { name: 'on the host network the pod shares its node’s UTS namespace: the node’s name', pod: { metadata: { name: 'menu' }, spec: { hostNetwork: true, hostname: 'ignored', nodeName: 'kind-worker2', containers: [] } }, want: 'kind-worker2' },
]

// The simulator's help texts.

export const KUBECTL_HELP = `katas kubectl — kubectl's verbs on a simulated kind cluster built from your model.

Usage: katas kubectl VERB [ARGS] [--impl auto|solutions|workspace|PATH]

  apply -f FILE|DIR [-n NS] [-R]     create or update objects (Namespace, Pod, Deployment, Service, Endpoints)
  delete TYPE NAME... [-n NS]         delete objects (a Deployment takes its pods; a pod of one is replaced)
        --force --grace-period=0: a pod goes at once, without waiting for it to stop
  delete -f FILE|DIR                  delete the objects a file names
  get TYPE [NAME...] [-n NS | -A] [-l SELECTOR] [-o wide|json|yaml|name] [--show-labels]
  describe svc [NAME...] [-n NS]
  exec POD [-n NS] [-c CONTAINER] -- COMMAND
        env | printenv [NAME] | hostname | cat /etc/resolv.conf | nslookup [-type=T] NAME
        curl [-s] [-S] [-m SECONDS] URL      (exit 6 cannot resolve, 7 refused, 28 timed out)
  port-forward TYPE/NAME [LOCAL:]REMOTE... [-n NS] [--address ADDR]
        the forward stays open in the cluster; \`katas curl http://localhost:LOCAL/\` goes through it

TYPE: pods (po), services (svc), endpoints (ep), endpointslices, nodes (no),
      deployments (deploy), namespaces (ns); TYPE/NAME works too.

Every container runs an echo server on its ports: GET /hostname → the pod's name,
GET /clientip → the client address the pod sees.

Also: katas curl URL (from outside the cluster), katas cluster (reset, status, node-down,
node-up, pod-not-ready, pod-ready, wait, use) — see \`katas help cluster\`.
`

export const CLUSTER_HELP = `katas cluster — the simulated cluster itself.

Usage: katas cluster COMMAND

  status                          whose code runs, kata by kata; the clock, nodes, objects, port-forwards
  reset [--seed N] [--workers N]  a fresh default cluster (kind: kind-control-plane, kind-worker, kind-worker2;
                                  --workers adds kind-worker3… at 172.18.0.5…)
  node-down NAME                  the node stops answering (its pods become unreachable at once; after
                                  50 s the node is NotReady, after 5 more minutes its pods are evicted)
  node-up NAME                    the node answers again
  pod-not-ready POD [-n NS]       the pod's readiness probe starts failing: it leaves its Services' endpoints
  pod-ready POD [-n NS]           the probe passes again
  wait DURATION                   let time pass (30s, 5m, 1h)
  use auto|solutions|workspace|PATH
                                  which model the cluster runs on (like a kubeconfig context): auto
                                  (the default) runs your code of each kata once its core path is
                                  green and the reference until then; solutions or workspace force
                                  one side for every kata; --impl on any command overrides it once

State: workspace/.katas/cluster.json (KATAS_CLUSTER_FILE overrides). Seeded: the same
commands give the same pod names, IPs and endpoint choices.
`

export const CURL_HELP = `katas curl — curl from your laptop, outside the cluster (source address 172.18.0.1,
the kind network's gateway).

Usage: katas curl [-s] [-S] [-m SECONDS] URL

  katas curl http://172.18.0.3:30080/hostname      a NodePort on a node
  katas curl http://172.18.255.200/clientip        a LoadBalancer's IP
  katas curl http://localhost:8080/                through \`katas kubectl port-forward\`

Cluster IPs, pod IPs and cluster DNS names do not answer from outside, as on kind.
Exit codes: 6 could not resolve host; 7 connection refused (at once) or no route to host
(a stopped node, after 3 s); 28 timed out (after 127 s, when Linux gives up; -m sooner).
A wait passes on the cluster's clock.
`

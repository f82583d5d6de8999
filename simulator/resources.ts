// The resource types `katas kubectl` knows, with kubectl's names for them (plural,
// singular, short name, `kind.group`), how to list them from the model and print them.
import type { ClusterModel } from './model.ts'
import {
  deploymentPrinter,
  endpointSlicePrinter,
  endpointsPrinter,
  namespacePrinter,
  nodePrinter,
  podPrinter,
  servicePrinter,
  type Printer,
} from './printers.ts'

export interface KubeObj {
  apiVersion?: string
  kind?: string
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string }
}

export interface Resource {
  kind: string
  apiVersion: string
  /** `pods`, `deployments.apps`: how the API server names it in errors. */
  plural: string
  /** `pod`, `deployment.apps`: how `-o name` prints it. */
  singular: string
  namespaced: boolean
  /** Every name kubectl accepts for it. */
  names: string[]
  list(c: ClusterModel, namespace: string | undefined): KubeObj[]
  printer: Printer<never>
}

const RESOURCES: Resource[] = [
  {
    kind: 'Pod',
    apiVersion: 'v1',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    names: ['pods', 'pod', 'po'],
    list: (c, ns) => c.pods(ns),
    printer: podPrinter as Printer<never>,
  },
  {
    kind: 'Service',
    apiVersion: 'v1',
    plural: 'services',
    singular: 'service',
    namespaced: true,
    names: ['services', 'service', 'svc'],
    list: (c, ns) => c.services(ns),
    printer: servicePrinter as Printer<never>,
  },
  {
    kind: 'Endpoints',
    apiVersion: 'v1',
    plural: 'endpoints',
    singular: 'endpoints',
    namespaced: true,
    names: ['endpoints', 'ep'],
    list: (c, ns) => c.endpoints(ns),
    printer: endpointsPrinter as Printer<never>,
  },
  {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    plural: 'endpointslices.discovery.k8s.io',
    singular: 'endpointslice.discovery.k8s.io',
    namespaced: true,
    names: ['endpointslices', 'endpointslice', 'endpointslices.discovery.k8s.io', 'endpointslice.discovery.k8s.io'],
    list: (c, ns) => c.endpointSlices(ns),
    printer: endpointSlicePrinter as Printer<never>,
  },
  {
    kind: 'Node',
    apiVersion: 'v1',
    plural: 'nodes',
    singular: 'node',
    namespaced: false,
    names: ['nodes', 'node', 'no'],
    list: (c) => c.nodes(),
    printer: nodePrinter as Printer<never>,
  },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    plural: 'deployments.apps',
    singular: 'deployment.apps',
    namespaced: true,
    names: ['deployments', 'deployment', 'deploy', 'deployments.apps', 'deployment.apps'],
    list: (c, ns) => c.deployments(ns),
    printer: deploymentPrinter as Printer<never>,
  },
  {
    kind: 'Namespace',
    apiVersion: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    names: ['namespaces', 'namespace', 'ns'],
    list: (c) => c.namespaces(),
    printer: namespacePrinter as Printer<never>,
  },
]

const BY_NAME = new Map(RESOURCES.flatMap((r) => r.names.map((n) => [n, r] as const)))

/** The resource type kubectl would map `name` to, if the course's cluster has it. */
export function findResource(name: string): Resource | undefined {
  return BY_NAME.get(name.toLowerCase())
}

/** The object as the API server returns it: apiVersion and kind always set. */
export function withTypeMeta<T extends KubeObj>(r: Resource, obj: T): T {
  return { ...obj, apiVersion: obj.apiVersion ?? r.apiVersion, kind: obj.kind ?? r.kind }
}

// `kubectl describe svc`'s Events table, from the events the service controller recorded.
import { describe, expect, test } from 'vitest'
import { timestamp } from '../lib/cluster/clock.ts'
import { describeEvents } from './describe.ts'

const at = (seconds: number, reason: string, message = reason, type = 'Normal') => ({ type, reason, message, timestamp: timestamp(seconds) })

describe('describeEvents', () => {
  test.each([
    { name: 'no events: no table (the field line says <none>)', events: [], now: 10, want: '' },
    {
      name: 'one event: its age by the cluster clock, from the service controller',
      events: [at(0, 'EnsuringLoadBalancer', 'Ensuring load balancer')],
      now: 42,
      want: 'Events:\n  Type    Reason                Age   From                Message\n  ----    ------                ----  ----                -------\n  Normal  EnsuringLoadBalancer  42s   service-controller  Ensuring load balancer\n',
    },
    {
      name: 'a repeated event is folded into one with its count, and sorted by when it was last seen',
      events: [at(0, 'EnsuringLoadBalancer', 'Ensuring load balancer'), at(10, 'Type', 'ClusterIP -> LoadBalancer'), at(30, 'EnsuringLoadBalancer', 'Ensuring load balancer')],
      now: 40,
      want: 'Events:\n  Type    Reason                Age                From                Message\n  ----    ------                ----               ----                -------\n  Normal  Type                  30s                service-controller  ClusterIP -> LoadBalancer\n  Normal  EnsuringLoadBalancer  10s (x2 over 40s)  service-controller  Ensuring load balancer\n',
    },
    {
      name: 'an event not seen for an hour is gone (the API server\'s event TTL)',
      events: [at(0, 'Type', 'ClusterIP -> LoadBalancer'), at(100, 'EnsuredLoadBalancer', 'Ensured load balancer')],
      now: 3650,
      want: 'Events:\n  Type    Reason               Age   From                Message\n  ----    ------               ----  ----                -------\n  Normal  EnsuredLoadBalancer  59m   service-controller  Ensured load balancer\n',
    },
  ])('$name', ({ events, now, want }) => {
    expect(describeEvents(events, now)).toBe(want)
  })
})

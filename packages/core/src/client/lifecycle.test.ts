import { describe, expect, it, vi } from 'vitest'
import type { TabCoordinator } from './coordinator.js'
import { Heartbeat } from './heartbeat.js'
import { Lifecycle } from './lifecycle.js'
import { FakeOnline, FakeVisibility } from './test-support/fakes.js'

function setup() {
  const online = new FakeOnline()
  const events: string[] = []
  const storage = { watching: 0 }
  const heartbeat = new Heartbeat(
    { mode: 'device', heartbeatIntervalMs: 60_000, now: Date.now, random: () => 0.5 },
    { visibility: new FakeVisibility() },
    () => {},
  )
  const lifecycle: Lifecycle = new Lifecycle({
    heartbeat,
    tabs: () => {
      events.push(`tabs ${lifecycle.period}`)
      return {
        start: () => events.push('tabs start'),
        stop: () => events.push('tabs stop'),
        broadcast: (data: unknown) => events.push(`broadcast ${JSON.stringify(data)}`),
      } as unknown as TabCoordinator
    },
    begin: () => {
      events.push(`begin ${lifecycle.period}`)
      storage.watching++
      return [
        online.subscribe(() => events.push('online')),
        () => {
          storage.watching--
        },
      ]
    },
  })
  return { lifecycle, events, online, storage, heartbeat }
}

describe('Lifecycle', () => {
  it('runs from the first start to the matching last stop', () => {
    const { lifecycle, events, online, storage } = setup()
    lifecycle.start()
    lifecycle.start()
    expect(events).toEqual(['tabs 1', 'begin 1', 'tabs start'])
    expect(online.added).toBe(1)
    expect(storage.watching).toBe(1)
    lifecycle.stop()
    expect(events).not.toContain('tabs stop')
    expect(storage.watching).toBe(1)
    lifecycle.stop()
    expect(events.at(-1)).toBe('tabs stop')
    expect(online.removed).toBe(1)
    expect(storage.watching).toBe(0)
  })

  it('an extra stop does nothing, and the next start begins a new period', () => {
    const { lifecycle, events } = setup()
    lifecycle.stop()
    expect(events).toEqual([])
    lifecycle.start()
    const first = lifecycle.period
    lifecycle.stop()
    expect(lifecycle.period).not.toBe(first)
    lifecycle.start()
    expect(events).toEqual([
      'tabs 1',
      'begin 1',
      'tabs start',
      'tabs stop',
      'tabs 3',
      'begin 3',
      'tabs start',
    ])
    lifecycle.stop()
  })

  it('forwards online and broadcasts to the running coordinator', () => {
    const { lifecycle, events, online } = setup()
    lifecycle.start()
    online.fire()
    lifecycle.broadcast({ a: 1 })
    expect(events.slice(3)).toEqual(['online', 'broadcast {"a":1}'])
    lifecycle.stop()
    lifecycle.broadcast('late')
    expect(events).not.toContain('broadcast "late"')
  })

  it('starts and stops the heartbeat with the period', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      const { lifecycle, heartbeat } = setup()
      heartbeat.dueBy(Date.now() + 1_000)
      heartbeat.lead()
      expect(vi.getTimerCount()).toBe(0)
      lifecycle.start()
      heartbeat.lead()
      expect(heartbeat.leader).toBe(true)
      heartbeat.dueBy(Date.now() + 1_000)
      expect(vi.getTimerCount()).toBe(1)
      lifecycle.stop()
      expect(heartbeat.leader).toBe(false)
      expect(vi.getTimerCount()).toBe(0)
      heartbeat.dueBy(Date.now() + 1_000)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})

// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LicenseError } from '../errors/license-error.js'
import { Heartbeat } from './heartbeat.js'
import { MAX_TIMEOUT_MS } from './schedule.js'
import { granted, refused } from './test-support/fake-proxy.js'
import { FakeVisibility, settle } from './test-support/fakes.js'
import {
  activeRecord,
  DAY,
  freshIndexedDb,
  type Harness,
  harness,
  T0,
  useClock,
  writeRecord,
} from './test-support/harness.js'
import type { LicenseClient } from './types.js'

const HOUR = 60 * 60 * 1000

let h: Harness
let client: LicenseClient | undefined

beforeEach(() => {
  useClock()
  freshIndexedDb()
  h = harness()
})

afterEach(() => {
  client?.stop()
  client = undefined
  vi.useRealTimers()
})

async function started(options: Parameters<Harness['create']>[0] = {}): Promise<LicenseClient> {
  client = h.create(options)
  client.start()
  await settle()
  return client
}

/** Advances the fake clock and lets the requests it starts finish. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
  await settle()
}

describe('7. heartbeat', () => {
  it.each([
    ['-10 %', 0, 0.9],
    ['no', 0.5, 1],
    ['+10 %', 0.999_999, 1.1],
  ])('checks at max(0, interval − age) with %s jitter', async (_label, random, factor) => {
    await writeRecord(activeRecord(2 * DAY))
    await started({ random: () => random })
    const delay = Math.ceil(5 * DAY * factor)
    await advance(delay - 1_000)
    expect(h.proxy.count('validate')).toBe(0)
    await advance(1_000)
    expect(h.proxy.count('validate')).toBe(1)
  })

  it('by default checks once a day, so a 7-day grace starts with at least 6 days left', async () => {
    await writeRecord(activeRecord(HOUR))
    await started({ heartbeatIntervalMs: undefined })
    await advance(DAY - HOUR - 1_000)
    expect(h.proxy.count('validate')).toBe(0)
    await advance(1_000)
    expect(h.proxy.count('validate')).toBe(1)
    await advance(DAY - 1)
    expect(h.proxy.count('validate')).toBe(1)
    await advance(1)
    expect(h.proxy.count('validate')).toBe(2)
  })

  it('checks again one interval after each answer', async () => {
    await writeRecord(activeRecord(7 * DAY - 1000))
    await started()
    await advance(1000)
    expect(h.proxy.count('validate')).toBe(1)
    await advance(7 * DAY - 1)
    expect(h.proxy.count('validate')).toBe(1)
    await advance(1)
    expect(h.proxy.count('validate')).toBe(2)
  })

  it('measures the interval on the device clock, not against server time', async () => {
    const serverBehind = () => new Date(Date.now() - 3 * DAY).toISOString()
    h.proxy.reply(() => granted(undefined, { checkedAt: serverBehind() }))
    const c = await started({ heartbeatIntervalMs: DAY })
    await c.activate('SHOP-A1B2-C3D4-E5F6-G7H8')
    expect(h.proxy.count()).toBe(1)
    await advance(DAY - 1_000)
    expect(h.proxy.count('validate')).toBe(0)
    await advance(1_000)
    expect(h.proxy.count('validate')).toBe(1)
    await advance(DAY - 1_000)
    expect(h.proxy.count('validate')).toBe(1)
  })

  it('chains timeouts below 2^31 − 1 ms, so a 30-day interval does not fire early', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    const c = await started({ heartbeatIntervalMs: 30 * DAY, graceDays: 30 })
    await c.activate('SHOP-A1B2-C3D4-E5F6-G7H8')
    await advance(MAX_TIMEOUT_MS + 1000)
    expect(h.proxy.count('validate')).toBe(0)
    expect(vi.getTimerCount()).toBe(1)
    await advance(30 * DAY - MAX_TIMEOUT_MS - 2000)
    expect(h.proxy.count('validate')).toBe(0)
    await advance(1000)
    expect(h.proxy.count('validate')).toBe(1)
    const delays = setTimeoutSpy.mock.calls.map(([, delay]) => delay ?? 0)
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMEOUT_MS)
    setTimeoutSpy.mockRestore()
  })

  it('runs no timer while hidden and checks once when visible and due', async () => {
    await writeRecord(activeRecord(DAY))
    await started()
    expect(vi.getTimerCount()).toBe(1)
    h.visibility.set(false)
    expect(vi.getTimerCount()).toBe(0)
    await advance(10 * DAY)
    expect(h.proxy.count()).toBe(0)
    h.visibility.set(true)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    h.visibility.set(false)
    h.visibility.set(true)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    expect(vi.getTimerCount()).toBe(1)
  })

  it('a hidden tab starting from an unusable cache waits until it is shown', async () => {
    await writeRecord(activeRecord(8 * DAY))
    h.visibility.visible = false
    const c = await started()
    expect(c.getSnapshot().status).toBe('loading')
    expect(h.proxy.count()).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    h.visibility.set(true)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
  })

  it('does not check when the page becomes visible before the check is due', async () => {
    await writeRecord(activeRecord(DAY))
    await started()
    h.visibility.set(false)
    await advance(2 * DAY)
    h.visibility.set(true)
    await settle()
    expect(h.proxy.count()).toBe(0)
    expect(vi.getTimerCount()).toBe(1)
  })

  it('checks at once on online while in grace, and not while active', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.online.fire()
    await settle()
    expect(h.proxy.count()).toBe(0)
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    expect(c.getSnapshot().status).toBe('grace')
    h.proxy.reply(() => granted())
    h.online.fire()
    await settle()
    expect(h.proxy.count('validate')).toBe(2)
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
  })

  it('backs off exponentially while unreachable, capped at 1 hour', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    const expected = [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, HOUR, HOUR]
    for (const [index, delay] of expected.entries()) {
      await advance(delay - 1)
      expect(h.proxy.count('validate')).toBe(index + 1)
      await advance(1)
      expect(h.proxy.count('validate')).toBe(index + 2)
    }
    expect(c.getSnapshot().status).toBe('grace')
  })

  it('honours Retry-After, still capped at 1 hour', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => refused(429, 'rate_limited', { 'retry-after': '600' }))
    await c.refresh()
    await advance(600_000 - 1)
    expect(h.proxy.count('validate')).toBe(1)
    h.proxy.reply(() => refused(503, 'upstream_unavailable', { 'retry-after': '86400' }))
    await advance(1)
    expect(h.proxy.count('validate')).toBe(2)
    await advance(HOUR - 1)
    expect(h.proxy.count('validate')).toBe(2)
    await advance(1)
    expect(h.proxy.count('validate')).toBe(3)
  })

  it('jitters the backoff', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started({ random: () => 0 })
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    await advance(27_000 - 1)
    expect(h.proxy.count('validate')).toBe(1)
    await advance(1)
    expect(h.proxy.count('validate')).toBe(2)
  })

  it('returns to the regular interval after the proxy answers again', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    h.proxy.reply(() => granted())
    await advance(30_000)
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
    await advance(7 * DAY - 1)
    expect(h.proxy.count('validate')).toBe(2)
    await advance(1)
    expect(h.proxy.count('validate')).toBe(3)
  })

  it('turns grace into grace_expired when grace ends while unreachable', async () => {
    await writeRecord(activeRecord(7 * DAY - 10 * 60_000))
    h.proxy.reply(() => 'network-error')
    const c = await started()
    await c.refresh()
    expect(c.getSnapshot().status).toBe('grace')
    await advance(10 * 60_000 - 1)
    expect(c.getSnapshot().status).toBe('grace')
    await advance(1)
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'grace_expired' })
  })

  it('in installation mode checks on the same schedule with {}', async () => {
    const { key: _key, ...record } = activeRecord(6 * DAY)
    await writeRecord(record, 'installation')
    await started({ mode: 'installation' })
    await advance(DAY)
    expect(h.proxy.calls).toMatchObject([{ action: 'validate', body: {} }])
  })
})

describe('11. stopping', () => {
  it('removes every listener and timer', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    expect(h.visibility.added).toBe(1)
    expect(h.online.added).toBe(1)
    expect(vi.getTimerCount()).toBe(1)
    c.stop()
    expect(h.visibility.removed).toBe(h.visibility.added)
    expect(h.online.removed).toBe(h.online.added)
    expect(h.visibility.listeners.size).toBe(0)
    expect(h.online.listeners.size).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    await advance(30 * DAY)
    h.visibility.set(true)
    h.online.fire()
    await settle()
    expect(h.proxy.count()).toBe(0)
  })

  it('also while backing off, and can start again (React StrictMode mounts twice)', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    expect(vi.getTimerCount()).toBe(1)
    c.stop()
    expect(vi.getTimerCount()).toBe(0)
    c.start()
    c.stop()
    c.start()
    await settle()
    expect(h.visibility.listeners.size).toBe(1)
    expect(h.online.listeners.size).toBe(1)
    expect(vi.getTimerCount()).toBe(1)
    c.stop()
    expect(h.visibility.added).toBe(h.visibility.removed)
    expect(h.online.added).toBe(h.online.removed)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stop before storage was read leaves nothing behind', async () => {
    await writeRecord(activeRecord(8 * DAY))
    client = h.create({ graceDays: 14 })
    client.start()
    client.stop()
    await settle()
    expect(vi.getTimerCount()).toBe(0)
    expect(h.proxy.count()).toBe(0)
  })
})

describe('Heartbeat (unit)', () => {
  const NO_GRACE = { status: 'active', graceEndsAt: null } as const
  const record = activeRecord(0, { receivedAt: T0 })
  const unreachable = {
    kind: 'unreachable',
    error: new LicenseError('unreachable', 'down'),
  } as const

  function beat(onDue: () => void = () => {}) {
    const heartbeat = new Heartbeat(
      { mode: 'device', heartbeatIntervalMs: DAY, now: Date.now, random: () => 0.5 },
      { visibility: new FakeVisibility() },
      onDue,
    )
    heartbeat.start()
    heartbeat.lead()
    return heartbeat
  }

  it('schedules one interval after the last answer and fires once when due', async () => {
    let due = 0
    const heartbeat = beat(() => due++)
    heartbeat.reschedule(record, NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0 + DAY)
    await vi.advanceTimersByTimeAsync(DAY)
    expect(due).toBe(1)
    expect(heartbeat.dueAt).toBeNull()
    heartbeat.stop()
  })

  it('backs off from the last attempt after unreachable answers and ends it on any other', () => {
    const heartbeat = beat()
    heartbeat.attempted(T0)
    heartbeat.answered(unreachable)
    expect(heartbeat.failing).toBe(true)
    heartbeat.reschedule(record, NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0 + 30_000)
    heartbeat.answered(unreachable)
    heartbeat.reschedule(record, NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0 + 60_000)
    heartbeat.answered({ kind: 'failure', error: new LicenseError('revoked', 'revoked') })
    expect(heartbeat.failing).toBe(false)
    heartbeat.stop()
  })

  it('follows the answers other tabs had: definite ends the backoff, unreachable begins one', () => {
    const heartbeat = beat()
    heartbeat.attempted(T0)
    heartbeat.peerAnswered('unreachable')
    expect(heartbeat.failing).toBe(true)
    heartbeat.reschedule(record, NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0 + 30_000)
    heartbeat.answered(unreachable)
    heartbeat.peerAnswered('unreachable')
    heartbeat.reschedule(record, NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0 + 60_000)
    heartbeat.peerAnswered('definite')
    expect(heartbeat.failing).toBe(false)
    heartbeat.stop()
  })

  it('schedules from the answer: its receipt time, else its checkedAt, an interval later', () => {
    const heartbeat = beat()
    heartbeat.reschedule(activeRecord(HOUR, { receivedAt: T0 - 2 * HOUR }), NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0 + DAY - 2 * HOUR)
    heartbeat.reschedule(activeRecord(HOUR), NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0 + DAY - HOUR)
    heartbeat.stop()
  })

  it('is due now without an answer or with a deactivation owed', () => {
    const heartbeat = beat()
    heartbeat.reschedule(activeRecord(HOUR, { checkedAt: null }), NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0)
    heartbeat.reschedule(activeRecord(HOUR, { pendingDeactivations: [{}] }), NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0)
    heartbeat.stop()
  })

  it('backs off at least as long as Retry-After', () => {
    const heartbeat = beat()
    heartbeat.attempted(T0 - DAY)
    heartbeat.answered({
      kind: 'unreachable',
      error: new LicenseError('unreachable', 'down', { retryAfter: 600 }),
    })
    heartbeat.reschedule(record, NO_GRACE)
    expect(heartbeat.dueAt).toBe(T0 - DAY + 600_000)
    heartbeat.stop()
  })

  it('is never after the end of the grace being shown', () => {
    const heartbeat = beat()
    const graceEndsAt = new Date(T0 + 1_000).toISOString()
    heartbeat.reschedule(record, { status: 'grace', graceEndsAt })
    expect(heartbeat.dueAt).toBe(T0 + 1_000)
    heartbeat.stop()
  })

  it('has nothing to schedule without a key, and nothing at all once stopped', () => {
    const heartbeat = beat()
    heartbeat.reschedule(null, NO_GRACE)
    expect(heartbeat.dueAt).toBeNull()
    heartbeat.stop()
    heartbeat.reschedule(record, NO_GRACE)
    heartbeat.dueBy(T0)
    expect(heartbeat.dueAt).toBeNull()
    expect(vi.getTimerCount()).toBe(0)
  })
})

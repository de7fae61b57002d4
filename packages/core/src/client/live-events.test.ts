// @vitest-environment happy-dom
import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChannelFactory, ChannelLike } from './coordinator.js'
import { Heartbeat } from './heartbeat.js'
import {
  LiveEvents,
  liveEvents,
  liveSubscription,
  RECONNECT_BASE_MS,
  RECONNECT_MAX_MS,
  reconnectDelay,
} from './live-events.js'
import { FakeEventSources } from './test-support/fake-event-source.js'
import { deferred, FakeProxy, granted, LICENSE, refused } from './test-support/fake-proxy.js'
import { FakeLocks, FakeVisibility, settle } from './test-support/fakes.js'
import {
  activeRecord,
  DAY,
  ENDPOINT,
  freshIndexedDb,
  type Harness,
  harness,
  KEY,
  OTHER_KEY,
  useClock,
  writeRecord,
} from './test-support/harness.js'
import type { LicenseClient } from './types.js'

const streaming = () => until(() => sources.open().length === 1)
const subjectOf = (key: string) => createHash('sha256').update(key).digest('hex')
const EVENTS_URL = `${ENDPOINT}/events?sub=${subjectOf(KEY)}`
const CONNECTING = 0
const OPEN = 1
const CLOSED = 2

let h: Harness
let sources: FakeEventSources
let clients: LicenseClient[] = []

beforeEach(() => {
  useClock()
  freshIndexedDb()
  h = harness()
  sources = new FakeEventSources()
})

afterEach(() => {
  for (const client of clients) client.stop()
  clients = []
  vi.useRealTimers()
})

/**
 * Lets IndexedDB, the key's digest and promise chains run until `condition` holds. Bounded in
 * real time (timers are fake, `performance` is not): the digest runs on libuv's thread pool,
 * which a busy machine may take a while to schedule, however many event-loop turns pass.
 */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 10_000
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('Condition not met')
    await settle(1)
  }
}

async function started(options: Parameters<Harness['create']>[0] = {}): Promise<LicenseClient> {
  const client = h.create({ events: liveEvents({ EventSource: sources.EventSource }), ...options })
  clients.push(client)
  client.start()
  await until(() => client.getSnapshot().status !== 'loading')
  await settle()
  return client
}

describe('liveSubscription', () => {
  const record = activeRecord(0)

  it('is the key of a leader whose state the proxy answered, licensed or denied', () => {
    for (const status of ['active', 'grace', 'denied'] as const) {
      expect(liveSubscription({ leader: true, mode: 'device', record, status })).toEqual({
        key: KEY,
      })
    }
  })

  it('is nothing for a follower, while loading or unlicensed, or without a key', () => {
    const inputs = { leader: true, mode: 'device', record, status: 'active' } as const
    expect(liveSubscription({ ...inputs, leader: false })).toBeNull()
    expect(liveSubscription({ ...inputs, status: 'loading' })).toBeNull()
    expect(liveSubscription({ ...inputs, status: 'unlicensed' })).toBeNull()
    expect(liveSubscription({ ...inputs, record: null })).toBeNull()
    const { key: _, ...keyless } = record
    expect(liveSubscription({ ...inputs, record: { ...keyless } })).toBeNull()
  })

  it('is the installation itself in installation mode (the proxy knows the key)', () => {
    const inputs = { leader: true, mode: 'installation', record: null } as const
    expect(liveSubscription({ ...inputs, status: 'active' })).toEqual({})
    expect(liveSubscription({ ...inputs, status: 'denied' })).toEqual({})
    expect(liveSubscription({ ...inputs, status: 'unlicensed' })).toBeNull()
    expect(liveSubscription({ ...inputs, leader: false, status: 'active' })).toBeNull()
  })
})

describe('reconnectDelay', () => {
  it('doubles from 1 s up to 60 s with the upper half jittered', () => {
    expect(reconnectDelay(0, () => 0)).toBe(RECONNECT_BASE_MS / 2)
    expect(reconnectDelay(0, () => 0.999)).toBeCloseTo(RECONNECT_BASE_MS, -1)
    expect(reconnectDelay(1, () => 0.5)).toBe(1_500)
    expect(reconnectDelay(3, () => 0)).toBe(4_000)
    expect(reconnectDelay(20, () => 0)).toBe(RECONNECT_MAX_MS / 2)
    expect(reconnectDelay(20, () => 1)).toBe(RECONNECT_MAX_MS)
  })
})

describe('live events in the client', () => {
  it('the leader opens one stream to {endpoint}/events?sub=<SHA-256 of the key>', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await started()
    await streaming()
    expect(client.getSnapshot().status).toBe('active')
    expect(sources.all.map((source) => source.url)).toEqual([EVENTS_URL])
  })

  it('an event triggers one validation, and the state comes from its answer', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await started()
    await streaming()
    const answer = deferred<Response>()
    h.proxy.reply(() => answer.promise)
    sources.last().emit('license', OPEN)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    expect(client.getSnapshot()).toMatchObject({ status: 'active', isChecking: true })
    answer.resolve(refused(403, 'revoked'))
    await settle()
    expect(client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
    expect(h.proxy.count('validate')).toBe(1)
    expect(sources.open()).toHaveLength(1)
  })

  it('events during a validation in flight join it', async () => {
    await writeRecord(activeRecord(DAY))
    await started()
    await streaming()
    const answer = deferred<Response>()
    h.proxy.reply(() => answer.promise)
    const source = sources.last()
    source.emit('license', OPEN)
    source.emit('license')
    await settle()
    source.emit('license')
    await settle()
    answer.resolve(granted())
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    source.emit('license')
    await settle()
    expect(h.proxy.count('validate')).toBe(2)
  })

  it('other messages on the stream do nothing', async () => {
    await writeRecord(activeRecord(DAY))
    await started()
    await streaming()
    sources.last().emit('message', OPEN)
    sources.last().emit('open')
    await settle()
    expect(h.proxy.count()).toBe(0)
  })

  it('after the browser reconnects by itself, the first open asks for one validation', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await started()
    await streaming()
    h.proxy.reply(() => refused(403, 'revoked'))
    sources.last().emit('error', CONNECTING)
    await settle()
    expect(h.proxy.count()).toBe(0)
    sources.last().emit('open', OPEN)
    sources.last().emit('open', OPEN)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    expect(client.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
  })

  it("after its own reconnect (the browser gave up), the new stream's open asks for one validation", async () => {
    await writeRecord(activeRecord(DAY))
    await started()
    await streaming()
    sources.last().emit('error', CLOSED)
    await vi.advanceTimersByTimeAsync(RECONNECT_BASE_MS)
    await until(() => sources.all.length === 2)
    expect(h.proxy.count()).toBe(0)
    sources.last().emit('open', OPEN)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
  })

  it('closes on the last counted stop only', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await started()
    await streaming()
    client.start()
    client.stop()
    await settle()
    expect(sources.open()).toHaveLength(1)
    client.stop()
    expect(sources.open()).toHaveLength(0)
    expect(sources.all).toHaveLength(1)
  })

  it('closes when the key is removed, and opens for a key activated later', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await started()
    await streaming()
    h.proxy.reply(() => granted(null))
    await client.deactivate()
    await settle()
    expect(client.getSnapshot().status).toBe('unlicensed')
    expect(sources.open()).toHaveLength(0)
    h.proxy.reply(() => granted(LICENSE))
    await client.activate(KEY)
    await streaming()
    expect(sources.open().map((source) => source.url)).toEqual([EVENTS_URL])
  })

  it('follows the new key when the key changes', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await started()
    await streaming()
    await client.activate(OTHER_KEY)
    await until(() => sources.all.length === 2)
    expect(sources.all.map((source) => [source.url, source.closed])).toEqual([
      [EVENTS_URL, true],
      [`${ENDPOINT}/events?sub=${subjectOf(OTHER_KEY)}`, false],
    ])
  })

  it('stays open while denied with a key, so a reinstatement is heard too', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await started()
    await streaming()
    h.proxy.reply(() => refused(403, 'revoked'))
    sources.last().emit('license', OPEN)
    await settle()
    expect(client.getSnapshot().status).toBe('denied')
    h.proxy.reply(() => granted())
    sources.last().emit('license')
    await settle()
    expect(client.getSnapshot().status).toBe('active')
    expect(sources.all).toHaveLength(1)
  })

  it('opens nothing without a key', async () => {
    const client = await started()
    expect(client.getSnapshot().status).toBe('unlicensed')
    expect(sources.all).toHaveLength(0)
  })

  it('subscribes without a query in installation mode', async () => {
    await started({ mode: 'installation' })
    await streaming()
    expect(sources.all.map((source) => source.url)).toEqual([`${ENDPOINT}/events`])
  })

  it('is off without the events option (the default)', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await started({ events: undefined })
    expect(client.getSnapshot().status).toBe('active')
    expect(sources.all).toHaveLength(0)
  })

  it('uses the global EventSource by default', async () => {
    vi.stubGlobal('EventSource', sources.EventSource)
    try {
      await writeRecord(activeRecord(DAY))
      const client = h.create({ events: liveEvents() })
      clients.push(client)
      client.start()
      await streaming()
      expect(sources.all.map((source) => source.url)).toEqual([EVENTS_URL])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('refuses an events option that is not liveEvents()', () => {
    expect(() => h.create({ events: true as never })).toThrow(
      expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' }),
    )
  })

  it('works as before where there is no EventSource', async () => {
    expect(typeof globalThis.EventSource).toBe('undefined')
    await writeRecord(activeRecord(DAY))
    const client = h.create({ events: liveEvents() })
    clients.push(client)
    client.start()
    await settle()
    expect(client.getSnapshot().status).toBe('active')
    await vi.advanceTimersByTimeAsync(6 * DAY)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    expect(h.errors).toEqual([])
  })
})

describe('live events across tabs', () => {
  it('the other tabs learn the answer to an event through the shared record, without a request', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const namespace = `live-${Math.random()}`
    const channel: ChannelFactory = (name) =>
      new BroadcastChannel(`${name}#${namespace}`) as unknown as ChannelLike
    const leader = await started({ locks, channel })
    const followerProxy = new FakeProxy()
    const follower = await started({ locks, channel, fetch: followerProxy.fetch })
    await streaming()
    h.proxy.reply(() => refused(403, 'revoked'))
    sources.last().emit('license', OPEN)
    await until(() => follower.getSnapshot().status === 'denied')
    expect(follower.getSnapshot().reason).toBe('revoked')
    expect(leader.getSnapshot().reason).toBe('revoked')
    expect(h.proxy.count()).toBe(1)
    expect(followerProxy.count()).toBe(0)
    expect(sources.all).toHaveLength(1)
  })

  it('only the leader holds a stream; it moves to the next leader when the leader stops', async () => {
    await writeRecord(activeRecord(DAY))
    const locks = new FakeLocks()
    const a = await started({ locks })
    const b = await started({ locks })
    await streaming()
    expect(a.getSnapshot().status).toBe('active')
    expect(b.getSnapshot().status).toBe('active')
    expect(sources.all).toHaveLength(1)
    a.stop()
    await until(() => sources.all.length === 2)
    expect(sources.all.map((source) => source.closed)).toEqual([true, false])
    sources.last().emit('license', OPEN)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
  })

  it('closes the stream when the tab stops leading and reopens it only when it leads again', async () => {
    const heartbeat = new Heartbeat(
      { mode: 'device', heartbeatIntervalMs: DAY, now: Date.now, random: () => 0.5 },
      {
        visibility: new FakeVisibility(),
        events: (onEvent) =>
          liveEvents({ EventSource: sources.EventSource })({
            endpoint: ENDPOINT,
            random: () => 0.5,
            onEvent,
            onError: () => {},
          }),
      },
      () => {},
    )
    const state = { status: 'active', graceEndsAt: null } as const
    heartbeat.start()
    heartbeat.lead()
    heartbeat.reschedule(activeRecord(0), state)
    await streaming()
    heartbeat.stop()
    expect(sources.open()).toHaveLength(0)
    // Started again, the tab is not the leader until it gets the lock again.
    heartbeat.start()
    heartbeat.reschedule(activeRecord(0), state)
    await settle()
    expect(sources.open()).toHaveLength(0)
    heartbeat.lead()
    heartbeat.reschedule(activeRecord(0), state)
    await streaming()
    expect(sources.all).toHaveLength(2)
    heartbeat.stop()
    expect(sources.open()).toHaveLength(0)
  })
})

describe('reconnects', () => {
  async function live() {
    const onError = vi.fn()
    const events = new LiveEvents({
      endpoint: ENDPOINT,
      EventSource: sources.EventSource,
      random: () => 0.5,
      onEvent: () => {},
      onError,
    })
    events.follow({ key: KEY })
    await until(() => sources.all.length === 1)
    return { events, onError }
  }

  it('leaves reconnecting to the browser while it retries by itself', async () => {
    await live()
    sources.last().emit('error', CONNECTING)
    await vi.advanceTimersByTimeAsync(RECONNECT_MAX_MS)
    await settle()
    expect(sources.all).toHaveLength(1)
    expect(sources.last().closed).toBe(false)
  })

  it('reconnects with growing jittered backoff once the stream is closed, reset by an open', async () => {
    await live()
    const waits: number[] = []
    for (let attempt = 0; attempt < 3; attempt++) {
      const count = sources.all.length
      sources.last().emit('error', CLOSED)
      const failedAt = Date.now()
      while (sources.all.length === count) {
        await vi.advanceTimersByTimeAsync(50)
        await settle(2)
      }
      waits.push(Date.now() - failedAt)
    }
    expect(waits.map((ms) => Math.ceil(ms / 50) * 50)).toEqual([750, 1_500, 3_000])
    expect(sources.open()).toHaveLength(1)
    sources.last().emit('open', OPEN)
    sources.last().emit('error', CLOSED)
    await vi.advanceTimersByTimeAsync(750)
    await settle()
    expect(sources.all).toHaveLength(5)
  })

  it('stops reconnecting when the subscription ends', async () => {
    const { events } = await live()
    sources.last().emit('error', CLOSED)
    events.follow(null)
    await vi.advanceTimersByTimeAsync(RECONNECT_MAX_MS)
    await settle()
    expect(sources.all).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('reports a constructor that throws and retries later', async () => {
    let fail = true
    const Real = sources.EventSource
    const Flaky = class extends Real {
      constructor(url: string) {
        if (fail) throw new SyntaxError('bad url')
        super(url)
      }
    }
    const onError = vi.fn()
    const events = new LiveEvents({
      endpoint: ENDPOINT,
      EventSource: Flaky,
      random: () => 0.5,
      onEvent: () => {},
      onError,
    })
    events.follow({ key: KEY })
    await until(() => onError.mock.calls.length > 0)
    expect(onError).toHaveBeenCalledWith(expect.any(SyntaxError))
    fail = false
    await vi.advanceTimersByTimeAsync(750)
    await settle()
    expect(sources.open()).toHaveLength(1)
    events.follow(null)
  })
})

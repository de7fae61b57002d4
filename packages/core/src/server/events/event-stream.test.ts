import { describe, expect, it } from 'vitest'
import { createLicenseProxy } from '../proxy/create-license-proxy.js'
import type { LicenseProxyOptions } from '../proxy/options.js'
import { fakeUpstream, testOptions } from '../proxy/test-support/fake-upstream.js'
import { createMemoryEventBus } from './event-bus.js'
import type { KeepAliveTimers } from './event-stream.js'
import {
  PROXY,
  subOf,
  WEBHOOK_SECRET,
  webhookBody,
  webhookRequest,
} from './test-support/webhooks.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
const OTHER = 'SHOP-Z9Y8-X7W6-V5U4-T3S2'

/** Timers the test fires by hand. */
function manualTimers() {
  const intervals = new Map<number, { callback: () => void; ms: number }>()
  let next = 1
  const timers: KeepAliveTimers = {
    setInterval(callback, ms) {
      const id = next++
      intervals.set(id, { callback, ms })
      return id
    },
    clearInterval(handle) {
      intervals.delete(handle as number)
    },
  }
  return {
    timers,
    intervals,
    fire() {
      for (const { callback } of intervals.values()) callback()
    },
  }
}

function setup(overrides: Partial<LicenseProxyOptions> = {}) {
  const clock = manualTimers()
  const bus = createMemoryEventBus()
  const proxy = createLicenseProxy(
    testOptions(fakeUpstream().fetch, {
      webhookSecret: WEBHOOK_SECRET,
      eventBus: bus,
      allowedOrigins: ['https://app.example'],
      events: { timers: clock.timers, maxStreamsPerClient: 2 },
      ...overrides,
    }),
  )
  return { proxy, bus, clock }
}

function open(sub: string | null, headers: HeadersInit = {}, signal?: AbortSignal) {
  const query = sub === null ? '' : `?sub=${sub}`
  return new Request(`${PROXY}/events${query}`, { headers, signal })
}

const decoder = new TextDecoder()

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const chunk = await reader.read()
  return chunk.done ? '<end>' : decoder.decode(chunk.value)
}

describe('GET /events', () => {
  it('streams `event: license` with only the event name to the matching subscriber', async () => {
    const { proxy } = setup()
    const response = await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    expect(await readChunk(reader)).toBe(': connected\n\n')
    await proxy(await webhookRequest({ body: webhookBody('license.revoked', { licenseKey: KEY }) }))
    const frame = await readChunk(reader)
    expect(frame).toBe('event: license\ndata: {"event":"license.revoked"}\n\n')
    expect(frame).not.toContain('A1B2')
    expect(frame).not.toContain('status')
    await reader.cancel()
  })

  it('does not send one subscriber the events of another', async () => {
    const { proxy, bus } = setup()
    const response = await proxy(open(subOf(OTHER)), { clientAddress: '203.0.113.1' })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await readChunk(reader)
    await bus.publish(subOf(KEY), 'license.revoked')
    await bus.publish(subOf(OTHER), 'license.suspended')
    expect(await readChunk(reader)).toBe('event: license\ndata: {"event":"license.suspended"}\n\n')
    await reader.cancel()
  })

  it('sends a keep-alive comment on the injected timer, every 25 s by default', async () => {
    const { proxy, clock } = setup()
    const response = await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await readChunk(reader)
    expect([...clock.intervals.values()].map(({ ms }) => ms)).toEqual([25_000])
    clock.fire()
    expect(await readChunk(reader)).toBe(': keep-alive\n\n')
    await reader.cancel()
    expect(clock.intervals.size).toBe(0)
  })

  it('caps open streams per client address and frees a slot when one closes', async () => {
    const { proxy } = setup()
    const first = await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })
    await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })
    const third = await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('60')
    const elsewhere = await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.2' })
    expect(elsewhere.status).toBe(200)
    await first.body?.cancel()
    expect((await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })).status).toBe(200)
  })

  it('closes the stream when the request is aborted (a fetch runtime whose client left)', async () => {
    const { proxy } = setup({ events: { maxStreamsPerClient: 1 } })
    const controller = new AbortController()
    const response = await proxy(open(subOf(KEY), {}, controller.signal), {
      clientAddress: '203.0.113.1',
    })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await readChunk(reader)
    controller.abort()
    expect(await readChunk(reader)).toBe('<end>')
    expect((await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })).status).toBe(200)
  })

  it('applies the Origin allowlist: an allowed origin is echoed, another is refused', async () => {
    const { proxy } = setup()
    const allowed = await proxy(open(subOf(KEY), { origin: 'https://app.example' }))
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(allowed.headers.get('vary')).toBe('Origin')
    await allowed.body?.cancel()
    const refused = await proxy(open(subOf(KEY), { origin: 'https://evil.example' }))
    expect(refused.status).toBe(403)
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses a missing or malformed ?sub in device mode, and methods other than GET', async () => {
    const { proxy } = setup()
    for (const sub of [null, 'abc', subOf(KEY).toUpperCase(), KEY]) {
      expect((await proxy(open(sub))).status).toBe(400)
    }
    const post = new Request(`${PROXY}/events?sub=${subOf(KEY)}`, { method: 'POST' })
    expect((await proxy(post)).status).toBe(405)
  })

  it('in installation mode subscribes to the stored key, ignoring ?sub', async () => {
    const { proxy, bus } = setup({ resolveKey: async () => 'shop-a1b2-c3d4-e5f6-g7h8' })
    const response = await proxy(open(subOf(OTHER)), { clientAddress: '203.0.113.1' })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await readChunk(reader)
    await bus.publish(subOf(OTHER), 'license.revoked')
    await bus.publish(subOf(KEY), 'license.expired')
    expect(await readChunk(reader)).toBe('event: license\ndata: {"event":"license.expired"}\n\n')
    await reader.cancel()
  })

  it("in installation mode reads the stored key in the proxy's keyFormat", async () => {
    const stored = 'ACME-A1B2-C3D4-E5F6'
    const { proxy, bus } = setup({
      keyFormat: { prefix: 'ACME', groups: 3 },
      resolveKey: async () => stored.toLowerCase(),
    })
    const response = await proxy(open(null), { clientAddress: '203.0.113.1' })
    expect(response.status).toBe(200)
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await readChunk(reader)
    await bus.publish(subOf(stored), 'license.revoked')
    expect(await readChunk(reader)).toBe('event: license\ndata: {"event":"license.revoked"}\n\n')
    await reader.cancel()
  })

  it('answers 204 in installation mode when no key is stored (EventSource stops)', async () => {
    const { proxy } = setup({ resolveKey: async () => null })
    expect((await proxy(open(null))).status).toBe(204)
  })

  it('counts the stream request against the per-client rate limit', async () => {
    const { proxy } = setup({ rateLimit: { perClient: { capacity: 1, refillPerSecond: 0.01 } } })
    const first = await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })
    expect(first.status).toBe(200)
    await first.body?.cancel()
    expect((await proxy(open(subOf(KEY)), { clientAddress: '203.0.113.1' })).status).toBe(429)
  })

  it('is not served without webhookSecret or eventBus', async () => {
    const proxy = createLicenseProxy(testOptions(fakeUpstream().fetch))
    expect((await proxy(open(subOf(KEY)))).status).toBe(404)
  })

  it('refuses a non-positive stream cap at construction', () => {
    expect(() => setup({ events: { maxStreamsPerClient: 0 } })).toThrow(/maxStreamsPerClient/)
  })
})

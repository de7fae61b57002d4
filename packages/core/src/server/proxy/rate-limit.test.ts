import { describe, expect, it, vi } from 'vitest'
import { createLicenseProxy } from './create-license-proxy.js'
import { createMemoryRateLimitStore, type RateLimitStore } from './rate-limit.js'
import {
  errorCodeOf,
  fakeUpstream,
  KEY,
  NOW,
  post,
  testOptions,
} from './test-support/fake-upstream.js'

function setup(overrides: Parameters<typeof testOptions>[1] = {}) {
  const upstream = fakeUpstream()
  let now = NOW
  const proxy = createLicenseProxy(
    testOptions(upstream.fetch, { rateLimit: undefined, now: () => now, ...overrides }),
  )
  return {
    proxy,
    calls: upstream.calls,
    advance(ms: number) {
      now += ms
    },
  }
}

const from = (clientAddress: string) => ({ clientAddress })

function keyFor(index: number): string {
  return `SHOP-A1B2-C3D4-E5F6-${String(index).padStart(4, '0')}`
}

async function statuses(
  proxy: ReturnType<typeof setup>['proxy'],
  count: number,
  request: (index: number) => Request,
  clientAddress = '203.0.113.7',
): Promise<number[]> {
  const results: number[] = []
  for (let i = 0; i < count; i++)
    results.push((await proxy(request(i), from(clientAddress))).status)
  return results
}

describe('rate limits (defaults)', () => {
  it('200 rapid validations of one key from one client hit 429', async () => {
    const { proxy, calls } = setup()
    const results = await statuses(proxy, 200, () => post('validate'))
    expect(results.slice(0, 20).every((status) => status === 200)).toBe(true)
    expect(results.slice(20).every((status) => status === 429)).toBe(true)
    expect(calls).toHaveLength(20)
  })

  it('allows 60 requests a minute per client, whatever the keys', async () => {
    const { proxy, calls } = setup()
    const results = await statuses(proxy, 200, (i) => post('validate', { key: keyFor(i) }))
    expect(results.filter((status) => status === 200)).toHaveLength(60)
    expect(results.slice(60).every((status) => status === 429)).toBe(true)
    expect(calls).toHaveLength(60)
  })

  it('answers 429 rate_limited with Retry-After, without an upstream call', async () => {
    const { proxy, calls } = setup()
    await statuses(proxy, 60, (i) => post('validate', { key: keyFor(i) }))
    const response = await proxy(post('validate', { key: keyFor(999) }), from('203.0.113.7'))
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('1')
    expect(response.headers.get('ratelimit-policy')).toBe('"client";q=60;w=60')
    expect(response.headers.get('ratelimit')).toBe('"client";r=0;t=1')
    expect(await errorCodeOf(response)).toBe('rate_limited')
    expect(calls).toHaveLength(60)
  })

  it('counts rejected requests too', async () => {
    const { proxy, calls } = setup()
    const bad = await statuses(proxy, 60, () => post('validate', { key: 'nope' }))
    expect(bad.every((status) => status === 400)).toBe(true)
    expect((await proxy(post('validate'), from('203.0.113.7'))).status).toBe(429)
    expect(calls).toHaveLength(0)
  })

  it('refills one request a second', async () => {
    const { proxy, advance } = setup()
    await statuses(proxy, 60, (i) => post('validate', { key: keyFor(i) }))
    expect((await proxy(post('validate'), from('203.0.113.7'))).status).toBe(429)
    advance(1000)
    expect((await proxy(post('validate'), from('203.0.113.7'))).status).toBe(200)
    expect((await proxy(post('validate'), from('203.0.113.7'))).status).toBe(429)
  })

  it('keeps clients apart', async () => {
    const { proxy } = setup()
    await statuses(proxy, 60, (i) => post('validate', { key: keyFor(i) }))
    expect((await proxy(post('validate'), from('203.0.113.8'))).status).toBe(200)
  })

  it('limits a key across clients', async () => {
    const { proxy } = setup()
    for (let i = 0; i < 20; i++) {
      expect((await proxy(post('validate'), from(`198.51.100.${i}`))).status).toBe(200)
    }
    const response = await proxy(post('validate'), from('198.51.100.99'))
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('3')
    expect(response.headers.get('ratelimit-policy')).toBe('"key";q=20;w=60')
    expect(response.headers.get('ratelimit')).toBe('"key";r=0;t=3')
  })

  it('puts requests without a client address in one shared bucket', async () => {
    const { proxy } = setup({ rateLimit: { perKey: false } })
    for (let i = 0; i < 60; i++) expect((await proxy(post('validate'))).status).toBe(200)
    expect((await proxy(post('validate'), {})).status).toBe(429)
  })

  it('ignores X-Forwarded-For unless trustProxy names it', async () => {
    const { proxy } = setup({ rateLimit: { perKey: false } })
    const results = await statuses(proxy, 61, (i) =>
      post('validate', undefined, { headers: { 'x-forwarded-for': `192.0.2.${i}` } }),
    )
    expect(results.at(-1)).toBe(429)
  })

  it('behind an appending proxy (nginx), ignores the entries the client wrote itself', async () => {
    const { proxy } = setup({ rateLimit: { perKey: false }, trustProxy: 'x-forwarded-for' })
    const spoofed = (i: number) =>
      post('validate', undefined, {
        headers: { 'x-forwarded-for': `192.0.2.${i % 250}, 203.0.113.7` },
      })
    const results = await statuses(proxy, 150, spoofed, '10.0.0.1')
    expect(results.filter((status) => status === 429)).toHaveLength(90)
    const other = post('validate', undefined, { headers: { 'x-forwarded-for': '203.0.113.8' } })
    expect((await proxy(other, from('10.0.0.1'))).status).toBe(200)
  })

  it('counts hops from the right: Cloudflare, then nginx appending', async () => {
    const { proxy } = setup({
      rateLimit: { perKey: false },
      trustProxy: { header: 'X-Forwarded-For', hops: 2 },
    })
    const viaBoth = (i: number) =>
      post('validate', undefined, {
        headers: { 'x-forwarded-for': `192.0.2.${i % 250}, 198.51.100.5, 172.70.0.${i % 250}` },
      })
    const results = await statuses(proxy, 61, viaBoth, '10.0.0.1')
    expect(results.filter((status) => status === 429)).toHaveLength(1)
  })

  it('uses the runtime address when the header has fewer entries than hops', async () => {
    const { proxy } = setup({
      rateLimit: { perKey: false },
      trustProxy: { header: 'x-forwarded-for', hops: 2 },
    })
    const direct = (i: number) =>
      post('validate', undefined, { headers: { 'x-forwarded-for': `192.0.2.${i}` } })
    const results = await statuses(proxy, 61, direct, '10.0.0.3')
    expect(results.at(-1)).toBe(429)
  })

  it('falls back to the runtime address when the trusted header is missing', async () => {
    const { proxy } = setup({ rateLimit: { perKey: false }, trustProxy: 'x-forwarded-for' })
    const results = await statuses(proxy, 61, () => post('validate'), '10.0.0.9')
    expect(results.at(-1)).toBe(429)
    expect((await proxy(post('validate'), from('10.0.0.10'))).status).toBe(200)
  })

  it('reads another trusted header, such as cf-connecting-ip', async () => {
    const { proxy } = setup({ rateLimit: { perKey: false }, trustProxy: 'CF-Connecting-IP' })
    const results = await statuses(proxy, 61, (i) =>
      post('validate', undefined, { headers: { 'cf-connecting-ip': `192.0.2.${i}` } }),
    )
    expect(results.every((status) => status === 200)).toBe(true)
  })

  it('is off with rateLimit: false', async () => {
    const { proxy } = setup({ rateLimit: false })
    const results = await statuses(proxy, 200, () => post('validate'))
    expect(results.every((status) => status === 200)).toBe(true)
  })

  it('takes custom rules and a custom store', async () => {
    const store = createMemoryRateLimitStore()
    const take = vi.spyOn(store, 'take')
    const { proxy } = setup({
      rateLimit: { perClient: { capacity: 2, refillPerSecond: 0.5 }, perKey: false, store },
    })
    const results = await statuses(proxy, 3, () => post('validate'))
    expect(results).toEqual([200, 200, 429])
    expect(take).toHaveBeenCalledWith(
      'client:203.0.113.7',
      { capacity: 2, refillPerSecond: 0.5 },
      NOW,
    )
  })

  it('names per-key buckets by the canonical key', async () => {
    const buckets: string[] = []
    const store: RateLimitStore = {
      async take(bucket) {
        buckets.push(bucket)
        return { allowed: true, retryAfterSeconds: 0 }
      },
    }
    const { proxy } = setup({ rateLimit: { store } })
    await proxy(post('validate', { key: 'shop a1b2c3d4e5f6g7h8' }), from('192.0.2.1'))
    expect(buckets).toEqual(['client:192.0.2.1', `key:${KEY}`])
  })

  it('answers 503 without an upstream call when the store fails', async () => {
    const store: RateLimitStore = {
      take: () => Promise.reject(new Error('redis down')),
    }
    const { proxy, calls } = setup({ rateLimit: { store } })
    const response = await proxy(post('validate'))
    expect(response.status).toBe(503)
    expect(calls).toHaveLength(0)
  })

  it('refuses a rule that cannot work', () => {
    for (const rule of [
      { capacity: 0, refillPerSecond: 1 },
      { capacity: 10, refillPerSecond: 0 },
      { capacity: Number.NaN, refillPerSecond: 1 },
    ]) {
      expect(() => setup({ rateLimit: { perClient: rule } })).toThrow(
        expect.objectContaining({ code: 'invalid_config' }),
      )
    }
  })
})

describe('createMemoryRateLimitStore', () => {
  const rule = { capacity: 2, refillPerSecond: 1 }

  it('is a token bucket', async () => {
    const store = createMemoryRateLimitStore()
    expect(await store.take('a', rule, 0)).toEqual({ allowed: true, retryAfterSeconds: 0 })
    expect(await store.take('a', rule, 0)).toEqual({ allowed: true, retryAfterSeconds: 0 })
    expect(await store.take('a', rule, 0)).toEqual({ allowed: false, retryAfterSeconds: 1 })
    expect(await store.take('a', rule, 500)).toEqual({ allowed: false, retryAfterSeconds: 1 })
    expect((await store.take('a', rule, 1000)).allowed).toBe(true)
    expect((await store.take('b', rule, 1000)).allowed).toBe(true)
  })

  it('drops buckets that have refilled completely', async () => {
    const store = createMemoryRateLimitStore()
    await store.take('a', rule, 0)
    await store.take('b', rule, 0)
    expect(store.size).toBe(2)
    await store.take('c', rule, 60_000)
    expect(store.size).toBe(1)
  })

  it('keeps a bucket that is still refilling', async () => {
    const slow = { capacity: 60, refillPerSecond: 0.5 }
    const store = createMemoryRateLimitStore()
    for (let i = 0; i < 60; i++) await store.take('a', slow, 0)
    await store.take('b', slow, 60_000)
    expect(store.size).toBe(2)
    expect((await store.take('a', slow, 60_000)).allowed).toBe(true)
  })

  it('holds at most maxBuckets, dropping the least recently used', async () => {
    const store = createMemoryRateLimitStore({ maxBuckets: 2 })
    await store.take('a', rule, 0)
    await store.take('a', rule, 0)
    await store.take('b', rule, 0)
    await store.take('c', rule, 0)
    expect(store.size).toBe(2)
    expect((await store.take('a', rule, 0)).allowed).toBe(true)
  })
})

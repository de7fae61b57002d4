import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisRateLimitStore } from './rate-limit-store.js'
import { connectedClient, type RedisServer, startRedisServer } from './test-support/redis-server.js'

const NOW = 1_767_225_600_000
const RULE = { capacity: 3, refillPerSecond: 1 }

let server: RedisServer
let client: Awaited<ReturnType<typeof connectedClient>>

beforeAll(async () => {
  server = await startRedisServer()
  client = await connectedClient(server.url)
})

afterAll(async () => {
  client.destroy()
  await server.stop()
})

describe('createRedisRateLimitStore', () => {
  it('takes tokens until the bucket is empty, then says when to retry', async () => {
    const store = createRedisRateLimitStore(client, { prefix: 'test:empty:' })
    const decisions = []
    for (let i = 0; i < 4; i++) decisions.push(await store.take('client:a', RULE, NOW))
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false])
    expect(decisions[3]?.retryAfterSeconds).toBe(1)
    expect((await store.take('client:b', RULE, NOW)).allowed).toBe(true)
  })

  it('refills with time as the in-memory store does', async () => {
    const store = createRedisRateLimitStore(client, { prefix: 'test:refill:' })
    for (let i = 0; i < 3; i++) await store.take('client:a', RULE, NOW)
    expect((await store.take('client:a', RULE, NOW + 500)).allowed).toBe(false)
    expect((await store.take('client:a', RULE, NOW + 1_600)).allowed).toBe(true)
    expect((await store.take('client:a', RULE, NOW + 1_700)).allowed).toBe(false)
  })

  it('stores hashed bucket names with a TTL until the bucket is full again', async () => {
    const store = createRedisRateLimitStore(client, { prefix: 'test:ttl:' })
    await store.take('key:SHOP-A1B2-C3D4-E5F6-G7H8', { capacity: 20, refillPerSecond: 1 / 3 }, NOW)
    const keys = await client.keys('test:ttl:*')
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatch(/^test:ttl:[0-9a-f]{64}$/)
    expect(keys[0]).not.toContain('SHOP')
    const ttl = await client.pTTL(keys[0] as string)
    expect(ttl).toBeGreaterThan(2_000)
    expect(ttl).toBeLessThanOrEqual(3_000)
  })

  it('loads the script again after SCRIPT FLUSH', async () => {
    const store = createRedisRateLimitStore(client, { prefix: 'test:flush:' })
    await store.take('client:a', RULE, NOW)
    await client.scriptFlush()
    const errors: unknown[] = []
    const again = createRedisRateLimitStore(client, {
      prefix: 'test:flush:',
      onError: (e) => errors.push(e),
    })
    expect((await again.take('client:a', RULE, NOW)).allowed).toBe(true)
    expect(errors).toEqual([])
  })
})

describe('createRedisRateLimitStore without Redis', () => {
  it('lets requests through within its timeout and reports why', async () => {
    const own = await startRedisServer()
    const ownClient = await connectedClient(own.url, { offlineQueue: true })
    const errors: unknown[] = []
    const store = createRedisRateLimitStore(ownClient, {
      timeoutMs: 200,
      onError: (error) => errors.push(error),
    })
    expect((await store.take('client:a', RULE, NOW)).allowed).toBe(true)
    await own.stop()
    const hung = Symbol('hung')
    for (let i = 0; i < 5; i++) {
      const decision = await Promise.race([
        store.take('client:a', RULE, NOW),
        new Promise((resolve) => setTimeout(() => resolve(hung), 2_000)),
      ])
      expect(decision).toEqual({ allowed: true, retryAfterSeconds: 0 })
    }
    expect(errors).toHaveLength(5)
    expect(errors.map((error) => (error as Error).name)).toContain('TimeoutError')
    ownClient.destroy()
  })
})

import { createLicenseProxy, createMemoryEventBus, signWebhookBody } from '@licensekit/core/server'
import { describe, expect, it } from 'vitest'
import { createRedisEventBus } from './event-bus.js'
import { createRedisRateLimitStore } from './rate-limit-store.js'
import { connectedClient, startRedisServer } from './test-support/redis-server.js'

const WEBHOOK_SECRET = 'whsec-0123456789abcdef'
const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'

async function webhook(delivery: string): Promise<Request> {
  const body = JSON.stringify({
    id: delivery,
    event: 'license.revoked',
    createdAt: '2026-01-01T00:00:00.000Z',
    data: { licenseKey: KEY },
  })
  return new Request('http://proxy.test/api/license/webhook', {
    method: 'POST',
    headers: {
      'x-ecosire-event': 'license.revoked',
      'x-ecosire-delivery': delivery,
      'x-ecosire-signature': await signWebhookBody(WEBHOOK_SECRET, body),
    },
    body,
  })
}

function validate(): Request {
  return new Request('http://proxy.test/api/license/validate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: KEY }),
  })
}

function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> {
  return Promise.race([
    promise,
    new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms)),
  ])
}

describe('a proxy on Redis when Redis goes away', () => {
  it('keeps answering license checks (rate limits fail open) and answers webhooks 503', async () => {
    const redis = await startRedisServer()
    const client = await connectedClient(redis.url, { offlineQueue: true })
    const logs: string[] = []
    const storeErrors: unknown[] = []
    const bus = await createRedisEventBus(client, { timeoutMs: 300 })
    const proxy = createLicenseProxy({
      secret: 'test-secret-0123456789abcdef',
      domain: 'shop.example',
      upstream: 'https://license.test/api',
      webhookSecret: WEBHOOK_SECRET,
      eventBus: bus,
      rateLimit: {
        store: createRedisRateLimitStore(client, {
          timeoutMs: 200,
          onError: (error) => storeErrors.push(error),
        }),
      },
      log: (line) => logs.push(line),
      fetch: async () =>
        Response.json({ valid: true, license: { key: KEY, status: 'active', expiresAt: null } }),
    })
    expect((await proxy(validate())).status).toBe(200)
    expect((await proxy(await webhook('dlv_before'))).status).toBe(200)

    await redis.stop()

    const checked = await settlesWithin(proxy(validate()), 2_000)
    expect(checked).not.toBe('hung')
    expect((checked as Response).status).toBe(200)
    expect(storeErrors.length).toBeGreaterThan(0)
    const delivered = await settlesWithin(proxy(await webhook('dlv_during')), 2_000)
    expect(delivered).not.toBe('hung')
    expect((delivered as Response).status).toBe(503)
    expect(logs.join('\n')).toContain('unexpected failure')
    bus.close().catch(() => {})
    client.destroy()
  })

  it('the in-memory bus needs no Redis at all (the default)', async () => {
    const bus = createMemoryEventBus()
    const heard: string[] = []
    bus.subscribe((_sub, event) => heard.push(event))
    await bus.publish('a'.repeat(64), 'license.revoked')
    expect(heard).toEqual(['license.revoked'])
  })
})

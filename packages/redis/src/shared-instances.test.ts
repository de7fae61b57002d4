import { createHash } from 'node:crypto'
import { signWebhookBody } from '@licensekit/core/server'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type ProxyProcess, startProxyProcess } from './test-support/proxy-processes.js'
import { connectedClient, type RedisServer, startRedisServer } from './test-support/redis-server.js'

const WEBHOOK_SECRET = 'whsec-0123456789abcdef'
const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'

let redis: RedisServer
let instances: ProxyProcess[] = []

beforeAll(async () => {
  redis = await startRedisServer()
  const env = { REDIS_URL: redis.url, WEBHOOK_SECRET, NOW: String(1_767_225_600_000) }
  instances = await Promise.all([startProxyProcess(env), startProxyProcess(env)])
}, 30_000)

beforeEach(async () => {
  const client = await connectedClient(redis.url)
  await client.flushAll()
  client.destroy()
})

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()))
  await redis.stop()
})

function keyNumber(n: number): string {
  return `SHOP-0000-0000-0000-${String(n).padStart(4, '0')}`
}

function validate(origin: string, key: string): Promise<Response> {
  return fetch(`${origin}/api/license/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  })
}

describe('two proxy processes sharing one Redis', () => {
  it('enforce one per-client limit: the 61st request a minute is refused on either', async () => {
    const [a, b] = instances as [ProxyProcess, ProxyProcess]
    for (let n = 0; n < 60; n++) {
      const response = await validate(n % 2 === 0 ? a.origin : b.origin, keyNumber(n))
      expect(response.status).toBe(200)
    }
    for (const instance of [a, b]) {
      const refused = await validate(instance.origin, keyNumber(99))
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBe('1')
    }
  })

  it('carry a webhook delivered to instance A to an event stream held on instance B', async () => {
    const [a, b] = instances as [ProxyProcess, ProxyProcess]
    const sub = createHash('sha256').update(KEY).digest('hex')
    const controller = new AbortController()
    const stream = await fetch(`${b.origin}/api/license/events?sub=${sub}`, {
      signal: controller.signal,
    })
    expect(stream.status).toBe(200)
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    const body = JSON.stringify({
      id: 'evt_1',
      event: 'license.revoked',
      createdAt: '2026-01-01T00:00:00.000Z',
      data: { licenseKey: KEY, status: 'revoked' },
    })
    const delivered = await fetch(`${a.origin}/api/license/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-ecosire-event': 'license.revoked',
        'x-ecosire-delivery': 'dlv_shared_1',
        'x-ecosire-signature': await signWebhookBody(WEBHOOK_SECRET, body),
      },
      body,
    })
    expect(delivered.status).toBe(200)
    const frame = new TextDecoder().decode((await reader.read()).value)
    expect(frame).toBe('event: license\ndata: {"event":"license.revoked"}\n\n')
    controller.abort()
  })
})

import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type RedisServer,
  startRedisServer,
} from '../../../packages/redis/src/test-support/redis-server.js'
import { createDemoServer, type DemoServer } from './demo-server.js'

const SECRET = 'demo-live-events-secret-0123456789'
const WEBHOOK_SECRET = 'demo-webhook-secret-0123456789'

describe('the demo proxy with LICENSEKIT_WEBHOOK_SECRET and LICENSEKIT_REDIS_URL', () => {
  let dir: string
  let redis: RedisServer
  let api: LicenseServer
  let sender: LicenseServer
  let demo: DemoServer

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'licensekit-demo-live-'))
    const db = join(dir, 'licenses.db')
    redis = await startRedisServer()
    api = createLicenseServer({ db, secret: SECRET, log: false })
    demo = await createDemoServer({
      secret: SECRET,
      upstream: (await api.listen()).apiBase,
      domain: 'demo.test',
      distDir: null,
      webhookSecret: WEBHOOK_SECRET,
      redisUrl: redis.url,
    })
    sender = createLicenseServer({
      db,
      secret: SECRET,
      log: false,
      webhook: { url: `${demo.url}/api/license/webhook`, secret: WEBHOOK_SECRET, pollMs: 20 },
    })
  }, 20_000)

  afterAll(async () => {
    await demo?.close()
    await sender?.close()
    await api?.close()
    await redis?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('streams a revocation made on the license server to the key holder, and ignores a forged webhook', async () => {
    const [key = ''] = api.store.issue({ prefix: 'DEMO', limit: 1 })
    const sub = createHash('sha256').update(key).digest('hex')
    const controller = new AbortController()
    const stream = await fetch(`${demo.url}/api/license/events?sub=${sub}`, {
      signal: controller.signal,
    })
    expect(stream.status).toBe(200)
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    expect(decoder.decode((await reader.read()).value)).toBe(': connected\n\n')

    const forgedBody = JSON.stringify({
      id: 'forged',
      event: 'license.revoked',
      createdAt: new Date().toISOString(),
      data: { licenseKey: key, status: 'revoked' },
    })
    const forged = await fetch(`${demo.url}/api/license/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-ecosire-event': 'license.revoked',
        'x-ecosire-delivery': 'forged',
        'x-ecosire-signature': '0'.repeat(64),
      },
      body: forgedBody,
    })
    expect(forged.status).toBe(401)

    api.store.suspend(key)
    expect(decoder.decode((await reader.read()).value)).toBe(
      'event: license\ndata: {"event":"license.suspended"}\n\n',
    )
    controller.abort()
  })
})

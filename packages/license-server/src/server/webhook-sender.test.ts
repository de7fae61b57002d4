import { signWebhookBody } from '@licensekit/core/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openLicenseStore } from '../store/license-store.js'
import type { LicenseStore } from '../store/store-types.js'
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js'
import { retryDelayMs, startWebhookSender, type WebhookSender } from './webhook-sender.js'

const WEBHOOK_SECRET = 'webhook-secret-0123456789'

let store: LicenseStore
let receiver: WebhookReceiver
let sender: WebhookSender | null

beforeEach(async () => {
  store = openLicenseStore(':memory:')
  receiver = await startWebhookReceiver()
  sender = null
})

afterEach(async () => {
  await sender?.stop()
  await receiver.close()
  store.close()
})

function start(overrides: Partial<Parameters<typeof startWebhookSender>[0]> = {}) {
  sender = startWebhookSender({
    outbox: store.outbox,
    url: receiver.url,
    secret: WEBHOOK_SECRET,
    pollMs: 10,
    retryDelay: () => 20,
    ...overrides,
  })
  return sender
}

describe('startWebhookSender', () => {
  it('sends every change in order, signed over the raw body, in the ECOSIRE shape', async () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1 })
    store.activate(key, 'a.example')
    store.revoke(key)
    start()
    await expect.poll(() => receiver.accepted.length).toBe(2)
    const [first, second] = receiver.accepted
    expect(first?.event).toBe('license.activated')
    expect(second?.event).toBe('license.revoked')
    for (const webhook of receiver.accepted) {
      expect(webhook.signature).toBe(await signWebhookBody(WEBHOOK_SECRET, webhook.body))
      const body = JSON.parse(webhook.body) as Record<string, unknown>
      expect(Object.keys(body)).toEqual(['id', 'event', 'createdAt', 'data'])
      expect(body.id).toBe(webhook.delivery)
      expect(body.event).toBe(webhook.event)
    }
    expect(JSON.parse(second?.body ?? '').data).toEqual({ licenseKey: key, status: 'revoked' })
    expect(JSON.parse(first?.body ?? '').data).toEqual({
      licenseKey: key,
      status: 'active',
      domain: 'a.example',
    })
    await expect.poll(() => store.outbox.next()).toBeNull()
  })

  it('retries a refused delivery with the same id and sends nothing after it meanwhile', async () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1 })
    store.suspend(key)
    store.reinstate(key)
    let refusals = 2
    receiver.answer = () => (refusals-- > 0 ? 500 : 200)
    start()
    await expect.poll(() => receiver.accepted.length).toBe(2)
    expect(receiver.received.map((webhook) => webhook.event)).toEqual([
      'license.suspended',
      'license.suspended',
      'license.suspended',
      'license.reinstated',
    ])
    const [a, b, c] = receiver.received
    expect(new Set([a?.delivery, b?.delivery, c?.delivery]).size).toBe(1)
  })

  it('records the failure, the attempts and the next attempt in the outbox', async () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1 })
    store.revoke(key)
    receiver.answer = () => 503
    const logs: string[] = []
    start({ retryDelay: () => 60_000, log: (line) => logs.push(line) })
    await expect.poll(() => store.outbox.next()?.attempts).toBe(1)
    expect(store.outbox.next()).toMatchObject({ lastError: 'HTTP 503', deliveredAt: null })
    expect(logs.join('\n')).toMatch(/license\.revoked whd_\S+: HTTP 503, retrying at/)
    expect(receiver.received).toHaveLength(1)
  })

  it('treats a network failure like a refusal (the receiver is down)', async () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1 })
    store.revoke(key)
    const url = receiver.url
    await receiver.close()
    start({ url, retryDelay: () => 60_000 })
    await expect.poll(() => store.outbox.next()?.attempts).toBe(1)
    expect(store.outbox.next()?.lastError).toBe('TypeError (ECONNREFUSED)')
  })

  it('picks up a change made after it started', async () => {
    start()
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1 })
    store.expire(key)
    await expect
      .poll(() => receiver.accepted.map((webhook) => webhook.event))
      .toEqual(['license.expired'])
  })
})

describe('retryDelayMs', () => {
  it('starts at 1 s and doubles up to 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ])
  })
})

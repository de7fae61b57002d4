import { describe, expect, it } from 'vitest'
import { createLicenseProxy } from '../proxy/create-license-proxy.js'
import { fakeUpstream, testOptions } from '../proxy/test-support/fake-upstream.js'
import { createMemoryEventBus } from './event-bus.js'
import {
  recordingBus,
  subOf,
  WEBHOOK_SECRET,
  webhookBody,
  webhookRequest,
} from './test-support/webhooks.js'
import { MAX_WEBHOOK_BYTES } from './webhook.js'
import { signWebhookBody } from './webhook-signature.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
const OTHER = 'SHOP-Z9Y8-X7W6-V5U4-T3S2'

function setup() {
  const bus = recordingBus(createMemoryEventBus())
  const upstream = fakeUpstream()
  const proxy = createLicenseProxy(
    testOptions(upstream.fetch, { webhookSecret: WEBHOOK_SECRET, eventBus: bus }),
  )
  return { bus, proxy, upstream }
}

async function codeOf(response: Response): Promise<string> {
  const body = (await response.json()) as { error: { code: string } }
  return body.error.code
}

describe('POST /webhook', () => {
  it('publishes {sub, event} for the key a signed delivery names, never the key itself', async () => {
    const { bus, proxy, upstream } = setup()
    const response = await proxy(await webhookRequest())
    expect(response.status).toBe(200)
    expect(bus.published).toEqual([[subOf(KEY), 'license.revoked']])
    expect(JSON.stringify(bus.published)).not.toContain('A1B2')
    expect(upstream.calls).toHaveLength(0)
  })

  it('publishes once per key named in data.licenseKey, data.key and data.licenses[]', async () => {
    const { bus, proxy } = setup()
    const body = webhookBody('charge.refunded', {
      key: 'shop a1b2c3d4e5f6g7h8',
      licenses: [{ licenseKey: KEY }, { licenseKey: OTHER }, { licenseKey: 'not a key' }, 7],
    })
    expect((await proxy(await webhookRequest({ body }))).status).toBe(200)
    expect(bus.published).toEqual([
      [subOf(KEY), 'charge.refunded'],
      [subOf(OTHER), 'charge.refunded'],
    ])
  })

  it("reads the keys a delivery names in the proxy's keyFormat (three groups here)", async () => {
    const bus = recordingBus(createMemoryEventBus())
    const proxy = createLicenseProxy(
      testOptions(fakeUpstream().fetch, {
        webhookSecret: WEBHOOK_SECRET,
        eventBus: bus,
        keyFormat: { prefix: 'ACME', groups: 3 },
      }),
    )
    const body = webhookBody('license.revoked', {
      licenseKey: 'acme a1b2c3d4e5f6',
      licenses: [{ licenseKey: KEY }],
    })
    expect((await proxy(await webhookRequest({ body }))).status).toBe(200)
    expect(bus.published).toEqual([[subOf('ACME-A1B2-C3D4-E5F6'), 'license.revoked']])
  })

  it('refuses a delivery without a signature: 401, nothing published', async () => {
    const { bus, proxy } = setup()
    const response = await proxy(await webhookRequest({ signature: null }))
    expect(response.status).toBe(401)
    expect(bus.published).toEqual([])
  })

  it('refuses a signature made with another secret', async () => {
    const { bus, proxy } = setup()
    const response = await proxy(await webhookRequest({ secret: 'another-secret-0123456789' }))
    expect(response.status).toBe(401)
    expect(bus.published).toEqual([])
  })

  it('refuses the right signature in uppercase hex', async () => {
    const { bus, proxy } = setup()
    const body = webhookBody('license.revoked', { licenseKey: KEY })
    const signature = (await signWebhookBody(WEBHOOK_SECRET, body)).toUpperCase()
    const response = await proxy(await webhookRequest({ body, signature }))
    expect(response.status).toBe(401)
    expect(bus.published).toEqual([])
  })

  it('refuses a signature over a re-serialised body instead of the raw bytes', async () => {
    const { bus, proxy } = setup()
    const body = `{ "id": "evt_1", "event": "license.revoked", "createdAt": "2026-01-01T00:00:00.000Z", "data": { "licenseKey": "${KEY}" } }`
    const reserialised = JSON.stringify(JSON.parse(body))
    const signature = await signWebhookBody(WEBHOOK_SECRET, reserialised)
    const response = await proxy(await webhookRequest({ body, signature }))
    expect(response.status).toBe(401)
    expect(bus.published).toEqual([])
  })

  it('refuses a body over 64 KiB with 413 before checking anything else', async () => {
    const { bus, proxy } = setup()
    const body = webhookBody('license.revoked', {
      licenseKey: KEY,
      padding: 'x'.repeat(MAX_WEBHOOK_BYTES),
    })
    const response = await proxy(await webhookRequest({ body }))
    expect(response.status).toBe(413)
    expect(await codeOf(response)).toBe('payload_too_large')
    expect(bus.published).toEqual([])
  })

  it('accepts a body of exactly 64 KiB', async () => {
    const { bus, proxy } = setup()
    const base = webhookBody('license.revoked', { licenseKey: KEY, padding: '' })
    const body = base.replace(
      '"padding":""',
      `"padding":"${'x'.repeat(MAX_WEBHOOK_BYTES - base.length)}"`,
    )
    expect(new TextEncoder().encode(body).length).toBe(MAX_WEBHOOK_BYTES)
    expect((await proxy(await webhookRequest({ body }))).status).toBe(200)
    expect(bus.published).toHaveLength(1)
  })

  it('refuses X-Ecosire-Event that does not match the body, or is missing', async () => {
    const { bus, proxy } = setup()
    const mismatch = await proxy(await webhookRequest({ event: 'license.activated' }))
    expect(mismatch.status).toBe(400)
    expect(await codeOf(mismatch)).toBe('bad_request')
    expect((await proxy(await webhookRequest({ event: null }))).status).toBe(400)
    expect(bus.published).toEqual([])
  })

  it('refuses malformed JSON and a body that is not an event object, even when signed', async () => {
    const { bus, proxy } = setup()
    for (const body of ['{"event": "license.revoked",', '[]', '{"event": 5}', '\u00ff']) {
      const response = await proxy(await webhookRequest({ body, event: 'license.revoked' }))
      expect(response.status).toBe(400)
    }
    expect(bus.published).toEqual([])
  })

  it('refuses a missing or malformed delivery id', async () => {
    const { bus, proxy } = setup()
    expect((await proxy(await webhookRequest({ delivery: null }))).status).toBe(400)
    expect((await proxy(await webhookRequest({ delivery: 'a b' }))).status).toBe(400)
    expect(bus.published).toEqual([])
  })

  it('answers 200 to a known delivery id again and publishes nothing twice', async () => {
    const { bus, proxy } = setup()
    expect((await proxy(await webhookRequest({ delivery: 'dlv_7' }))).status).toBe(200)
    expect((await proxy(await webhookRequest({ delivery: 'dlv_7' }))).status).toBe(200)
    expect(bus.published).toHaveLength(1)
    expect((await proxy(await webhookRequest({ delivery: 'dlv_8' }))).status).toBe(200)
    expect(bus.published).toHaveLength(2)
  })

  it('acknowledges an unknown event with 200 and ignores it', async () => {
    const { bus, proxy } = setup()
    const body = webhookBody('invoice.paid', { licenseKey: KEY })
    const response = await proxy(await webhookRequest({ body }))
    expect(response.status).toBe(200)
    expect(bus.published).toEqual([])
  })

  it('answers 503 when the bus fails, and takes the retry of the same delivery', async () => {
    const inner = createMemoryEventBus()
    let failing = true
    const published: string[] = []
    const proxy = createLicenseProxy(
      testOptions(fakeUpstream().fetch, {
        webhookSecret: WEBHOOK_SECRET,
        eventBus: {
          async publish(sub, event) {
            if (failing) throw new Error('bus down')
            published.push(`${sub} ${event}`)
          },
          subscribe: (listener) => inner.subscribe(listener),
        },
      }),
    )
    expect((await proxy(await webhookRequest())).status).toBe(503)
    failing = false
    expect((await proxy(await webhookRequest())).status).toBe(200)
    expect(published).toEqual([`${subOf(KEY)} license.revoked`])
  })

  it('refuses any method but POST', async () => {
    const { proxy } = setup()
    const response = await proxy(new Request('http://proxy.test/api/license/webhook'))
    expect(response.status).toBe(405)
  })

  it('is not served without webhookSecret', async () => {
    const proxy = createLicenseProxy(testOptions(fakeUpstream().fetch))
    expect((await proxy(await webhookRequest())).status).toBe(404)
  })

  it('refuses a webhookSecret under 16 bytes at construction', () => {
    expect(() =>
      createLicenseProxy(testOptions(fakeUpstream().fetch, { webhookSecret: 'short' })),
    ).toThrow(/webhookSecret/)
  })
})

import { createHash } from 'node:crypto'
import type { EventBus } from '../event-bus.js'
import { signWebhookBody } from '../webhook-signature.js'

export const WEBHOOK_SECRET = 'whsec-0123456789abcdef'
export const PROXY = 'http://proxy.test/api/license'

export function subOf(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** A bus that records what is published, then hands it on to `inner`'s listeners. */
export function recordingBus(inner: EventBus): EventBus & { published: [string, string][] } {
  const published: [string, string][] = []
  return {
    published,
    async publish(sub, event) {
      published.push([sub, event])
      await inner.publish(sub, event)
    },
    subscribe: (listener) => inner.subscribe(listener),
  }
}

export interface Delivery {
  body?: string
  event?: string | null
  delivery?: string | null
  signature?: string | null
  secret?: string
}

export function webhookBody(event: string, data: unknown, id = 'evt_1'): string {
  return JSON.stringify({ id, event, createdAt: '2026-01-01T00:00:00.000Z', data })
}

/** A signed webhook request; each header can be replaced or left out (`null`). */
export async function webhookRequest(options: Delivery = {}): Promise<Request> {
  const body =
    options.body ?? webhookBody('license.revoked', { licenseKey: 'SHOP-A1B2-C3D4-E5F6-G7H8' })
  const parsed = (() => {
    try {
      return JSON.parse(body) as { event?: unknown }
    } catch {
      return {}
    }
  })()
  const headers = new Headers({ 'content-type': 'application/json' })
  const event = options.event === undefined ? String(parsed.event) : options.event
  const delivery = options.delivery === undefined ? 'dlv_1' : options.delivery
  const signature =
    options.signature === undefined
      ? await signWebhookBody(options.secret ?? WEBHOOK_SECRET, body)
      : options.signature
  if (event !== null) headers.set('x-ecosire-event', event)
  if (delivery !== null) headers.set('x-ecosire-delivery', delivery)
  if (signature !== null) headers.set('x-ecosire-signature', signature)
  return new Request(`${PROXY}/webhook`, { method: 'POST', headers, body })
}

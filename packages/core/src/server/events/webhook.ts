/** `POST {basePath}/webhook`: ECOSIRE's webhook delivery, verified, deduplicated, published. */

import type { PlainAnswer, PlainRequest } from '../proxy/plain-http.js'
import { decodeUtf8 } from '../proxy/read-body.js'
import { baseHeaders, reject } from '../proxy/responses.js'
import { DeliveryLog } from './delivery-log.js'
import type { EventBus } from './event-bus.js'
import { subjectOf } from './subject.js'
import { decideWebhook } from './webhook-payload.js'
import { WEBHOOK_HEADERS, webhookVerifier } from './webhook-signature.js'

/** Largest webhook body read, in bytes (64 KiB). */
export const MAX_WEBHOOK_BYTES = 64 * 1024
/** Delivery ids remembered for deduplication, per proxy instance. */
export const DELIVERY_LOG_SIZE = 10_000

const DELIVERY_ID = /^[\x21-\x7e]{1,200}$/

export type WebhookReceiver = (request: PlainRequest) => Promise<PlainAnswer>

const ACKNOWLEDGED: PlainAnswer = {
  status: 200,
  headers: baseHeaders({ 'content-type': 'application/json; charset=utf-8' }),
  body: '{"ok":true}',
}

/**
 * The receiver. Order: method, size (before any parsing), signature over the raw bytes
 * (lowercase hex only, constant time), delivery id, body shape and event header, then the
 * dedup check; a delivery id is remembered only once its events are published, so a failed
 * publish (503) is retried by the sender and a retry is not swallowed.
 */
export function createWebhookReceiver(secret: string, bus: EventBus): WebhookReceiver {
  const signed = webhookVerifier(secret)
  const seen = new DeliveryLog(DELIVERY_LOG_SIZE)

  return async (request) => {
    if (request.method !== 'POST') {
      throw reject('method_not_allowed', 'Use POST', { headers: { allow: 'POST' } })
    }
    const bytes = await request.bytes(MAX_WEBHOOK_BYTES)
    if (!(await signed(bytes, request.header(WEBHOOK_HEADERS.signature)))) {
      throw reject('forbidden', 'Invalid webhook signature', { status: 401 })
    }
    const delivery = request.header(WEBHOOK_HEADERS.delivery)
    if (delivery === null || !DELIVERY_ID.test(delivery)) {
      throw reject('bad_request', 'Missing or malformed X-Ecosire-Delivery')
    }
    const decision = decideWebhook(decodeUtf8(bytes), request.header(WEBHOOK_HEADERS.event))
    if (decision.kind === 'invalid') throw reject('bad_request', decision.reason)
    if (seen.has(delivery) || decision.kind === 'ignore') return ACKNOWLEDGED
    for (const licenseKey of decision.keys) {
      await bus.publish(await subjectOf(licenseKey), decision.event)
    }
    seen.add(delivery)
    return ACKNOWLEDGED
  }
}

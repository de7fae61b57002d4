/** ECOSIRE's webhook signature: lowercase hex HMAC-SHA256 of the raw body bytes. */
import { constantTimeEqual, hmacSha256Hex, importHmacKey, utf8 } from '../hmac.js'

const SIGNATURE = /^[0-9a-f]{64}$/

/** The webhook delivery headers, lowercase. */
export const WEBHOOK_HEADERS = Object.freeze({
  event: 'x-ecosire-event',
  signature: 'x-ecosire-signature',
  delivery: 'x-ecosire-delivery',
})

function bytesOf(body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof body === 'string' ? utf8(body) : new Uint8Array(body)
}

/** Signs a webhook body as ECOSIRE does (the sender's side). */
export async function signWebhookBody(secret: string, body: string | Uint8Array): Promise<string> {
  return hmacSha256Hex(utf8(secret), bytesOf(body))
}

/** A verifier bound to one secret: lowercase hex only, compared in constant time. */
export function webhookVerifier(
  secret: string,
): (body: Uint8Array, signature: string | null) => Promise<boolean> {
  const key = importHmacKey(utf8(secret))
  return async (body, signature) => {
    if (signature === null || !SIGNATURE.test(signature)) return false
    return constantTimeEqual(utf8(await hmacSha256Hex(await key, bytesOf(body))), utf8(signature))
  }
}

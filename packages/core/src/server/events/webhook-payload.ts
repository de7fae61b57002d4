/** What a verified ECOSIRE webhook body asks for: a pure decision, no effects. */
import type { LicenseKeyFormat } from '../../keys/key-format.js'
import { normalizeLicenseKey } from '../../keys/license-key.js'

/** Events that name license keys; anything else is acknowledged and ignored. */
export const KEY_EVENTS: ReadonlySet<string> = new Set([
  'license.activated',
  'license.revoked',
  'license.suspended',
  'license.reinstated',
  'license.expired',
  'charge.refunded',
  'subscription.updated',
  'subscription.deleted',
  'checkout.completed',
])

export type WebhookDecision =
  | { kind: 'invalid'; reason: string }
  | { kind: 'ignore' }
  | { kind: 'publish'; event: string; keys: readonly string[] }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function canonical(value: unknown, format: LicenseKeyFormat | undefined): string | null {
  if (typeof value !== 'string') return null
  try {
    return normalizeLicenseKey(value, format)
  } catch {
    return null
  }
}

/**
 * Keys named in `data.licenseKey`, `data.key` or `data.licenses[].licenseKey`, canonical in the
 * proxy's key format and unique.
 */
export function keysOf(data: unknown, format?: LicenseKeyFormat): string[] {
  if (!isRecord(data)) return []
  const named: unknown[] = [data.licenseKey, data.key]
  if (Array.isArray(data.licenses)) {
    for (const license of data.licenses) if (isRecord(license)) named.push(license.licenseKey)
  }
  const keys = new Set<string>()
  for (const value of named) {
    const key = canonical(value, format)
    if (key !== null) keys.add(key)
  }
  return [...keys]
}

/**
 * Decides what to do with a body whose signature already matched: it must be a JSON object
 * `{id, event, createdAt, data}` whose `event` equals the `X-Ecosire-Event` header.
 */
export function decideWebhook(
  text: string,
  headerEvent: string | null,
  format?: LicenseKeyFormat,
): WebhookDecision {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { kind: 'invalid', reason: 'The body must be JSON' }
  }
  if (!isRecord(body) || typeof body.event !== 'string') {
    return { kind: 'invalid', reason: 'The body must be an object with a string "event"' }
  }
  if (headerEvent === null || body.event !== headerEvent) {
    return { kind: 'invalid', reason: 'X-Ecosire-Event does not match the body' }
  }
  if (!KEY_EVENTS.has(body.event)) return { kind: 'ignore' }
  return { kind: 'publish', event: body.event, keys: keysOf(body.data, format) }
}

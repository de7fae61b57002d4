/** The signed request body: `key`, `domain`, `timestamp`, and any further string fields. */
export interface LicensePayload {
  readonly key: string
  readonly domain: string
  readonly timestamp: string
  readonly [field: string]: string
}

export type PayloadResult = { ok: true; payload: LicensePayload } | { ok: false; message: string }

const REQUIRED = ['key', 'domain', 'timestamp'] as const
const TIMESTAMP = /^\d{1,12}$/
const MAX_DOMAIN_LENGTH = 253

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks the shape of a request body, before the signature: a JSON object whose values are all
 * strings, with non-empty `key` and `domain` and a unix-seconds `timestamp`.
 */
export function parsePayload(text: string): PayloadResult {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { ok: false, message: 'Malformed JSON body' }
  }
  if (!isRecord(body)) return { ok: false, message: 'The body must be a JSON object' }
  for (const field of REQUIRED) {
    const value = body[field]
    if (typeof value !== 'string' || value.length === 0) {
      return { ok: false, message: `Missing or invalid field: ${field}` }
    }
  }
  for (const [field, value] of Object.entries(body)) {
    if (typeof value !== 'string') return { ok: false, message: `Field ${field} must be a string` }
  }
  if (!TIMESTAMP.test(body.timestamp as string)) {
    return { ok: false, message: 'Invalid timestamp: expected unix seconds as a decimal string' }
  }
  if ((body.domain as string).length > MAX_DOMAIN_LENGTH) {
    return { ok: false, message: 'Invalid domain: too long' }
  }
  return { ok: true, payload: body as LicensePayload }
}

import { LicenseError } from '../errors/license-error.js'

const CANONICAL = /^[A-Z0-9]{2,10}(?:-[A-Z0-9]{4}){4}$/
const PREFIX = /^[A-Z0-9]{2,10}$/
const GROUP = /^[A-Z0-9]{4}$/
/** Only ASCII letters, digits, dashes and blanks may appear before any case folding. */
const ALLOWED_INPUT = /^[A-Za-z0-9\- \t]*$/
/** Longest canonical key is 10 + 4 × 5 = 30 characters; generous room for blanks. */
const MAX_KEY_LENGTH = 64
/** Raw input is refused before any processing past this size (the proxy's whole body limit). */
const MAX_RAW_LENGTH = 1024

function invalid(reason: string): LicenseError {
  return new LicenseError('invalid_key_format', `Invalid license key: ${reason}`)
}

/**
 * Turns what a user typed or pasted into the canonical `PREFIX-XXXX-XXXX-XXXX-XXXX` form:
 * trims, strips blanks, upper-cases and inserts missing dashes. Throws a `LicenseError`
 * with code `invalid_key_format` for anything that is not a key.
 */
export function normalizeLicenseKey(input: string): string {
  if (typeof input !== 'string') throw invalid('expected a string')
  if (input.length > MAX_RAW_LENGTH) throw invalid('the input is too long')
  const trimmed = input.trim()
  if (trimmed.length === 0) throw invalid('the key is empty')
  if (trimmed.length > MAX_KEY_LENGTH) throw invalid('the key is too long')
  if (!ALLOWED_INPUT.test(trimmed)) {
    throw invalid('only the letters A–Z, digits and dashes are allowed')
  }
  const compact = trimmed.replace(/[ \t]/g, '').toUpperCase()
  if (compact.includes('-')) {
    const parts = compact.split('-')
    const [prefix = '', ...groups] = parts
    if (parts.length !== 5 || !PREFIX.test(prefix) || !groups.every((g) => GROUP.test(g))) {
      throw invalid('expected PREFIX-XXXX-XXXX-XXXX-XXXX')
    }
    return compact
  }
  const prefixLength = compact.length - 16
  const prefix = compact.slice(0, Math.max(prefixLength, 0))
  if (!PREFIX.test(prefix)) throw invalid('expected PREFIX-XXXX-XXXX-XXXX-XXXX')
  const body = compact.slice(prefixLength)
  return [prefix, body.slice(0, 4), body.slice(4, 8), body.slice(8, 12), body.slice(12)].join('-')
}

/** True only for a key already in canonical form (no normalisation is applied). */
export function isLicenseKey(input: unknown): input is string {
  return typeof input === 'string' && CANONICAL.test(input)
}

/** Hides the middle groups of a key for display and logs: `SHOP-****-****-****-G7H8`. */
export function maskLicenseKey(key: string): string {
  const canonical = normalizeLicenseKey(key)
  const parts = canonical.split('-')
  return [parts[0], '****', '****', '****', parts[4]].join('-')
}

import { LicenseError } from '../errors/license-error.js'

const CANONICAL = /^[A-Z0-9]{2,10}(?:-[A-Z0-9]{4}){4}$/
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
  // With dashes they must already sit between the prefix and the groups (a five-group input is
  // refused, not re-grouped); without any, the last 16 characters are the four groups.
  const key = compact.includes('-')
    ? compact
    : compact.slice(0, -16) + compact.slice(-16).replace(/.{4}/g, '-$&')
  if (!CANONICAL.test(key)) throw invalid('expected PREFIX-XXXX-XXXX-XXXX-XXXX')
  return key
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

import { LicenseError } from '../errors/license-error.js'
import { type LicenseKeyFormat, licenseKeyTemplate, resolveKeyFormat } from './key-format.js'

/** Only ASCII letters, digits, dashes and blanks may appear before any case folding. */
const ALLOWED_INPUT = /^[A-Za-z0-9\- \t]*$/
/** Longest canonical key is 10 + 4 × 5 = 30 characters; generous room for blanks. */
const MAX_KEY_LENGTH = 64
/** Raw input is refused before any processing past this size (the proxy's whole body limit). */
const MAX_RAW_LENGTH = 1024

// Each function has a one-argument signature first so that it still type-checks as an array
// callback (`keys.every(isLicenseKey)`), where the second argument is the index.

function invalid(reason: string): LicenseError {
  return new LicenseError('invalid_key_format', `Invalid license key: ${reason}`)
}

/**
 * Turns what a user typed or pasted into the canonical `PREFIX-XXXX-XXXX-XXXX-XXXX` form (or
 * the shape `format` gives): trims, strips blanks, upper-cases and inserts missing dashes.
 * Throws a `LicenseError` with code `invalid_key_format` for anything that is not a key, and
 * `invalid_config` for a format that is not one.
 */
export function normalizeLicenseKey(input: string): string
export function normalizeLicenseKey(input: string, format?: LicenseKeyFormat): string
export function normalizeLicenseKey(input: string, format?: LicenseKeyFormat): string {
  const { groups, canonical } = resolveKeyFormat(format)
  if (typeof input !== 'string') throw invalid('expected a string')
  if (input.length > MAX_RAW_LENGTH) throw invalid('the input is too long')
  const trimmed = input.trim()
  if (trimmed.length === 0) throw invalid('the key is empty')
  if (trimmed.length > MAX_KEY_LENGTH) throw invalid('the key is too long')
  if (!ALLOWED_INPUT.test(trimmed)) {
    throw invalid('only the letters A–Z, digits and dashes are allowed')
  }
  const compact = trimmed.replace(/[ \t]/g, '').toUpperCase()
  // With dashes they must already sit between the prefix and the groups (an extra group is
  // refused, not re-grouped); without any, the last characters are the groups.
  const body = groups * 4
  const key = compact.includes('-')
    ? compact
    : compact.slice(0, -body) + compact.slice(-body).replace(/.{4}/g, '-$&')
  if (!canonical.test(key)) throw invalid(`expected ${licenseKeyTemplate(format)}`)
  return key
}

/** True only for a key already in canonical form (no normalisation is applied). */
export function isLicenseKey(input: unknown): input is string
export function isLicenseKey(input: unknown, format?: LicenseKeyFormat): input is string
export function isLicenseKey(input: unknown, format?: LicenseKeyFormat): input is string {
  const { canonical } = resolveKeyFormat(format)
  return typeof input === 'string' && canonical.test(input)
}

/** Hides the middle groups of a key for display and logs: `SHOP-****-****-****-G7H8`. */
export function maskLicenseKey(key: string): string
export function maskLicenseKey(key: string, format?: LicenseKeyFormat): string
export function maskLicenseKey(key: string, format?: LicenseKeyFormat): string {
  const [prefix, ...groups] = normalizeLicenseKey(key, format).split('-')
  return [prefix, ...groups.slice(0, -1).map(() => '****'), groups.at(-1)].join('-')
}

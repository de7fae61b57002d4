/**
 * Every code a {@link LicenseError} can carry. The proxy's wire codes come first
 * (docs/architecture.md, "Wire formats"); the rest are raised locally.
 */
export const LICENSE_ERROR_CODES = [
  'invalid_key_format',
  'bad_request',
  'method_not_allowed',
  'unsupported_media_type',
  'payload_too_large',
  'forbidden_origin',
  'forbidden',
  'not_found',
  'not_activated',
  'expired',
  'suspended',
  'revoked',
  'limit_reached',
  'rate_limited',
  'license_required',
  'license_invalid',
  'upstream_misconfigured',
  'upstream_unavailable',
  'body_consumed',
  'unreachable',
  'invalid_response',
  'invalid_payload',
  'invalid_config',
] as const

export type LicenseErrorCode = (typeof LICENSE_ERROR_CODES)[number]

const known: ReadonlySet<string> = new Set(LICENSE_ERROR_CODES)

export function isLicenseErrorCode(value: unknown): value is LicenseErrorCode {
  return typeof value === 'string' && known.has(value)
}

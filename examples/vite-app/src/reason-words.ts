import type { LicenseReason, LicenseState } from '@licensekit/core'

/** A few words for each reason, for headlines; `describeLicenseReason` gives the sentence. */
const REASON_TITLES: Readonly<Record<LicenseReason, string>> = {
  invalid_key_format: 'not a license key',
  bad_request: 'request refused',
  method_not_allowed: 'request refused',
  unsupported_media_type: 'request refused',
  payload_too_large: 'request refused',
  forbidden_origin: 'this site is not allowed',
  forbidden: 'not allowed',
  not_found: 'unknown license key',
  not_activated: 'not activated on this site',
  expired: 'expired',
  suspended: 'suspended',
  revoked: 'revoked',
  limit_reached: 'activation limit reached',
  rate_limited: 'too many attempts',
  license_required: 'license needed',
  license_invalid: 'license does not allow this',
  upstream_misconfigured: 'license service misconfigured',
  upstream_unavailable: 'license service unavailable',
  body_consumed: 'license endpoint misconfigured',
  unreachable: 'offline',
  invalid_response: 'unreadable answer',
  invalid_payload: 'key cannot be sent',
  invalid_config: 'licensing misconfigured',
  grace_expired: 'grace period over',
  tampered: 'saved license altered',
}

export function reasonTitle(reason: LicenseReason): string {
  return REASON_TITLES[reason]
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Whole days left in the grace period (at least 0), rounded up: "3 days left" until the end. */
export function graceDaysLeft(state: Pick<LicenseState, 'graceEndsAt'>, now: number): number {
  if (!state.graceEndsAt) return 0
  return Math.max(0, Math.ceil((Date.parse(state.graceEndsAt) - now) / DAY_MS))
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

import {
  isLicenseError,
  type LicenseErrorCode,
  type LicenseKeyFormat,
  type LicenseReason,
  licenseKeyTemplate,
} from '@licensekit/core'
import { GROUP_COUNT_WORDS } from './key-input-format.js'

/** Why a key was refused, with the configured prefix and group count in the example. */
function invalidKeyMessage(format?: LicenseKeyFormat): string {
  const prefix = format?.prefix?.toUpperCase() ?? 'a prefix'
  const groups = GROUP_COUNT_WORDS[format?.groups ?? 4]
  return `That is not a license key. A key looks like ${licenseKeyTemplate(format)}: ${prefix} and ${groups} groups of four letters or digits.`
}

/**
 * One sentence a user can act on for every `LicenseErrorCode`, for forms and banners.
 * A `Record` over the codes, so TypeScript refuses a missing one. Replace it with your own
 * copy (or translations) by mapping `error.code` yourself.
 */
export const licenseErrorMessages: Readonly<Record<LicenseErrorCode, string>> = {
  invalid_key_format: invalidKeyMessage(),
  bad_request:
    'The license service could not understand the request. Reload the page and try again.',
  method_not_allowed:
    'The license endpoint refused the request. The site is set up incorrectly; please contact support.',
  unsupported_media_type:
    'The license endpoint refused the request format. The site is set up incorrectly; please contact support.',
  payload_too_large:
    'The request was too large for the license service. Check the key and try again.',
  forbidden_origin:
    'This site is not allowed to use the license service. The site is set up incorrectly; please contact support.',
  forbidden: 'You are not allowed to change the license. Ask an administrator to do it.',
  not_found: 'No license exists with this key. Check the key for typos.',
  not_activated: 'This license is not activated on this site. Enter the key to activate it.',
  expired: 'This license has expired. Renew it to keep using the licensed features.',
  suspended: 'This license is suspended. Please contact support.',
  revoked: 'This license has been revoked and can no longer be used.',
  limit_reached:
    'This license is already activated on as many sites as it allows. Deactivate it on another site first.',
  rate_limited: 'Too many attempts in a short time. Wait a minute and try again.',
  license_required: 'This needs a license. Enter a license key on the settings page.',
  license_invalid:
    'Your license does not allow this. Check the license on the settings page, or upgrade it.',
  upstream_misconfigured:
    'The license service rejected this site’s credentials. The site is set up incorrectly; please contact support.',
  upstream_unavailable:
    'The license service is unavailable at the moment. Try again in a few minutes.',
  body_consumed:
    'The license endpoint is set up incorrectly on this site (its request body was read before it). Please contact support.',
  unreachable: 'The license service could not be reached. Check your connection and try again.',
  invalid_response:
    'The license service sent an answer that could not be read. Try again in a few minutes.',
  invalid_payload:
    'The license request contained characters that cannot be sent. Check the key and try again.',
  invalid_config: 'Licensing is set up incorrectly on this site. Please contact support.',
}

/** Words for the reasons that are not error codes. */
const reasonMessages: Readonly<Record<Exclude<LicenseReason, LicenseErrorCode>, string>> = {
  grace_expired:
    'The license could not be checked for too long, so the grace period has ended. Reconnect to continue.',
  tampered: 'The saved license data was altered and cannot be trusted. Check the license again.',
}

/**
 * Words for `state.reason`: why the state is `denied`, or why it is `grace` (the service
 * could not be reached). `null` for no reason.
 */
export function describeLicenseReason(reason: LicenseReason): string
export function describeLicenseReason(reason: LicenseReason | null): string | null
export function describeLicenseReason(reason: LicenseReason | null): string | null {
  if (reason === null) return null
  if (reason === 'grace_expired' || reason === 'tampered') return reasonMessages[reason]
  return licenseErrorMessages[reason]
}

/**
 * Words for anything a license call rejected with: the code's message, plus when to retry
 * if the server said so. An error that is not a `LicenseError` gets a generic sentence.
 * `format` (your keys' prefix and group count) shapes the example in `invalid_key_format`.
 */
export function describeLicenseError(error: unknown, format?: LicenseKeyFormat): string {
  if (!isLicenseError(error)) return 'Something went wrong. Try again.'
  if (error.code === 'invalid_key_format' && format !== undefined) return invalidKeyMessage(format)
  const message = licenseErrorMessages[error.code] ?? 'Something went wrong. Try again.'
  if (error.code === 'rate_limited' && error.retryAfter !== undefined && error.retryAfter > 0) {
    const seconds = Math.ceil(error.retryAfter)
    return `Too many attempts in a short time. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`
  }
  return message
}

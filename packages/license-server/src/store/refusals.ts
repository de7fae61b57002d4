import { LicenseError } from '@licensekit/core'
import { UPSTREAM_FAILURES } from '@licensekit/core/server'

/** A store refusal, named and worded as the protocol answers it. */
export function refusal(
  failure: 'not_found' | 'expired' | 'suspended' | 'revoked' | 'limit_reached' | 'not_activated',
): LicenseError {
  return new LicenseError(failure, UPSTREAM_FAILURES[failure].message)
}

export function notFound(): LicenseError {
  return refusal('not_found')
}

/** Refuses a count that is not an integer from 1 to `max` (`bad_request`). */
export function checkCount(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new LicenseError('bad_request', `Invalid ${name} ${value}: expected an integer 1–${max}`)
  }
}

import { isLicenseError, type LicenseErrorCode } from '@licensekit/core'

/** HTTP status of each store refusal; the message is the error's own (the guide's wording). */
const STATUS_BY_CODE: Partial<Record<LicenseErrorCode, number>> = {
  not_found: 404,
  expired: 403,
  suspended: 403,
  revoked: 403,
  limit_reached: 409,
  not_activated: 409,
}

export interface Failure {
  status: number
  message: string
}

/** The answer for a refusal raised by the store, or `null` for any other error. */
export function failureFor(error: unknown): Failure | null {
  if (!isLicenseError(error)) return null
  const status = STATUS_BY_CODE[error.code]
  return status === undefined ? null : { status, message: error.message }
}

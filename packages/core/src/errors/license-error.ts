import type { LicenseErrorCode } from './codes.js'

export interface LicenseErrorOptions {
  cause?: unknown
  /** Seconds the caller should wait before retrying, when the server said so. */
  retryAfter?: number | undefined
}

/** The single error type of licensekit. `code` says what went wrong; `cause` keeps the origin. */
export class LicenseError extends Error {
  override readonly name = 'LicenseError' as const
  readonly code: LicenseErrorCode
  readonly retryAfter: number | undefined

  constructor(code: LicenseErrorCode, message: string, options: LicenseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.retryAfter = options.retryAfter
  }
}

/** True for a {@link LicenseError}, also one created in another realm (iframe, worker, bundle copy). */
export function isLicenseError(value: unknown): value is LicenseError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'LicenseError' &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}

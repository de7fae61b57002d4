import { isLicenseError } from '@licensekit/core'
import { UPSTREAM_FAILURES, type UpstreamFailure } from '@licensekit/core/server'

function isUpstreamFailure(code: string): code is UpstreamFailure {
  return Object.hasOwn(UPSTREAM_FAILURES, code)
}

/** The protocol refusal a store error stands for, or `null` for any other error. */
export function failureFor(error: unknown): UpstreamFailure | null {
  return isLicenseError(error) && isUpstreamFailure(error.code) ? error.code : null
}

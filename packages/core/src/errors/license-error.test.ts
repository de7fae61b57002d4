import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { isLicenseErrorCode, LICENSE_ERROR_CODES } from './codes.js'
import { isLicenseError, LicenseError } from './license-error.js'

describe('LicenseError', () => {
  it('carries name, code, message, cause and retryAfter', () => {
    const cause = new TypeError('socket hang up')
    const error = new LicenseError('upstream_unavailable', 'Upstream down', {
      cause,
      retryAfter: 30,
    })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('LicenseError')
    expect(error.code).toBe('upstream_unavailable')
    expect(error.message).toBe('Upstream down')
    expect(error.cause).toBe(cause)
    expect(error.retryAfter).toBe(30)
  })

  it('has no cause property when none is given', () => {
    expect('cause' in new LicenseError('not_found', 'gone')).toBe(false)
  })
})

describe('isLicenseError', () => {
  it('recognises errors from another realm by name', () => {
    const foreign = runInNewContext(
      'const e = new Error("x"); e.name = "LicenseError"; e.code = "revoked"; e',
    )
    expect(foreign instanceof LicenseError).toBe(false)
    expect(isLicenseError(foreign)).toBe(true)
  })

  it('refuses look-alikes', () => {
    expect(isLicenseError(new Error('LicenseError'))).toBe(false)
    expect(isLicenseError({ name: 'LicenseError' })).toBe(false)
    expect(isLicenseError(null)).toBe(false)
    expect(isLicenseError('LicenseError')).toBe(false)
  })
})

describe('error codes', () => {
  it('include every wire code of the design', () => {
    for (const code of [
      'invalid_key_format',
      'bad_request',
      'method_not_allowed',
      'unsupported_media_type',
      'payload_too_large',
      'forbidden_origin',
      'forbidden',
      'not_found',
      'expired',
      'suspended',
      'revoked',
      'limit_reached',
      'rate_limited',
      'upstream_misconfigured',
      'upstream_unavailable',
    ]) {
      expect(LICENSE_ERROR_CODES).toContain(code)
    }
    expect(isLicenseErrorCode('revoked')).toBe(true)
    expect(isLicenseErrorCode('REVOKED')).toBe(false)
    expect(isLicenseErrorCode(undefined)).toBe(false)
  })
})

import { LICENSE_ERROR_CODES, LicenseError } from '@licensekit/core'
import { describe, expect, it } from 'vitest'
import { describeLicenseError, describeLicenseReason, licenseErrorMessages } from './messages.js'

describe('licenseErrorMessages', () => {
  it('has its own sentence for every error code', () => {
    expect(Object.keys(licenseErrorMessages).sort()).toEqual([...LICENSE_ERROR_CODES].sort())
    const sentences = Object.values(licenseErrorMessages)
    expect(new Set(sentences).size).toBe(sentences.length)
    for (const sentence of sentences) {
      expect(sentence).toMatch(/^[A-Z].{20,}\.$/)
      expect(sentence).not.toMatch(/_/)
    }
  })
})

describe('describeLicenseReason', () => {
  it('words the non-error reasons', () => {
    expect(describeLicenseReason('grace_expired')).toMatch(/grace period has ended/)
    expect(describeLicenseReason('tampered')).toMatch(/altered/)
    expect(describeLicenseReason('grace_expired')).not.toBe(describeLicenseReason('tampered'))
  })

  it('uses the error sentence for a code, and null for no reason', () => {
    for (const code of LICENSE_ERROR_CODES) {
      expect(describeLicenseReason(code)).toBe(licenseErrorMessages[code])
    }
    expect(describeLicenseReason(null)).toBeNull()
  })
})

describe('describeLicenseError', () => {
  it('words a LicenseError by its code, not its message', () => {
    expect(describeLicenseError(new LicenseError('revoked', 'License revoked'))).toBe(
      licenseErrorMessages.revoked,
    )
  })

  it('says when to retry after a rate limit when the server said so', () => {
    expect(describeLicenseError(new LicenseError('rate_limited', 'x', { retryAfter: 1 }))).toBe(
      'Too many attempts in a short time. Try again in 1 second.',
    )
    expect(describeLicenseError(new LicenseError('rate_limited', 'x', { retryAfter: 2.5 }))).toBe(
      'Too many attempts in a short time. Try again in 3 seconds.',
    )
    expect(describeLicenseError(new LicenseError('rate_limited', 'x'))).toBe(
      licenseErrorMessages.rate_limited,
    )
  })

  it('builds the invalid key words from the configured format, never a fixed prefix', () => {
    const refused = new LicenseError('invalid_key_format', 'Invalid license key')
    expect(describeLicenseError(refused)).toBe(licenseErrorMessages.invalid_key_format)
    expect(licenseErrorMessages.invalid_key_format).toBe(
      'That is not a license key. A key looks like PREFIX-XXXX-XXXX-XXXX-XXXX: a prefix and four groups of four letters or digits.',
    )
    expect(describeLicenseError(refused, { prefix: 'eco', groups: 3 })).toBe(
      'That is not a license key. A key looks like ECO-XXXX-XXXX-XXXX: ECO and three groups of four letters or digits.',
    )
    expect(describeLicenseError(refused, { groups: 3 })).toBe(
      'That is not a license key. A key looks like PREFIX-XXXX-XXXX-XXXX: a prefix and three groups of four letters or digits.',
    )
    expect(describeLicenseError(new LicenseError('revoked', 'x'), { groups: 3 })).toBe(
      licenseErrorMessages.revoked,
    )
  })

  it('has a generic sentence for anything else, including unknown codes', () => {
    const foreign = Object.assign(new Error('x'), { name: 'LicenseError', code: 'from_the_future' })
    expect(describeLicenseError(foreign)).toBe('Something went wrong. Try again.')
    expect(describeLicenseError(new TypeError('boom'))).toBe('Something went wrong. Try again.')
    expect(describeLicenseError(undefined)).toBe('Something went wrong. Try again.')
  })
})

import { isLicenseError } from '@licensekit/core'
import { describe, expect, it } from 'vitest'
import { parseExpiry } from './expiry.js'

describe('parseExpiry', () => {
  it('reads YYYY-MM-DD as the start of that day in UTC', () => {
    expect(parseExpiry('2027-02-16')).toBe('2027-02-16T00:00:00.000Z')
    expect(parseExpiry('2028-02-29')).toBe('2028-02-29T00:00:00.000Z')
  })

  it('reads an ISO-8601 date-time with a time zone', () => {
    expect(parseExpiry('2027-02-16T10:30:00Z')).toBe('2027-02-16T10:30:00.000Z')
    expect(parseExpiry('2027-02-16T10:30:00.250+02:00')).toBe('2027-02-16T08:30:00.250Z')
  })

  it('means "never" for null or undefined', () => {
    expect(parseExpiry(null)).toBeNull()
    expect(parseExpiry(undefined)).toBeNull()
  })

  it.each([
    '2027-02-30',
    '2027-13-01',
    '2027-2-1',
    '16/02/2027',
    'tomorrow',
    '',
    '2027-02-16T10:30:00',
    '2027-02-16T25:00:00Z',
    '2027-02-31T10:00:00Z',
  ])('refuses %j with bad_request', (input) => {
    let caught: unknown
    try {
      parseExpiry(input)
    } catch (error) {
      caught = error
    }
    expect(isLicenseError(caught) && caught.code).toBe('bad_request')
  })
})

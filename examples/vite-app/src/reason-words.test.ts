import { LICENSE_ERROR_CODES } from '@licensekit/core'
import { describe, expect, it } from 'vitest'
import { graceDaysLeft, plural, reasonTitle } from './reason-words.js'

const DAY = 24 * 60 * 60 * 1000
const end = Date.parse('2026-12-03T12:00:00Z')

describe('graceDaysLeft', () => {
  it('counts whole days, rounded up, so a fresh grace period shows its full length', () => {
    const graceEndsAt = new Date(end).toISOString()
    expect(graceDaysLeft({ graceEndsAt }, end - 7 * DAY + 1000)).toBe(7)
    expect(graceDaysLeft({ graceEndsAt }, end - DAY - 1)).toBe(2)
    expect(graceDaysLeft({ graceEndsAt }, end - 1)).toBe(1)
  })

  it('is 0 at or past the end, and without an end', () => {
    expect(graceDaysLeft({ graceEndsAt: new Date(end).toISOString() }, end)).toBe(0)
    expect(graceDaysLeft({ graceEndsAt: new Date(end).toISOString() }, end + DAY)).toBe(0)
    expect(graceDaysLeft({ graceEndsAt: null }, end)).toBe(0)
  })
})

describe('reasonTitle', () => {
  it('has words for every error code and the local reasons', () => {
    for (const code of [...LICENSE_ERROR_CODES, 'grace_expired', 'tampered'] as const) {
      expect(reasonTitle(code)).toMatch(/^[a-z]/)
    }
    expect(reasonTitle('limit_reached')).toBe('activation limit reached')
    expect(reasonTitle('revoked')).toBe('revoked')
  })
})

describe('plural', () => {
  it('adds an s except for one', () => {
    expect(plural(1, 'day')).toBe('1 day')
    expect(plural(0, 'day')).toBe('0 days')
    expect(plural(7, 'day')).toBe('7 days')
  })
})

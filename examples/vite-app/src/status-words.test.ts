import type { LicenseState } from '@licensekit/core'
import { describe, expect, it } from 'vitest'
import {
  checkNotice,
  pendingWords,
  removalNotice,
  statusSummary,
  visibleStatus,
} from './status-words.js'

const NOW = Date.parse('2026-12-01T12:00:00Z')
const LICENSE = { key: 'DEMO-****-****-****-AB12', status: 'active', expiresAt: null }
const base: LicenseState = {
  status: 'unlicensed',
  reason: null,
  license: null,
  source: 'server',
  checkedAt: null,
  graceEndsAt: null,
  pendingDeactivations: 0,
  isChecking: false,
}

describe('visibleStatus', () => {
  it('shows a key refused on a fresh install as not licensed yet, nothing red', () => {
    expect(visibleStatus({ status: 'denied', license: null })).toBe('unlicensed')
    expect(visibleStatus({ status: 'denied', license: LICENSE })).toBe('denied')
    expect(visibleStatus({ status: 'active', license: LICENSE })).toBe('active')
  })
})

describe('statusSummary', () => {
  it('explains the first run', () => {
    expect(statusSummary(base, NOW)).toMatch(/^Not licensed yet\. Enter the license key/)
    const typo = { ...base, status: 'denied', reason: 'not_found' } as const
    expect(statusSummary(typo, NOW)).toBe(statusSummary(base, NOW))
  })

  it('gives an expired license its date', () => {
    const expired = {
      ...base,
      status: 'denied',
      reason: 'expired',
      license: { ...LICENSE, expiresAt: '2026-11-30T00:00:00.000Z' },
    } as const
    expect(statusSummary(expired, NOW)).toMatch(
      /^Expired on Nov 30, 2026\. This license has expired/,
    )
    expect(statusSummary({ ...expired, license: LICENSE }, NOW)).toMatch(/^Expired\. /)
    const early = { ...expired, license: { ...LICENSE, expiresAt: '2027-06-01T00:00:00.000Z' } }
    expect(statusSummary(early, NOW)).toMatch(/^Expired\. /)
  })

  it('says the days of grace left', () => {
    const grace = {
      ...base,
      status: 'grace',
      reason: 'unreachable',
      license: LICENSE,
      graceEndsAt: new Date(NOW + 6.5 * 86_400_000).toISOString(),
    } as const
    expect(statusSummary(grace, NOW)).toMatch(/^offline — 7 days left\./)
  })
})

describe('notices', () => {
  it('says what a check found', () => {
    expect(checkNotice({ ...base, status: 'active', license: LICENSE })).toBe(
      'Checked just now — still active.',
    )
    expect(checkNotice({ ...base, status: 'denied', reason: 'revoked', license: LICENSE })).toBe(
      'Checked just now — revoked.',
    )
    expect(checkNotice(base)).toBe('Checked just now — no license on this browser.')
  })

  it('says freed, queued and not held apart', () => {
    expect(removalNotice('freed')).toMatch(/slot is free/)
    expect(removalNotice('queued')).toMatch(/queued: it will be released when you are back online/)
    expect(removalNotice('queued')).not.toMatch(/is free/)
    expect(removalNotice('not_held')).toMatch(/held no activation slot/)
  })

  it('counts the slots waiting to be released', () => {
    expect(pendingWords(0)).toBeNull()
    expect(pendingWords(1)).toBe(
      '1 activation slot waiting to be released: it is released when you are back online.',
    )
    expect(pendingWords(2)).toMatch(/^2 activation slots waiting/)
  })
})

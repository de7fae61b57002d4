import { describe, expect, it } from 'vitest'
import { checkClaims } from './check-claims.js'
import type { LicenseTokenClaims } from './claims.js'

const IAT = 1_767_225_600
const claims: LicenseTokenClaims = {
  iss: 'licensekit',
  sub: 'a'.repeat(64),
  aud: 'shop.example',
  st: 'active',
  lexp: null,
  ent: {},
  iat: IAT,
  exp: IAT + 3600,
}
const DEVICE = 'abcdefghijklmnopqrst234567'
const at = (seconds: number) => seconds * 1000

describe('checkClaims', () => {
  it('passes claims of the audience and the default issuer, within their times', () => {
    expect(checkClaims(claims, { audience: 'shop.example', now: at(IAT + 10) })).toBeNull()
  })

  it('refuses another audience, a subdomain and a device-bound name; null leaves aud alone', () => {
    for (const aud of ['other.example', 'a.shop.example', `${DEVICE}.shop.example`]) {
      const expected = { audience: 'shop.example', now: at(IAT) }
      expect(checkClaims({ ...claims, aud }, expected)).toBe('wrong_audience')
      expect(checkClaims({ ...claims, aud }, { ...expected, audience: null })).toBeNull()
    }
  })

  it('refuses another issuer; null accepts any', () => {
    const other = { ...claims, iss: 'someone-else' }
    expect(checkClaims(other, { audience: 'shop.example', now: at(IAT) })).toBe('wrong_issuer')
    expect(checkClaims(other, { audience: 'shop.example', issuer: null, now: at(IAT) })).toBeNull()
    expect(
      checkClaims(other, { audience: 'shop.example', issuer: 'someone-else', now: at(IAT) }),
    ).toBeNull()
  })

  it('refuses a token issued beyond the tolerance (default 60 s) in the future', () => {
    const expected = { audience: 'shop.example' }
    expect(checkClaims(claims, { ...expected, now: at(IAT - 60) })).toBeNull()
    expect(checkClaims(claims, { ...expected, now: at(IAT - 61) })).toBe('issued_in_future')
    expect(checkClaims(claims, { ...expected, now: at(IAT - 5), clockToleranceSeconds: 0 })).toBe(
      'issued_in_future',
    )
  })

  it('refuses an expired token beyond the tolerance, unless told to ignore expiry', () => {
    const expected = { audience: 'shop.example' }
    expect(checkClaims(claims, { ...expected, now: at(claims.exp + 59) })).toBeNull()
    expect(checkClaims(claims, { ...expected, now: at(claims.exp + 60) })).toBe('expired')
    expect(checkClaims(claims, { ...expected, now: at(claims.exp + 60), ignoreExpiry: true })).toBe(
      null,
    )
  })

  it('reads the clock when no time is given', () => {
    expect(checkClaims(claims, { audience: 'shop.example' })).toBe('expired')
  })
})

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

  it('refuses another audience, and a device audience unless asked to accept it', () => {
    expect(checkClaims(claims, { audience: 'other.example', now: at(IAT) })).toBe('wrong_audience')
    const device = { ...claims, aud: `${DEVICE}.shop.example` }
    expect(checkClaims(device, { audience: 'shop.example', now: at(IAT) })).toBe('wrong_audience')
    expect(
      checkClaims(device, { audience: 'shop.example', acceptDeviceAudience: true, now: at(IAT) }),
    ).toBeNull()
  })

  it.each([
    ['a device label of the wrong length', `${DEVICE}a.shop.example`],
    ['an uppercase device label', `${DEVICE.toUpperCase()}.shop.example`],
    ['a suffix that is not a label boundary', `${DEVICE}xshop.example`],
    ['a device label under another domain', `${DEVICE}.evilshop.example`],
  ])('refuses %s even when device audiences are accepted', (_, aud) => {
    const expected = { audience: 'shop.example', acceptDeviceAudience: true, now: at(IAT) }
    expect(checkClaims({ ...claims, aud }, expected)).toBe('wrong_audience')
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

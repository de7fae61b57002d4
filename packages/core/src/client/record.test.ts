import { describe, expect, it } from 'vitest'
import { assessCacheTrust } from './cache-trust.js'
import { verifyReceipts } from './receipt-check.js'
import { type LicenseRecord, parseLicenseRecord, recordKeyFor } from './record.js'
import { LICENSE } from './test-support/fake-proxy.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
const valid: LicenseRecord = {
  v: 1,
  key: KEY,
  license: LICENSE,
  checkedAt: '2026-01-01T00:00:00.000Z',
  receivedAt: 1,
  lastActiveAt: '2026-01-01T00:00:00.000Z',
  reason: null,
  receipt: 'h.c.s',
  pendingDeactivations: [{ key: 'SHOP-Z9Y8-X7W6-V5U4-T3S2' }],
  highWaterMark: 1,
}

describe('parseLicenseRecord', () => {
  it('accepts exactly a version-1 record and returns a copy', () => {
    const parsed = parseLicenseRecord(valid, 'device')
    expect(parsed).toEqual(valid)
    expect(parsed).not.toBe(valid)
  })

  it('drops an empty pending list', () => {
    expect(parseLicenseRecord({ ...valid, pendingDeactivations: [] }, 'device')).not.toHaveProperty(
      'pendingDeactivations',
    )
  })

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [valid]],
    ['a string', JSON.stringify(valid)],
    ['another version', { ...valid, v: 2 }],
    ['no version', { ...valid, v: undefined }],
    ['an extra field', { ...valid, trusted: true }],
    ['a lower-case key', { ...valid, key: KEY.toLowerCase() }],
    ['a numeric key', { ...valid, key: 42 }],
    ['a license that is a string', { ...valid, license: 'active' }],
    ['a license with an extra field', { ...valid, license: { ...LICENSE, plan: 'pro' } }],
    ['a license with a bad expiry', { ...valid, license: { ...LICENSE, expiresAt: 'never' } }],
    [
      'a license with a fractional count',
      { ...valid, license: { ...LICENSE, activationsCount: 1.5 } },
    ],
    ['a checkedAt number', { ...valid, checkedAt: 1 }],
    ['a string receivedAt', { ...valid, receivedAt: '1' }],
    ['a non-finite receivedAt', { ...valid, receivedAt: Number.NaN }],
    ['a bad lastActiveAt', { ...valid, lastActiveAt: 'now' }],
    ['an unknown reason', { ...valid, reason: 'because' }],
    ['a receipt object', { ...valid, receipt: {} }],
    ['a non-finite high-water mark', { ...valid, highWaterMark: Number.POSITIVE_INFINITY }],
    ['a string high-water mark', { ...valid, highWaterMark: '1' }],
    ['a pending entry with a bad key', { ...valid, pendingDeactivations: [{ key: 'x' }] }],
    [
      'a pending entry with extra fields',
      { ...valid, pendingDeactivations: [{ key: KEY, at: 1 }] },
    ],
    ['a pending list that is not a list', { ...valid, pendingDeactivations: { key: KEY } }],
  ])('refuses %s (device mode)', (_label, value) => {
    expect(parseLicenseRecord(value, 'device')).toBeNull()
  })

  it('refuses any key in installation mode, in the record or a pending entry', () => {
    const { key: _key, pendingDeactivations: _pending, ...installation } = valid
    expect(parseLicenseRecord(installation, 'installation')).toEqual(installation)
    expect(parseLicenseRecord({ ...installation, key: KEY }, 'installation')).toBeNull()
    expect(
      parseLicenseRecord({ ...installation, pendingDeactivations: [{ key: KEY }] }, 'installation'),
    ).toBeNull()
    expect(
      parseLicenseRecord({ ...installation, pendingDeactivations: [{}] }, 'installation'),
    ).toMatchObject({ pendingDeactivations: [{}] })
  })

  it('names one record per endpoint and mode', () => {
    expect(recordKeyFor('/api/license', 'device')).toBe('licensekit:device:/api/license')
    expect(recordKeyFor('/api/license', 'installation')).not.toBe(
      recordKeyFor('/api/license', 'device'),
    )
  })
})

describe('assessCacheTrust', () => {
  const context = { mode: 'device' as const, receipts: undefined, domain: 'x', now: 0 }

  it('grants nothing without an active answer', async () => {
    expect(await assessCacheTrust(null, context)).toEqual({ kind: 'none' })
    expect(await assessCacheTrust({ ...valid, lastActiveAt: null }, context)).toEqual({
      kind: 'none',
    })
    expect(
      await assessCacheTrust({ ...valid, license: { ...LICENSE, status: 'revoked' } }, context),
    ).toEqual({ kind: 'none' })
  })

  it('refuses a receipt when no domain is known to compare it with', async () => {
    const keys = await globalThis.crypto.subtle.generateKey(
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['sign', 'verify'],
    )
    const publicJwk = await globalThis.crypto.subtle.exportKey('jwk', keys.publicKey)
    expect(
      await assessCacheTrust(valid, {
        ...context,
        receipts: verifyReceipts(publicJwk),
        domain: undefined,
      }),
    ).toEqual({ kind: 'tampered' })
  })

  it('counts a lastActiveAt far ahead of the clock as a rolled-back clock', async () => {
    const now = Date.parse(valid.checkedAt ?? '') - 6 * 60_000
    expect(await assessCacheTrust(valid, { ...context, now })).toEqual({ kind: 'rolled_back' })
  })
})

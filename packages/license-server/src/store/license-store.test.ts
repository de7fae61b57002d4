import { isLicenseError, type LicenseErrorCode } from '@licensekit/core'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDb, type TempDb } from '../test-support/temp-db.js'
import { openLicenseStore } from './license-store.js'
import { SCHEMA_VERSION } from './migrations.js'
import type { LicenseStore } from './store-types.js'

const T0 = Date.UTC(2026, 0, 1)
let nowMs: number
let store: LicenseStore

function codeOf(run: () => unknown): LicenseErrorCode | undefined {
  try {
    run()
  } catch (error) {
    if (isLicenseError(error)) return error.code
    throw error
  }
  return undefined
}

beforeEach(() => {
  nowMs = T0
  store = openLicenseStore(':memory:', { now: () => nowMs })
})

afterEach(() => {
  store.close()
})

describe('issue', () => {
  it('issues active licenses with their limit, expiry and creation time', () => {
    const keys = store.issue({ prefix: 'SHOP', limit: 3, expiresAt: '2027-02-16', count: 3 })
    expect(keys).toHaveLength(3)
    expect(store.get(keys[0] as string)).toEqual({
      key: keys[0],
      status: 'active',
      storedStatus: 'active',
      expiresAt: '2027-02-16T00:00:00.000Z',
      activationsLimit: 3,
      activationsCount: 0,
      features: [],
      seats: null,
      domains: [],
      createdAt: '2026-01-01T00:00:00.000Z',
    })
    expect(store.list().map((license) => license.key)).toEqual(keys)
  })

  it('stores features and seats per license', () => {
    const [key = ''] = store.issue({
      prefix: 'SHOP',
      limit: 1,
      features: ['export', 'a.b:c-d_e'],
      seats: 0,
    })
    expect(store.get(key)).toMatchObject({ features: ['export', 'a.b:c-d_e'], seats: 0 })
  })

  it.each<[string, { features?: string[]; seats?: number }]>([
    ['a repeated feature', { features: ['export', 'export'] }],
    ['a feature with a space', { features: ['pdf export'] }],
    ['an empty feature', { features: [''] }],
    ['65 features', { features: Array.from({ length: 65 }, (_, i) => `f${i}`) }],
    ['negative seats', { seats: -1 }],
    ['fractional seats', { seats: 1.5 }],
  ])('refuses %s with bad_request, issuing nothing', (_label, extra) => {
    expect(codeOf(() => store.issue({ prefix: 'SHOP', limit: 1, ...extra }))).toBe('bad_request')
    expect(store.list()).toEqual([])
  })

  it('defaults to one key that never expires', () => {
    const keys = store.issue({ prefix: 'DEV', limit: 1 })
    expect(keys).toHaveLength(1)
    expect(store.get(keys[0] as string)?.expiresAt).toBeNull()
  })

  it.each([
    [{ prefix: 'shop', limit: 1 }],
    [{ prefix: 'SHOP', limit: 0 }],
    [{ prefix: 'SHOP', limit: 1.5 }],
    [{ prefix: 'SHOP', limit: 1, count: 0 }],
    [{ prefix: 'SHOP', limit: 1, count: 1001 }],
    [{ prefix: 'SHOP', limit: 1, expiresAt: '2026-02-30' }],
  ])('refuses %j with bad_request and issues nothing', (options) => {
    expect(codeOf(() => store.issue(options))).toBe('bad_request')
    expect(store.list()).toEqual([])
  })
})

describe('status changes', () => {
  it('suspends, revokes and reinstates', () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1 })
    expect(store.suspend(key).status).toBe('suspended')
    expect(store.revoke(key).status).toBe('revoked')
    expect(store.reinstate(key)).toMatchObject({ status: 'active', storedStatus: 'active' })
  })

  it('expires a license by setting its date to now, keeping an earlier date', () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1, expiresAt: '2027-01-01' })
    expect(store.expire(key)).toMatchObject({
      status: 'expired',
      storedStatus: 'active',
      expiresAt: '2026-01-01T00:00:00.000Z',
    })
    nowMs += 86_400_000
    expect(store.expire(key).expiresAt).toBe('2026-01-01T00:00:00.000Z')
  })

  it('computes expiry when read, and reinstate does not un-expire', () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1, expiresAt: '2026-01-02' })
    expect(store.get(key)?.status).toBe('active')
    nowMs = Date.UTC(2026, 0, 2) - 1
    expect(store.get(key)?.status).toBe('active')
    nowMs += 1
    expect(store.get(key)?.status).toBe('expired')
    expect(store.reinstate(key).status).toBe('expired')
  })

  it('throws not_found for an unknown key', () => {
    const unknown = 'SHOP-AAAA-BBBB-CCCC-DDDD'
    expect(store.get(unknown)).toBeNull()
    for (const run of [
      () => store.revoke(unknown),
      () => store.suspend(unknown),
      () => store.reinstate(unknown),
      () => store.expire(unknown),
      () => store.check(unknown),
      () => store.activate(unknown, 'a.example'),
      () => store.deactivate(unknown, 'a.example'),
    ]) {
      expect(codeOf(run)).toBe('not_found')
    }
  })
})

describe('activations', () => {
  it('holds one slot per domain up to the limit and lists domains in activation order', () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 2 })
    expect(store.activate(key, 'b.example')).toEqual({ activationsCount: 1, activationsLimit: 2 })
    expect(store.activate(key, 'b.example')).toEqual({ activationsCount: 1, activationsLimit: 2 })
    expect(store.activate(key, 'a.example')).toEqual({ activationsCount: 2, activationsLimit: 2 })
    expect(codeOf(() => store.activate(key, 'c.example'))).toBe('limit_reached')
    expect(store.get(key)?.domains).toEqual(['b.example', 'a.example'])
    expect(store.deactivate(key, 'b.example')).toEqual({ activationsCount: 1 })
    expect(codeOf(() => store.deactivate(key, 'b.example'))).toBe('not_activated')
    expect(store.list()[0]?.domains).toEqual(['a.example'])
  })

  it.each([
    ['suspend', 'suspended'],
    ['revoke', 'revoked'],
    ['expire', 'expired'],
  ] as const)(
    'refuses check and activate after %s, and still frees a held slot',
    (change, code) => {
      const [key = ''] = store.issue({ prefix: 'SHOP', limit: 2 })
      store.activate(key, 'a.example')
      store.activate(key, 'b.example')
      store[change](key)
      expect(codeOf(() => store.check(key))).toBe(code)
      expect(codeOf(() => store.activate(key, 'c.example'))).toBe(code)
      expect(store.deactivate(key, 'a.example')).toEqual({ activationsCount: 1 })
      expect(store.get(key)?.domains).toEqual(['b.example'])
      expect(codeOf(() => store.deactivate(key, 'a.example'))).toBe('not_activated')
      expect(store.get(key)?.status).toBe(code)
    },
  )
})

describe('database file', () => {
  let temp: TempDb
  beforeEach(() => {
    temp = makeTempDb()
  })
  afterEach(() => {
    temp.remove()
  })

  it('creates a versioned schema in WAL mode and keeps data across reopening', () => {
    const first = openLicenseStore(temp.path)
    const [key = ''] = first.issue({ prefix: 'SHOP', limit: 3 })
    first.activate(key, 'a.example')
    first.close()

    const raw = new Database(temp.path, { readonly: true })
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
    )
    raw.close()

    const second = openLicenseStore(temp.path)
    expect(second.get(key)?.domains).toEqual(['a.example'])
    second.close()
  })

  it('refuses a database from a newer schema version with invalid_config', () => {
    openLicenseStore(temp.path).close()
    const raw = new Database(temp.path)
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(SCHEMA_VERSION + 1, 'later')
    raw.close()
    expect(codeOf(() => openLicenseStore(temp.path))).toBe('invalid_config')
  })
})

import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDb, type TempDb } from '../test-support/temp-db.js'
import { openLicenseStore } from './license-store.js'
import type { LicenseStore } from './store-types.js'

const T0 = Date.UTC(2026, 0, 1)
let store: LicenseStore

beforeEach(() => {
  store = openLicenseStore(':memory:', { now: () => T0 })
})

afterEach(() => {
  store.close()
})

function events() {
  return store.outbox.recent(100).map(({ event, data }) => ({ event, ...data }))
}

describe('webhook outbox', () => {
  it('records every change, in order, with the key, the status after it and the domain', () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 2 })
    store.activate(key, 'a.example')
    store.deactivate(key, 'a.example')
    store.suspend(key)
    store.reinstate(key)
    store.revoke(key)
    store.expire(key)
    expect(events()).toEqual([
      { event: 'license.activated', licenseKey: key, status: 'active', domain: 'a.example' },
      { event: 'license.deactivated', licenseKey: key, status: 'active', domain: 'a.example' },
      { event: 'license.suspended', licenseKey: key, status: 'suspended' },
      { event: 'license.reinstated', licenseKey: key, status: 'active' },
      { event: 'license.revoked', licenseKey: key, status: 'revoked' },
      { event: 'license.expired', licenseKey: key, status: 'expired' },
    ])
    const ids = store.outbox.recent(100).map((event) => event.deliveryId)
    expect(new Set(ids).size).toBe(6)
    for (const id of ids) expect(id).toMatch(/^whd_[0-9a-f-]{36}$/)
  })

  it('records nothing for a change that changes nothing or is refused', () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1 })
    store.activate(key, 'a.example')
    store.activate(key, 'a.example')
    expect(() => store.activate(key, 'b.example')).toThrow('Activation limit reached')
    expect(() => store.deactivate(key, 'c.example')).toThrow('Activation not found')
    store.reinstate(key)
    store.revoke(key)
    store.revoke(key)
    expect(events().map(({ event }) => event)).toEqual(['license.activated', 'license.revoked'])
  })

  it('hands out the oldest undelivered event and keeps failures for the retry', () => {
    const [key = ''] = store.issue({ prefix: 'SHOP', limit: 1 })
    store.suspend(key)
    store.reinstate(key)
    const first = store.outbox.next()
    expect(first?.event).toBe('license.suspended')
    store.outbox.markFailed(first?.id ?? 0, 'HTTP 500', '2026-01-01T00:00:01.000Z')
    expect(store.outbox.next()).toMatchObject({
      id: first?.id,
      attempts: 1,
      lastError: 'HTTP 500',
      nextAttemptAt: '2026-01-01T00:00:01.000Z',
    })
    store.outbox.markDelivered(first?.id ?? 0, '2026-01-01T00:00:02.000Z')
    expect(store.outbox.next()?.event).toBe('license.reinstated')
  })
})

describe('webhook outbox in a file', () => {
  let temp: TempDb

  beforeEach(() => {
    temp = makeTempDb()
  })

  afterEach(() => {
    temp.remove()
  })

  it('sees changes another connection (a CLI process) made while it is open', () => {
    const server = openLicenseStore(temp.path)
    const cli = openLicenseStore(temp.path)
    const [key = ''] = cli.issue({ prefix: 'SHOP', limit: 1 })
    cli.revoke(key)
    cli.close()
    expect(server.outbox.next()?.data).toEqual({ licenseKey: key, status: 'revoked' })
    server.close()
  })

  it('migrates a database of schema version 1, keeping its licenses', () => {
    const raw = new Database(temp.path)
    raw.exec(`
      CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
      INSERT INTO schema_migrations VALUES (1, '2025-01-01T00:00:00.000Z');
      CREATE TABLE licenses (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
        expires_at TEXT, activations_limit INTEGER NOT NULL CHECK (activations_limit >= 1),
        created_at TEXT NOT NULL
      );
      CREATE TABLE activations (
        license_id INTEGER NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
        domain TEXT NOT NULL, activated_at TEXT NOT NULL, PRIMARY KEY (license_id, domain)
      );
      INSERT INTO licenses VALUES (1, 'OLD-AAAA-BBBB-CCCC-DDDD', 'active', NULL, 1, '2025-01-01');
    `)
    raw.close()
    const migrated = openLicenseStore(temp.path)
    expect(migrated.get('OLD-AAAA-BBBB-CCCC-DDDD')?.status).toBe('active')
    migrated.revoke('OLD-AAAA-BBBB-CCCC-DDDD')
    expect(migrated.outbox.next()?.event).toBe('license.revoked')
    migrated.close()
  })
})

import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDb, type TempDb } from '../test-support/temp-db.js'
import { openLicenseStore } from './license-store.js'
import { SCHEMA_VERSION } from './migrations.js'

/** The schema as version 1 of this package created it, frozen here (migrations are append-only). */
const VERSION_1_SCHEMA = `
  CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
  CREATE TABLE licenses (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    expires_at TEXT,
    activations_limit INTEGER NOT NULL CHECK (activations_limit >= 1),
    created_at TEXT NOT NULL
  );
  CREATE TABLE activations (
    license_id INTEGER NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    activated_at TEXT NOT NULL,
    PRIMARY KEY (license_id, domain)
  );
  INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00.000Z');
  INSERT INTO licenses VALUES (1, 'OLD-AAAA-BBBB-CCCC-DDDD', 'active', NULL, 2, '2026-01-01T00:00:00.000Z');
  INSERT INTO activations VALUES (1, 'a.example', '2026-01-02T00:00:00.000Z');
`

let temp: TempDb

beforeEach(() => {
  temp = makeTempDb()
})

afterEach(() => {
  temp.remove()
})

describe('a database created by the version 1 schema', () => {
  it('is migrated in place: its licenses keep working, with no features or seats', () => {
    const old = new Database(temp.path)
    old.exec(VERSION_1_SCHEMA)
    old.close()

    const store = openLicenseStore(temp.path)
    expect(store.check('OLD-AAAA-BBBB-CCCC-DDDD')).toMatchObject({
      status: 'active',
      activationsCount: 1,
      domains: ['a.example'],
      features: [],
      seats: null,
    })
    expect(store.activate('OLD-AAAA-BBBB-CCCC-DDDD', 'b.example')).toEqual({
      activationsCount: 2,
      activationsLimit: 2,
    })
    const [key = ''] = store.issue({ prefix: 'NEW', limit: 1, features: ['export'], seats: 3 })
    expect(store.get(key)).toMatchObject({ features: ['export'], seats: 3 })
    store.close()

    const db = new Database(temp.path, { readonly: true })
    const versions = db
      .prepare('SELECT version FROM schema_migrations ORDER BY version')
      .pluck()
      .all()
    db.close()
    expect(versions).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, index) => index + 1))
  })
})

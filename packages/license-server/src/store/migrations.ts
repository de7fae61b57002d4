import { LicenseError } from '@licensekit/core'
import type Database from 'better-sqlite3'

interface Migration {
  version: number
  sql: string
}

/** Append-only: a released migration is never edited, a change is a new version. */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
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
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE webhook_outbox (
        id INTEGER PRIMARY KEY,
        delivery_id TEXT NOT NULL UNIQUE,
        event TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        delivered_at TEXT,
        last_error TEXT
      );
      CREATE INDEX webhook_outbox_pending ON webhook_outbox (id) WHERE delivered_at IS NULL;
    `,
  },
  {
    version: 3,
    sql: `
      ALTER TABLE licenses ADD COLUMN features TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE licenses ADD COLUMN seats INTEGER CHECK (seats IS NULL OR seats >= 0);
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Brings the schema to {@link SCHEMA_VERSION}, recording each step in `schema_migrations`.
 * Runs in one immediate transaction, so a server and a CLI opening a new file at the same
 * moment cannot both migrate it.
 */
export function migrate(db: Database.Database, nowIso: string): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  )
  const current = db.prepare<[], { version: number | null }>(
    'SELECT MAX(version) AS version FROM schema_migrations',
  )
  const record = db.prepare<[number, string]>(
    'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
  )
  db.transaction(() => {
    const version = current.get()?.version ?? 0
    if (version > SCHEMA_VERSION) {
      throw new LicenseError(
        'invalid_config',
        `The database has schema version ${version}, newer than this server knows (${SCHEMA_VERSION}); upgrade @licensekit/license-server`,
      )
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= version) continue
      db.exec(migration.sql)
      record.run(migration.version, nowIso)
    }
  }).immediate()
}

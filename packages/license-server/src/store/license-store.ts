import Database from 'better-sqlite3'
import { generateLicenseKey } from '../keys/generate-key.js'
import { checkFeatures, checkSeats } from './entitlements.js'
import { parseExpiry } from './expiry.js'
import { migrate } from './migrations.js'
import { STATUS_EVENTS, type WebhookEventName, WebhookOutbox } from './outbox.js'
import { effectiveStatus, type IssuedLicense, type LicenseRow, toRecord } from './records.js'
import { checkCount, notFound, refusal } from './refusals.js'
import { prepareStatements, type Statements, sql } from './statements.js'
import type {
  ActivationCounts,
  IssueOptions,
  LicenseStore,
  LicenseStoreOptions,
} from './store-types.js'

const MAX_LIMIT = 1_000_000
const MAX_COUNT = 1000
const LICENSE_SQL = {
  byKey: sql<[string], LicenseRow>('SELECT * FROM licenses WHERE key = ?'),
  allRows: sql<[], LicenseRow>('SELECT * FROM licenses ORDER BY id'),
  domainsOf: sql<[number], { domain: string }>(
    'SELECT domain FROM activations WHERE license_id = ? ORDER BY activated_at, rowid',
  ),
  allDomains: sql<[], { license_id: number; domain: string }>(
    'SELECT license_id, domain FROM activations ORDER BY activated_at, rowid',
  ),
  hasDomain: sql<[number, string], { found: number }>(
    'SELECT 1 AS found FROM activations WHERE license_id = ? AND domain = ?',
  ),
  countOf: sql<[number], { count: number }>(
    'SELECT COUNT(*) AS count FROM activations WHERE license_id = ?',
  ),
  insertLicense: sql<[string, string | null, number, string, string, number | null]>(
    "INSERT INTO licenses (key, status, expires_at, activations_limit, created_at, features, seats) VALUES (?, 'active', ?, ?, ?, ?, ?)",
  ),
  insertActivation: sql<[number, string, string]>(
    'INSERT INTO activations (license_id, domain, activated_at) VALUES (?, ?, ?)',
  ),
  deleteActivation: sql<[number, string]>(
    'DELETE FROM activations WHERE license_id = ? AND domain = ?',
  ),
  setStatus: sql<[string, number]>('UPDATE licenses SET status = ? WHERE id = ?'),
  setExpiry: sql<[string, number]>('UPDATE licenses SET expires_at = ? WHERE id = ?'),
}

/**
 * {@link LicenseStore} on one SQLite file. Every call reads the file afresh (nothing
 * is cached between calls), so an admin CLI may change licenses while a server uses the same
 * file. Every write runs in a `BEGIN IMMEDIATE` transaction: it waits for the write lock (up to
 * the busy timeout) before reading, so a deferred read-then-write cannot fail with "database is
 * locked" when another process committed in between, and the limit holds across processes.
 */
class SqliteLicenseStore implements LicenseStore {
  readonly #db: Database.Database
  readonly #now: () => number
  readonly #sql: Statements<typeof LICENSE_SQL>
  readonly outbox: WebhookOutbox

  constructor(db: Database.Database, options: LicenseStoreOptions = {}) {
    this.#db = db
    this.outbox = new WebhookOutbox(db)
    this.#now = options.now ?? Date.now
    this.#sql = prepareStatements(db, LICENSE_SQL)
  }

  #nowIso(): string {
    return new Date(this.#now()).toISOString()
  }

  #row(key: string): LicenseRow {
    const row = this.#sql.byKey.get(key)
    if (!row) throw notFound()
    return row
  }

  #record(row: LicenseRow): IssuedLicense {
    const domains = this.#sql.domainsOf.all(row.id).map((activation) => activation.domain)
    return toRecord(row, domains, this.#now())
  }

  /** Records the change's event in the outbox, inside the caller's transaction. */
  #emit(event: WebhookEventName, key: string, domain?: string): void {
    const { status } = this.#record(this.#row(key))
    const data =
      domain === undefined ? { licenseKey: key, status } : { licenseKey: key, status, domain }
    this.outbox.append(event, data, this.#nowIso())
  }

  /** The row of a license that may be used now; a `LicenseError` named after its status if not. */
  #usableRow(key: string): LicenseRow {
    const row = this.#row(key)
    const status = effectiveStatus(row, this.#now())
    if (status !== 'active') throw refusal(status)
    return row
  }

  issue(options: IssueOptions): string[] {
    const count = options.count ?? 1
    checkCount('limit', options.limit, MAX_LIMIT)
    checkCount('count', count, MAX_COUNT)
    const expiresAt = parseExpiry(options.expiresAt)
    const features = JSON.stringify(checkFeatures(options.features ?? []))
    const seats = checkSeats(options.seats ?? null)
    const createdAt = this.#nowIso()
    return this.#db
      .transaction(() => {
        const keys: string[] = []
        while (keys.length < count) {
          const key = generateLicenseKey(options.prefix)
          if (this.#sql.byKey.get(key)) continue
          this.#sql.insertLicense.run(key, expiresAt, options.limit, createdAt, features, seats)
          keys.push(key)
        }
        return keys
      })
      .immediate()
  }

  get(key: string): IssuedLicense | null {
    const row = this.#sql.byKey.get(key)
    return row ? this.#record(row) : null
  }

  list(): IssuedLicense[] {
    const now = this.#now()
    const domains = new Map<number, string[]>()
    for (const { license_id, domain } of this.#sql.allDomains.all()) {
      const list = domains.get(license_id)
      if (list) list.push(domain)
      else domains.set(license_id, [domain])
    }
    return this.#sql.allRows.all().map((row) => toRecord(row, domains.get(row.id) ?? [], now))
  }

  check(key: string): IssuedLicense {
    return this.#record(this.#usableRow(key))
  }

  activate(key: string, domain: string): ActivationCounts {
    return this.#db
      .transaction((): ActivationCounts => {
        const row = this.#usableRow(key)
        const activationsLimit = row.activations_limit
        const activationsCount = this.#sql.countOf.get(row.id)?.count ?? 0
        if (this.#sql.hasDomain.get(row.id, domain)) return { activationsCount, activationsLimit }
        if (activationsCount >= activationsLimit) {
          throw refusal('limit_reached')
        }
        this.#sql.insertActivation.run(row.id, domain, this.#nowIso())
        this.#emit('license.activated', key, domain)
        return { activationsCount: activationsCount + 1, activationsLimit }
      })
      .immediate()
  }

  /** Frees the slot whatever the license's status: freeing capacity never grants anything. */
  deactivate(key: string, domain: string): { activationsCount: number } {
    return this.#db
      .transaction(() => {
        const row = this.#row(key)
        if (this.#sql.deleteActivation.run(row.id, domain).changes === 0) {
          throw refusal('not_activated')
        }
        this.#emit('license.deactivated', key, domain)
        return { activationsCount: this.#sql.countOf.get(row.id)?.count ?? 0 }
      })
      .immediate()
  }

  revoke(key: string): IssuedLicense {
    return this.#updateStatus(key, 'revoked')
  }

  suspend(key: string): IssuedLicense {
    return this.#updateStatus(key, 'suspended')
  }

  reinstate(key: string): IssuedLicense {
    return this.#updateStatus(key, 'active')
  }

  expire(key: string): IssuedLicense {
    return this.#db
      .transaction(() => {
        const row = this.#row(key)
        const now = this.#now()
        if (row.expires_at === null || Date.parse(row.expires_at) > now) {
          this.#sql.setExpiry.run(new Date(now).toISOString(), row.id)
          this.#emit('license.expired', key)
        }
        return this.#record(this.#row(key))
      })
      .immediate()
  }

  #updateStatus(key: string, status: LicenseRow['status']): IssuedLicense {
    return this.#db
      .transaction(() => {
        const row = this.#row(key)
        if (row.status !== status) {
          this.#sql.setStatus.run(status, row.id)
          this.#emit(STATUS_EVENTS[status], key)
        }
        return this.#record(this.#row(key))
      })
      .immediate()
  }

  close(): void {
    this.#db.close()
  }
}

/**
 * Opens (and creates or migrates) a license database: a file path, or `':memory:'`.
 * The file uses WAL mode and waits up to 5 s for a lock held by another process.
 */
export function openLicenseStore(path: string, options: LicenseStoreOptions = {}): LicenseStore {
  const db = new Database(path, { timeout: 5000 })
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    migrate(db, new Date((options.now ?? Date.now)()).toISOString())
    return new SqliteLicenseStore(db, options)
  } catch (error) {
    db.close()
    throw error
  }
}

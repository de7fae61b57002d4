import Database from 'better-sqlite3'
import { generateLicenseKey } from '../keys/generate-key.js'
import { checkFeatures, checkSeats } from './entitlements.js'
import { parseExpiry } from './expiry.js'
import { migrate } from './migrations.js'
import { STATUS_EVENTS, type WebhookEventName, WebhookOutbox } from './outbox.js'
import { effectiveStatus, type IssuedLicense, type LicenseRow, toRecord } from './records.js'
import { checkCount, notFound, refusal } from './refusals.js'
import type {
  ActivationCounts,
  IssueOptions,
  LicenseStore,
  LicenseStoreOptions,
} from './store-types.js'

const MAX_LIMIT = 1_000_000
const MAX_COUNT = 1000
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
  readonly #byKey: Database.Statement<[string], LicenseRow>
  readonly #allRows: Database.Statement<[], LicenseRow>
  readonly #domainsOf: Database.Statement<[number], { domain: string }>
  readonly #allDomains: Database.Statement<[], { license_id: number; domain: string }>
  readonly #hasDomain: Database.Statement<[number, string], { found: number }>
  readonly #countOf: Database.Statement<[number], number>
  readonly #insertLicense: Database.Statement<
    [string, string | null, number, string, string, number | null]
  >
  readonly #insertActivation: Database.Statement<[number, string, string]>
  readonly #deleteActivation: Database.Statement<[number, string]>
  readonly #setStatus: Database.Statement<[string, number]>
  readonly #setExpiry: Database.Statement<[string, number]>
  readonly outbox: WebhookOutbox

  constructor(db: Database.Database, options: LicenseStoreOptions = {}) {
    this.#db = db
    this.outbox = new WebhookOutbox(db)
    this.#now = options.now ?? Date.now
    this.#byKey = db.prepare('SELECT * FROM licenses WHERE key = ?')
    this.#allRows = db.prepare('SELECT * FROM licenses ORDER BY id')
    this.#domainsOf = db.prepare(
      'SELECT domain FROM activations WHERE license_id = ? ORDER BY activated_at, rowid',
    )
    this.#allDomains = db.prepare(
      'SELECT license_id, domain FROM activations ORDER BY activated_at, rowid',
    )
    this.#hasDomain = db.prepare(
      'SELECT 1 AS found FROM activations WHERE license_id = ? AND domain = ?',
    )
    this.#countOf = db
      .prepare<[number], number>('SELECT COUNT(*) FROM activations WHERE license_id = ?')
      .pluck()
    this.#insertLicense = db.prepare(
      "INSERT INTO licenses (key, status, expires_at, activations_limit, created_at, features, seats) VALUES (?, 'active', ?, ?, ?, ?, ?)",
    )
    this.#insertActivation = db.prepare(
      'INSERT INTO activations (license_id, domain, activated_at) VALUES (?, ?, ?)',
    )
    this.#deleteActivation = db.prepare(
      'DELETE FROM activations WHERE license_id = ? AND domain = ?',
    )
    this.#setStatus = db.prepare('UPDATE licenses SET status = ? WHERE id = ?')
    this.#setExpiry = db.prepare('UPDATE licenses SET expires_at = ? WHERE id = ?')
  }

  #nowIso(): string {
    return new Date(this.#now()).toISOString()
  }

  #row(key: string): LicenseRow {
    const row = this.#byKey.get(key)
    if (!row) throw notFound()
    return row
  }

  #record(row: LicenseRow): IssuedLicense {
    const domains = this.#domainsOf.all(row.id).map((activation) => activation.domain)
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
          if (this.#byKey.get(key)) continue
          this.#insertLicense.run(key, expiresAt, options.limit, createdAt, features, seats)
          keys.push(key)
        }
        return keys
      })
      .immediate()
  }

  get(key: string): IssuedLicense | null {
    const row = this.#byKey.get(key)
    return row ? this.#record(row) : null
  }

  list(): IssuedLicense[] {
    const now = this.#now()
    const domains = new Map<number, string[]>()
    for (const { license_id, domain } of this.#allDomains.all()) {
      const list = domains.get(license_id)
      if (list) list.push(domain)
      else domains.set(license_id, [domain])
    }
    return this.#allRows.all().map((row) => toRecord(row, domains.get(row.id) ?? [], now))
  }

  check(key: string): IssuedLicense {
    return this.#record(this.#usableRow(key))
  }

  activate(key: string, domain: string): ActivationCounts {
    return this.#db
      .transaction((): ActivationCounts => {
        const row = this.#usableRow(key)
        const activationsLimit = row.activations_limit
        const activationsCount = this.#countOf.get(row.id) ?? 0
        if (this.#hasDomain.get(row.id, domain)) return { activationsCount, activationsLimit }
        if (activationsCount >= activationsLimit) {
          throw refusal('limit_reached')
        }
        this.#insertActivation.run(row.id, domain, this.#nowIso())
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
        if (this.#deleteActivation.run(row.id, domain).changes === 0) {
          throw refusal('not_activated')
        }
        this.#emit('license.deactivated', key, domain)
        return { activationsCount: this.#countOf.get(row.id) ?? 0 }
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
          this.#setExpiry.run(new Date(now).toISOString(), row.id)
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
          this.#setStatus.run(status, row.id)
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

import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { IssuedLicenseStatus, StoredStatus } from './records.js'
import { prepareStatements, type Statements, sql } from './statements.js'

/** The `data` of every event the local server sends, as ECOSIRE's license events carry it. */
export interface WebhookEventData {
  licenseKey: string
  status: IssuedLicenseStatus
  domain?: string
}

export type WebhookEventName =
  | 'license.activated'
  | 'license.deactivated'
  | 'license.revoked'
  | 'license.suspended'
  | 'license.reinstated'
  | 'license.expired'

/** The event a change of the stored status sends. */
export const STATUS_EVENTS = {
  active: 'license.reinstated',
  suspended: 'license.suspended',
  revoked: 'license.revoked',
} as const satisfies Record<StoredStatus, WebhookEventName>

export interface OutboxEvent {
  /** Order of the change (the outbox row id). */
  id: number
  /** Sent as the body's `id` and as `X-Ecosire-Delivery`; the same on every retry. */
  deliveryId: string
  event: WebhookEventName
  data: WebhookEventData
  createdAt: string
  attempts: number
  /** ISO-8601; `null` until a delivery failed. */
  nextAttemptAt: string | null
  deliveredAt: string | null
  lastError: string | null
}

interface OutboxRow {
  id: number
  delivery_id: string
  event: WebhookEventName
  data: string
  created_at: string
  attempts: number
  next_attempt_at: string | null
  delivered_at: string | null
  last_error: string | null
}

function toEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    event: row.event,
    data: JSON.parse(row.data) as WebhookEventData,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
  }
}

const OUTBOX_SQL = {
  append: sql<[string, string, string, string]>(
    'INSERT INTO webhook_outbox (delivery_id, event, data, created_at) VALUES (?, ?, ?, ?)',
  ),
  next: sql<[], OutboxRow>(
    'SELECT * FROM webhook_outbox WHERE delivered_at IS NULL ORDER BY id LIMIT 1',
  ),
  delivered: sql<[string, number]>(
    'UPDATE webhook_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?',
  ),
  failed: sql<[string, string, number]>(
    'UPDATE webhook_outbox SET last_error = ?, next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?',
  ),
  recent: sql<[number], OutboxRow>(
    'SELECT * FROM (SELECT * FROM webhook_outbox ORDER BY id DESC LIMIT ?) ORDER BY id',
  ),
}

/**
 * The webhook outbox: every license change appends a row in the transaction that makes the
 * change, so a change and its event are stored together or not at all, whichever process
 * (server or CLI) made it. The sender reads the oldest undelivered row.
 */
export class WebhookOutbox {
  readonly #sql: Statements<typeof OUTBOX_SQL>

  constructor(db: Database.Database) {
    this.#sql = prepareStatements(db, OUTBOX_SQL)
  }

  /** Appends an event; call inside the transaction that makes the change. */
  append(event: WebhookEventName, data: WebhookEventData, createdAt: string): void {
    this.#sql.append.run(`whd_${randomUUID()}`, event, JSON.stringify(data), createdAt)
  }

  /** The oldest event not delivered yet, or `null`. */
  next(): OutboxEvent | null {
    const row = this.#sql.next.get()
    return row ? toEvent(row) : null
  }

  markDelivered(id: number, at: string): void {
    this.#sql.delivered.run(at, id)
  }

  markFailed(id: number, error: string, nextAttemptAt: string): void {
    this.#sql.failed.run(error.slice(0, 500), nextAttemptAt, id)
  }

  /** The last `limit` events, oldest first. */
  recent(limit: number): OutboxEvent[] {
    return this.#sql.recent.all(limit).map(toEvent)
  }
}

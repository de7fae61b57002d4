import type { WebhookOutbox } from './outbox.js'
import type { IssuedLicense } from './records.js'

export interface IssueOptions {
  /** 2–10 uppercase letters or digits. */
  prefix: string
  /** How many domains may hold an activation at once (≥ 1). */
  limit: number
  /** `YYYY-MM-DD` (start of that day, UTC) or an ISO-8601 date-time; `null`/absent: never. */
  expiresAt?: string | null | undefined
  /** Feature names: 1–64 letters, digits, `_ . : -` each, at most 64, no repeats. */
  features?: readonly string[] | undefined
  /** Number of seats, 0–1,000,000; absent or `null`: none. */
  seats?: number | null | undefined
  /** How many keys to issue, 1–1000 (default 1). */
  count?: number | undefined
}

export interface LicenseStoreOptions {
  /** Clock in milliseconds since the epoch, for expiry and timestamps (default `Date.now`). */
  now?: (() => number) | undefined
}

export interface ActivationCounts {
  activationsCount: number
  activationsLimit: number
}

/**
 * Licenses and their activations. Unknown keys throw a `LicenseError` with code `not_found`;
 * actions on a license that is not usable throw `expired`, `suspended` or `revoked`.
 */
export interface LicenseStore {
  issue(options: IssueOptions): string[]
  get(key: string): IssuedLicense | null
  list(): IssuedLicense[]
  check(key: string): IssuedLicense
  /**
   * Gives `domain` a slot. Idempotent: a domain that holds one keeps it and the count stays.
   * Throws `limit_reached` when every slot is taken.
   */
  activate(key: string, domain: string): ActivationCounts
  /**
   * Frees the slot of `domain`, whatever the license's status (a revoked, suspended or expired
   * license's slot is freed too); throws `not_activated` when it holds none (no count changes).
   */
  deactivate(key: string, domain: string): { activationsCount: number }
  revoke(key: string): IssuedLicense
  suspend(key: string): IssuedLicense
  reinstate(key: string): IssuedLicense
  expire(key: string): IssuedLicense
  /** Every change above that changed something, in order, for the webhook sender. */
  readonly outbox: WebhookOutbox
  close(): void
}

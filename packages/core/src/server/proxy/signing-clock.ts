import type { LicenseAction } from '../../protocol.js'

/**
 * Chooses the timestamp of each upstream request so that no signature serves two changes: the
 * signature covers `{key, domain, timestamp}` only, so an `activate` or `deactivate` signed in
 * the same second as an earlier request for that key and domain would carry the same signature,
 * which a replay-checking upstream refuses. A change is signed at least one second after the
 * last request for its key and domain; a `validate` at the current second (repeating one is
 * harmless). Remembers the last 10,000 key/domain pairs; the per-key rate limit keeps a burst of
 * changes from running far ahead of the clock.
 */
export class SigningClock {
  readonly #last = new Map<string, number>()
  readonly #maxEntries: number

  constructor(maxEntries = 10_000) {
    this.#maxEntries = maxEntries
  }

  /** The unix-seconds timestamp to sign `action` with, given the current second. */
  next(action: LicenseAction, key: string, domain: string, nowSeconds: number): number {
    const name = `${key} ${domain}`
    const last = this.#last.get(name)
    const timestamp =
      action === 'validate' || last === undefined ? nowSeconds : Math.max(nowSeconds, last + 1)
    this.#last.delete(name)
    this.#last.set(name, Math.max(timestamp, last ?? timestamp))
    if (this.#last.size > this.#maxEntries) {
      const oldest = this.#last.keys().next()
      if (!oldest.done) this.#last.delete(oldest.value)
    }
    return timestamp
  }
}

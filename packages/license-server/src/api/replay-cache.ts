import type { LicenseAction } from '@licensekit/core'

export interface ReplayCacheOptions {
  /** How long a signature stays replayable, in seconds: the timestamp window on either side. */
  windowSeconds: number
  /** Most signatures remembered at once (default 100,000); past it the oldest are forgotten. */
  maxEntries?: number
}

/**
 * Remembers the signatures accepted within the timestamp window, so a captured request cannot
 * be replayed to another action (a `validate` sent again to `/deactivate` or `/activate`) or
 * repeat a change. A repeated `validate` is let through: it changes nothing, and two checks of
 * one license in the same second legitimately carry the same signature. An entry lives until
 * its timestamp leaves the window (after which the timestamp check refuses it anyway); nothing
 * is written to disk.
 */
export class ReplayCache {
  readonly #windowSeconds: number
  readonly #maxEntries: number
  /** Signature → unix second after which its timestamp is outside the window. */
  readonly #expiry = new Map<string, number>()

  constructor(options: ReplayCacheOptions) {
    this.#windowSeconds = options.windowSeconds
    this.#maxEntries = options.maxEntries ?? 100_000
  }

  get size(): number {
    return this.#expiry.size
  }

  /** Records an accepted signature; `false` when it is a replay this action must refuse. */
  admit(signature: string, action: LicenseAction, timestamp: number, nowSeconds: number): boolean {
    this.#sweep(nowSeconds)
    if (this.#expiry.has(signature)) return action === 'validate'
    this.#expiry.set(signature, timestamp + this.#windowSeconds)
    if (this.#expiry.size > this.#maxEntries) {
      const oldest = this.#expiry.keys().next()
      if (!oldest.done) this.#expiry.delete(oldest.value)
    }
    return true
  }

  /** Drops expired entries from the oldest end (insertion order is close to timestamp order). */
  #sweep(nowSeconds: number): void {
    for (const [signature, expiresAt] of this.#expiry) {
      if (expiresAt >= nowSeconds) return
      this.#expiry.delete(signature)
    }
  }
}

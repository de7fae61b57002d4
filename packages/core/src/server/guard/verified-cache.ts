/** Verified tokens, kept until their `exp`; the oldest entry goes first when it is full. */
export class VerifiedTokenCache<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** The value for `token` while `now` (ms) is before its expiry, else undefined. */
  get(token: string, now: number): T | undefined {
    const entry = this.#entries.get(token)
    if (!entry) return undefined
    if (now >= entry.expiresAt) {
      this.#entries.delete(token)
      return undefined
    }
    return entry.value
  }

  set(token: string, value: T, expiresAt: number): void {
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(token, { value, expiresAt })
  }

  get size(): number {
    return this.#entries.size
  }
}

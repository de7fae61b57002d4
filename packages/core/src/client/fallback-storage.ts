import type { LicenseStorage } from './storage.js'

/**
 * Wraps a storage so that it never throws: every value is mirrored in memory, and after the first
 * failure (private mode, quota, a blocked database) the client carries on from memory alone.
 * The failure is reported once through `onError`. Change events are the primary storage's.
 */
export class FallbackStorage implements LicenseStorage {
  readonly #primary: LicenseStorage
  readonly #memory = new Map<string, unknown>()
  readonly #onError: (error: unknown) => void
  /** True once the primary storage failed and memory took over. */
  #failed = false
  readonly subscribe: LicenseStorage['subscribe']

  constructor(primary: LicenseStorage, onError: (error: unknown) => void) {
    this.#primary = primary
    this.#onError = onError
    this.subscribe = primary.subscribe?.bind(primary)
  }

  async get(key: string): Promise<unknown> {
    if (!this.#failed) {
      try {
        this.#memory.set(key, await this.#primary.get(key))
      } catch (error) {
        this.#fail(error)
      }
    }
    return this.#memory.get(key)
  }

  async set(key: string, value: unknown): Promise<void> {
    this.#memory.set(key, value)
    if (this.#failed) return
    try {
      await this.#primary.set(key, value)
    } catch (error) {
      this.#fail(error)
    }
  }

  async del(key: string): Promise<void> {
    this.#memory.delete(key)
    if (this.#failed) return
    try {
      await this.#primary.del(key)
    } catch (error) {
      this.#fail(error)
    }
  }

  #fail(error: unknown): void {
    this.#failed = true
    this.#onError(error)
  }
}

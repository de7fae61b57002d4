import { LicenseError } from '../errors/license-error.js'
import type { LicenseKeyFormat } from '../keys/key-format.js'
import type { LicenseMode } from './options.js'
import { createRecord, type LicenseRecord, parseLicenseRecord } from './record.js'
import type { LicenseStorage } from './storage.js'

/**
 * The stored record of one endpoint, held in memory once read. `generation` counts the changes
 * of its meaning (a read, a commit): an answer to a request started under another generation is
 * stale. Raising the clock high-water mark is not such a change.
 */
export class RecordCache {
  readonly #storage: LicenseStorage
  readonly #key: string
  readonly #onError: (error: unknown) => void
  /** The stored value as a record of this cache's mode and key format, or null. */
  readonly #parse: (raw: unknown) => LicenseRecord | null
  #record: LicenseRecord | null = null
  #generation = 0
  #reads = 0
  #loaded: Promise<void> | null = null

  constructor(
    storage: LicenseStorage,
    key: string,
    mode: LicenseMode,
    onError: (error: unknown) => void,
    format?: LicenseKeyFormat,
  ) {
    this.#storage = storage
    this.#key = key
    this.#onError = onError
    this.#parse = (raw) => parseLicenseRecord(raw, mode, format)
  }

  get current(): LicenseRecord | null {
    return this.#record
  }

  get generation(): number {
    return this.#generation
  }

  /** Reads the stored record once; later calls wait for the latest read. */
  load(): Promise<void> {
    this.#loaded ??= this.#read()
    return this.#loaded
  }

  /** Reads the stored record again (at start, or when another tab says it changed it). */
  reload(): Promise<void> {
    this.#loaded = this.#read()
    return this.#loaded
  }

  /**
   * Calls `onChange` when another tab changed the stored record, for a storage that reports it
   * (`LicenseStorage.subscribe`); returns the unsubscribe.
   */
  watch(onChange: () => void): () => void {
    const unsubscribe = this.#storage.subscribe?.((key) => {
      if (key === null || key === this.#key) onChange()
    })
    return unsubscribe ?? (() => {})
  }

  /** Replaces the record (null: removes it) and stores it. */
  async commit(next: LicenseRecord | null): Promise<void> {
    this.#set(next)
    if (next === null) await this.#storage.del(this.#key)
    else await this.#storage.set(this.#key, next)
  }

  /**
   * Raises the stored clock high-water mark to the device's own time `at` (when later), while
   * the record is still the one of `generation`, so setting the clock back later (past the
   * tolerance) cannot make an old grant look young again.
   */
  async raiseMark(at: number, generation: number): Promise<void> {
    const record = this.#record
    if (record === null || generation !== this.#generation || at <= record.highWaterMark) return
    this.#record = createRecord({ ...record, highWaterMark: at })
    await this.#storage.set(this.#key, this.#record)
  }

  /** Dropped when a commit, or a read started later, came first: the latest read wins. */
  async #read(): Promise<void> {
    const generation = this.#generation
    const read = ++this.#reads
    const raw = await this.#storage.get(this.#key)
    if (generation !== this.#generation || read !== this.#reads) return
    const parsed = this.#parse(raw)
    if (parsed === null && raw != null) {
      this.#onError(
        new LicenseError('invalid_payload', 'Ignored a stored license record that is not valid'),
      )
    }
    this.#set(parsed)
  }

  #set(next: LicenseRecord | null): void {
    this.#record = next
    this.#generation++
  }
}

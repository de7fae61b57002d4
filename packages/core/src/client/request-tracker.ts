/**
 * Counts the requests in flight and says when the client starts and stops checking, so
 * `isChecking` follows the requests themselves and no caller has to re-sync it.
 */
export class RequestTracker {
  readonly #onChange: (checking: boolean) => void
  #inFlight = 0

  constructor(onChange: (checking: boolean) => void) {
    this.#onChange = onChange
  }

  get checking(): boolean {
    return this.#inFlight > 0
  }

  /** Runs `work` as one request: `checking` from before it starts until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    if (++this.#inFlight === 1) this.#onChange(true)
    try {
      return await work()
    } finally {
      if (--this.#inFlight === 0) this.#onChange(false)
    }
  }
}

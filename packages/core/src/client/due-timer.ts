import { MAX_TIMEOUT_MS } from './schedule.js'
import type { VisibilitySource } from './visibility.js'

/** Least time between two checks started because the page became visible. */
export const VISIBILITY_THROTTLE_MS = 60_000

/**
 * Calls `onDue` once the due time is reached. The wait is a chain of timeouts, each at most
 * 2^31 − 1 ms, so a 30-day interval does not fire at once. While the page is hidden no timer runs
 * at all; when it becomes visible and the check is due, `onDue` runs once (throttled).
 * When `armed` is false (a follower tab) no timer runs either, but a due check on becoming
 * visible still happens.
 */
export class DueTimer {
  readonly #now: () => number
  readonly #visibility: VisibilitySource
  readonly #onDue: () => void
  #dueAt: number | null = null
  #armed = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #unsubscribe: (() => void) | undefined
  #lastVisibleCheck = Number.NEGATIVE_INFINITY

  constructor(now: () => number, visibility: VisibilitySource, onDue: () => void) {
    this.#now = now
    this.#visibility = visibility
    this.#onDue = onDue
  }

  start(): void {
    this.#unsubscribe ??= this.#visibility.subscribe(() => this.#onVisibilityChange())
    this.#arm()
  }

  /** Stops listening and clears the due time; the timer is disarmed until `setArmed(true)`. */
  stop(): void {
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
    this.#dueAt = null
    this.#armed = false
    this.#clear()
  }

  /** Sets (or, with null, clears) the time of the next check. */
  schedule(dueAt: number | null): void {
    this.#dueAt = dueAt
    this.#arm()
  }

  /** Whether this timer runs timeouts (the heartbeat tab) or only reacts to visibility. */
  setArmed(armed: boolean): void {
    this.#armed = armed
    this.#arm()
  }

  get dueAt(): number | null {
    return this.#dueAt
  }

  /** Shown and due: check at once (throttled); else the timer follows the new visibility. */
  #onVisibilityChange(): void {
    if (this.#unsubscribe === undefined) return
    const now = this.#now()
    if (
      this.#visibility.isVisible() &&
      this.#dueAt !== null &&
      now >= this.#dueAt &&
      now - this.#lastVisibleCheck >= VISIBILITY_THROTTLE_MS
    ) {
      this.#lastVisibleCheck = now
      this.#fire()
      return
    }
    this.#arm()
  }

  #arm(): void {
    this.#clear()
    if (
      !this.#armed ||
      this.#dueAt === null ||
      this.#unsubscribe === undefined ||
      !this.#visibility.isVisible()
    ) {
      return
    }
    const delay = Math.min(Math.max(Math.ceil(this.#dueAt - this.#now()), 0), MAX_TIMEOUT_MS)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      if (this.#dueAt !== null && this.#now() >= this.#dueAt) this.#fire()
      else this.#arm()
    }, delay)
  }

  #fire(): void {
    this.#clear()
    this.#dueAt = null
    this.#onDue()
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}

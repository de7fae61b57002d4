import { DueTimer } from './due-timer.js'
import type { LiveEventStream } from './live-events.js'
import type { ResolvedOptions } from './options.js'
import type { LicenseRecord } from './record.js'
import { hasPending } from './record-transitions.js'
import { backoffDelay, heartbeatDelay } from './schedule.js'
import { canValidate } from './state-rules.js'
import type { TabHintKind } from './tab-sync.js'
import type { ProxyOutcome } from './transport.js'
import type { LicenseState } from './types.js'
import type { VisibilitySource } from './visibility.js'

export type HeartbeatOptions = Pick<
  ResolvedOptions,
  'mode' | 'heartbeatIntervalMs' | 'now' | 'random'
>

export interface HeartbeatSources {
  visibility: VisibilitySource
  /** The live event stream, told to `onDue` on an event; default none. */
  events?: ((onEvent: () => void) => LiveEventStream | null) | undefined
}

/**
 * When the client checks with the proxy next: owns the due timer, the run of unreachable
 * answers, the proxy's last `Retry-After`, the time of the last attempt, and on the leader tab
 * the live event stream that can make a check due at once.
 */
export class Heartbeat {
  readonly #options: HeartbeatOptions
  readonly #timer: DueTimer
  readonly #events: LiveEventStream | null
  #running = false
  #leader = false
  #failures = 0
  #retryAfter: number | undefined
  #lastAttemptAt = 0

  /** `onDue` runs when a check is due: by timer never while the page is hidden, by event at once. */
  constructor(options: HeartbeatOptions, sources: HeartbeatSources, onDue: () => void) {
    this.#options = options
    this.#timer = new DueTimer(options.now, sources.visibility, onDue)
    this.#events = sources.events?.(onDue) ?? null
  }

  /** True while the last answers were unreachable. */
  get failing(): boolean {
    return this.#failures > 0
  }

  /** True while this tab leads, from `lead()` to `stop()`. */
  get leader(): boolean {
    return this.#leader
  }

  get dueAt(): number | null {
    return this.#timer.dueAt
  }

  start(): void {
    this.#running = true
    this.#timer.start()
  }

  stop(): void {
    this.#running = this.#leader = false
    this.#timer.stop()
    this.#events?.follow(null)
  }

  /**
   * This tab leads until `stop()`: only the leader tab runs timeouts and holds the event stream
   * (opened at the next `reschedule`); the others still check when shown and due.
   */
  lead(): void {
    this.#leader = true
    this.#timer.setArmed(true)
  }

  attempted(at: number): void {
    this.#lastAttemptAt = at
  }

  /**
   * Another tab had a definite answer (the backoff ends) or found the proxy unreachable (back off
   * at least as if this one had).
   */
  peerAnswered(kind: TabHintKind): void {
    this.#failures = kind === 'definite' ? 0 : Math.max(this.#failures, 1)
  }

  /** Counts an answer: unreachable extends the backoff, anything else ends it. */
  answered(outcome: ProxyOutcome): void {
    if (outcome.kind === 'unreachable') {
      this.#failures++
      this.#retryAfter = outcome.error.retryAfter
    } else this.#failures = 0
  }

  /** Makes a check due at `at` (e.g. at once, for a hidden tab once it is shown). */
  dueBy(at: number): void {
    if (this.#running) this.#timer.schedule(at)
  }

  /**
   * Schedules the next check for `record` and follows the live events `state` calls for. The
   * check is due: while unreachable, a backoff after the last attempt; with a deactivation owed
   * or no answer yet, now; else one interval after the answer arrived. Never after the end of
   * the grace being shown.
   */
  reschedule(
    record: LicenseRecord | null,
    state: Pick<LicenseState, 'status' | 'graceEndsAt'>,
  ): void {
    if (!this.#running) return
    const { mode, heartbeatIntervalMs, random } = this.#options
    const { status, graceEndsAt } = state
    this.#events?.follow({ leader: this.#leader, mode, record, status })
    const pending = hasPending(record)
    if (!canValidate(record, mode) && !pending) {
      this.#timer.schedule(null)
      return
    }
    const now = this.#options.now()
    const checkedAt = record?.checkedAt ?? null
    let dueAt = now
    if (this.#failures > 0) {
      dueAt = this.#lastAttemptAt + backoffDelay(this.#failures, this.#retryAfter, random)
    } else if (!pending && checkedAt !== null) {
      const age = Math.max(0, now - (record?.receivedAt ?? Date.parse(checkedAt)))
      dueAt += heartbeatDelay(heartbeatIntervalMs, age, random)
    }
    this.#timer.schedule(graceEndsAt === null ? dueAt : Math.min(dueAt, Date.parse(graceEndsAt)))
  }
}

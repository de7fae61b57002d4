import type { LicenseErrorCode } from '../errors/codes.js'
import type { PendingDeactivation } from './record.js'
import type { ProxyOutcome } from './transport.js'

/** Deactivation refusals that mean the slot is not held (any more): the entry is settled anyway. */
export const SLOT_NOT_HELD: ReadonlySet<LicenseErrorCode> = new Set([
  'not_found',
  'not_activated',
  'expired',
  'suspended',
  'revoked',
])

export interface PendingDeactivationsOptions {
  /** The deactivations still to send, in order. */
  entries: () => readonly PendingDeactivation[]
  send: (entry: PendingDeactivation) => Promise<ProxyOutcome>
  /** Called with the entries the proxy settled (freed, or not held), before the flush ends. */
  onSettled: (settled: readonly PendingDeactivation[]) => Promise<void>
  /** Told about every answer (the heartbeat's backoff follows them). */
  onAnswer: (outcome: ProxyOutcome) => void
  /** Told about refusals that settle an entry without freeing a slot we know of. */
  onError: (error: unknown) => void
}

/**
 * The queue of deactivations the proxy has not confirmed. `flush()` sends them one by one and
 * stops at the first unreachable answer; concurrent calls share one flush.
 */
export class PendingDeactivations {
  readonly #options: PendingDeactivationsOptions
  #flight: Promise<void> | null = null

  constructor(options: PendingDeactivationsOptions) {
    this.#options = options
  }

  flush(): Promise<void> {
    this.#flight ??= this.#send().finally(() => {
      this.#flight = null
    })
    return this.#flight
  }

  async #send(): Promise<void> {
    const { entries, send, onSettled, onAnswer, onError } = this.#options
    const settled: PendingDeactivation[] = []
    for (const entry of entries()) {
      const outcome = await send(entry)
      onAnswer(outcome)
      if (outcome.kind === 'unreachable') break
      if (outcome.kind === 'failure' && !SLOT_NOT_HELD.has(outcome.error.code)) {
        onError(outcome.error)
      }
      settled.push(entry)
    }
    if (settled.length > 0) await onSettled(settled)
  }
}

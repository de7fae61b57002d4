import type { LicenseAction, ProxyRequestBody } from '../protocol.js'
import type { ResolvedOptions } from './options.js'
import type { LicenseRecord } from './record.js'
import type { StateContent } from './state-rules.js'
import type { ProxyOutcome } from './transport.js'
import type { GatingClient, LicenseState } from './types.js'

/**
 * What the key commands (`licenseActions`) need of a client built here; kept out of the public
 * type, so a gating page that never activates ships none of the commands.
 */
export interface ClientInternals {
  readonly options: ResolvedOptions
  /** Reads the stored record, once. */
  load(): Promise<void>
  /** The stored record as it is now. */
  current(): LicenseRecord | null
  /** A request to the proxy, counted in `isChecking` and as the heartbeat's last attempt. */
  request(action: LicenseAction, body: ProxyRequestBody): Promise<ProxyOutcome>
  /** Tells the heartbeat how the proxy answered. */
  answered(outcome: ProxyOutcome): void
  /** Commits `next` (when given), tells the other tabs, publishes `state`, reschedules. */
  apply(state: StateContent, next?: LicenseRecord | null): Promise<LicenseState>
  /** Sends the queued deactivations (single flight). */
  flushPending(): Promise<void>
  /** The state of `record` without a key to check. */
  withoutKey(record: LicenseRecord | null, at: number): StateContent
}

/**
 * The key under which a client from `createGatingClient` carries its internals: a symbol, so
 * it stays out of the public type, and an own property, so a copy (`{ ...client, start }`)
 * keeps it.
 */
export const clientInternals: unique symbol = Symbol('licensekit.internals')

/** The internals `client` carries, if it was built by `createGatingClient` (or copied from one). */
export function internalsOf(client: GatingClient): ClientInternals | undefined {
  return (client as { [clientInternals]?: ClientInternals })[clientInternals]
}

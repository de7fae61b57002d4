import type { LicenseAction, ProxyRequestBody } from '../protocol.js'
import type { Heartbeat } from './heartbeat.js'
import type { ResolvedOptions } from './options.js'
import type { PendingDeactivations } from './pending-deactivations.js'
import type { LicenseRecord } from './record.js'
import type { RecordCache } from './record-cache.js'
import type { StateReader } from './state-reader.js'
import type { StateContent } from './state-rules.js'
import type { ProxyOutcome } from './transport.js'
import type { GatingClient, LicenseState } from './types.js'

/**
 * What the key commands (`licenseActions`) need of a client built here; kept out of the public
 * type, so a gating page that never activates ships none of the commands.
 */
export interface ClientInternals {
  readonly options: ResolvedOptions
  /** The stored record. */
  readonly cache: RecordCache
  /** Told how the proxy answered. */
  readonly heartbeat: Heartbeat
  /** The queued deactivations. */
  readonly pending: PendingDeactivations
  /** States of records without a key to check. */
  readonly reader: StateReader
  /** A request to the proxy, counted in `isChecking` and as the heartbeat's last attempt. */
  request(action: LicenseAction, body: ProxyRequestBody): Promise<ProxyOutcome>
  /** Commits `next` (when given), tells the other tabs, publishes `state`, reschedules. */
  apply(state: StateContent, next?: LicenseRecord | null): Promise<LicenseState>
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

import type { TabCoordinator } from './coordinator.js'
import type { TabHandlers } from './lifecycle.js'
import type { LiveEventStream } from './live-events.js'
import type { OnlineSource } from './online.js'
import type { ResolvedOptions } from './options.js'
import type { RecordCache } from './record-cache.js'
import type { SnapshotStore } from './snapshot-store.js'
import type { StateReader } from './state-reader.js'
import type { ProxyTransport } from './transport.js'
import type { VisibilitySource } from './visibility.js'

/** What `DefaultLicenseClient` is built from; `createLicenseClient` wires the real ones. */
export interface LicenseClientParts {
  options: ResolvedOptions
  cache: RecordCache
  store: SnapshotStore
  send: ProxyTransport
  visibility: VisibilitySource
  online: OnlineSource
  /** Reads states out of stored records (its receipt audience follows the binding). */
  reader: StateReader
  /** Opens the leader tab's event stream (`onEvent` asks for one validation); none without live events. */
  events?: ((onEvent: () => void) => LiveEventStream | null) | undefined
  /** Creates the coordinator of one running period (from the first `start()` to the last `stop()`). */
  tabs: (handlers: TabHandlers) => TabCoordinator
}

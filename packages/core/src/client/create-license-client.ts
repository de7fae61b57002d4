import { defaultChannel, defaultLocks, TabCoordinator } from './coordinator.js'
import { FallbackStorage } from './fallback-storage.js'
import { licenseActions } from './key-actions.js'
import { DefaultLicenseClient } from './license-client.js'
import { windowOnline } from './online.js'
import { type LicenseClientOptions, resolveOptions } from './options.js'
import { recordKeyFor } from './record.js'
import { RecordCache } from './record-cache.js'
import { SnapshotStore } from './snapshot-store.js'
import { StateReader } from './state-reader.js'
import { createProxyTransport } from './transport.js'
import type { GatingClient, LicenseClient } from './types.js'
import { documentVisibility } from './visibility.js'

/**
 * Creates the browser license client for one proxy endpoint, with the key commands
 * (`activate`, `deactivate`). Throws `LicenseError('invalid_config')` for an option out of
 * range. Call `start()` to read the cache and begin the heartbeat; it may be called before any
 * rendering (at module load), so the stored record is read as early as possible.
 */
export function createLicenseClient(input: LicenseClientOptions): LicenseClient {
  const client = createGatingClient(input)
  return Object.assign(client, licenseActions(client))
}

/**
 * The same client without the key commands, for pages that only gate: `licenseActions(client)`
 * adds them where a key is entered or removed, and only that code ships them. The opt-ins
 * (`binding: deviceBinding()`, `events: liveEvents()`) are wired here; without them their code
 * is not part of the app.
 */
export function createGatingClient(input: LicenseClientOptions): GatingClient {
  const options = resolveOptions(input)
  const { mode, onError, keyFormat, domain, endpoint, random, events, locks } = options
  const name = recordKeyFor(endpoint, mode)
  const storage = new FallbackStorage(options.storage, onError)
  const bound = options.binding?.({ mode, storage, domain, locks })
  const transport = createProxyTransport(options)
  return new DefaultLicenseClient({
    options,
    cache: new RecordCache(storage, name, mode, onError, keyFormat),
    store: new SnapshotStore(options.initialState),
    send: bound === undefined ? transport : bound.send(transport),
    reader: new StateReader(options, bound?.audience ?? (async () => domain)),
    visibility: options.visibility ?? documentVisibility(),
    online: options.online ?? windowOnline(),
    events: events && ((onEvent) => events({ endpoint, random, onEvent, onError })),
    tabs: (handlers) =>
      new TabCoordinator({
        name,
        locks: locks === undefined ? defaultLocks() : locks,
        channel: options.channel === undefined ? defaultChannel() : options.channel,
        onError,
        ...handlers,
      }),
  })
}

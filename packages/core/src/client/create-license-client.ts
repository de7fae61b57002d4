import { defaultChannel, defaultLocks, TabCoordinator } from './coordinator.js'
import { deviceBoundTransport, deviceIdSource, receiptAudience } from './device-id.js'
import { FallbackStorage } from './fallback-storage.js'
import { DefaultLicenseClient } from './license-client.js'
import { LiveEvents, NO_LIVE_EVENTS } from './live-events.js'
import { windowOnline } from './online.js'
import { type LicenseClientOptions, resolveOptions } from './options.js'
import { recordKeyFor } from './record.js'
import { RecordCache } from './record-cache.js'
import { SnapshotStore } from './snapshot-store.js'
import { StateReader } from './state-reader.js'
import { createProxyTransport } from './transport.js'
import type { LicenseClient } from './types.js'
import { documentVisibility } from './visibility.js'

/**
 * Creates the browser license client for one proxy endpoint. Throws `LicenseError('invalid_config')`
 * for an option out of range. Call `start()` to read the cache and begin the heartbeat; it may be
 * called before any rendering (at module load), so the stored record is read as early as possible.
 * Under `binding: 'device'` the device id is kept in the same storage as the record.
 */
export function createLicenseClient(input: LicenseClientOptions): LicenseClient {
  const options = resolveOptions(input)
  const { mode, onError, keyFormat } = options
  const name = recordKeyFor(options.endpoint, mode)
  const { endpoint, eventSource, random } = options
  const storage = new FallbackStorage(options.storage, onError)
  const device = options.binding === 'device' ? deviceIdSource(storage) : null
  const transport = createProxyTransport(options)
  return new DefaultLicenseClient({
    options,
    cache: new RecordCache(storage, name, mode, onError, keyFormat),
    store: new SnapshotStore(options.initialState),
    send: device === null ? transport : deviceBoundTransport(transport, device),
    reader: new StateReader(options, receiptAudience(options.domain, device)),
    visibility: options.visibility ?? documentVisibility(),
    online: options.online ?? windowOnline(),
    events: (onEvent) =>
      eventSource === null
        ? NO_LIVE_EVENTS
        : new LiveEvents({ endpoint, EventSource: eventSource, random, onEvent, onError }),
    tabs: (handlers) =>
      new TabCoordinator({
        name,
        locks: options.locks === undefined ? defaultLocks() : options.locks,
        channel: options.channel === undefined ? defaultChannel() : options.channel,
        onError,
        ...handlers,
      }),
  })
}

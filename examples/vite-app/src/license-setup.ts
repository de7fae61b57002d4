import { createLicenseClient, createWebStorage, type LicenseClient } from '@licensekit/core'
import { deviceBinding } from '@licensekit/core/device'
import { liveEvents } from '@licensekit/core/live'
import { verifyReceipts } from '@licensekit/core/receipts'
import { DEMO_KEY_FORMAT, type DemoClientConfig, readClientConfig } from './config.js'

/** The demo's configuration, injected into the page by the server; null when it is missing. */
export const config: DemoClientConfig | null = readClientConfig(document)

/**
 * Where the client keeps its record: localStorage, which is read without opening a database, so
 * on a reload the cached license is verified and published before React's first render and the
 * licensed features are in its first commit. Building with `VITE_LICENSEKIT_STORAGE=indexeddb`
 * keeps the client's default, IndexedDB, whose open and read finish after that first commit
 * (`pnpm bench:warm-start` builds and measures both).
 */
const storage =
  import.meta.env.VITE_LICENSEKIT_STORAGE === 'indexeddb' ? undefined : createWebStorage()

/**
 * The license client, created and started when this module is evaluated. `main.tsx` imports this
 * module before React, so the stored record is read and its token checked before React renders;
 * the provider's own start/stop are counted with this one and never stop it.
 */
export const client: LicenseClient | null =
  config === null
    ? null
    : createLicenseClient({
        endpoint: config.endpoint,
        domain: config.domain,
        heartbeatIntervalMs: config.heartbeatIntervalMs,
        events: config.liveEvents ? liveEvents() : undefined,
        binding: config.binding === 'device' ? deviceBinding() : 'site',
        keyFormat: DEMO_KEY_FORMAT,
        storage,
        ...(config.receiptPublicJwk ? { receipts: verifyReceipts(config.receiptPublicJwk) } : {}),
      })
client?.start()

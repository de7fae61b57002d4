import { createLicenseClient, type LicenseClient } from '@licensekit/core'
import { deviceBinding } from '@licensekit/core/device'
import { liveEvents } from '@licensekit/core/live'
import { verifyReceipts } from '@licensekit/core/receipts'
import { DEMO_KEY_FORMAT, type DemoClientConfig, readClientConfig } from './config.js'

/** The demo's configuration, injected into the page by the server; null when it is missing. */
export const config: DemoClientConfig | null = readClientConfig(document)

/**
 * The license client, created and started when this module is evaluated. `main.tsx` imports this
 * module before React, so IndexedDB opens while React loads and renders; the provider's own
 * start/stop are counted with this one and never stop it.
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
        ...(config.receiptPublicJwk ? { receipts: verifyReceipts(config.receiptPublicJwk) } : {}),
      })
client?.start()

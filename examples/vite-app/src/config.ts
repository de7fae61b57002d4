import type { LicenseBinding, LicenseKeyFormat } from '@licensekit/core'

/** The demo's keys: `DEMO-XXXX-XXXX-XXXX-XXXX`, given to the client, the proxy and the error words. */
export const DEMO_KEY_FORMAT: LicenseKeyFormat = { prefix: 'DEMO', groups: 4 }

/**
 * The client configuration the server side injects into `index.html` as
 * `<script type="application/json" id="licensekit-config">`: public values only, so the app
 * starts without an extra request. The secret and the receipt private key never appear here.
 */
export interface DemoClientConfig {
  /** Where the proxy is mounted, e.g. `/api/license`. */
  endpoint: string
  /** The domain the proxy binds activations to (shown on the settings page). */
  domain: string
  /** How often an open tab re-validates, in milliseconds. */
  heartbeatIntervalMs: number
  /** The receipt public key (P-256 JWK), or `null` when receipts are off. */
  receiptPublicJwk: JsonWebKey | null
  /** Whether the proxy serves live license events (`/events`): the client then listens. */
  liveEvents: boolean
  /** What one activation slot is, the same as the proxy's `binding`. */
  binding: LicenseBinding
}

export const CONFIG_ELEMENT_ID = 'licensekit-config'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Checks the shape of a parsed configuration; `null` when it is not a `DemoClientConfig`. */
export function parseClientConfig(value: unknown): DemoClientConfig | null {
  if (!isObject(value)) return null
  const { endpoint, domain, heartbeatIntervalMs, receiptPublicJwk, liveEvents, binding } = value
  if (typeof endpoint !== 'string' || !endpoint.startsWith('/')) return null
  if (typeof domain !== 'string' || domain === '') return null
  if (typeof heartbeatIntervalMs !== 'number' || !(heartbeatIntervalMs > 0)) return null
  if (receiptPublicJwk !== null && !isObject(receiptPublicJwk)) return null
  if (isObject(receiptPublicJwk) && 'd' in receiptPublicJwk) return null
  if (typeof liveEvents !== 'boolean') return null
  if (binding !== 'site' && binding !== 'device') return null
  return {
    endpoint,
    domain,
    heartbeatIntervalMs,
    receiptPublicJwk: receiptPublicJwk as JsonWebKey | null,
    liveEvents,
    binding,
  }
}

/** Reads the injected configuration from the page; `null` when it is missing or malformed. */
export function readClientConfig(doc: Document): DemoClientConfig | null {
  const text = doc.getElementById(CONFIG_ELEMENT_ID)?.textContent
  if (!text) return null
  try {
    return parseClientConfig(JSON.parse(text))
  } catch {
    return null
  }
}

import { LOADING_STATE as LOADING } from '../../client/snapshot-store.js'
import type { LicenseState } from '../../client/types.js'
import { LicenseError } from '../../errors/license-error.js'
import type { ProxySuccess } from '../../protocol.js'
import { ProxyRejection } from './responses.js'

/** The validation a proxy runs for `getLicenseState`: installation mode, no HTTP. */
export type StateReader = (request: Request) => Promise<ProxySuccess>

interface Registration {
  reader: StateReader
  now: () => number
  log: (line: string) => void
}

const readers = new WeakMap<object, Registration>()

/** Called by `createLicenseProxy` for an installation-mode proxy. */
export function registerStateReader(proxy: object, registration: Registration): void {
  readers.set(proxy, registration)
}

/** Codes the browser client treats as "unreachable": the first paint then stays `loading`. */
const UNREACHABLE = new Set(['rate_limited', 'upstream_misconfigured', 'upstream_unavailable'])

/** The state a validation outcome gives, as the browser client derives it from the same answer. */
export function stateFromOutcome(
  outcome: ProxySuccess | ProxyRejection,
  now: string,
): LicenseState {
  if (outcome instanceof ProxyRejection) {
    if (UNREACHABLE.has(outcome.code)) return LOADING
    return { ...LOADING, status: 'denied', reason: outcome.code, source: 'server', checkedAt: now }
  }
  return {
    ...LOADING,
    status: outcome.license === null ? 'unlicensed' : 'active',
    license: outcome.license,
    source: 'server',
    checkedAt: outcome.checkedAt,
  }
}

/**
 * The `LicenseState` for `request`, for a server-rendered first paint: runs the proxy's own
 * validation (its `resolveKey`, `domain` and upstream call) without an HTTP round trip to
 * itself. Pass the result to the client's `initialState`. Installation mode only: a device-mode
 * proxy (no `resolveKey`) or anything else throws `LicenseError('invalid_config')`. When the
 * license API cannot be reached the state is `loading`, so the browser checks for itself.
 */
export async function getLicenseState(proxy: object, request: Request): Promise<LicenseState> {
  const entry = readers.get(proxy)
  if (!entry) {
    throw new LicenseError(
      'invalid_config',
      'getLicenseState: pass an installation-mode proxy from createLicenseProxy (with resolveKey)',
    )
  }
  const now = () => new Date(entry.now()).toISOString()
  try {
    return stateFromOutcome(await entry.reader(request), now())
  } catch (error) {
    if (error instanceof ProxyRejection) return stateFromOutcome(error, now())
    entry.log(
      `licensekit proxy: getLicenseState failed (${error instanceof Error ? error.name : typeof error})`,
    )
    return LOADING
  }
}

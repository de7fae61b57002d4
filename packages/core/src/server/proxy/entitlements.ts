import { type EntitlementMap, parseEntitlements } from '../../entitlements/entitlements.js'
import { type ActionContext, runHook } from './action-context.js'
import { reject } from './responses.js'
import type { UpstreamLicense } from './upstream.js'

/** The upstream's `license` object, with `status` and `expiresAt` as the proxy read them. */
export interface UpstreamLicenseDocument {
  readonly status: string
  readonly expiresAt: string | null
  /** The local license server's extension: feature names. */
  readonly features?: unknown
  /** The local license server's extension: the number of seats. */
  readonly seats?: unknown
  readonly [field: string]: unknown
}

/** Computes a license's entitlements from the upstream answer. */
export type EntitlementsResolver = (
  license: UpstreamLicenseDocument,
) => EntitlementMap | Promise<EntitlementMap>

/** `features: string[]` → `{<name>: true}`, `seats: N` → `{seats: N}`; anything else is ignored. */
export function defaultEntitlements(
  license: Pick<UpstreamLicenseDocument, 'features' | 'seats'>,
): EntitlementMap {
  const entitlements: Record<string, boolean | number> = {}
  if (Array.isArray(license.features)) {
    for (const name of license.features) if (typeof name === 'string') entitlements[name] = true
  }
  if (Number.isSafeInteger(license.seats) && (license.seats as number) >= 0) {
    entitlements.seats = license.seats as number
  }
  return entitlements
}

/**
 * Runs the app's `entitlements` option (or the default) on a confirmed license. A value that
 * is not a map of booleans and numbers is the app's bug: the operator gets a log line and the
 * browser `upstream_misconfigured`, never a token with unchecked claims.
 */
export function entitlementsOf(
  context: ActionContext,
  license: UpstreamLicense,
): EntitlementMap | Promise<EntitlementMap> {
  const resolve = context.options.entitlements
  // The default reads only `features` and `seats`: no copy of the document, no promise.
  if (resolve === defaultEntitlements)
    return checked(context, defaultEntitlements(license.document))
  return runHook(context, 'entitlements', () =>
    resolve({ ...license.document, status: license.status, expiresAt: license.expiresAt }),
  ).then((value) => checked(context, value))
}

function checked(context: ActionContext, value: unknown): EntitlementMap {
  const entitlements = parseEntitlements(value)
  if (entitlements === null) {
    context.options.log(
      'licensekit proxy: entitlements returned something other than a map of booleans and numbers',
    )
    throw reject('upstream_misconfigured', 'The license proxy is misconfigured')
  }
  return entitlements
}

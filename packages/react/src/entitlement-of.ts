import {
  type EntitlementName,
  type Entitlements,
  type EntitlementValue,
  isLicensed,
  type LicenseState,
} from '@licensekit/core'

/** The value of entitlement `Name`: its type in the augmented `Entitlements`, else `boolean | number`. */
export type EntitlementType<Name extends EntitlementName> = Name extends keyof Entitlements
  ? Entitlements[Name]
  : EntitlementValue

/**
 * Entitlement `name` of the license while it is licensed (`active` or `grace`); `undefined` when
 * the license does not have it or the state is not licensed (a denied license's entitlements
 * grant nothing).
 */
export function entitlementOf<Name extends EntitlementName>(
  state: LicenseState,
  name: Name,
): EntitlementType<Name> | undefined {
  if (!isLicensed(state)) return undefined
  return state.license?.entitlements?.[name] as EntitlementType<Name> | undefined
}

import { isPlainObject } from '../plain-object.js'

/**
 * The entitlements an app names. Empty here; an app lists its own through module
 * augmentation, and every entitlement name in the SDK's types is then checked against it:
 *
 * ```ts
 * declare module '@licensekit/core' {
 *   interface Entitlements { export: boolean; seats: number }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: the extension point of module augmentation
export interface Entitlements {}

/** What one entitlement may hold. */
export type EntitlementValue = boolean | number

/** The names an app may ask for: its augmented names, or any string before it augments. */
export type EntitlementName = [keyof Entitlements] extends [never]
  ? string
  : Extract<keyof Entitlements, string>

/** The entitlements of one license as the server decided them (`{}` when none). */
export type EntitlementMap = Readonly<Record<string, EntitlementValue>>

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/
const MAX_ENTITLEMENTS = 64

function isValue(value: unknown): value is EntitlementValue {
  return typeof value === 'boolean' || Number.isFinite(value)
}

/**
 * `value` as an entitlement map when it is a plain object of at most 64 names (letters,
 * digits, `_ . : -`, up to 64 characters) whose values are booleans or finite numbers;
 * otherwise `null`.
 */
export function parseEntitlements(value: unknown): EntitlementMap | null {
  if (!isPlainObject(value)) return null
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return null
  const entries = Object.entries(value)
  if (entries.length > MAX_ENTITLEMENTS) return null
  const map: Record<string, EntitlementValue> = {}
  for (const [name, entry] of entries) {
    if (!NAME.test(name) || !isValue(entry)) return null
    map[name] = entry
  }
  return map
}

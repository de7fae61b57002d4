import { LicenseError } from '@licensekit/core'

const FEATURE = /^[A-Za-z0-9_.:-]{1,64}$/
const MAX_FEATURES = 64
const MAX_SEATS = 1_000_000

/** Up to 64 distinct names of letters, digits, `_ . : -` (what the proxy accepts as entitlement names). */
export function checkFeatures(features: readonly string[]): readonly string[] {
  const bad = features.find((name) => typeof name !== 'string' || !FEATURE.test(name))
  if (
    bad !== undefined ||
    new Set(features).size !== features.length ||
    features.length > MAX_FEATURES
  ) {
    throw new LicenseError(
      'bad_request',
      `Invalid features ${JSON.stringify(features)}: expected up to ${MAX_FEATURES} distinct names of letters, digits, "_", ".", ":" or "-"`,
    )
  }
  return features
}

/** A whole number of seats, 0–1,000,000, or `null` for none. */
export function checkSeats(seats: number | null): number | null {
  if (seats !== null && (!Number.isSafeInteger(seats) || seats < 0 || seats > MAX_SEATS)) {
    throw new LicenseError(
      'bad_request',
      `Invalid seats ${seats}: expected an integer 0–${MAX_SEATS}`,
    )
  }
  return seats
}

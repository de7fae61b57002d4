import { licenseSubject } from '../tokens/claims.js'
import { verifyLicenseToken } from '../tokens/verify-license-token.js'
import type { LicenseMode } from './options.js'
import type { LicenseRecord } from './record.js'

/** How far ahead of this clock a receipt's `iat` (or a stored time) may be, and how far back the clock may go. */
export const CLOCK_TOLERANCE_MS = 5 * 60_000

/**
 * Whether a record's cached grant may be used:
 * - `none`: the record grants nothing (no active answer cached);
 * - `tampered`: receipts are required and the receipt is missing, invalid or does not match;
 * - `legacy`: the receipt is in the format before license tokens (`claims.signature`, two parts),
 *   which this client no longer verifies: nothing is granted until the server answers again, and
 *   the record stays as it is until then (with or without a receipt key);
 * - `rolled_back`: the clock is more than 5 minutes behind the latest time seen;
 * - `trusted`: usable; `activeSince` is when the server last said `active` (the receipt's `iat`
 *   when receipts are on, since the record's own time fields are not signed).
 */
export type CacheTrust =
  | { kind: 'none' }
  | { kind: 'tampered' }
  | { kind: 'legacy' }
  | { kind: 'rolled_back' }
  | { kind: 'trusted'; activeSince: number }

export interface TrustContext {
  mode: LicenseMode
  receiptPublicKey: JsonWebKey | undefined
  domain: string | undefined
  now: number
}

function unixSeconds(iso: string | null): number | null {
  return iso === null ? null : Math.floor(Date.parse(iso) / 1000)
}

async function receiptMatches(record: LicenseRecord, publicKey: JsonWebKey, context: TrustContext) {
  if (record.receipt === undefined || record.license === null || context.domain === undefined) {
    return null
  }
  const device = context.mode === 'device'
  // The key's digest runs while the signature is checked: both are on the warm-start path.
  const subject = device && record.key !== undefined ? licenseSubject(record.key) : null
  const verified = await verifyLicenseToken(record.receipt, {
    keys: publicKey,
    audience: context.domain,
    issuer: null,
    now: context.now,
    clockToleranceSeconds: CLOCK_TOLERANCE_MS / 1000,
    ignoreExpiry: true,
  })
  if (!verified.ok) return null
  const { claims } = verified
  if (device && (subject === null || claims.sub !== (await subject))) return null
  if (claims.st !== record.license.status) return null
  if (claims.lexp !== unixSeconds(record.license.expiresAt)) return null
  return claims
}

/** True for a receipt of the format before license tokens: `base64url(claims).base64url(signature)`. */
export function isLegacyReceipt(receipt: string | undefined): boolean {
  return receipt !== undefined && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(receipt)
}

/** Decides whether the grant cached in `record` may be used at `context.now`. */
export async function assessCacheTrust(
  record: LicenseRecord | null,
  context: TrustContext,
): Promise<CacheTrust> {
  if (
    record === null ||
    record.lastActiveAt === null ||
    record.license === null ||
    record.license.status !== 'active'
  ) {
    return { kind: 'none' }
  }
  if (isLegacyReceipt(record.receipt)) return { kind: 'legacy' }
  let activeSince = Date.parse(record.lastActiveAt)
  if (context.receiptPublicKey !== undefined) {
    const claims = await receiptMatches(record, context.receiptPublicKey, context)
    if (claims === null) return { kind: 'tampered' }
    activeSince = claims.iat * 1000
  }
  const latestSeen = Math.max(record.highWaterMark, activeSince)
  if (context.now < latestSeen - CLOCK_TOLERANCE_MS) return { kind: 'rolled_back' }
  return { kind: 'trusted', activeSince }
}

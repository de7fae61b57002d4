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

/** What a receipt is checked against: the mode, the audience it must name, the clock. */
export interface ReceiptContext {
  mode: LicenseMode
  /** The audience receipts must carry; a receipt never matches without one. */
  domain: string | undefined
  now: number
}

/**
 * The client option `receipts` (`verifyReceipts(publicKey)` from `@licensekit/core/receipts`):
 * resolves the receipt's `iat` when the record's receipt verifies and matches its key, audience,
 * status and expiry, else null.
 */
export type ReceiptCheck = (
  record: LicenseRecord,
  context: ReceiptContext,
) => Promise<{ iat: number } | null>

export interface TrustContext extends ReceiptContext {
  /** Receipts are required and checked by this; undefined: not required. */
  receipts?: ReceiptCheck | undefined
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
  if (record?.license?.status !== 'active' || record.lastActiveAt === null) {
    return { kind: 'none' }
  }
  if (isLegacyReceipt(record.receipt)) return { kind: 'legacy' }
  let activeSince = Date.parse(record.lastActiveAt)
  if (context.receipts !== undefined) {
    const claims = await context.receipts(record, context)
    if (claims === null) return { kind: 'tampered' }
    activeSince = claims.iat * 1000
  }
  const latestSeen = Math.max(record.highWaterMark, activeSince)
  if (context.now < latestSeen - CLOCK_TOLERANCE_MS) return { kind: 'rolled_back' }
  return { kind: 'trusted', activeSince }
}

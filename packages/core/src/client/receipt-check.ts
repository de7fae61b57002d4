import { licenseSubject } from '../tokens/claims.js'
import { prepareVerificationKeys, verifyLicenseToken } from '../tokens/verify-license-token.js'
import { CLOCK_TOLERANCE_MS, type ReceiptCheck } from './cache-trust.js'

function unixSeconds(iso: string | null): number | null {
  return iso === null ? null : Math.floor(Date.parse(iso) / 1000)
}

/**
 * Cached grants only with a valid license token (`@licensekit/core/receipts`):
 * `createLicenseClient({ receipts: verifyReceipts(publicJwk) })`, where `publicJwk` is the
 * proxy's token public key (`generateSigningKeys().publicJwk`, or a list of them). A stored
 * record then grants only when its token verifies (ES256, pinned header), names the audience
 * (the domain, or `<device>.<domain>` under device binding), the key's SHA-256 (device mode),
 * the license's status and expiry, and was not issued in the future. The key is imported at once,
 * so the first check does not wait for it.
 */
export function verifyReceipts(publicKey: JsonWebKey | readonly JsonWebKey[]): ReceiptCheck {
  prepareVerificationKeys(publicKey)
  return async (record, context) => {
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
}

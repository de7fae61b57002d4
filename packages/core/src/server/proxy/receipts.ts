import { receiptSubject } from '../../receipts/claims.js'
import { createReceipt } from '../../receipts/create-receipt.js'
import { invalidConfig as invalid } from './domain-rules.js'
import type { UpstreamLicense } from './upstream.js'

/**
 * A receipt for a license the upstream just confirmed (DESIGN.md, "Receipts"): the key's
 * SHA-256 as `sub`, the bound domain as `aud`, the status, expiry and issue time.
 */
export async function issueReceipt(
  privateJwk: JsonWebKey,
  key: string,
  domain: string,
  license: Pick<UpstreamLicense, 'status' | 'expiresAt'>,
  now: number,
): Promise<string> {
  return createReceipt(privateJwk, {
    v: 1,
    sub: await receiptSubject(key),
    aud: domain,
    st: license.status,
    exp: license.expiresAt === null ? null : Math.floor(Date.parse(license.expiresAt) / 1000),
    iat: Math.floor(now / 1000),
  })
}

/** The configured receipt key: a P-256 private JWK, or `null` without one; else `invalid_config`. */
export function checkReceiptKey(jwk: unknown): JsonWebKey | null {
  if (jwk === undefined) return null
  const key = jwk as Partial<Record<string, unknown>> | null
  const ok =
    typeof key === 'object' &&
    key !== null &&
    key.kty === 'EC' &&
    key.crv === 'P-256' &&
    typeof key.d === 'string' &&
    typeof key.x === 'string' &&
    typeof key.y === 'string'
  if (!ok) throw invalid('receiptPrivateKey must be a P-256 private JWK (see generateReceiptKeys)')
  return jwk as JsonWebKey
}

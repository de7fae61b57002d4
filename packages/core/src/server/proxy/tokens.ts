import type { EntitlementMap } from '../../entitlements/entitlements.js'
import { licenseSubject } from '../../tokens/claims.js'
import { type PublicSigningJwk, publicSigningJwk } from '../../tokens/keys.js'
import { signLicenseToken } from '../../tokens/sign-license-token.js'
import type { PlainAnswer } from './plain-http.js'
import { baseHeaders, type HeaderMap } from './responses.js'
import type { UpstreamLicense } from './upstream.js'

export interface TokenSettings {
  /** `[newest, ...older]`: the first signs, all are published. */
  signingKeys: readonly JsonWebKey[]
  issuer: string
  tokenTtlSeconds: number
}

/** Signs license tokens with the newest key and publishes every key's public half. */
export interface TokenIssuer {
  issue(
    key: string,
    domain: string,
    license: Pick<UpstreamLicense, 'status' | 'expiresAt'>,
    entitlements: EntitlementMap,
    now: number,
  ): Promise<string>
  /** `GET {basePath}/jwks`: `{"keys": [...]}`, cacheable for 5 minutes. */
  jwksAnswer(extraHeaders: HeaderMap): Promise<PlainAnswer>
}

export function createTokenIssuer(settings: TokenSettings): TokenIssuer {
  const [signingKey] = settings.signingKeys
  let published: Promise<PublicSigningJwk[]> | undefined
  return {
    async issue(key, domain, license, entitlements, now) {
      const iat = Math.floor(now / 1000)
      return signLicenseToken(signingKey as JsonWebKey, {
        iss: settings.issuer,
        sub: await licenseSubject(key),
        aud: domain,
        st: license.status,
        lexp: license.expiresAt === null ? null : Math.floor(Date.parse(license.expiresAt) / 1000),
        ent: entitlements,
        iat,
        exp: iat + settings.tokenTtlSeconds,
      })
    },
    async jwksAnswer(extraHeaders) {
      published ??= Promise.all(
        settings.signingKeys.map(async (jwk) => (await publicSigningJwk(jwk)) as PublicSigningJwk),
      )
      const headers = baseHeaders(extraHeaders)
      headers['cache-control'] = 'public, max-age=300'
      headers['content-type'] = 'application/json; charset=utf-8'
      return { status: 200, headers, body: JSON.stringify({ keys: await published }) }
    },
  }
}

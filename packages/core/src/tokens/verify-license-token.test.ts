import { createHash, createHmac } from 'node:crypto'
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from './base64url.js'
import { type LicenseTokenClaims, licenseSubject } from './claims.js'
import { generateReceiptKeys, generateSigningKeys, jwkThumbprint } from './keys.js'
import { signLicenseToken } from './sign-license-token.js'
import { rawSign as forgeSign, part } from './test-support/forge.js'
import { prepareVerificationKeys, verifyLicenseToken } from './verify-license-token.js'

const keys = await generateSigningKeys()
const older = await generateSigningKeys()
const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
const AUDIENCE = 'shop.example'
const IAT = 1_767_225_600
const NOW = IAT * 1000 + 60_000
const claims: LicenseTokenClaims = {
  iss: 'licensekit',
  sub: await licenseSubject(KEY),
  aud: AUDIENCE,
  st: 'active',
  lexp: 1_798_761_600,
  ent: { export: true, seats: 5 },
  iat: IAT,
  exp: IAT + 86_400,
}
const token = await signLicenseToken(keys.privateJwk, claims)
const [headerPart = '', claimsPart = '', signaturePart = ''] = token.split('.')
const utf8 = new TextEncoder()

function rawSign(header: unknown, body: unknown, jwk: JsonWebKey = keys.privateJwk) {
  return forgeSign(header, body, jwk)
}

const header = { alg: 'ES256', typ: 'license+jwt', kid: keys.publicJwk.kid }

function verify(text: string, options: Partial<Parameters<typeof verifyLicenseToken>[1]> = {}) {
  return verifyLicenseToken(text, {
    keys: keys.publicJwk,
    audience: AUDIENCE,
    now: NOW,
    ...options,
  })
}

describe('signLicenseToken', () => {
  it('writes exactly the header the format fixes, kid = RFC 7638 thumbprint', async () => {
    expect(JSON.parse(new TextDecoder().decode(decodeBase64Url(headerPart) ?? undefined))).toEqual(
      header,
    )
    const members = `{"crv":"P-256","kty":"EC","x":"${keys.publicJwk.x}","y":"${keys.publicJwk.y}"}`
    expect(keys.publicJwk.kid).toBe(createHash('sha256').update(members).digest('base64url'))
    expect(await jwkThumbprint(keys.publicJwk)).toBe(keys.publicJwk.kid)
  })

  it('is a standard JWT that jose verifies with the public key', async () => {
    const key = await importJWK(keys.publicJwk, 'ES256')
    const { payload, protectedHeader } = await jwtVerify(token, key, {
      algorithms: ['ES256'],
      typ: 'license+jwt',
      issuer: 'licensekit',
      audience: AUDIENCE,
      currentDate: new Date(NOW),
    })
    expect(payload).toEqual(claims)
    expect(protectedHeader).toEqual(header)
    expect(decodeProtectedHeader(token).kid).toBe(keys.publicJwk.kid)
  })

  it('never carries the key, only its SHA-256', () => {
    expect(claims.sub).toBe(createHash('sha256').update(KEY).digest('hex'))
    expect(token).not.toContain(encodeBase64Url(utf8.encode('SHOP')))
  })

  it('refuses claims that are not exactly the token claims', async () => {
    await expect(
      signLicenseToken(keys.privateJwk, { ...claims, v: 1 } as unknown as LicenseTokenClaims),
    ).rejects.toMatchObject({ code: 'invalid_payload' })
    await expect(
      signLicenseToken(keys.privateJwk, { ...claims, ent: { export: 'yes' } } as never),
    ).rejects.toMatchObject({ code: 'invalid_payload' })
  })

  it('refuses a key that is not a P-256 private JWK', async () => {
    await expect(signLicenseToken(keys.publicJwk, claims)).rejects.toMatchObject({
      code: 'invalid_config',
    })
  })

  it('keeps generateReceiptKeys as an alias of generateSigningKeys', () => {
    expect(generateReceiptKeys).toBe(generateSigningKeys)
  })
})

describe('verifyLicenseToken', () => {
  it('accepts our token and returns its claims', async () => {
    expect(await verify(token)).toEqual({ ok: true, claims })
  })

  it('finds the signing key in a list by kid, whatever kid the JWK itself carries', async () => {
    const list = [older.publicJwk, { ...keys.publicJwk, kid: 'renamed' }]
    expect(await verify(token, { keys: list })).toMatchObject({ ok: true })
  })

  it('accepts times within the clock tolerance', async () => {
    expect(await verify(token, { now: (IAT - 59) * 1000 })).toMatchObject({ ok: true })
    expect(await verify(token, { now: (claims.exp + 59) * 1000 })).toMatchObject({ ok: true })
  })

  it('with ignoreExpiry accepts an expired token (the grace cache bounds it otherwise)', async () => {
    const later = (claims.exp + 3600) * 1000
    expect(await verify(token, { now: later, ignoreExpiry: true })).toMatchObject({ ok: true })
  })

  it('with issuer null accepts any issuer', async () => {
    const other = await signLicenseToken(keys.privateJwk, { ...claims, iss: 'elsewhere' })
    expect(await verify(other, { issuer: null })).toMatchObject({ ok: true })
  })

  it('refuses alg "none"', async () => {
    const none = `${part({ ...header, alg: 'none' })}.${claimsPart}.`
    expect(await verify(none)).toEqual({ ok: false, reason: 'unsupported_algorithm' })
    expect(
      await verify(`${part({ ...header, alg: 'none' })}.${claimsPart}.${signaturePart}`),
    ).toEqual({ ok: false, reason: 'unsupported_algorithm' })
  })

  it('refuses HS256 signed with the public key as the secret', async () => {
    const input = `${part({ ...header, alg: 'HS256' })}.${claimsPart}`
    for (const secret of [JSON.stringify(keys.publicJwk), keys.publicJwk.x]) {
      const mac = createHmac('sha256', secret).update(input).digest('base64url')
      expect(await verify(`${input}.${mac}`)).toEqual({
        ok: false,
        reason: 'unsupported_algorithm',
      })
    }
  })

  it.each(['ES384', 'RS256', 'PS256', 'EdDSA', 'es256'])('refuses alg %s', async (alg) => {
    expect(await verify(await rawSign({ ...header, alg }, claims))).toEqual({
      ok: false,
      reason: 'unsupported_algorithm',
    })
  })

  it.each<[string, Record<string, unknown>]>([
    ['crit', { crit: ['exp'] }],
    ['jku', { jku: 'https://evil.example/jwks' }],
    ['jwk', { jwk: keys.publicJwk }],
    ['x5u', { x5u: 'https://evil.example/cert' }],
    ['x5c', { x5c: ['MIIB'] }],
    ['another typ', { typ: 'JWT' }],
    ['no typ', { typ: undefined }],
  ])('refuses a header with %s, even correctly signed', async (_label, edit) => {
    expect(await verify(await rawSign({ ...header, ...edit }, claims))).toEqual({
      ok: false,
      reason: 'unsupported_header',
    })
  })

  it('refuses a header that names an attacker key through jwk (signed with that key)', async () => {
    const attacker = await generateSigningKeys()
    const forged = await rawSign(
      { ...header, kid: attacker.publicJwk.kid, jwk: attacker.publicJwk },
      claims,
      attacker.privateJwk,
    )
    expect(await verify(forged)).toEqual({ ok: false, reason: 'unsupported_header' })
  })

  it('refuses an unknown kid', async () => {
    expect(await verify(await rawSign({ ...header, kid: 'unknown-kid' }, claims))).toEqual({
      ok: false,
      reason: 'unknown_key',
    })
  })

  it('refuses a token from a key rotated out of the list', async () => {
    const old = await signLicenseToken(older.privateJwk, claims)
    expect(await verify(old, { keys: [older.publicJwk, keys.publicJwk] })).toMatchObject({
      ok: true,
    })
    expect(await verify(old, { keys: [keys.publicJwk] })).toEqual({
      ok: false,
      reason: 'unknown_key',
    })
  })

  it('refuses a token whose kid is ours but whose signature is another key', async () => {
    const forged = await rawSign(header, claims, older.privateJwk)
    expect(await verify(forged)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it.each([0, 10, 31, 32, 63])('refuses a flipped bit in signature byte %i', async (index) => {
    const bytes = decodeBase64Url(signaturePart) ?? new Uint8Array()
    bytes[index] = (bytes[index] ?? 0) ^ 1
    const flipped = `${headerPart}.${claimsPart}.${encodeBase64Url(bytes)}`
    expect(await verify(flipped)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it.each<[keyof LicenseTokenClaims, unknown]>([
    ['iss', 'evil'],
    ['sub', '0'.repeat(64)],
    ['aud', 'evil.example'],
    ['st', 'revoked'],
    ['lexp', null],
    ['ent', { export: true, seats: 500 }],
    ['iat', IAT + 1],
    ['exp', IAT + 10 * 86_400],
  ])('refuses an edited %s claim (signature no longer matches)', async (name, value) => {
    const edited = `${headerPart}.${part({ ...claims, [name]: value })}.${signaturePart}`
    expect(await verify(edited, { issuer: null, audience: String(claims.aud) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('refuses a wrong audience', async () => {
    expect(await verify(token, { audience: 'other.example' })).toEqual({
      ok: false,
      reason: 'wrong_audience',
    })
  })

  it('refuses a wrong issuer', async () => {
    expect(await verify(token, { issuer: 'someone-else' })).toEqual({
      ok: false,
      reason: 'wrong_issuer',
    })
  })

  it('refuses an exp in the past beyond the tolerance', async () => {
    expect(await verify(token, { now: (claims.exp + 61) * 1000 })).toEqual({
      ok: false,
      reason: 'expired',
    })
  })

  it('refuses an iat in the future beyond the tolerance', async () => {
    expect(await verify(token, { now: (IAT - 61) * 1000 })).toEqual({
      ok: false,
      reason: 'issued_in_future',
    })
    expect(await verify(token, { now: (IAT - 5) * 1000, clockToleranceSeconds: 0 })).toEqual({
      ok: false,
      reason: 'issued_in_future',
    })
  })

  it.each<[string, unknown]>([
    ['an added claim', { ...claims, admin: true }],
    ['a missing claim', { ...claims, ent: undefined }],
    ['a non-hex subject', { ...claims, sub: 'SHOP-A1B2-C3D4-E5F6-G7H8' }],
    ['a string entitlement', { ...claims, ent: { plan: 'pro' } }],
    ['exp before iat', { ...claims, exp: IAT - 1 }],
  ])('refuses correctly signed claims with %s', async (_label, body) => {
    expect(await verify(await rawSign(header, body))).toEqual({ ok: false, reason: 'bad_claims' })
  })

  it.each([
    ['empty', ''],
    ['two parts', `${headerPart}.${claimsPart}`],
    ['four parts', `${token}.x`],
    ['padding', `${headerPart}.${claimsPart}=.${signaturePart}`],
    ['standard base64 characters', `${headerPart}.${claimsPart}.${signaturePart.slice(0, -1)}+`],
    [
      'a header that is not JSON',
      `${encodeBase64Url(utf8.encode('{alg'))}.${claimsPart}.${signaturePart}`,
    ],
    ['a header that is not an object', `${part(['ES256'])}.${claimsPart}.${signaturePart}`],
    ['claims that are not JSON', `${headerPart}.e30x.${signaturePart}`],
    [
      'invalid UTF-8',
      `${headerPart}.${encodeBase64Url(new Uint8Array([0xff, 0xfe]))}.${signaturePart}`,
    ],
    ['a short signature', `${headerPart}.${claimsPart}.${signaturePart.slice(0, 40)}`],
    ['a DER-length signature', `${headerPart}.${claimsPart}.${signaturePart}AAAAAAAAAA`],
    ['an oversized token', `${headerPart}.${'A'.repeat(5000)}.${signaturePart}`],
  ])('refuses a malformed token: %s', async (_label, text) => {
    expect(await verify(text)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('refuses instead of throwing without WebCrypto, and preparing keys never throws', async () => {
    const fresh = await generateSigningKeys()
    vi.stubGlobal('crypto', {})
    try {
      expect(() => prepareVerificationKeys(fresh.publicJwk)).not.toThrow()
      expect(await verify(token, { keys: fresh.publicJwk })).toEqual({
        ok: false,
        reason: 'keys_unavailable',
      })
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('verifies the same tokens with keys prepared ahead', async () => {
    const fresh = await generateSigningKeys()
    prepareVerificationKeys(fresh.publicJwk)
    const signed = await signLicenseToken(fresh.privateJwk, claims)
    expect(await verify(signed, { keys: fresh.publicJwk })).toMatchObject({ ok: true })
    expect(await verify(token, { keys: fresh.publicJwk })).toMatchObject({ ok: false })
  })

  it('refuses instead of throwing when no key is usable', async () => {
    expect(await verify(token, { keys: { kty: 'EC' } })).toEqual({
      ok: false,
      reason: 'unknown_key',
    })
    expect(await verify(token, { keys: [] })).toEqual({ ok: false, reason: 'unknown_key' })
  })
})

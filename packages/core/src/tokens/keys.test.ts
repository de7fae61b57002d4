import { describe, expect, it } from 'vitest'
import { ECDSA_SIGN } from './ecdsa.js'
import {
  generateSigningKeys,
  importSigningKey,
  isPrivateSigningJwk,
  publicSigningJwk,
} from './keys.js'
import { importVerifyKey, jwkThumbprint } from './public-jwk.js'

const { privateJwk, publicJwk } = await generateSigningKeys()

describe('generateSigningKeys', () => {
  it('returns a private JWK and its public half, both with kid = thumbprint', async () => {
    const kid = await jwkThumbprint(publicJwk)
    expect(publicJwk).toEqual({
      ...publicJwk,
      kty: 'EC',
      crv: 'P-256',
      kid,
      alg: 'ES256',
      use: 'sig',
    })
    expect(Object.keys(publicJwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
    expect(privateJwk).toEqual({ ...publicJwk, d: privateJwk.d })
  })
})

describe('publicSigningJwk', () => {
  it('drops d and sets kid, alg and use whatever the input said', async () => {
    expect(await publicSigningJwk({ ...privateJwk, kid: 'other', use: 'enc' })).toEqual(publicJwk)
  })

  it('is null for what is not a P-256 key', async () => {
    expect(await publicSigningJwk({ ...publicJwk, crv: 'P-521' })).toBeNull()
  })
})

describe('isPrivateSigningJwk', () => {
  it('needs a well-formed d beside the public parts', () => {
    expect(isPrivateSigningJwk(privateJwk)).toBe(true)
    expect(isPrivateSigningJwk(publicJwk)).toBe(false)
    expect(isPrivateSigningJwk({ ...privateJwk, d: privateJwk.d.slice(1) })).toBe(false)
    expect(isPrivateSigningJwk({ ...privateJwk, x: 'short' })).toBe(false)
  })
})

describe('importSigningKey', () => {
  it('imports a signing key whatever use or key_ops the JWK claims', async () => {
    const claimed = { ...privateJwk, use: 'enc', key_ops: ['verify'] }
    const key = await importSigningKey(claimed)
    expect(key.type).toBe('private')
    expect(key.usages).toEqual(['sign'])
    const data = new TextEncoder().encode('signed')
    const signature = await globalThis.crypto.subtle.sign(ECDSA_SIGN, key, data)
    const verifier = await importVerifyKey(publicJwk)
    expect(await globalThis.crypto.subtle.verify(ECDSA_SIGN, verifier, signature, data)).toBe(true)
  })
})

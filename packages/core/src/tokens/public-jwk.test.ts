import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ECDSA_SIGN } from './ecdsa.js'
import { generateSigningKeys } from './keys.js'
import { importVerifyKey, isP256Jwk, jwkThumbprint } from './public-jwk.js'

const { privateJwk, publicJwk } = await generateSigningKeys()
const { kty, crv, x, y } = publicJwk

describe('isP256Jwk', () => {
  it('accepts the public parts of a P-256 key, with or without the rest', () => {
    expect(isP256Jwk({ kty, crv, x, y })).toBe(true)
    expect(isP256Jwk(publicJwk)).toBe(true)
    expect(isP256Jwk(privateJwk)).toBe(true)
  })

  it.each([
    ['null', null],
    ['a string', 'key'],
    ['another key type', { kty: 'RSA', crv, x, y }],
    ['another curve', { kty, crv: 'P-384', x, y }],
    ['a missing x', { kty, crv, y }],
    ['a short y', { kty, crv, x, y: y.slice(1) }],
    ['a padded x', { kty, crv, x: `${x.slice(0, 42)}=`, y }],
    ['a numeric y', { kty, crv, x, y: 42 }],
  ])('refuses %s', (_, jwk) => {
    expect(isP256Jwk(jwk)).toBe(false)
  })
})

describe('jwkThumbprint', () => {
  it('is the base64url SHA-256 of the required members in lexicographic order', async () => {
    const members = `{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`
    expect(await jwkThumbprint({ x, y })).toBe(
      createHash('sha256').update(members).digest('base64url'),
    )
  })

  it('ignores every other member', async () => {
    expect(await jwkThumbprint(privateJwk)).toBe(await jwkThumbprint({ x, y }))
  })
})

describe('importVerifyKey', () => {
  it('imports a public verification key, whatever use, key_ops or d the JWK claims', async () => {
    const claimed = { ...privateJwk, use: 'enc', key_ops: ['sign'] }
    const key = await importVerifyKey(claimed)
    expect(key.type).toBe('public')
    expect(key.usages).toEqual(['verify'])
    const data = new TextEncoder().encode('signed')
    const signer = await globalThis.crypto.subtle.importKey(
      'jwk',
      privateJwk,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    )
    const signature = await globalThis.crypto.subtle.sign(ECDSA_SIGN, signer, data)
    expect(await globalThis.crypto.subtle.verify(ECDSA_SIGN, key, signature, data)).toBe(true)
  })
})

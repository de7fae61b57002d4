import { createHash } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from './base64url.js'
import { type ReceiptClaims, receiptSubject } from './claims.js'
import { createReceipt, generateReceiptKeys } from './create-receipt.js'
import { prepareReceiptKey, verifyReceipt } from './verify-receipt.js'

const keys = await generateReceiptKeys()
const subject = await receiptSubject('SHOP-A1B2-C3D4-E5F6-G7H8')
const claims: ReceiptClaims = {
  v: 1,
  sub: subject,
  aud: 'shop.example',
  st: 'active',
  exp: 1798761600,
  iat: 1767225600,
}
const receipt = await createReceipt(keys.privateJwk, claims)
const [body = '', signature = ''] = receipt.split('.')

function reencode(edit: Record<string, unknown>): string {
  const parsed = {
    ...JSON.parse(new TextDecoder().decode(decodeBase64Url(body) ?? new Uint8Array())),
    ...edit,
  }
  return `${encodeBase64Url(new TextEncoder().encode(JSON.stringify(parsed)))}.${signature}`
}

describe('receipts', () => {
  it('a key prepared ahead verifies the same receipts', async () => {
    const fresh = await generateReceiptKeys()
    prepareReceiptKey(fresh.publicJwk)
    const signed = await createReceipt(fresh.privateJwk, claims)
    expect(await verifyReceipt(fresh.publicJwk, signed)).toEqual(claims)
    expect(await verifyReceipt(fresh.publicJwk, receipt)).toBeNull()
  })

  it('preparing a key never throws: not for a bad key, not without WebCrypto', async () => {
    const bad = { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }
    expect(() => prepareReceiptKey(bad)).not.toThrow()
    expect(await verifyReceipt(bad, receipt)).toBeNull()
    vi.stubGlobal('crypto', {})
    try {
      expect(() => prepareReceiptKey({ ...keys.publicJwk })).not.toThrow()
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('round-trips claims through createReceipt and verifyReceipt', async () => {
    expect(await verifyReceipt(keys.publicJwk, receipt)).toEqual(claims)
    expect(receipt).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/)
  })

  it('subject is the SHA-256 of the key, not the key', async () => {
    expect(subject).toBe(createHash('sha256').update('SHOP-A1B2-C3D4-E5F6-G7H8').digest('hex'))
    expect(await receiptSubject('SHOP-A1B2-C3D4-E5F6-G7H9')).not.toBe(subject)
    expect(body).not.toContain(encodeBase64Url(new TextEncoder().encode('SHOP')))
  })

  it.each<[string, Record<string, unknown>]>([
    ['status', { st: 'revoked' }],
    ['expiry', { exp: null }],
    ['issue time', { iat: claims.iat + 1 }],
    ['domain', { aud: 'evil.example' }],
    ['subject', { sub: '0'.repeat(64) }],
    ['an added algorithm field', { alg: 'none' }],
  ])('refuses a tampered %s', async (_label, edit) => {
    expect(await verifyReceipt(keys.publicJwk, reencode(edit))).toBeNull()
  })

  it('refuses a tampered signature', async () => {
    const bytes = decodeBase64Url(signature) ?? new Uint8Array()
    bytes[10] = (bytes[10] ?? 0) ^ 1
    expect(await verifyReceipt(keys.publicJwk, `${body}.${encodeBase64Url(bytes)}`)).toBeNull()
  })

  it('refuses a receipt checked with another key', async () => {
    const other = await generateReceiptKeys()
    expect(await verifyReceipt(other.publicJwk, receipt)).toBeNull()
  })

  it.each([
    ['empty', ''],
    ['no signature part', body],
    ['three parts', `${receipt}.x`],
    ['padding', `${body}=.${signature}`],
    ['standard base64 characters', `${body}.${signature.replace(/[-_]/g, '+')}A`],
    ['a short signature', `${body}.${signature.slice(0, 40)}`],
    ['a DER-length signature', `${body}.${signature}AAAAAAAAAA`],
  ])('refuses a malformed receipt: %s', async (_label, text) => {
    expect(await verifyReceipt(keys.publicJwk, text)).toBeNull()
  })

  it('refuses a validly signed body whose claims are not receipt claims', async () => {
    const forged = encodeBase64Url(new TextEncoder().encode('{"v":2}'))
    const key = await globalThis.crypto.subtle.importKey(
      'jwk',
      keys.privateJwk,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    )
    const sig = await globalThis.crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      new TextEncoder().encode(forged),
    )
    expect(
      await verifyReceipt(keys.publicJwk, `${forged}.${encodeBase64Url(new Uint8Array(sig))}`),
    ).toBeNull()
  })

  it('refuses an unusable public key instead of throwing', async () => {
    expect(await verifyReceipt({ kty: 'EC' }, receipt)).toBeNull()
  })

  it('createReceipt refuses claims that are not exactly the receipt fields', async () => {
    await expect(
      createReceipt(keys.privateJwk, { ...claims, v: 2 } as unknown as ReceiptClaims),
    ).rejects.toMatchObject({ code: 'invalid_payload' })
  })

  it('createReceipt refuses a key that is not a P-256 private JWK', async () => {
    await expect(createReceipt(keys.publicJwk, claims)).rejects.toMatchObject({
      code: 'invalid_config',
    })
  })
})

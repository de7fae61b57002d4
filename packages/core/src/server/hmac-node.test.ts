import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import vectors from './fixtures/signing-vectors.json' with { type: 'json' }
import { webHmacHex } from './hmac.js'
import { nodeHmacHex } from './hmac-node.js'
import { type SignablePayload, signPayload, useHmac, verifySignature } from './signing.js'

afterEach(() => {
  useHmac(webHmacHex)
  vi.restoreAllMocks()
})

describe.each([
  ['WebCrypto', webHmacHex],
  ['node:crypto', nodeHmacHex],
])('%s signs the guide’s vectors', (_name, implementation) => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', async (_vector, vector) => {
    useHmac(implementation)
    const payload = vector.payload as SignablePayload
    expect(await signPayload(vector.secret, payload)).toBe(vector.signature)
    expect(await verifySignature(vector.secret, payload, vector.signature)).toBe(true)
    expect(await verifySignature(`${vector.secret}x`, payload, vector.signature)).toBe(false)
  })
})

describe('node:crypto and WebCrypto', () => {
  it('agree on any UTF-8 secret and message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, unit: 'grapheme' }),
        fc.string(),
        async (secret, message) => {
          expect(nodeHmacHex(secret, message)).toBe(await webHmacHex(secret, message))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('the node entry signs without WebCrypto', async () => {
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign')
    const entry = await import('./node.js')
    const vector = vectors[0]
    if (!vector) throw new Error('missing vector')
    const payload = vector.payload as SignablePayload
    expect(await entry.signPayload(vector.secret, payload)).toBe(vector.signature)
    expect(await entry.verifySignature(vector.secret, payload, vector.signature)).toBe(true)
    expect(sign).not.toHaveBeenCalled()
    expect(entry.createLicenseProxy).toBeTypeOf('function')
  })
})

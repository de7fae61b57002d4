import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sha256 } from './sha256.js'

describe('sha256', () => {
  it.each(['', 'SHOP-A1B2-C3D4-E5F6-G7H8', 'ünïcødé ✓'])(
    'hashes the UTF-8 bytes of %j',
    async (text) => {
      expect(Buffer.from(await sha256(text))).toEqual(
        createHash('sha256').update(text, 'utf8').digest(),
      )
    },
  )
})

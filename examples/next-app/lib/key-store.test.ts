import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileKeyStore } from './key-store'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'next-app-key-store-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('createFileKeyStore', () => {
  it('reads null before anything was written', async () => {
    expect(await createFileKeyStore(join(dir, 'missing', 'key.json')).read()).toBe(null)
  })

  it('keeps a key across instances, in a file only its owner can read', async () => {
    const path = join(dir, 'nested', 'key.json')
    await createFileKeyStore(path).write('SHOP-A1B2-C3D4-E5F6-G7H8')
    expect(await createFileKeyStore(path).read()).toBe('SHOP-A1B2-C3D4-E5F6-G7H8')
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ key: 'SHOP-A1B2-C3D4-E5F6-G7H8' })
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('forgets the key when null is written', async () => {
    const store = createFileKeyStore(join(dir, 'key.json'))
    await store.write('SHOP-A1B2-C3D4-E5F6-G7H8')
    await store.write(null)
    expect(await store.read()).toBe(null)
  })

  it('reads a file without a string key as no key', async () => {
    const path = join(dir, 'key.json')
    writeFileSync(path, JSON.stringify({ key: 42 }))
    expect(await createFileKeyStore(path).read()).toBe(null)
  })

  it('fails on a file that is not JSON, rather than treating it as no key', async () => {
    const path = join(dir, 'key.json')
    writeFileSync(path, 'not json')
    await expect(createFileKeyStore(path).read()).rejects.toThrow(SyntaxError)
  })
})

import { describe, expect, it } from 'vitest'
import { createRecord, type LicenseRecord } from './record.js'
import { RecordCache } from './record-cache.js'
import { createMemoryStorage } from './storage.js'
import { deferred, LICENSE } from './test-support/fake-proxy.js'

const NAME = 'licensekit:device:/api/license'
const record: LicenseRecord = createRecord({
  key: 'SHOP-A1B2-C3D4-E5F6-G7H8',
  license: LICENSE,
  checkedAt: '2026-01-01T00:00:00.000Z',
  lastActiveAt: '2026-01-01T00:00:00.000Z',
  reason: null,
  highWaterMark: 1_000,
})

function cacheOver(stored?: unknown) {
  const storage = createMemoryStorage()
  const errors: unknown[] = []
  if (stored !== undefined) void storage.set(NAME, stored)
  return { cache: new RecordCache(storage, NAME, 'device', (e) => errors.push(e)), storage, errors }
}

describe('RecordCache', () => {
  it('loads once, lazily, and counts the read as a generation', async () => {
    const { cache, storage } = cacheOver(record)
    expect(cache.current).toBeNull()
    expect(cache.generation).toBe(0)
    await cache.load()
    expect(cache.current).toEqual(record)
    expect(cache.generation).toBe(1)
    await storage.del(NAME)
    await cache.load()
    expect(cache.current).toEqual(record)
    await cache.reload()
    expect(cache.current).toBeNull()
    expect(cache.generation).toBe(2)
  })

  it('ignores and reports a stored value that is not a record', async () => {
    const { cache, errors } = cacheOver({ v: 1, license: 'all' })
    await cache.load()
    expect(cache.current).toBeNull()
    expect(errors).toMatchObject([{ name: 'LicenseError', code: 'invalid_payload' }])
  })

  it('commits to storage (null deletes) and starts a new generation', async () => {
    const { cache, storage } = cacheOver()
    await cache.commit(record)
    expect(await storage.get(NAME)).toEqual(record)
    expect(cache.generation).toBe(1)
    await cache.commit(null)
    expect(await storage.get(NAME)).toBeUndefined()
    expect(cache.generation).toBe(2)
  })

  it('drops a read that a commit overtook', async () => {
    const { cache } = cacheOver(record)
    const reading = cache.load()
    const newer = createRecord({ ...record, highWaterMark: 5_000 })
    await cache.commit(newer)
    await reading
    expect(cache.current).toBe(newer)
  })

  it('keeps the latest of two reads, also when the earlier one ends last', async () => {
    const older = createRecord({ ...record, highWaterMark: 2_000 })
    const newer = createRecord({ ...record, highWaterMark: 3_000 })
    const answers = [deferred<unknown>(), deferred<unknown>()]
    const storage = {
      ...createMemoryStorage(),
      get: () => answers.shift()?.promise ?? Promise.reject(new Error('no read expected')),
    }
    const [first, second] = answers
    const cache = new RecordCache(storage, NAME, 'device', () => {})
    const reading = cache.reload()
    const rereading = cache.reload()
    second?.resolve(newer)
    await rereading
    first?.resolve(older)
    await reading
    expect(cache.current).toEqual(newer)
    const again = [deferred<unknown>(), deferred<unknown>()]
    answers.push(...again)
    const early = cache.reload()
    const late = cache.reload()
    again[0]?.resolve(older)
    await early
    expect(cache.current).toEqual(newer)
    again[1]?.resolve(record)
    await late
    expect(cache.current).toEqual(record)
  })

  it('raises the mark within the same generation only, without starting a new one', async () => {
    const { cache, storage } = cacheOver(record)
    await cache.load()
    const loaded = cache.current
    const generation = cache.generation
    await cache.raiseMark(500, generation)
    await cache.raiseMark(1_000, generation)
    expect(cache.current).toBe(loaded)
    await cache.raiseMark(2_000, generation)
    expect(cache.current).toEqual({ ...record, highWaterMark: 2_000 })
    expect(await storage.get(NAME)).toMatchObject({ highWaterMark: 2_000, key: record.key })
    expect(cache.generation).toBe(generation)
    await cache.raiseMark(3_000, generation - 1)
    expect(cache.current?.highWaterMark).toBe(2_000)
  })

  it('watches the storage for changes of its own record only, and needs no events to work', () => {
    const changes: string[] = []
    let notify: (key: string | null) => void = () => {}
    let subscribed = 0
    const storage = {
      ...createMemoryStorage(),
      subscribe: (listener: (key: string | null) => void) => {
        subscribed++
        notify = listener
        return () => {
          subscribed--
        }
      },
    }
    const cache = new RecordCache(storage, NAME, 'device', () => {})
    const unwatch = cache.watch(() => changes.push('changed'))
    expect(subscribed).toBe(1)
    notify('licensekit:installation:/api/license')
    notify(NAME)
    notify(null)
    unwatch()
    expect(subscribed).toBe(0)
    expect(changes).toEqual(['changed', 'changed'])
    expect(cacheOver().cache.watch(() => changes.push('never'))).toBeTypeOf('function')
  })
})

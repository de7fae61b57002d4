import { describe, expect, it } from 'vitest'
import { DeliveryLog } from './delivery-log.js'

describe('DeliveryLog', () => {
  it('remembers ids up to its capacity, forgetting the oldest first', () => {
    const log = new DeliveryLog(2)
    log.add('a')
    log.add('b')
    expect([log.has('a'), log.has('b')]).toEqual([true, true])
    log.add('c')
    expect([log.has('a'), log.has('b'), log.has('c')]).toEqual([false, true, true])
  })

  it('does not count an id twice', () => {
    const log = new DeliveryLog(2)
    log.add('a')
    log.add('a')
    log.add('b')
    expect([log.has('a'), log.has('b')]).toEqual([true, true])
  })
})

import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BufferedLog, formatRequestLine } from './request-log.js'

let chunks: string[]
let exitEvents: EventEmitter

beforeEach(() => {
  vi.useFakeTimers()
  chunks = []
  exitEvents = new EventEmitter()
})

afterEach(() => {
  vi.useRealTimers()
})

const open = (options: { flushMs?: number; maxBufferedChars?: number } = {}) =>
  new BufferedLog((chunk) => chunks.push(chunk), { ...options, exitEvents })

describe('BufferedLog', () => {
  it('writes the lines of one interval together, flushMs after the first of them', () => {
    const log = open({ flushMs: 1000 })
    log.line('one')
    vi.advanceTimersByTime(600)
    log.line('two')
    vi.advanceTimersByTime(399)
    expect(chunks).toEqual([])
    vi.advanceTimersByTime(1)
    expect(chunks).toEqual(['one\ntwo\n'])
    log.line('three')
    vi.advanceTimersByTime(1000)
    expect(chunks).toEqual(['one\ntwo\n', 'three\n'])
    log.close()
  })

  it('writes at once when maxBufferedChars are waiting', () => {
    const log = open({ maxBufferedChars: 10 })
    log.line('12345')
    expect(chunks).toEqual([])
    log.line('6789')
    expect(chunks).toEqual(['12345\n6789\n'])
    log.close()
  })

  it('flushes what waits on close and writes later lines as they come', () => {
    const log = open()
    log.line('before close')
    log.close()
    expect(chunks).toEqual(['before close\n'])
    log.line('after close')
    expect(chunks).toEqual(['before close\n', 'after close\n'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('flushes when the process exits, until it is closed', () => {
    const log = open()
    log.line('at exit')
    exitEvents.emit('exit')
    expect(chunks).toEqual(['at exit\n'])
    log.close()
    expect(exitEvents.listenerCount('exit')).toBe(0)
  })

  it('writes nothing for an empty buffer', () => {
    const log = open()
    log.flush()
    vi.advanceTimersByTime(5000)
    log.close()
    expect(chunks).toEqual([])
  })
})

describe('formatRequestLine', () => {
  it('gives method, path, status and whole milliseconds', () => {
    expect(formatRequestLine('POST', '/api/licenses/validate', 200, 2.6)).toBe(
      'POST /api/licenses/validate 200 3ms',
    )
  })
})

import { describe, expect, it } from 'vitest'
import { parseTabHint, tabHint } from './tab-sync.js'

describe('tab hints', () => {
  it('round-trips both kinds and carries no record', () => {
    expect(tabHint('definite')).toEqual({ licensekit: 1, kind: 'definite' })
    expect(parseTabHint(tabHint('definite'))).toBe('definite')
    expect(parseTabHint(tabHint('unreachable'))).toBe('unreachable')
  })

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an array', [1, 'definite']],
    ['another version', { licensekit: 2, kind: 'definite' }],
    ['an unknown kind', { licensekit: 1, kind: 'grant' }],
    ['a message with a record (the old format)', { licensekit: 1, kind: 'definite', record: {} }],
    ['a missing kind', { licensekit: 1 }],
  ])('refuses %s', (_label, data) => {
    expect(parseTabHint(data)).toBeNull()
  })
})

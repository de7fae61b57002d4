import { describe, expect, it } from 'vitest'
import { DEVICE_ID, deviceBoundName, isHostName, MAX_DEVICE_HOST_LENGTH } from './host-name.js'

/** A host name of exactly `length` characters, in 49-character labels. */
function nameOf(length: number): string {
  return Array.from({ length }, (_, index) => (index % 50 === 49 ? '.' : 'a')).join('')
}

describe('isHostName', () => {
  it.each([
    'shop.example',
    'localhost',
    '127.0.0.1',
    'a-b.c-d.example',
    'xn--bcher-kva.example',
    `${'a'.repeat(63)}.example`,
  ])('accepts %s', (name) => {
    expect(isHostName(name, false)).toBe(true)
  })

  it.each([
    ['a URL', 'https://localhost'],
    ['a path', 'shop.example/app'],
    ['a port', 'localhost:5180'],
    ['uppercase', 'Shop.example'],
    ['a leading space', ' shop.example'],
    ['a trailing newline', 'shop.example\n'],
    ['an inner space', 'shop example'],
    ['an empty name', ''],
    ['an empty label', 'shop..example'],
    ['a trailing dot', 'shop.example.'],
    ['a leading hyphen', '-shop.example'],
    ['a trailing hyphen', 'shop-.example'],
    ['an underscore', 'my_shop.example'],
    ['a 64-character label', `${'a'.repeat(64)}.example`],
    ['a query', 'shop.example?a=b'],
    ['an ampersand', 'a&key=b'],
    ['credentials', 'user@shop.example'],
    ['non-ASCII', 'bücher.example'],
    ['a bracketed IPv6 address', '[::1]'],
  ])('refuses %s', (_label, name) => {
    expect(isHostName(name, false)).toBe(false)
  })

  it('bounds the whole name to 253 characters', () => {
    expect(isHostName(nameOf(253), false)).toBe(true)
    expect(isHostName(nameOf(254), false)).toBe(false)
  })

  it('accepts host:port only when a port is allowed, and only a real port', () => {
    expect(isHostName('localhost:5180', true)).toBe(true)
    expect(isHostName('shop.example:65535', true)).toBe(true)
    expect(isHostName('localhost:5180', false)).toBe(false)
    for (const bad of ['localhost:', 'localhost:0', 'localhost:65536', 'localhost:05', ':5180']) {
      expect(isHostName(bad, true), bad).toBe(false)
    }
    expect(isHostName('https://localhost:5180', true)).toBe(false)
  })

  it('applies a smaller host limit to the host part only', () => {
    expect(isHostName(nameOf(MAX_DEVICE_HOST_LENGTH), false, MAX_DEVICE_HOST_LENGTH)).toBe(true)
    expect(isHostName(nameOf(MAX_DEVICE_HOST_LENGTH + 1), false, MAX_DEVICE_HOST_LENGTH)).toBe(
      false,
    )
    expect(isHostName(`${nameOf(MAX_DEVICE_HOST_LENGTH)}:8080`, true, MAX_DEVICE_HOST_LENGTH)).toBe(
      true,
    )
  })
})

describe('device ids', () => {
  it('are 26 lowercase base32 characters', () => {
    expect(DEVICE_ID.test('abcdefghijklmnopqrstuvwxyz')).toBe(true)
    expect(DEVICE_ID.test('234567234567234567234567ab')).toBe(true)
    for (const bad of [
      'abcdefghijklmnopqrstuvwxy',
      'abcdefghijklmnopqrstuvwxyza',
      'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      'abcdefghijklmnopqrstuvwxy1',
      'abcdefghijklmnopqrstuvwxy0',
      'abcdefghijklmnopqrstuvwxy8',
      'abcdefghijklmnopqrstuvwxy=',
      'abcdefghijklmnopqrstuvwxy.',
    ]) {
      expect(DEVICE_ID.test(bad), bad).toBe(false)
    }
  })

  it('bind <device>.<domain>, which is still a host name', () => {
    const device = 'abcdefghijklmnopqrstuvwxyz'
    const name = deviceBoundName(device, 'shop.example')
    expect(name).toBe('abcdefghijklmnopqrstuvwxyz.shop.example')
    expect(isHostName(name, false)).toBe(true)
    const longest = deviceBoundName(device, nameOf(MAX_DEVICE_HOST_LENGTH))
    expect(longest).toHaveLength(253)
    expect(isHostName(longest, false)).toBe(true)
  })
})

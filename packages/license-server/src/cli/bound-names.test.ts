import { describe, expect, it } from 'vitest'
import { boundNameRows, readBoundName } from './bound-names.js'

const DEVICE = 'abcdefghijklmnopqrstuvwxyz'

describe('readBoundName', () => {
  it('reads "<26 base32 characters>.<domain>" as one device of that site', () => {
    expect(readBoundName(`${DEVICE}.shop.example`)).toEqual({
      kind: 'device',
      name: `${DEVICE}.shop.example`,
      device: DEVICE,
      site: 'shop.example',
    })
    expect(readBoundName(`${DEVICE}.localhost:5180`)).toMatchObject({ site: 'localhost:5180' })
  })

  it.each([
    'shop.example',
    `${DEVICE}`,
    `${DEVICE.slice(1)}.shop.example`,
    `${DEVICE}a.shop.example`,
    `${DEVICE.slice(1)}1.shop.example`,
    `${DEVICE.toUpperCase()}.shop.example`,
  ])('reads %s as a site', (name) => {
    expect(readBoundName(name)).toEqual({ kind: 'site', name })
  })
})

describe('boundNameRows', () => {
  it('labels the first row only, and says when there is none', () => {
    expect(boundNameRows([])).toEqual([['bound names', '(none: no slot is taken)']])
    expect(boundNameRows(['a.example', `${DEVICE}.a.example`])).toEqual([
      ['bound names', 'a.example', 'site'],
      ['', `${DEVICE}.a.example`, `device ${DEVICE} on a.example`],
    ])
  })
})

import { isLicenseKey, normalizeLicenseKey } from '@licensekit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  completeLicenseKeyInput,
  type FormatLicenseKeyInputOptions,
  formatLicenseKeyInput,
  interpretKeyEdit,
  licenseKeyFormatError,
} from './key-input-format.js'

/** Types `text` one character at a time at the caret, formatting after each, like the hook. */
function typeInto(
  start: { value: string; caret: number },
  text: string,
  options: FormatLicenseKeyInputOptions = {},
) {
  let field = start
  const values: string[] = []
  for (const char of text) {
    const raw = field.value.slice(0, field.caret) + char + field.value.slice(field.caret)
    field = formatLicenseKeyInput(raw, field.caret + 1, options)
    values.push(field.value)
  }
  return { ...field, values }
}

const empty = { value: '', caret: 0 }

describe('formatLicenseKeyInput', () => {
  it('upper-cases and groups a key typed with its dashes', () => {
    const typed = typeInto(empty, 'shop-a1b2c3d4e5f6g7h8')
    expect(typed.value).toBe('SHOP-A1B2-C3D4-E5F6-G7H8')
    expect(typed.caret).toBe(24)
    expect(typed.values.slice(0, 10)).toEqual([
      'S',
      'SH',
      'SHO',
      'SHOP',
      'SHOP-',
      'SHOP-A',
      'SHOP-A1',
      'SHOP-A1B',
      'SHOP-A1B2',
      'SHOP-A1B2-C',
    ])
  })

  it('accepts the dashes the user types between groups, without doubling them', () => {
    expect(typeInto(empty, 'shop-a1b2-c3d4-e5f6-g7h8').value).toBe('SHOP-A1B2-C3D4-E5F6-G7H8')
    expect(typeInto(empty, 'SHOP-A1B2-').values.at(-1)).toBe('SHOP-A1B2-')
    expect(typeInto(empty, 'SHOP-A1B2--').value).toBe('SHOP-A1B2-')
  })

  it('takes the prefix from the first dash or blank typed, whatever its length', () => {
    expect(typeInto(empty, 'ab-1234567890123456').value).toBe('AB-1234-5678-9012-3456')
    expect(typeInto(empty, 'enterprise ABCD').value).toBe('ENTERPRISE-ABCD')
    expect(typeInto(empty, 'v2-x').value).toBe('V2-X')
  })

  it('groups nothing while no dash says where the prefix ends', () => {
    expect(typeInto(empty, 'shopa1b2c3d4e5f6g7h8').value).toBe('SHOPA1B2C3D4E5F6G7H8')
  })

  it('inserts the dash after a known prefix once the next character comes', () => {
    const typed = typeInto(empty, 'shopa1b2c3', { prefix: 'shop' })
    expect(typed.values.slice(3, 6)).toEqual(['SHOP', 'SHOP-A', 'SHOP-A1'])
    expect(typed.value).toBe('SHOP-A1B2-C3')
    expect(typed.caret).toBe(12)
    expect(typeInto(empty, 'prox', { prefix: 'SHOP' }).value).toBe('PROX')
  })

  it('splits a whole dashless key like normalizeLicenseKey does', () => {
    expect(formatLicenseKeyInput('shopa1b2c3d4e5f6g7h8', 20, { whole: true }).value).toBe(
      'SHOP-A1B2-C3D4-E5F6-G7H8',
    )
    expect(formatLicenseKeyInput('A1B2C3D4E5F6G7H8', 16, { whole: true }).value).toBe(
      'A1B2C3D4E5F6G7H8',
    )
  })

  it('does not take a trailing blank of a whole key for the prefix dash', () => {
    expect(formatLicenseKeyInput('shopa1b2c3d4e5f6g7h8 ', 21, { whole: true })).toEqual({
      value: 'SHOP-A1B2-C3D4-E5F6-G7H8',
      caret: 24,
    })
    expect(formatLicenseKeyInput('SHOP-', 5, { whole: true }).value).toBe('SHOP')
  })

  it('formats pasted keys with blanks, unicode dashes and stray characters', () => {
    for (const pasted of [
      '  shop a1b2 c3d4 e5f6 g7h8\n',
      'SHOP–A1B2–C3D4–E5F6–G7H8',
      'SHOP-A1B2-C3D4-E5F6-G7H8.',
      '"SHOP-A1B2-C3D4-E5F6-G7H8"',
    ]) {
      const field = formatLicenseKeyInput(pasted, pasted.length, { whole: true })
      expect(field.value).toBe('SHOP-A1B2-C3D4-E5F6-G7H8')
      expect(field.caret).toBe(24)
    }
  })

  it('keeps extra characters so the user sees them, never re-grouping a five-group key silently', () => {
    const value = formatLicenseKeyInput('SHOP-A1B2-C3D4-E5F6-G7H8-XXXX').value
    expect(value).toBe('SHOP-A1B2-C3D4-E5F6-G7H8-XXXX')
    expect(isLicenseKey(value)).toBe(false)
    expect(licenseKeyFormatError(value)).toMatch(/too many characters/)
  })

  it('keeps the caret after the same character when typing in the middle', () => {
    // "SHOP-A1|B2-C3D4" + "x" → "SHOP-A1X|B-2C3D-4"
    const field = formatLicenseKeyInput('SHOP-A1xB2-C3D4', 8)
    expect(field).toEqual({ value: 'SHOP-A1XB-2C3D-4', caret: 8 })
  })

  it('keeps the caret before a regrouped character when deleting in the middle', () => {
    // "SHOP-A1B2-C|3D4" backspace → "SHOP-A1B2-|3D4" → "SHOP-A1B2|-3D4"
    expect(formatLicenseKeyInput('SHOP-A1B2-3D4', 10)).toEqual({
      value: 'SHOP-A1B2-3D4',
      caret: 10,
    })
    // "SHOP-A|1B2-C3D4" backspace → "SHOP-|1B2-C3D4" → "SHOP-|1B2C-3D4"
    expect(formatLicenseKeyInput('SHOP-1B2-C3D4', 5)).toEqual({ value: 'SHOP-1B2C-3D4', caret: 5 })
  })

  it('puts the caret after a dash the user just typed', () => {
    expect(formatLicenseKeyInput('SHOP-', 5)).toEqual({ value: 'SHOP-', caret: 5 })
    // a dash typed in the middle of a group is dropped; the caret stays after the character
    expect(formatLicenseKeyInput('SHOP-A1-B2', 8)).toEqual({ value: 'SHOP-A1B2', caret: 7 })
  })

  it('merges the prefix when the user deletes its dash', () => {
    expect(formatLicenseKeyInput('SHOPA1B2', 4)).toEqual({ value: 'SHOPA1B2', caret: 4 })
  })

  it('does not move the caret for a dropped character', () => {
    expect(formatLicenseKeyInput('SH!OP-A1', 3)).toEqual({ value: 'SHOP-A1', caret: 2 })
    expect(formatLicenseKeyInput('é', 1)).toEqual({ value: '', caret: 0 })
  })

  it('ignores dashes before the first character', () => {
    expect(formatLicenseKeyInput('--shop', 6)).toEqual({ value: 'SHOP', caret: 4 })
  })

  it('produces a value that formatting again leaves unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ab12AB- xé–'), maxLength: 40 }),
        fc.boolean(),
        (raw, whole) => {
          const once = formatLicenseKeyInput(raw, raw.length, { whole })
          const twice = formatLicenseKeyInput(once.value, once.caret, { whole })
          expect(twice).toEqual(once)
        },
      ),
    )
  })

  it('agrees with normalizeLicenseKey on every complete key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ABCXYZ0189'), minLength: 2, maxLength: 10 }),
        fc.string({ unit: fc.constantFrom(...'ABCXYZ0189'), minLength: 16, maxLength: 16 }),
        fc.constantFrom('-', ' ', ''),
        (prefix, body, separator) => {
          const groups = [body.slice(0, 4), body.slice(4, 8), body.slice(8, 12), body.slice(12)]
          const raw = [prefix, ...groups].join(separator).toLowerCase()
          const field = formatLicenseKeyInput(raw, raw.length, { whole: true })
          expect(field.value).toBe(normalizeLicenseKey(raw))
          expect(isLicenseKey(field.value)).toBe(true)
        },
      ),
    )
  })
})

describe('licenseKeyFormatError', () => {
  it('says nothing about an empty or incomplete key', () => {
    for (const value of ['', 'S', 'SHOP', 'SHOP-', 'SHOP-A1B2-C', 'SHOPA1B2C3D4E5F6G7H8']) {
      expect(licenseKeyFormatError(value)).toBeNull()
    }
  })

  it('explains a prefix of the wrong length and too many characters', () => {
    expect(licenseKeyFormatError('S-A1B2')).toMatch(/2 to 10 letters or digits/)
    expect(licenseKeyFormatError('ENTERPRISES-A1B2')).toMatch(/2 to 10 letters or digits/)
    expect(licenseKeyFormatError('SHOP-A1B2-C3D4-E5F6-G7H8-X')).toMatch(/too many characters/)
    expect(licenseKeyFormatError('X'.repeat(27))).toMatch(/longer than a license key/)
  })
})

const ECO = { prefix: 'ECO', groups: 3 } as const
const THREE = { groups: 3 } as const

describe('formatLicenseKeyInput with a format', () => {
  it("inserts the dash after the format's prefix without a prefix option", () => {
    expect(typeInto(empty, 'ecoa1b2c3d4e5f6', { format: ECO }).value).toBe('ECO-A1B2-C3D4-E5F6')
  })

  it('splits a whole dashless key into three groups', () => {
    expect(formatLicenseKeyInput('ecoa1b2c3d4e5f6', 15, { format: THREE, whole: true })).toEqual({
      value: 'ECO-A1B2-C3D4-E5F6',
      caret: 18,
    })
    expect(formatLicenseKeyInput('shopa1b2c3d4e5f6g7h8', 20, { whole: true }).value).toBe(
      'SHOP-A1B2-C3D4-E5F6-G7H8',
    )
    expect(
      formatLicenseKeyInput('shopa1b2c3d4e5f6g7h8', 20, { format: THREE, whole: true }),
    ).toEqual({ value: 'SHOPA1B2-C3D4-E5F6-G7H8', caret: 23 })
  })

  it('keeps a typed dash after the second group only while a third is to come', () => {
    expect(formatLicenseKeyInput('ECO-A1B2-C3D4-', 14, { format: THREE }).value).toBe(
      'ECO-A1B2-C3D4-',
    )
    expect(formatLicenseKeyInput('ECO-A1B2-C3D4-E5F6-', 19, { format: THREE }).value).toBe(
      'ECO-A1B2-C3D4-E5F6',
    )
    expect(formatLicenseKeyInput('ECO-A1B2-C3D4-E5F6-', 19).value).toBe('ECO-A1B2-C3D4-E5F6-')
  })

  it('agrees with normalizeLicenseKey on every complete three-group key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ABCXYZ0189'), minLength: 2, maxLength: 10 }),
        fc.string({ unit: fc.constantFrom(...'ABCXYZ0189'), minLength: 12, maxLength: 12 }),
        fc.constantFrom('-', ' ', ''),
        (prefix, body, separator) => {
          const raw = [prefix, body.slice(0, 4), body.slice(4, 8), body.slice(8)]
            .join(separator)
            .toLowerCase()
          const field = formatLicenseKeyInput(raw, raw.length, { format: THREE, whole: true })
          expect(field.value).toBe(normalizeLicenseKey(raw, THREE))
          expect(isLicenseKey(field.value, THREE)).toBe(true)
        },
      ),
    )
  })
})

describe('interpretKeyEdit', () => {
  it('formats a typed character like formatLicenseKeyInput', () => {
    expect(interpretKeyEdit('SHOP-A1B2', 'SHOP-A1B2c', 10, 'insertText')).toEqual({
      value: 'SHOP-A1B2-C',
      caret: 11,
    })
  })

  it.each(['insertFromPaste', 'insertFromDrop', 'insertFromYank', 'insertReplacementText'])(
    'takes a %s edit for a whole key',
    (inputType) => {
      expect(interpretKeyEdit('', 'shopa1b2c3d4e5f6g7h8', 20, inputType)).toEqual({
        value: 'SHOP-A1B2-C3D4-E5F6-G7H8',
        caret: 24,
      })
    },
  )

  it('takes an edit without inputType for a whole key after a paste event or when many characters arrive', () => {
    expect(interpretKeyEdit('', 'shopa1b2c3d4e5f6g7h8', 20, '').value).toBe(
      'SHOP-A1B2-C3D4-E5F6-G7H8',
    )
    expect(interpretKeyEdit('SHOPA1B2C3D4E5F6G7H', 'SHOPA1B2C3D4E5F6G7H8', 20, '').value).toBe(
      'SHOPA1B2C3D4E5F6G7H8',
    )
    expect(
      interpretKeyEdit('SHOPA1B2C3D4E5F6G7H', 'SHOPA1B2C3D4E5F6G7H8', 20, '', { pasted: true })
        .value,
    ).toBe('SHOP-A1B2-C3D4-E5F6-G7H8')
  })

  it('never takes typed characters for a whole key', () => {
    expect(
      interpretKeyEdit('SHOPA1B2C3D4E5F6G7H', 'SHOPA1B2C3D4E5F6G7H8', 20, 'insertText', {
        pasted: true,
      }).value,
    ).toBe('SHOPA1B2C3D4E5F6G7H8')
  })

  it('deletes the character before a placed dash on backspace and after it on Delete', () => {
    // SHOP-A1B2-|C3 backspace removes the dash at 9: the formatter would put it back
    expect(interpretKeyEdit('SHOP-A1B2-C3', 'SHOP-A1B2C3', 9, 'deleteContentBackward')).toEqual({
      value: 'SHOP-A1BC-3',
      caret: 8,
    })
    // SHOP-A1BC|-3 Delete removes the dash at 9
    expect(interpretKeyEdit('SHOP-A1BC-3', 'SHOP-A1BC3', 9, 'deleteContentForward')).toEqual({
      value: 'SHOP-A1BC',
      caret: 9,
    })
  })

  it('lets the prefix dash go, which the formatter does not put back', () => {
    expect(interpretKeyEdit('SHOP-A1', 'SHOPA1', 4, 'deleteContentBackward')).toEqual({
      value: 'SHOPA1',
      caret: 4,
    })
  })

  it('groups by the format', () => {
    expect(
      interpretKeyEdit('', 'ecoa1b2c3d4e5f6', 15, 'insertFromPaste', { format: THREE }),
    ).toEqual({ value: 'ECO-A1B2-C3D4-E5F6', caret: 18 })
    expect(interpretKeyEdit('ECO', 'ECOa', 4, 'insertText', { format: ECO }).value).toBe('ECO-A')
  })
})

describe('completeLicenseKeyInput', () => {
  it('completes a whole dashless key and leaves anything else as it is', () => {
    expect(completeLicenseKeyInput('SHOPA1B2C3D4E5F6G7H8')).toBe('SHOP-A1B2-C3D4-E5F6-G7H8')
    expect(completeLicenseKeyInput('SHOPA1B2C3D4')).toBe('SHOPA1B2C3D4')
    expect(completeLicenseKeyInput('SHOP-A1B2-')).toBe('SHOP-A1B2-')
    expect(completeLicenseKeyInput('ECOA1B2C3D4E5F6', { format: ECO })).toBe('ECO-A1B2-C3D4-E5F6')
    expect(completeLicenseKeyInput('SHOPA1B2C3D4E5F6', { format: ECO })).toBe('SHOPA1B2C3D4E5F6')
  })
})

describe('licenseKeyFormatError with a format', () => {
  it('counts three groups', () => {
    expect(licenseKeyFormatError('ECO-A1B2-C3D4-E5F6', THREE)).toBeNull()
    expect(licenseKeyFormatError('ECO-A1B2-C3D4-E5F6-G', THREE)).toBe(
      'This has too many characters: after the prefix a key has three groups of four letters or digits.',
    )
    expect(licenseKeyFormatError('X'.repeat(23), THREE)).toBe(
      'This is longer than a license key. A key looks like PREFIX-XXXX-XXXX-XXXX.',
    )
  })

  it('refuses another prefix once typing more cannot make it the configured one', () => {
    for (const value of ['E', 'EC', 'ECO', 'ECO-', 'ECO-A1B2', 'ECOA1']) {
      expect(licenseKeyFormatError(value, ECO)).toBeNull()
    }
    for (const value of ['SHOP', 'EX', 'EC-A1B2', 'ECOX-A1B2', 'SHOP-A1B2-C3D4-E5F6']) {
      expect(licenseKeyFormatError(value, ECO)).toBe(
        'Keys here start with ECO-. A key looks like ECO-XXXX-XXXX-XXXX.',
      )
    }
  })

  it('builds its example from the configured prefix, never a fixed one', () => {
    expect(licenseKeyFormatError('X'.repeat(27))).toBe(
      'This is longer than a license key. A key looks like PREFIX-XXXX-XXXX-XXXX-XXXX.',
    )
    expect(licenseKeyFormatError('ECO'.repeat(9), ECO)).toMatch(/ECO-XXXX-XXXX-XXXX\.$/)
  })
})

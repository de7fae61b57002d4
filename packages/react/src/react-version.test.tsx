import { render } from '@testing-library/react'
import { useState, version } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'

/** Each Vitest project sets the React major it means to test (vitest.config.ts, vitest.react18.config.ts). */
const expected = process.env.LICENSEKIT_EXPECTED_REACT

function Counter() {
  const [count] = useState(41)
  return <p>{count + 1}</p>
}

describe('the React under test', () => {
  it('is the major this project was configured for, in react and react-dom alike', () => {
    expect(expected).toMatch(/^1[89]$/)
    expect(version.split('.')[0]).toBe(expected)
    expect(domVersion.split('.')[0]).toBe(expected)
  })

  it('is the same React inside Testing Library (hooks work)', () => {
    expect(render(<Counter />).container.textContent).toBe('42')
  })
})

// @vitest-environment node
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const dist = fileURLToPath(new URL('../dist/', import.meta.url))

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => `${dir}${name}`)
}

describe('the built package (run `pnpm build` first)', () => {
  it('has been built', () => {
    expect(existsSync(`${dist}index.js`)).toBe(true)
  })

  it("starts every module with 'use client'", () => {
    const modules = filesUnder(dist).filter((file) => file.endsWith('.js'))
    expect(modules.length).toBeGreaterThanOrEqual(8)
    for (const file of modules) {
      expect({ file, start: readFileSync(file, 'utf8').split('\n')[0] }).toEqual({
        file,
        start: "'use client';",
      })
    }
  })

  it('ships no tests and no test support', () => {
    expect(filesUnder(dist).filter((file) => /test/.test(file.slice(dist.length)))).toEqual([])
  })
})

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

  it("starts with 'use client' exactly the modules that use hooks or components", () => {
    const modules = filesUnder(dist)
      .filter((file) => file.endsWith('.js'))
      .map((file) => {
        const code = readFileSync(file, 'utf8')
        return {
          module: file.slice(dist.length),
          // Hooks and components come from React; type-only imports are erased from the output.
          usesReact: /^import [^;]+ from ['"]react(?:\/jsx-runtime)?['"];$/m.test(code),
          directive: code.split('\n')[0] === "'use client';",
        }
      })
    expect(modules.length).toBeGreaterThanOrEqual(11)
    for (const { module, usesReact, directive } of modules) {
      expect({ module, directive }).toEqual({ module, directive: usesReact })
    }
    const client = modules.filter((entry) => entry.directive).map((entry) => entry.module)
    expect(client).toEqual(
      expect.arrayContaining([
        'license-provider.js',
        'licensed.js',
        'use-license.js',
        'use-license-key-input.js',
        'use-license-key-field.js',
        'use-license-key-submit.js',
      ]),
    )
    expect(client).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(index|messages|key-input-format)\.js$/)]),
    )
  })

  it('ships no tests and no test support', () => {
    expect(filesUnder(dist).filter((file) => /test/.test(file.slice(dist.length)))).toEqual([])
  })
})

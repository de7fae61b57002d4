// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

describe('the README', () => {
  it('shows the settings page the tests run, character for character', () => {
    const readme = read('../README.md')
    const block = readme.match(
      /<!-- settings-example:start -->\n```tsx\n([\s\S]*?)```\n<!-- settings-example:end -->/,
    )
    expect(block?.[1]).toBe(read('./test-support/settings-example.tsx'))
  })
})

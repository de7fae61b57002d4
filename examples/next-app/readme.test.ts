import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

describe("@licensekit/react's README, Next.js section", () => {
  it('shows the files of this example as they are', () => {
    const readme = read('../../packages/react/README.md')
    const blocks = [...readme.matchAll(/```tsx?\n\/\/ examples\/next-app\/(\S+)\n([\s\S]*?)```\n/g)]
    expect(blocks.map(([, path]) => path)).toEqual([
      'lib/page-request.ts',
      'components/app-license-provider.tsx',
      'app/layout.tsx',
      'app/page.tsx',
    ])
    for (const [, path = '', shown] of blocks) expect(shown, path).toBe(read(`./${path}`))
  })
})

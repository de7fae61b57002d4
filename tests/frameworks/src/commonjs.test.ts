import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const fixture = fileURLToPath(new URL('./fixtures/require-packages.cjs', import.meta.url))

describe('the built packages from CommonJS (run `pnpm build` first)', () => {
  it('load through require() on this Node', async () => {
    const { stdout, stderr } = await run(process.execPath, [fixture], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    })
    expect(stdout.trim()).toBe('required 5 entry points')
    expect(stderr).not.toContain('ERR_')
  })
})

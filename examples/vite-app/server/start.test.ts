import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))

function start(env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts', '--proxy-only'], {
      cwd: appDir,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk
    })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('server/start.ts', () => {
  it('exits 1 with one clear line for a heartbeat the browser client would refuse', async () => {
    const result = await start({
      ECOSIRE_LICENSE_SECRET: 'a-secret-of-at-least-16-bytes',
      LICENSEKIT_UPSTREAM: 'http://127.0.0.1:9/api',
      LICENSEKIT_HEARTBEAT_MS: '1000',
      PORT: '0',
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([
      'LICENSEKIT_HEARTBEAT_MS must be a whole number of milliseconds, at least 60000 as the browser client requires (got "1000")',
    ])
  })
})

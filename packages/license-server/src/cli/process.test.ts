import { existsSync } from 'node:fs'
import { isLicenseKey } from '@licensekit/core'
import { signPayload } from '@licensekit/core/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawnCli, waitFor } from '../test-support/cli-process.js'
import { postOnContinue } from '../test-support/continue-post.js'
import { SECRET, signedPost } from '../test-support/signed-post.js'
import { makeTempDb, type TempDb } from '../test-support/temp-db.js'

let temp: TempDb

beforeEach(() => {
  temp = makeTempDb()
})

afterEach(() => {
  temp.remove()
})

describe('licensekit-server as a process', () => {
  it('exits non-zero with a message saying how to set the secret when none is set', async () => {
    const result = await spawnCli(['start', '--db', temp.path, '--port', '0']).exited
    expect(result.code).not.toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/ECOSIRE_LICENSE_SECRET is not set.*export/)
  })

  it('prints issued keys alone on stdout', async () => {
    const result = await spawnCli([
      'issue',
      '--prefix',
      'SHOP',
      '--limit',
      '2',
      '--count',
      '2',
      '--db',
      temp.path,
    ]).exited
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines.pop()).toBe('')
    expect(lines).toHaveLength(2)
    expect(lines.every(isLicenseKey)).toBe(true)
  })

  it('serves requests; on SIGTERM finishes the one in flight, closes the database, exits 0', async () => {
    const issued = await spawnCli(['issue', '--prefix', 'SHOP', '--db', temp.path]).exited
    const key = issued.stdout.trim()
    const server = spawnCli(['start', '--db', temp.path, '--port', '0'], {
      ECOSIRE_LICENSE_SECRET: SECRET,
    })
    const apiBase = await waitFor(server.child, server.output, /\(API (\S+),/)
    const timestamp = Math.floor(Date.now() / 1000)
    const answer = await signedPost(apiBase, 'activate', key, 'a.example', { timestamp })
    expect(answer.body).toEqual({ activated: true, activationsCount: 1, activationsLimit: 1 })

    const payload = { key, domain: 'a.example', timestamp: String(timestamp) }
    const inFlight = await postOnContinue(
      `${apiBase}/licenses/validate`,
      JSON.stringify(payload),
      { 'x-ecosire-signature': await signPayload(SECRET, payload) },
      () => server.child.kill('SIGTERM'),
    )
    expect(inFlight.status).toBe(200)
    expect(JSON.parse(inFlight.text)).toMatchObject({ valid: true })

    const result = await server.exited
    expect(result).toMatchObject({ code: 0, signal: null })
    expect(result.stderr).toMatch(/^POST \/api\/licenses\/activate 200 \d+ms$/m)
    expect(result.stderr).toMatch(/SIGTERM: finishing in-flight requests/)
    expect(existsSync(`${temp.path}-wal`)).toBe(false)

    const shown = await spawnCli(['show', key, '--db', temp.path]).exited
    expect(shown.stdout).toMatch(/^bound names\s+a\.example\s+site$/m)
  }, 30_000)
})

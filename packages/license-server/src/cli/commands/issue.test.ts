import { isLicenseKey } from '@licensekit/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLicenseServer, type LicenseServer } from '../../server/create-license-server.js'
import { spawnCli } from '../../test-support/cli-process.js'
import { SECRET, signedPost } from '../../test-support/signed-post.js'
import { makeTempDb, type TempDb } from '../../test-support/temp-db.js'

let temp: TempDb
let server: LicenseServer

beforeEach(() => {
  temp = makeTempDb()
  server = createLicenseServer({ db: temp.path, secret: SECRET, log: false })
})

afterEach(async () => {
  await server.close()
  temp.remove()
})

/** Activates new domains back to back until `stop()` resolves; counts the answers. */
function activationLoad(apiBase: string, key: string) {
  let running = true
  let activated = 0
  const failures: unknown[] = []
  const worker = async (lane: number) => {
    for (let i = 0; running; i++) {
      const answer = await signedPost(apiBase, 'activate', key, `d${lane}-${i}.example`, {
        timestamp: Math.floor(Date.now() / 1000),
      })
      if (answer.status === 200) activated++
      else failures.push(answer)
    }
  }
  const lanes = Promise.all([0, 1, 2, 3].map(worker))
  return {
    activated: () => activated,
    async stop() {
      running = false
      await lanes
      return failures
    },
  }
}

describe('issue while a server writes to the same file', () => {
  it('20 concurrent `issue --count 50` runs all succeed under activation load', async () => {
    const { apiBase } = await server.listen()
    const [key] = server.store.issue({ prefix: 'LOAD', limit: 1_000_000 })
    const load = activationLoad(apiBase, key as string)
    const runs = Array.from(
      { length: 20 },
      () => spawnCli(['issue', '--prefix', 'SHOP', '--count', '50', '--db', temp.path]).exited,
    )
    const results = await Promise.all(runs)
    const loadFailures = await load.stop()

    expect(results.map((result) => result.stderr).filter(Boolean)).toEqual([])
    expect(results.map((result) => result.code)).toEqual(Array(20).fill(0))
    const keys = results.flatMap((result) => result.stdout.trim().split('\n'))
    expect(keys).toHaveLength(1000)
    expect(keys.every(isLicenseKey)).toBe(true)
    expect(new Set(keys).size).toBe(1000)
    expect(loadFailures).toEqual([])
    expect(load.activated()).toBeGreaterThan(0)
    expect(server.store.list()).toHaveLength(1001)
  }, 60_000)
})

import { LicenseError } from '@licensekit/core'
import { createLicenseServer } from '../../server/create-license-server.js'
import { dbPath, integerOption, parseCommandArgs, stringOption } from '../args.js'
import type { Command } from '../command.js'

export const DEFAULT_PORT = 4010
export const DEFAULT_HOST = '127.0.0.1'
const SECRET_VARIABLE = 'ECOSIRE_LICENSE_SECRET'

function secretFrom(env: Readonly<Record<string, string | undefined>>): string {
  const secret = env[SECRET_VARIABLE]
  if (!secret) {
    throw new LicenseError(
      'invalid_config',
      `${SECRET_VARIABLE} is not set: set it to the shared signing secret (16 bytes or more), e.g. export ${SECRET_VARIABLE}="$(openssl rand -hex 32)"`,
    )
  }
  return secret
}

/**
 * `start [--port N] [--host H]`: serves the API until SIGINT or SIGTERM, then lets in-flight
 * requests finish and closes the database. Request lines go to stderr.
 */
export const start: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, { port: { type: 'string' }, host: { type: 'string' } }, 0)
  const port = integerOption(args, 'port', DEFAULT_PORT)
  if (port > 65535) throw new LicenseError('bad_request', `Invalid --port ${port}`)
  const host = stringOption(args, 'host') ?? DEFAULT_HOST
  const db = dbPath(args)
  const server = createLicenseServer({
    db,
    secret: secretFrom(io.env),
    log: (line) => io.stderr(`${line}\n`),
  })
  const shutdown = io.waitForShutdown()
  try {
    const address = await server.listen({ port, host })
    io.stdout(
      `licensekit-server listening on ${address.origin} (API ${address.apiBase}, db ${db})\n`,
    )
  } catch (error) {
    await server.close()
    throw error
  }
  const signal = await shutdown
  io.stderr(`${signal}: finishing in-flight requests, then closing ${db}\n`)
  await server.close()
  return 0
}

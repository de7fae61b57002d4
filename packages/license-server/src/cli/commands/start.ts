import { LicenseError } from '@licensekit/core'
import { createLicenseServer } from '../../server/create-license-server.js'
import { BufferedLog } from '../../server/request-log.js'
import { dbPath, integerOption, parseCommandArgs, stringOption } from '../args.js'
import type { Command } from '../command.js'

export const DEFAULT_PORT = 4010
export const DEFAULT_HOST = '127.0.0.1'
const SECRET_VARIABLE = 'ECOSIRE_LICENSE_SECRET'
const WEBHOOK_SECRET_VARIABLE = 'LICENSEKIT_WEBHOOK_SECRET'

function secretFrom(env: Readonly<Record<string, string | undefined>>, variable: string): string {
  const secret = env[variable]
  if (!secret) {
    throw new LicenseError(
      'invalid_config',
      `${variable} is not set: set it to the shared signing secret (16 bytes or more), e.g. export ${variable}="$(openssl rand -hex 32)"`,
    )
  }
  return secret
}

/**
 * `start [--port N] [--host H] [--webhook-url URL]`: serves the API until SIGINT or SIGTERM,
 * then lets in-flight requests finish and closes the database. Request lines go to stderr,
 * buffered: written at most a second after the request, and before the shutdown line.
 * With `--webhook-url`, every change is also sent there (secret `LICENSEKIT_WEBHOOK_SECRET`).
 */
export const start: Command = async (argv, io) => {
  const args = parseCommandArgs(
    argv,
    { port: { type: 'string' }, host: { type: 'string' }, 'webhook-url': { type: 'string' } },
    0,
  )
  const port = integerOption(args, 'port', DEFAULT_PORT)
  if (port > 65535) throw new LicenseError('bad_request', `Invalid --port ${port}`)
  const host = stringOption(args, 'host') ?? DEFAULT_HOST
  const db = dbPath(args)
  const webhookUrl = stringOption(args, 'webhook-url')
  const secret = secretFrom(io.env, SECRET_VARIABLE)
  const webhook =
    webhookUrl === undefined
      ? undefined
      : { url: webhookUrl, secret: secretFrom(io.env, WEBHOOK_SECRET_VARIABLE) }
  const requestLog = new BufferedLog(io.stderr)
  try {
    const server = createLicenseServer({ db, secret, log: requestLog.line, webhook })
    const shutdown = io.waitForShutdown()
    try {
      const address = await server.listen({ port, host })
      io.stdout(
        `licensekit-server listening on ${address.origin} (API ${address.apiBase}, db ${db})\n`,
      )
      if (webhook !== undefined) io.stdout(`sending webhooks to ${webhook.url}\n`)
    } catch (error) {
      await server.close()
      throw error
    }
    const signal = await shutdown
    requestLog.flush()
    io.stderr(`${signal}: finishing in-flight requests, then closing ${db}\n`)
    await server.close()
    return 0
  } finally {
    requestLog.close()
  }
}

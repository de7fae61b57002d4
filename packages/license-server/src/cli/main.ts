import { isLicenseError } from '@licensekit/core'
import type { Command } from './command.js'
import { changeStatus } from './commands/change-status.js'
import { list, show } from './commands/inspect.js'
import { issue } from './commands/issue.js'
import { listEvents } from './commands/list-events.js'
import { seedDemo } from './commands/seed-demo.js'
import { start } from './commands/start.js'
import type { CliIo } from './io.js'
import { USAGE } from './usage.js'

const COMMANDS: Readonly<Record<string, Command>> = {
  start,
  issue,
  list,
  show,
  revoke: changeStatus('revoke'),
  suspend: changeStatus('suspend'),
  reinstate: changeStatus('reinstate'),
  expire: changeStatus('expire'),
  'seed-demo': seedDemo,
  'list-events': listEvents,
}

/** Exit codes: 0 done, 1 refused or failed (unknown key, bad configuration), 2 usage error. */
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

function exitCodeFor(error: unknown): number {
  return isLicenseError(error) && error.code === 'bad_request' ? EXIT_USAGE : EXIT_FAILURE
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0] ?? text
}

/** Runs the CLI on `argv` (without node and the script) and resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) {
    io.stderr(USAGE)
    return EXIT_USAGE
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE)
    return 0
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!command) {
    io.stderr(`licensekit-server: unknown command "${name}" (run licensekit-server help)\n`)
    return EXIT_USAGE
  }
  try {
    return await command(rest, io)
  } catch (error) {
    io.stderr(`licensekit-server ${name}: ${messageOf(error)}\n`)
    return exitCodeFor(error)
  }
}

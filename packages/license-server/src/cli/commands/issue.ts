import { dbPath, integerOption, parseCommandArgs, requiredOption, stringOption } from '../args.js'
import { type Command, withStore } from '../command.js'

/** `issue --prefix P [--limit N] [--expires DATE] [--count N]`: prints each new key alone on a line. */
export const issue: Command = async (argv, io) => {
  const args = parseCommandArgs(
    argv,
    {
      prefix: { type: 'string' },
      limit: { type: 'string' },
      expires: { type: 'string' },
      count: { type: 'string' },
    },
    0,
  )
  const keys = withStore(dbPath(args), (store) =>
    store.issue({
      prefix: requiredOption(args, 'prefix'),
      limit: integerOption(args, 'limit', 1),
      expiresAt: stringOption(args, 'expires') ?? null,
      count: integerOption(args, 'count', 1),
    }),
  )
  io.stdout(keys.map((key) => `${key}\n`).join(''))
  return 0
}

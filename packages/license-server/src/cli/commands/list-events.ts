import type { OutboxEvent } from '../../store/outbox.js'
import { dbPath, integerOption, parseCommandArgs } from '../args.js'
import { type Command, withStore } from '../command.js'
import { formatTable } from '../table.js'

function stateOf(event: OutboxEvent): string {
  if (event.deliveredAt !== null) return `delivered ${event.deliveredAt}`
  if (event.attempts === 0) return 'pending'
  return `retry ${event.nextAttemptAt} (${event.attempts} failed: ${event.lastError})`
}

/** `list-events [--limit N] [--json]`: the webhook outbox, oldest of the last N first. */
export const listEvents: Command = async (argv, io) => {
  const args = parseCommandArgs(argv, { limit: { type: 'string' }, json: { type: 'boolean' } }, 0)
  const limit = Math.max(1, integerOption(args, 'limit', 50))
  const events = withStore(dbPath(args), (store) => store.outbox.recent(limit))
  if (args.values.json) io.stdout(`${JSON.stringify(events, null, 2)}\n`)
  else if (events.length === 0) io.stderr(`No webhook events in ${dbPath(args)}\n`)
  else {
    const rows = events.map((event) => [
      String(event.id),
      event.createdAt,
      event.event,
      event.data.licenseKey,
      event.data.domain ?? '',
      stateOf(event),
    ])
    io.stdout(formatTable([['#', 'created', 'event', 'key', 'domain', 'delivery'], ...rows]))
  }
  return 0
}

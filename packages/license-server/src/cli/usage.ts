export const USAGE = `Usage: licensekit-server <command> [options]

A local ECOSIRE-compatible license API on SQLite, and its admin commands.
Every command takes --db FILE (default ./licensekit.db); options may follow the key.

Commands:
  start [--port N] [--host H] [--webhook-url URL]
                                   serve the API (secret from ECOSIRE_LICENSE_SECRET),
                                   default 127.0.0.1:4010; with --webhook-url, send every
                                   change there (secret from LICENSEKIT_WEBHOOK_SECRET)
  issue --prefix P [--limit N] [--expires YYYY-MM-DD] [--features a,b] [--seats N] [--count N]
                                   issue keys, printed one per line (limit default 1);
                                   features and seats are returned by validate
  list [--json]                    every license
  show KEY [--json]                one license with its activated domains
  revoke KEY                       revoke for good
  suspend KEY                      suspend until reinstated
  reinstate KEY                    back to active (an expiry date still applies)
  expire KEY                       set the expiry date to now
  list-events [--limit N] [--json] the webhook outbox (default the last 50 events)
  seed-demo [--json]               issue one DEMO key per state and print them
  help                             this text
`

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * End of the grace period: `graceDays` after the last definite `active` answer, and never past the
 * license's own expiry.
 */
export function graceEndsAt(
  activeSince: number,
  graceDays: number,
  expiresAt: string | null,
): number {
  const end = activeSince + graceDays * DAY_MS
  return expiresAt === null ? end : Math.min(end, Date.parse(expiresAt))
}

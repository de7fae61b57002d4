import { isPlainObject } from '../plain-object.js'

/**
 * What one tab tells the others after it changed the shared record (`definite`) or met an
 * unreachable proxy (`unreachable`). The message carries no record: it is a hint to re-read
 * storage, and what is read there passes the same trust check as at start, so a message posted
 * by any same-origin script can never grant a license.
 */
export type TabHintKind = 'definite' | 'unreachable'

export interface TabHint {
  readonly licensekit: 1
  readonly kind: TabHintKind
}

export function tabHint(kind: TabHintKind): TabHint {
  return { licensekit: 1, kind }
}

/** The kind of a hint another tab posted, or null for anything that is not exactly a hint. */
export function parseTabHint(data: unknown): TabHintKind | null {
  if (!isPlainObject(data) || Object.keys(data).length !== 2 || data.licensekit !== 1) return null
  return data.kind === 'definite' || data.kind === 'unreachable' ? data.kind : null
}

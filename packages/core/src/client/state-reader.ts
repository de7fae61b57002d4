import { assessCacheTrust, type TrustContext } from './cache-trust.js'
import type { ResolvedOptions } from './options.js'
import type { LicenseRecord } from './record.js'
import {
  type CacheFollowUp,
  type RuleContext,
  type StateContent,
  stateFromCache,
  stateFromHint,
} from './state-rules.js'
import type { TabHintKind } from './tab-sync.js'

type ReaderOptions = Pick<ResolvedOptions, 'mode' | 'graceDays' | 'receipts'>

/**
 * Reads a state out of a record that did not come from a server answer just now (storage at
 * start, another tab's hint, an unreachable proxy): the record's trust is checked (receipt, key,
 * audience, clock) before the state rules decide. `audience` gives the name receipts must be
 * issued to: the domain, or `<device>.<domain>` under device binding.
 */
export class StateReader {
  readonly #options: ReaderOptions
  readonly #audience: () => Promise<string | undefined>

  constructor(options: ReaderOptions, audience: () => Promise<string | undefined>) {
    this.#options = options
    this.#audience = audience
  }

  async fromCache(
    record: LicenseRecord | null,
    at: number,
    unreachable: boolean,
  ): Promise<{ state: StateContent; followUp: CacheFollowUp }> {
    const context = await this.#context(at)
    return stateFromCache(record, await assessCacheTrust(record, context), context, unreachable)
  }

  async fromHint(
    record: LicenseRecord | null,
    at: number,
    kind: TabHintKind,
  ): Promise<StateContent> {
    const context = await this.#context(at)
    return stateFromHint(record, await assessCacheTrust(record, context), context, kind)
  }

  /** The state while there is no key to check (device mode): `unlicensed`. */
  withoutKey(record: LicenseRecord | null, at: number): StateContent {
    return stateFromCache(record, { kind: 'none' }, { ...this.#options, now: at }, false).state
  }

  /** What the trust check and the state rules need at `at` (the audience only with receipts). */
  async #context(at: number): Promise<RuleContext & TrustContext> {
    const domain = this.#options.receipts === undefined ? undefined : await this.#audience()
    return { ...this.#options, domain, now: at }
  }
}

import { assessCacheTrust } from './cache-trust.js'
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
    return stateFromCache(record, await this.#trust(record, at), this.#context(at), unreachable)
  }

  async fromHint(
    record: LicenseRecord | null,
    at: number,
    kind: TabHintKind,
  ): Promise<StateContent> {
    return stateFromHint(record, await this.#trust(record, at), this.#context(at), kind)
  }

  /** The state while there is no key to check (device mode): `unlicensed`. */
  withoutKey(record: LicenseRecord | null, at: number): StateContent {
    return stateFromCache(record, { kind: 'none' }, this.#context(at), false).state
  }

  async #trust(record: LicenseRecord | null, at: number) {
    const { mode, receipts } = this.#options
    const domain = receipts === undefined ? undefined : await this.#audience()
    return assessCacheTrust(record, { mode, receipts, domain, now: at })
  }

  #context(at: number): RuleContext {
    return { mode: this.#options.mode, graceDays: this.#options.graceDays, now: at }
  }
}

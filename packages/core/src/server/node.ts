/**
 * `@licensekit/core/server` under the `node` export condition: the same API, signing and
 * verifying with `node:crypto` (synchronous, no thread-pool hop) instead of WebCrypto, and
 * posting upstream with `node:http` instead of `fetch` when no `fetch` option is given.
 */
import { nodeHmacHex } from './hmac-node.js'
import { useDefaultExchange } from './proxy/upstream-exchange.js'
import { nodeExchange } from './proxy/upstream-exchange-node.js'
import { useHmac } from './signing.js'

useHmac(nodeHmacHex)
useDefaultExchange(nodeExchange)

export * from './index.js'

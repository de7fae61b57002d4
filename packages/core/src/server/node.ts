/**
 * `@licensekit/core/server` under the `node` export condition: the same API, signing and
 * verifying with `node:crypto` (synchronous, no thread-pool hop) instead of WebCrypto.
 */
import { nodeHmacHex } from './hmac-node.js'
import { useHmac } from './signing.js'

useHmac(nodeHmacHex)

export * from './index.js'

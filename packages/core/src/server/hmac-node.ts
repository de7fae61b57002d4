/// <reference types="node" />
/** HMAC-SHA256 on `node:crypto`: what the `node` export condition signs and verifies with. */
import { createHmac } from 'node:crypto'

/** Lowercase hex HMAC-SHA256 of the UTF-8 `message` under the UTF-8 `secret`. */
export function nodeHmacHex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex')
}

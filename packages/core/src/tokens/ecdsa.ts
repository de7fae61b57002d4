/** ES256 (ECDSA P-256 + SHA-256) parameters shared by signing and verification. */
export const ECDSA_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const
export const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const
/** WebCrypto's ECDSA signatures are IEEE P1363: r ‖ s, 32 bytes each for P-256. */
export const SIGNATURE_BYTES = 64

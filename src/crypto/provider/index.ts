/**
 * Crypto primitives behind one interface, with a node:crypto and a @noble/* implementation that
 * agree byte for byte. See `types.ts` for the contract: encodings, nonce rules and limits.
 *
 * @example
 * ```ts
 * import { defaultProvider } from './crypto/provider/index.ts'
 *
 * const crypto = defaultProvider()
 * const alice = await crypto.x25519GenerateKeyPair()
 * ```
 */
export * from './constants.ts'
export { ed25519PrivateToX25519, ed25519PublicToX25519 } from './convert.ts'
export { defaultProvider } from './default.ts'
export { DecryptionError, InvalidKeyError, LowOrderPointError } from './errors.ts'
export { NobleCryptoProvider, nobleCryptoProvider } from './noble.ts'
export { NodeCryptoProvider, nodeCryptoProvider } from './node.ts'
export type { CryptoProvider, Encapsulation, KeyPair } from './types.ts'

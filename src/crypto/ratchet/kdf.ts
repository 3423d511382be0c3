import { INFO_MESSAGE_KEYS, INFO_ROOT } from './constants.ts'
import type { CryptoProvider } from '../provider/types.ts'

const encoder = new TextEncoder()
const ROOT_INFO = encoder.encode(INFO_ROOT)
const MESSAGE_INFO = encoder.encode(INFO_MESSAGE_KEYS)
const ZERO_SALT = new Uint8Array(32)
const MESSAGE_KEY_SEED = Uint8Array.of(0x01)
const CHAIN_KEY_SEED = Uint8Array.of(0x02)
/** Both MACs of a chain step, under the chain key set up once */
const CHAIN_STEP_SEEDS = [CHAIN_KEY_SEED, MESSAGE_KEY_SEED]

/** KDF_RK: a new root key and chain key from the root key and a DH output (HKDF-SHA-256) */
export async function kdfRoot (provider: CryptoProvider, rootKey: Uint8Array, dhOutput: Uint8Array): Promise<[Uint8Array, Uint8Array]> {
  const out = await provider.hkdfSha256(dhOutput, rootKey, ROOT_INFO, 64)
  return [out.slice(0, 32), out.slice(32)]
}

/** KDF_CK: the next chain key and this step's message key (HMAC-SHA-256 with constants 2 and 1) */
export async function kdfChain (provider: CryptoProvider, chainKey: Uint8Array): Promise<[Uint8Array, Uint8Array]> {
  const [next, messageKey] = await provider.hmacSha256Each(chainKey, CHAIN_STEP_SEEDS)
  return [next, messageKey]
}

/**
 * The AES-256-GCM key and nonce for one message. Each message key encrypts exactly one
 * message, so a nonce derived from it is never reused under the same key. Both are views of one
 * fresh buffer, `okm`, for the caller to wipe once the AEAD call is done.
 */
export async function messageCipherKeys (provider: CryptoProvider, messageKey: Uint8Array): Promise<{ key: Uint8Array, nonce: Uint8Array, okm: Uint8Array }> {
  const okm = await provider.hkdfSha256(messageKey, ZERO_SALT, MESSAGE_INFO, 44)
  return { key: okm.subarray(0, 32), nonce: okm.subarray(32), okm }
}

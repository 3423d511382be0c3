import { gcm } from '@noble/ciphers/aes.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { CALL_ID_BYTES, SIGNAL_SECRET_BYTES } from './constants.ts'
import { InvalidCallSignalError } from './errors.ts'

/**
 * The keys of a call's direct signalling (`/parley/call-signal/1.0.0`), one for each way.
 *
 * The caller picks a secret and sends it in the invite, which travels in the pairwise session:
 * only the callee's identity can read it, and (PQXDH, Double Ratchet) no one recording the
 * traffic can read it later, quantum computer or not. What is sealed under keys derived from it
 * is as private and as surely the peer's as the session's own messages: Noise on the connection
 * authenticates the peer too, but its X25519 alone would not keep the candidates (both sides'
 * addresses) and the media keys in the descriptions from a recording read a decade on.
 */
export interface SignalKeys {
  /** Seals what this side sends */
  send: Uint8Array
  /** Opens what the other side sends */
  receive: Uint8Array
}

const CALLER = new TextEncoder().encode('Parley_CallSignal_Caller')
const CALLEE = new TextEncoder().encode('Parley_CallSignal_Callee')
const KEY_BYTES = 32
const NONCE_BYTES = 12

/** The keys of the call `call` (its 16-byte id) from its secret, for the side that is `role` */
export function signalKeys (secret: Uint8Array, call: Uint8Array, role: 'caller' | 'callee'): SignalKeys {
  if (secret.byteLength !== SIGNAL_SECRET_BYTES) throw new InvalidCallSignalError(`a signalling secret is ${SIGNAL_SECRET_BYTES} bytes`)
  if (call.byteLength !== CALL_ID_BYTES) throw new InvalidCallSignalError(`a call id is ${CALL_ID_BYTES} bytes`)
  const caller = hkdf(sha256, secret, call, CALLER, KEY_BYTES)
  const callee = hkdf(sha256, secret, call, CALLEE, KEY_BYTES)
  return role === 'caller' ? { send: caller, receive: callee } : { send: callee, receive: caller }
}

/**
 * Seals the `counter`-th signalling message one side sends in the call `call` (AES-256-GCM: the
 * counter is the nonce, so each is used once per key; the call id is bound as associated data).
 * Synchronous on purpose: messages are sealed in the order they are sent.
 */
export function sealSignal (key: Uint8Array, call: Uint8Array, counter: bigint, message: Uint8Array): Uint8Array {
  return gcm(key, nonceOf(counter), call).encrypt(message)
}

/** @throws {InvalidCallSignalError} when `sealed` was not sealed under `key` for this call and counter, or was changed */
export function openSignal (key: Uint8Array, call: Uint8Array, counter: bigint, sealed: Uint8Array): Uint8Array {
  try {
    return gcm(key, nonceOf(counter), call).decrypt(sealed)
  } catch {
    throw new InvalidCallSignalError('the call signal does not open under the call\'s key')
  }
}

function nonceOf (counter: bigint): Uint8Array {
  const nonce = new Uint8Array(NONCE_BYTES)
  new DataView(nonce.buffer).setBigUint64(NONCE_BYTES - 8, counter)
  return nonce
}

import { toString as toHex } from 'uint8arrays/to-string'
import { ed25519PrivateToX25519, ed25519PublicToX25519 } from './provider/convert.ts'
import type { PrivateKey } from '@libp2p/interface'

/** Peers' converted keys kept; a node talks to far fewer peers than this at a time */
const MAX_CACHED_PUBLIC_KEYS = 1_000

const secrets = new WeakMap<PrivateKey, Uint8Array>()
const publics = new Map<string, Uint8Array>()

/**
 * The X25519 form of an Ed25519 identity, computed once per key. Converting a public key checks
 * it is a torsion-free curve point, which costs a scalar multiplication; sealing and opening every
 * message converted both identities again (about 0.8 ms of a 4.4 ms round trip).
 */
export function identityX25519Secret (identity: PrivateKey): Uint8Array {
  let secret = secrets.get(identity)
  if (secret == null) {
    secret = ed25519PrivateToX25519(identity.raw)
    secrets.set(identity, secret)
  }
  return secret
}

/** As `identityX25519Secret`, for peers' public keys (throws `InvalidKeyError` for bad points) */
export function identityX25519Public (ed25519Public: Uint8Array): Uint8Array {
  const id = toHex(ed25519Public, 'base16')
  let converted = publics.get(id)
  if (converted == null) {
    converted = ed25519PublicToX25519(ed25519Public)
    if (publics.size >= MAX_CACHED_PUBLIC_KEYS) {
      publics.delete(publics.keys().next().value!)
    }
    publics.set(id, converted)
  }
  return converted
}

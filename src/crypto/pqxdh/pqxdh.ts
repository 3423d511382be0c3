import { concat } from 'uint8arrays/concat'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { identityX25519Public, identityX25519Secret } from '../identity-keys.ts'
import {
  ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES, INFO_PQXDH, ML_KEM_768_CIPHERTEXT_BYTES,
  ML_KEM_768_PUBLIC_BYTES, PQ_PREKEY_LABEL, SIGNED_PREKEY_LABEL, X25519_KEY_BYTES
} from './constants.ts'
import { InvalidBundleError, InvalidInitialMessageError, UnknownPrekeyError } from './errors.ts'
import type { CryptoProvider, KeyPair } from '../provider/types.ts'
import type { PrivateKey } from '@libp2p/interface'

const encoder = new TextEncoder()
const INFO = encoder.encode(INFO_PQXDH)
/** PQXDH's F: 32 0xFF bytes before the key material, so the X25519 outputs never start HKDF's input */
const F = new Uint8Array(32).fill(0xff)
const ZERO_SALT = new Uint8Array(32)

export interface SignedPrekey {
  id: number
  publicKey: Uint8Array
  /** Ed25519 signature of the identity key over the label and the public key */
  signature: Uint8Array
}

export interface OneTimePrekey {
  id: number
  publicKey: Uint8Array
}

/** What a node publishes so others can start a session with it while it is offline */
export interface PrekeyBundle {
  /** The Ed25519 identity public key (raw, 32 bytes): the key of the PeerId */
  identityKey: Uint8Array
  signedPrekey: SignedPrekey
  /** ML-KEM-768 prekey, signed like the X25519 one (a last-resort one, or a one-time one) */
  pqPrekey: SignedPrekey
  oneTimePrekey?: OneTimePrekey
}

/** What the initiator sends with its first messages, for the responder to derive the same key */
export interface InitialMessage {
  identityKey: Uint8Array
  ephemeralKey: Uint8Array
  kemCiphertext: Uint8Array
  signedPrekeyId: number
  pqPrekeyId: number
  oneTimePrekeyId?: number
}

export interface AgreedSession {
  /** SK: the Double Ratchet's first root key */
  sharedKey: Uint8Array
  /** Initiator identity || responder identity (raw Ed25519): bound into every message */
  associatedData: Uint8Array
}

/** The responder's private prekeys, looked up by the ids an initial message names */
export interface PrekeyLookup {
  signedPrekey(id: number): Promise<KeyPair | undefined>
  pqPrekey(id: number): Promise<KeyPair | undefined>
  oneTimePrekey(id: number): Promise<KeyPair | undefined>
}

export async function signPrekey (identity: PrivateKey, label: string, publicKey: Uint8Array): Promise<Uint8Array> {
  return identity.sign(concat([encoder.encode(label), publicKey]))
}

/** Checks a bundle's shape and both signatures; throws `InvalidBundleError` naming the fault */
export async function verifyBundle (bundle: PrekeyBundle): Promise<void> {
  expectBytes(bundle.identityKey, ED25519_KEY_BYTES, 'identityKey')
  expectBytes(bundle.signedPrekey?.publicKey, X25519_KEY_BYTES, 'signedPrekey.publicKey')
  expectBytes(bundle.signedPrekey?.signature, ED25519_SIGNATURE_BYTES, 'signedPrekey.signature')
  expectBytes(bundle.pqPrekey?.publicKey, ML_KEM_768_PUBLIC_BYTES, 'pqPrekey.publicKey')
  expectBytes(bundle.pqPrekey?.signature, ED25519_SIGNATURE_BYTES, 'pqPrekey.signature')
  if (bundle.oneTimePrekey != null) {
    expectBytes(bundle.oneTimePrekey.publicKey, X25519_KEY_BYTES, 'oneTimePrekey.publicKey')
  }
  let identity
  try {
    identity = publicKeyFromRaw(bundle.identityKey)
  } catch (err: any) {
    throw new InvalidBundleError(`identityKey is not an Ed25519 key: ${err.message}`)
  }
  const signedOk = await identity.verify(concat([encoder.encode(SIGNED_PREKEY_LABEL), bundle.signedPrekey.publicKey]), bundle.signedPrekey.signature)
  if (!signedOk) throw new InvalidBundleError('the signed prekey\'s signature does not verify')
  const pqOk = await identity.verify(concat([encoder.encode(PQ_PREKEY_LABEL), bundle.pqPrekey.publicKey]), bundle.pqPrekey.signature)
  if (!pqOk) throw new InvalidBundleError('the ML-KEM prekey\'s signature does not verify')
}

/**
 * The initiator's side: verifies the bundle, then derives SK from four (or three) X25519 outputs
 * and an ML-KEM-768 shared secret. A low-order key in the bundle is refused by X25519.
 */
export async function initiate (provider: CryptoProvider, identity: PrivateKey, bundle: PrekeyBundle): Promise<AgreedSession & { initial: InitialMessage }> {
  await verifyBundle(bundle)
  const ownIdentity = rawEd25519Public(identity)
  const ephemeral = await provider.x25519GenerateKeyPair()
  const identityX = identityX25519Secret(identity)
  let theirIdentityX: Uint8Array
  try {
    theirIdentityX = identityX25519Public(bundle.identityKey)
  } catch (err: any) {
    throw new InvalidBundleError(`identityKey is unusable: ${err.message}`)
  }
  const dh = await agree(provider, [
    [identityX, bundle.signedPrekey.publicKey],
    [ephemeral.privateKey, theirIdentityX],
    [ephemeral.privateKey, bundle.signedPrekey.publicKey],
    ...(bundle.oneTimePrekey != null ? [[ephemeral.privateKey, bundle.oneTimePrekey.publicKey] as [Uint8Array, Uint8Array]] : [])
  ], InvalidBundleError)
  const { ciphertext, sharedSecret } = await provider.mlKem768Encapsulate(bundle.pqPrekey.publicKey)
  return {
    sharedKey: await provider.hkdfSha256(concat([F, ...dh, sharedSecret]), ZERO_SALT, INFO, 32),
    associatedData: concat([ownIdentity, bundle.identityKey]),
    initial: {
      identityKey: ownIdentity,
      ephemeralKey: ephemeral.publicKey,
      kemCiphertext: ciphertext,
      signedPrekeyId: bundle.signedPrekey.id,
      pqPrekeyId: bundle.pqPrekey.id,
      ...(bundle.oneTimePrekey != null ? { oneTimePrekeyId: bundle.oneTimePrekey.id } : {})
    }
  }
}

/**
 * The responder's side. Returns SK and the signed prekey pair (the responder's first ratchet
 * key). The caller deletes a used one-time prekey once the first message decrypts.
 */
export async function respond (provider: CryptoProvider, identity: PrivateKey, initial: InitialMessage, prekeys: PrekeyLookup): Promise<AgreedSession & { signedPrekey: KeyPair }> {
  expectBytes(initial.identityKey, ED25519_KEY_BYTES, 'identityKey', InvalidInitialMessageError)
  expectBytes(initial.ephemeralKey, X25519_KEY_BYTES, 'ephemeralKey', InvalidInitialMessageError)
  expectBytes(initial.kemCiphertext, ML_KEM_768_CIPHERTEXT_BYTES, 'kemCiphertext', InvalidInitialMessageError)
  const signedPrekey = await prekeys.signedPrekey(initial.signedPrekeyId)
  const pqPrekey = await prekeys.pqPrekey(initial.pqPrekeyId)
  const oneTime = initial.oneTimePrekeyId != null ? await prekeys.oneTimePrekey(initial.oneTimePrekeyId) : undefined
  if (signedPrekey == null) throw new UnknownPrekeyError(`no signed prekey ${initial.signedPrekeyId}`)
  if (pqPrekey == null) throw new UnknownPrekeyError(`no ML-KEM prekey ${initial.pqPrekeyId}`)
  if (initial.oneTimePrekeyId != null && oneTime == null) throw new UnknownPrekeyError(`no one-time prekey ${initial.oneTimePrekeyId} (already used?)`)
  let theirIdentityX: Uint8Array
  try {
    theirIdentityX = identityX25519Public(initial.identityKey)
  } catch (err: any) {
    throw new InvalidInitialMessageError(`identityKey is unusable: ${err.message}`)
  }
  const identityX = identityX25519Secret(identity)
  const dh = await agree(provider, [
    [signedPrekey.privateKey, theirIdentityX],
    [identityX, initial.ephemeralKey],
    [signedPrekey.privateKey, initial.ephemeralKey],
    ...(oneTime != null ? [[oneTime.privateKey, initial.ephemeralKey] as [Uint8Array, Uint8Array]] : [])
  ], InvalidInitialMessageError)
  // ML-KEM rejects implicitly: a tampered ciphertext yields a different secret, so the first
  // message fails to authenticate instead of throwing here
  const sharedSecret = await provider.mlKem768Decapsulate(pqPrekey.privateKey, initial.kemCiphertext)
  return {
    sharedKey: await provider.hkdfSha256(concat([F, ...dh, sharedSecret]), ZERO_SALT, INFO, 32),
    associatedData: concat([initial.identityKey, rawEd25519Public(identity)]),
    signedPrekey
  }
}

async function agree (provider: CryptoProvider, pairs: Array<[Uint8Array, Uint8Array]>, Err: new (message: string) => Error): Promise<Uint8Array[]> {
  try {
    return await Promise.all(pairs.map(async ([priv, pub]) => provider.x25519(priv, pub)))
  } catch (err: any) {
    throw new Err(`a key is unusable for X25519: ${err.message}`)
  }
}

function rawEd25519Public (identity: PrivateKey): Uint8Array {
  if (identity.type !== 'Ed25519') {
    throw new TypeError('the identity must be an Ed25519 key')
  }
  return identity.publicKey.raw
}

function expectBytes (value: unknown, length: number, field: string, Err: new (message: string) => Error = InvalidBundleError): void {
  if (!(value instanceof Uint8Array) || value.byteLength !== length) {
    throw new Err(`${field} must be ${length} bytes`)
  }
}

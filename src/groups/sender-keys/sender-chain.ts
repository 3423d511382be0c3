import { generateKeyPair, privateKeyFromRaw, publicKeyFromRaw } from '@libp2p/crypto/keys'
import { equals } from 'uint8arrays/equals'
import { toString as toHex } from 'uint8arrays/to-string'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { CHAIN_KEY_BYTES, KEY_ID_BYTES, MAX_FORWARD_ITERATIONS, MAX_SENDER_KEY_MESSAGE_BYTES, MAX_SKIPPED_KEYS } from './constants.ts'
import { InvalidSenderKeyMessageError, OldSenderKeyMessageError, SenderKeyConflictError } from './errors.ts'
import { SenderKeyDistribution, SenderKeyMessage } from './pb/sender-key.ts'
import type { CryptoProvider } from '../../crypto/provider/index.ts'

/**
 * One chain of a member's sender key, as a node keeps it: Signal's sender-key construction. The
 * chain key moves forward one HMAC step per message (so a key taken from a member today does not
 * open what it sent before), each message key is used once, and every message is signed by the
 * chain's Ed25519 key (members can derive the message keys, but only the owner can sign).
 */
export interface SenderChain {
  /** The chain's id, hex */
  keyId: string
  /** The iteration the chain key below derives next */
  iteration: number
  chainKey: Uint8Array
  /** Raw Ed25519 public key (32 bytes) */
  signingKey: Uint8Array
  /** Raw Ed25519 private key: only on the owner's own chain */
  signingPrivateKey?: Uint8Array
  /** Message key seeds of iterations skipped over, for messages that come late (oldest first) */
  skipped: Array<{ iteration: number, seed: Uint8Array }>
  /** Only on the owner's own chain: its chain key at iteration 0 (see `handOut`) */
  baseChainKey?: Uint8Array
  /** Only on the owner's own chain: the iteration each member (PeerId) was first handed it at */
  handed?: Record<string, number>
}

const MESSAGE_KEY_INFO = new TextEncoder().encode('parley group message key')
const ZEROS = new Uint8Array(32)

/** A new chain of this node's own: random chain key, a fresh signing key, iteration 0 */
export async function newSenderChain (provider: CryptoProvider): Promise<SenderChain> {
  const signing = await generateKeyPair('Ed25519')
  const chainKey = provider.randomBytes(CHAIN_KEY_BYTES)
  return {
    keyId: toHex(provider.randomBytes(KEY_ID_BYTES), 'base16'),
    iteration: 0,
    chainKey,
    signingKey: signing.publicKey.raw,
    signingPrivateKey: signing.raw,
    skipped: [],
    baseChainKey: chainKey,
    handed: {}
  }
}

/**
 * This node's own chain as `member` may have it: from the iteration it asks for (a message it
 * could not read), but never from before the iteration it was first handed the chain at (a
 * member added in the middle of an epoch reads from then on), and never past the chain's
 * current one. The first time, the member is noted as handed it at the current iteration.
 *
 * Keeping the chain key of iteration 0 lets a member that lost its key (a reinstall, a damaged
 * store) read the messages it missed, at a cost: whoever takes this node's store also reads the
 * epoch's messages from its start. The chain is new in each epoch (and on a schedule), which
 * bounds that to one epoch.
 */
export async function handOut (provider: CryptoProvider, chain: SenderChain, member: string, wanted?: number): Promise<{ chain: SenderChain, from: SenderChain }> {
  const handed = { ...chain.handed }
  const first = handed[member] ?? chain.iteration
  handed[member] = first
  // a chain without its first key (made before it was kept) is handed from where it is
  const iteration = chain.baseChainKey == null ? chain.iteration : Math.min(chain.iteration, Math.max(first, wanted ?? chain.iteration))
  let chainKey = chain.chainKey
  if (iteration < chain.iteration) {
    chainKey = chain.baseChainKey!
    for (let i = 0; i < iteration; i++) [, chainKey] = await provider.hmacSha256Each(chainKey, [new Uint8Array([1]), new Uint8Array([2])])
  }
  return { chain: { ...chain, handed }, from: { ...chain, iteration, chainKey, skipped: [] } }
}

/** What another member needs to read this chain from its current iteration on */
export function distributionOf (chain: SenderChain, group: Uint8Array): Uint8Array {
  return SenderKeyDistribution.encode({
    group: group as Uint8Array<ArrayBuffer>,
    keyId: fromHex(chain.keyId, 'base16'),
    iteration: chain.iteration,
    chainKey: chain.chainKey as Uint8Array<ArrayBuffer>,
    signingKey: chain.signingKey as Uint8Array<ArrayBuffer>
  })
}

/**
 * A member's chain from its distribution, checked; `held` are the member's chains this node has
 * already: the same keys for one of them again changes nothing, other keys for it are refused
 *
 * @throws {InvalidSenderKeyMessageError} when it is malformed
 * @throws {SenderKeyConflictError} when `held` has other keys
 */
export function chainFromDistribution (bytes: Uint8Array, held: SenderChain[] = []): { group: Uint8Array, chain: SenderChain } {
  let d: SenderKeyDistribution
  try {
    d = SenderKeyDistribution.decode(bytes)
  } catch (err: any) {
    throw new InvalidSenderKeyMessageError(`the sender key does not decode: ${err.message}`)
  }
  if (d.keyId.byteLength !== KEY_ID_BYTES || d.chainKey.byteLength !== CHAIN_KEY_BYTES || d.signingKey.byteLength !== 32 || d.group.byteLength === 0) {
    throw new InvalidSenderKeyMessageError('the sender key is malformed')
  }
  const chain: SenderChain = { keyId: toHex(d.keyId, 'base16'), iteration: d.iteration, chainKey: d.chainKey, signingKey: d.signingKey, skipped: [] }
  const same = held.find(c => c.keyId === chain.keyId)
  if (same != null) {
    if (!equals(same.signingKey, chain.signingKey)) throw new SenderKeyConflictError(`chain ${chain.keyId} is held with another signing key`)
    // the same chain again (a resend after a lost one): what is held is as far on, or further
    return { group: d.group, chain: same }
  }
  return { group: d.group, chain }
}

/**
 * Encrypts `plaintext` as the next message of the owner's chain; returns the message and the
 * chain moved on (store it before the message leaves, so no key is used twice)
 */
export async function encryptWith (provider: CryptoProvider, chain: SenderChain, group: Uint8Array, plaintext: Uint8Array): Promise<{ message: Uint8Array, chain: SenderChain }> {
  if (chain.signingPrivateKey == null) throw new InvalidSenderKeyMessageError('only the owner of a chain sends with it')
  const [seed, next] = await provider.hmacSha256Each(chain.chainKey, [new Uint8Array([1]), new Uint8Array([2])])
  const header = { keyId: fromHex(chain.keyId, 'base16'), iteration: chain.iteration }
  const ciphertext = await seal(provider, seed, group, header, plaintext)
  const unsigned = SenderKeyMessage.encode({ ...header, ciphertext, signature: new Uint8Array(0) })
  const signature = await privateKeyFromRaw(chain.signingPrivateKey).sign(unsigned)
  return {
    message: SenderKeyMessage.encode({ ...header, ciphertext, signature: signature as Uint8Array<ArrayBuffer> }),
    chain: { ...chain, iteration: chain.iteration + 1, chainKey: next }
  }
}

/** The chain id a group message names (to find the chain that reads it) */
export function keyIdOf (bytes: Uint8Array): { keyId: string, message: SenderKeyMessage } {
  if (bytes.byteLength > MAX_SENDER_KEY_MESSAGE_BYTES) throw new InvalidSenderKeyMessageError(`a group message is at most ${MAX_SENDER_KEY_MESSAGE_BYTES} bytes`)
  let message: SenderKeyMessage
  try {
    message = SenderKeyMessage.decode(bytes)
  } catch (err: any) {
    throw new InvalidSenderKeyMessageError(`the group message does not decode: ${err.message}`)
  }
  if (message.keyId.byteLength !== KEY_ID_BYTES) throw new InvalidSenderKeyMessageError('the group message names no chain')
  return { keyId: toHex(message.keyId, 'base16'), message }
}

/**
 * Reads a group message with the sender's chain: its signature checked, then its key derived
 * (stepping over missed iterations and keeping their keys, bounded) or taken from the skipped
 * ones. Returns the plaintext and the chain moved on; on any failure the chain is as it was.
 *
 * @throws {InvalidSenderKeyMessageError} when it is forged, malformed or does not decrypt
 * @throws {OldSenderKeyMessageError} when its key was used already or is gone
 */
export async function decryptWith (provider: CryptoProvider, chain: SenderChain, group: Uint8Array, bytes: Uint8Array): Promise<{ plaintext: Uint8Array, chain: SenderChain }> {
  const { keyId, message } = keyIdOf(bytes)
  if (keyId !== chain.keyId) throw new InvalidSenderKeyMessageError('the group message is of another chain')
  const unsigned = SenderKeyMessage.encode({ ...message, signature: new Uint8Array(0) })
  if (!await publicKeyFromRaw(chain.signingKey).verify(unsigned, message.signature)) {
    throw new InvalidSenderKeyMessageError('the group message is not signed by its chain\'s key')
  }
  const header = { keyId: message.keyId, iteration: message.iteration }
  if (message.iteration < chain.iteration) {
    const found = chain.skipped.find(s => s.iteration === message.iteration)
    if (found == null) throw new OldSenderKeyMessageError(`iteration ${message.iteration} of chain ${keyId} was read already, or its key is gone`)
    const plaintext = await open(provider, found.seed, group, header, message.ciphertext)
    return { plaintext, chain: { ...chain, skipped: chain.skipped.filter(s => s !== found) } }
  }
  if (message.iteration - chain.iteration > MAX_FORWARD_ITERATIONS) {
    throw new InvalidSenderKeyMessageError(`the group message is ${message.iteration - chain.iteration} iterations ahead; at most ${MAX_FORWARD_ITERATIONS} are stepped over`)
  }
  let chainKey = chain.chainKey
  const skipped = [...chain.skipped]
  let seed: Uint8Array | undefined
  for (let i = chain.iteration; i <= message.iteration; i++) {
    const [messageSeed, next] = await provider.hmacSha256Each(chainKey, [new Uint8Array([1]), new Uint8Array([2])])
    if (i === message.iteration) seed = messageSeed
    else skipped.push({ iteration: i, seed: messageSeed })
    chainKey = next
  }
  const plaintext = await open(provider, seed!, group, header, message.ciphertext)
  return { plaintext, chain: { ...chain, iteration: message.iteration + 1, chainKey, skipped: skipped.slice(-MAX_SKIPPED_KEYS) } }
}

/** The AES-256-GCM key and nonce of one message (a key used once, so its nonce may be derived) */
async function messageKey (provider: CryptoProvider, seed: Uint8Array): Promise<{ key: Uint8Array, nonce: Uint8Array }> {
  const material = await provider.hkdfSha256(seed, ZEROS, MESSAGE_KEY_INFO, 44)
  return { key: material.subarray(0, 32), nonce: material.subarray(32) }
}

/** The group and the header are bound to the ciphertext: a message moved to another group or iteration does not open */
function associatedData (group: Uint8Array, header: { keyId: Uint8Array, iteration: number }): Uint8Array {
  const iteration = new Uint8Array(4)
  new DataView(iteration.buffer).setUint32(0, header.iteration)
  return new Uint8Array([...group, ...header.keyId, ...iteration])
}

async function seal (provider: CryptoProvider, seed: Uint8Array, group: Uint8Array, header: { keyId: Uint8Array, iteration: number }, plaintext: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const { key, nonce } = await messageKey(provider, seed)
  return await provider.aes256GcmEncrypt(key, nonce, plaintext, associatedData(group, header)) as Uint8Array<ArrayBuffer>
}

async function open (provider: CryptoProvider, seed: Uint8Array, group: Uint8Array, header: { keyId: Uint8Array, iteration: number }, ciphertext: Uint8Array): Promise<Uint8Array> {
  const { key, nonce } = await messageKey(provider, seed)
  try {
    return await provider.aes256GcmDecrypt(key, nonce, ciphertext, associatedData(group, header))
  } catch {
    throw new InvalidSenderKeyMessageError('the group message does not decrypt')
  }
}

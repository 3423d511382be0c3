import { concat } from 'uint8arrays/concat'
import { equals } from 'uint8arrays/equals'
import { toString as toHex } from 'uint8arrays/to-string'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { SerialQueue } from '../../utils/serial-queue.ts'
import { MAX_EVICTED_RANGES, MAX_PREVIOUS_REMOTE_KEYS, MAX_SKIP, MAX_SKIPPED_KEYS } from './constants.ts'
import { DuplicateMessageError, InvalidMessageError, InvalidSessionError, SkippedKeyEvictedError, TooManySkippedMessagesError } from './errors.ts'
import { recordEviction, wasEvicted } from './evicted.ts'
import { decodeHeader, encodeHeader } from './header.ts'
import { kdfChain, kdfRoot, messageCipherKeys } from './kdf.ts'
import { RatchetRecord } from './pb/ratchet.ts'
import type { EvictedRange } from './evicted.ts'
import type { CryptoProvider, KeyPair } from '../provider/types.ts'

export interface EncryptedMessage {
  /** 40 bytes, authenticated but not encrypted (see header.ts) */
  header: Uint8Array
  /** AES-256-GCM ciphertext with its 16-byte tag */
  ciphertext: Uint8Array
}

interface State {
  rootKey: Uint8Array
  own: KeyPair
  remote?: Uint8Array
  sendingChain?: Uint8Array
  receivingChain?: Uint8Array
  sent: number
  received: number
  previousSent: number
  /** `hex(remote key):n` -> message key, oldest first (a Map keeps insertion order) */
  skipped: Map<string, Uint8Array>
  /** Remote ratchet keys already replaced, hex, newest last */
  previousRemoteKeys: string[]
  /** Message numbers whose skipped keys the cap dropped, oldest first */
  evicted: EvictedRange[]
  /** Bound into every message's authentication: both identities, from the key agreement */
  associatedData: Uint8Array
}

const skippedId = (remote: Uint8Array, n: number): string => `${toHex(remote, 'base16')}:${n}`

/**
 * The Double Ratchet (Signal's specification, revision 4) with X25519, HKDF-SHA-256,
 * HMAC-SHA-256 chains and AES-256-GCM.
 *
 * State changes only when a message authenticates: `decrypt` works on a copy and keeps it only
 * on success, so a forged, replayed or garbled message leaves the session byte-identical.
 * Calls are serialised, so concurrent `encrypt`s never reuse a chain step.
 */
export class DoubleRatchet {
  private state: State
  private readonly provider: CryptoProvider
  private readonly queue = new SerialQueue()

  private constructor (provider: CryptoProvider, state: State) {
    this.provider = provider
    this.state = state
  }

  /**
   * The side that ran the key agreement first (Alice): it knows the other's ratchet key (the
   * signed prekey) and can send at once.
   */
  static async initSender (provider: CryptoProvider, sharedKey: Uint8Array, remoteRatchetKey: Uint8Array, associatedData: Uint8Array): Promise<DoubleRatchet> {
    const own = await provider.x25519GenerateKeyPair()
    const [rootKey, sendingChain] = await kdfRoot(provider, sharedKey, await provider.x25519(own.privateKey, remoteRatchetKey))
    return new DoubleRatchet(provider, {
      rootKey, own, remote: remoteRatchetKey, sendingChain, sent: 0, received: 0, previousSent: 0,
      skipped: new Map(), previousRemoteKeys: [], evicted: [], associatedData
    })
  }

  /** The side that answers (Bob): its signed prekey is its first ratchet key; it sends after it first receives */
  static initReceiver (provider: CryptoProvider, sharedKey: Uint8Array, ownRatchetKey: KeyPair, associatedData: Uint8Array): DoubleRatchet {
    return new DoubleRatchet(provider, {
      rootKey: sharedKey, own: ownRatchetKey, sent: 0, received: 0, previousSent: 0,
      skipped: new Map(), previousRemoteKeys: [], evicted: [], associatedData
    })
  }

  static deserialize (provider: CryptoProvider, bytes: Uint8Array): DoubleRatchet {
    let record: RatchetRecord
    try {
      record = RatchetRecord.decode(bytes, { limits: { skipped: MAX_SKIPPED_KEYS, previousRemoteKeys: MAX_PREVIOUS_REMOTE_KEYS, evicted: MAX_EVICTED_RANGES } })
    } catch (err: any) {
      throw new InvalidSessionError(`the session record does not decode: ${err.message}`)
    }
    if (record.rootKey.byteLength !== 32 || record.ownPublic.byteLength !== 32 || record.ownPrivate.byteLength !== 32) {
      throw new InvalidSessionError('the session record has keys of the wrong length')
    }
    const optional = (b: Uint8Array): Uint8Array | undefined => b.byteLength === 0 ? undefined : b
    return new DoubleRatchet(provider, {
      rootKey: record.rootKey,
      own: { publicKey: record.ownPublic, privateKey: record.ownPrivate },
      remote: optional(record.remotePublic),
      sendingChain: optional(record.sendingChain),
      receivingChain: optional(record.receivingChain),
      sent: record.sent,
      received: record.received,
      previousSent: record.previousSent,
      skipped: new Map(record.skipped.map(s => [skippedId(s.remoteKey, s.n), s.messageKey])),
      previousRemoteKeys: record.previousRemoteKeys.map(k => toHex(k, 'base16')),
      evicted: record.evicted.map(r => ({ remote: toHex(r.remoteKey, 'base16'), from: r.from, to: r.to })),
      associatedData: record.associatedData
    })
  }

  serialize (): Uint8Array {
    const s = this.state
    return RatchetRecord.encode({
      rootKey: s.rootKey as Uint8Array<ArrayBuffer>,
      ownPublic: s.own.publicKey as Uint8Array<ArrayBuffer>,
      ownPrivate: s.own.privateKey as Uint8Array<ArrayBuffer>,
      remotePublic: (s.remote ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>,
      sendingChain: (s.sendingChain ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>,
      receivingChain: (s.receivingChain ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>,
      sent: s.sent,
      received: s.received,
      previousSent: s.previousSent,
      skipped: [...s.skipped].map(([id, messageKey]) => {
        const [remote, n] = id.split(':')
        return { remoteKey: fromHex(remote, 'base16') as Uint8Array<ArrayBuffer>, n: Number(n), messageKey: messageKey as Uint8Array<ArrayBuffer> }
      }),
      previousRemoteKeys: s.previousRemoteKeys.map(k => fromHex(k, 'base16') as Uint8Array<ArrayBuffer>),
      evicted: s.evicted.map(r => ({ remoteKey: fromHex(r.remote, 'base16') as Uint8Array<ArrayBuffer>, from: r.from, to: r.to })),
      associatedData: s.associatedData as Uint8Array<ArrayBuffer>
    })
  }

  /** Whether this side can send yet (the answering side must first receive a message) */
  get canSend (): boolean {
    return this.state.sendingChain != null
  }

  /** The remote's current ratchet public key, undefined before it sent anything */
  get remoteRatchetKey (): Uint8Array | undefined {
    return this.state.remote
  }

  async encrypt (plaintext: Uint8Array): Promise<EncryptedMessage> {
    return this.queue.run(async () => {
      const s = this.state
      if (s.sendingChain == null) {
        throw new InvalidSessionError('this side cannot send before it has received a message')
      }
      const [nextChain, messageKey] = await kdfChain(this.provider, s.sendingChain)
      const header = encodeHeader({ publicKey: s.own.publicKey, previousChainLength: s.previousSent, n: s.sent })
      const { key, nonce, okm } = await messageCipherKeys(this.provider, messageKey)
      let ciphertext: Uint8Array
      try {
        ciphertext = await this.provider.aes256GcmEncrypt(key, nonce, plaintext, concat([s.associatedData, header]))
      } finally {
        okm.fill(0)
      }
      s.sendingChain = nextChain
      s.sent++
      return { header, ciphertext }
    })
  }

  async decrypt (message: EncryptedMessage): Promise<Uint8Array> {
    return this.queue.run(async () => {
      const header = decodeHeader(message.header)
      // a shallow copy: fields are replaced, never written into; see `writable` for the collections
      const next = { ...this.state }
      const messageKey = await this.messageKeyFor(next, header)
      const { key, nonce, okm } = await messageCipherKeys(this.provider, messageKey)
      let plaintext: Uint8Array
      try {
        plaintext = await this.provider.aes256GcmDecrypt(key, nonce, message.ciphertext, concat([next.associatedData, message.header]))
      } catch (err: any) {
        throw new InvalidMessageError(`the message does not authenticate: ${err.message}`)
      } finally {
        okm.fill(0)
      }
      this.state = next
      return plaintext
    })
  }

  private async messageKeyFor (s: State, header: ReturnType<typeof decodeHeader>): Promise<Uint8Array> {
    if (s.skipped.size > 0) {
      const id = skippedId(header.publicKey, header.n)
      const skipped = s.skipped.get(id)
      if (skipped != null) {
        this.writable(s).skipped.delete(id)
        return skipped
      }
    }
    if (s.remote != null && equals(header.publicKey, s.remote)) {
      if (header.n < s.received) {
        throw this.goneKeyError(s, header)
      }
    } else if (s.previousRemoteKeys.includes(toHex(header.publicKey, 'base16'))) {
      // an older chain whose key for this number is gone: used already, or evicted by the cap
      throw this.goneKeyError(s, header)
    } else {
      await this.skip(s, header.previousChainLength)
      await this.ratchetStep(s, header.publicKey)
    }
    await this.skip(s, header.n)
    if (s.receivingChain == null) {
      throw new InvalidMessageError('no receiving chain')
    }
    const [nextChain, messageKey] = await kdfChain(this.provider, s.receivingChain)
    s.receivingChain = nextChain
    s.received++
    return messageKey
  }

  /** Derives and keeps the keys of messages up to `until` that have not arrived (yet) */
  private async skip (s: State, until: number): Promise<void> {
    if (s.receivingChain == null || s.remote == null || until <= s.received) {
      return
    }
    if (until - s.received > MAX_SKIP) {
      throw new TooManySkippedMessagesError(`the message skips ${until - s.received} messages, the limit is ${MAX_SKIP}`)
    }
    this.writable(s)
    while (s.received < until) {
      const [nextChain, messageKey] = await kdfChain(this.provider, s.receivingChain)
      s.skipped.set(skippedId(s.remote, s.received), messageKey)
      s.receivingChain = nextChain
      s.received++
    }
    for (const oldest of s.skipped.keys()) {
      if (s.skipped.size <= MAX_SKIPPED_KEYS) break
      s.skipped.delete(oldest)
      const [remote, n] = oldest.split(':')
      recordEviction(s.evicted, remote, Number(n))
    }
  }

  /** Why there is no key for a message of a chain already passed: used, or dropped by the cap */
  private goneKeyError (s: State, header: ReturnType<typeof decodeHeader>): Error {
    return wasEvicted(s.evicted, toHex(header.publicKey, 'base16'), header.n)
      ? new SkippedKeyEvictedError(`the key of message ${header.n} was dropped: more than ${MAX_SKIPPED_KEYS} messages came before it`)
      : new DuplicateMessageError()
  }

  private async ratchetStep (s: State, remote: Uint8Array): Promise<void> {
    if (s.remote != null) {
      this.writable(s).previousRemoteKeys.push(toHex(s.remote, 'base16'))
      s.previousRemoteKeys.splice(0, s.previousRemoteKeys.length - MAX_PREVIOUS_REMOTE_KEYS)
    }
    let dhReceive: Uint8Array
    try {
      dhReceive = await this.provider.x25519(s.own.privateKey, remote)
    } catch (err: any) {
      throw new InvalidMessageError(`the message's ratchet key is unusable: ${err.message}`)
    }
    s.previousSent = s.sent
    s.sent = 0
    s.received = 0
    s.remote = remote
    ;[s.rootKey, s.receivingChain] = await kdfRoot(this.provider, s.rootKey, dhReceive)
    s.own = await this.provider.x25519GenerateKeyPair()
    ;[s.rootKey, s.sendingChain] = await kdfRoot(this.provider, s.rootKey, await this.provider.x25519(s.own.privateKey, remote))
  }

  /**
   * `s`, a decrypt's copy of the session state, with its own skipped keys and previous remote
   * keys: they are shared with the session until the first change and copied then, as most
   * messages change neither
   */
  private writable (s: State): State {
    if (s.skipped === this.state.skipped) {
      s.skipped = new Map(s.skipped)
    }
    if (s.previousRemoteKeys === this.state.previousRemoteKeys) {
      s.previousRemoteKeys = [...s.previousRemoteKeys]
    }
    if (s.evicted === this.state.evicted) {
      s.evicted = s.evicted.map(r => ({ ...r }))
    }
    return s
  }
}

import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { equals } from 'uint8arrays/equals'
import { pad, unpad } from '../padding.ts'
import { initiate, respond } from '../pqxdh/pqxdh.ts'
import { InvalidInitialMessageError } from '../pqxdh/errors.ts'
import { DoubleRatchet } from '../ratchet/double-ratchet.ts'
import { open, seal } from '../sealed-sender/sealed-sender.ts'
import { MAX_PLAINTEXT_BYTES, MAX_PREVIOUS_SESSIONS } from './constants.ts'
import { BundleMismatchError, InvalidSessionMessageError, NoSessionError } from './errors.ts'
import { SessionMessage, SessionRecord } from './pb/session.ts'
import type { PrekeyBundle, PrekeyLookup } from '../pqxdh/pqxdh.ts'
import type { CryptoProvider } from '../provider/types.ts'
import type { InitialMessage, SessionState } from './pb/session.ts'
import type { AbortOptions, PeerId, PrivateKey } from '@libp2p/interface'

export interface SessionStore {
  /** The peer's stored `SessionRecord` bytes, or undefined */
  loadSession(peer: string, options?: AbortOptions): Promise<Uint8Array | undefined>
}

export interface SessionCipherInit {
  provider: CryptoProvider
  identity: PrivateKey
  sessions: SessionStore
  /** This node's own private prekeys, for sessions others start */
  prekeys: PrekeyLookup
  /** A peer's prekey bundle (from the peer itself, else from the DHT) */
  fetchBundle(peer: PeerId, options?: AbortOptions): Promise<PrekeyBundle>
}

export interface EncryptOptions extends AbortOptions {
  /** Start a new session even if there is one */
  newSession?: boolean
}

export interface SealedMessage {
  envelope: Uint8Array
  /** The peer's new `SessionRecord`: store it before the envelope leaves this node */
  sessionRecord: Uint8Array
}

export interface OpenedMessage {
  sender: PeerId
  /** What the sender encrypted (unpadded; at most MAX_PLAINTEXT_BYTES) */
  plaintext: Uint8Array
  /** The sender's new `SessionRecord`: store it in the same write as the message */
  sessionRecord: Uint8Array
  /** A one-time prekey this message used up: delete it in that same write */
  usedOneTimePrekeyId?: number
}

/**
 * End-to-end encryption of messages between identities: PQXDH to start a session, the Double
 * Ratchet for every message, padding, and a sealed-sender envelope around it all.
 *
 * Nothing here writes: `encrypt` and `decrypt` hand the new session state to a `commit` callback
 * that runs while the peer's session is locked, so the caller stores the state together with the
 * message it belongs to, and no two operations ever start from the same state (which would reuse
 * a message key). If `commit` throws, the state stays as stored.
 */
export class SessionCipher {
  private readonly init: SessionCipherInit
  private readonly locks = new Map<string, Promise<unknown>>()

  constructor (init: SessionCipherInit) {
    this.init = init
  }

  /**
   * Seals `plaintext` (padded here) for `peer` in the current session, or a new one (PQXDH with a freshly
   * fetched bundle) when there is none or `options.newSession` asks for one: the peer said it
   * cannot open what the current session seals. A replaced session stays among the previous
   * ones, so what the peer still sends in it opens.
   */
  async encrypt (peer: PeerId, plaintext: Uint8Array, commit: (sealed: SealedMessage) => Promise<void>, options: EncryptOptions = {}): Promise<Uint8Array> {
    const peerKey = identityKeyOf(peer)
    return this.locked(peer.toString(), async () => {
      const stored = await this.load(peer.toString(), options)
      const record = options.newSession === true && stored.current != null
        ? { previous: [stored.current, ...stored.previous].slice(0, MAX_PREVIOUS_SESSIONS) }
        : stored
      let state: SessionState
      let ratchet: DoubleRatchet
      if (record.current == null) {
        const bundle = await this.init.fetchBundle(peer, options)
        if (!equals(bundle.identityKey, peerKey)) {
          throw new BundleMismatchError(`the prekey bundle for ${peer.toString()} is signed by another identity`)
        }
        const agreed = await initiate(this.init.provider, this.init.identity, bundle)
        ratchet = await DoubleRatchet.initSender(this.init.provider, agreed.sharedKey, bundle.signedPrekey.publicKey, agreed.associatedData)
        state = { ratchet: new Uint8Array(0), pendingInitial: agreed.initial as InitialMessage, initialEphemeral: agreed.initial.ephemeralKey as Uint8Array<ArrayBuffer> }
      } else {
        state = record.current
        ratchet = DoubleRatchet.deserialize(this.init.provider, state.ratchet)
      }
      const { header, ciphertext } = await ratchet.encrypt(pad(plaintext))
      const envelope = await seal(this.init.provider, this.init.identity, peerKey, SessionMessage.encode({
        ...(state.pendingInitial != null ? { initial: state.pendingInitial } : {}),
        header: header as Uint8Array<ArrayBuffer>,
        ciphertext: ciphertext as Uint8Array<ArrayBuffer>
      }))
      state.ratchet = ratchet.serialize() as Uint8Array<ArrayBuffer>
      await commit({ envelope, sessionRecord: SessionRecord.encode({ current: state, previous: record.previous }) })
      return envelope
    })
  }

  /**
   * Opens and decrypts an envelope. Throws `InvalidEnvelopeError` (not for us, or forged),
   * `DuplicateMessageError` (already received: the caller may ack it again), or another error
   * for anything that does not decrypt; in every failure case no state changes.
   */
  async decrypt (envelope: Uint8Array, commit: (opened: OpenedMessage) => Promise<void>, options: AbortOptions = {}): Promise<OpenedMessage> {
    const opened = await open(this.init.provider, this.init.identity, envelope)
    const sender = peerIdFromPublicKey(publicKeyFromRaw(opened.senderIdentityKey))
    let message: SessionMessage
    try {
      message = SessionMessage.decode(opened.content)
    } catch (err: any) {
      throw new InvalidSessionMessageError(`the session message does not decode: ${err.message}`)
    }
    return this.locked(sender.toString(), async () => {
      const record = await this.load(sender.toString(), options)
      const candidates = [record.current, ...record.previous].filter((s): s is SessionState => s != null)
      let usedOneTimePrekeyId: number | undefined
      let tryOrder: SessionState[] = candidates
      if (message.initial != null) {
        // the session is bound to the identity PQXDH ran with; the message is from the sealed
        // sender: the two must be one, or whoever could read another's first message could
        // reseal it and start a session in that identity's name with the wrong sender
        if (!equals(message.initial.identityKey, opened.senderIdentityKey)) {
          throw new InvalidInitialMessageError('the session was started by another identity than the sender\'s')
        }
        const known = candidates.find(s => equals(s.initialEphemeral, message.initial!.ephemeralKey))
        if (known != null) {
          tryOrder = [known]
        } else {
          const agreed = await respond(this.init.provider, this.init.identity, message.initial, this.init.prekeys)
          const fresh = DoubleRatchet.initReceiver(this.init.provider, agreed.sharedKey, agreed.signedPrekey, agreed.associatedData)
          tryOrder = [{ ratchet: fresh.serialize() as Uint8Array<ArrayBuffer>, initialEphemeral: message.initial.ephemeralKey }]
          usedOneTimePrekeyId = message.initial.oneTimePrekeyId
        }
      }
      if (tryOrder.length === 0) {
        throw new NoSessionError(`no session with ${sender.toString()}, and the message does not start one`)
      }
      let lastError: Error | undefined
      for (const state of tryOrder) {
        const ratchet = DoubleRatchet.deserialize(this.init.provider, state.ratchet)
        let plaintext: Uint8Array
        try {
          plaintext = await ratchet.decrypt({ header: message.header, ciphertext: message.ciphertext })
        } catch (err: any) {
          // this session knows the chain: a repeat, or a key the cap dropped, is its final word
          if (err.name === 'DuplicateMessageError' || err.name === 'SkippedKeyEvictedError') throw err
          lastError = err
          continue
        }
        const content = unpadded(plaintext)
        // the peer has this session: stop sending the initial data, make it the current one
        const winner: SessionState = { ratchet: ratchet.serialize() as Uint8Array<ArrayBuffer>, initialEphemeral: state.initialEphemeral }
        const others = candidates.filter(s => s !== state).slice(0, MAX_PREVIOUS_SESSIONS)
        const result: OpenedMessage = {
          sender,
          plaintext: content,
          sessionRecord: SessionRecord.encode({ current: winner, previous: others }),
          ...(usedOneTimePrekeyId != null ? { usedOneTimePrekeyId } : {})
        }
        await commit(result)
        return result
      }
      throw lastError ?? new InvalidSessionMessageError()
    })
  }

  private async load (peer: string, options: AbortOptions): Promise<SessionRecord> {
    const bytes = await this.init.sessions.loadSession(peer, options)
    return bytes == null ? { previous: [] } : SessionRecord.decode(bytes, { limits: { previous: MAX_PREVIOUS_SESSIONS } })
  }

  private async locked<T> (peer: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(peer) ?? Promise.resolve()
    const result = previous.then(fn, fn)
    const tail = result.catch(() => {})
    this.locks.set(peer, tail)
    void tail.then(() => { if (this.locks.get(peer) === tail) this.locks.delete(peer) })
    return result
  }
}

/** The padded plaintext's content, within the size cap */
function unpadded (plaintext: Uint8Array): Uint8Array {
  if (plaintext.byteLength > MAX_PLAINTEXT_BYTES) {
    throw new InvalidSessionMessageError(`the content is over ${MAX_PLAINTEXT_BYTES} bytes`)
  }
  return unpad(plaintext)
}

function identityKeyOf (peer: PeerId): Uint8Array {
  if (peer.type !== 'Ed25519' || peer.publicKey == null) {
    throw new TypeError('Parley peers have Ed25519 identities')
  }
  return peer.publicKey.raw
}

import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PQ_PREKEY_LABEL, SIGNED_PREKEY_LABEL } from '../../../src/crypto/pqxdh/constants.ts'
import { signPrekey } from '../../../src/crypto/pqxdh/pqxdh.ts'
import { defaultProvider } from '../../../src/crypto/provider/index.ts'
import { SessionCipher } from '../../../src/crypto/session/session-cipher.ts'
import { epochAt, mailboxKey } from '../../../src/protocols/mailbox/keys.ts'
import { MIN_ENVELOPE_BYTES } from '../../../src/protocols/mailbox/min-envelope.ts'
import { StoreResponse } from '../../../src/protocols/mailbox/pb/mailbox.ts'
import { startHost } from './host-harness.ts'
import type { PrekeyBundle } from '../../../src/crypto/pqxdh/pqxdh.ts'
import { encodeContent } from '../../../src/messenger/content.ts'
import type { Content } from '../../../src/messenger/content.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

const provider = defaultProvider()

interface Party {
  key: PrivateKey
  peerId: PeerId
  cipher: SessionCipher
  /** What each encrypt and decrypt hands over to store, by peer */
  sessions: Map<string, Uint8Array>
}

/** Two parties with real prekeys and session stores, as the messenger has them */
async function parties (): Promise<[Party, Party]> {
  const made: Party[] = []
  const bundles = new Map<string, () => Promise<PrekeyBundle>>()
  for (let i = 0; i < 2; i++) {
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key)
    const signed = await provider.x25519GenerateKeyPair()
    const pq = await provider.mlKem768GenerateKeyPair()
    const sessions = new Map<string, Uint8Array>()
    bundles.set(peerId.toString(), async () => ({
      identityKey: key.publicKey.raw,
      signedPrekey: { id: 1, publicKey: signed.publicKey, signature: await signPrekey(key, SIGNED_PREKEY_LABEL, signed.publicKey) },
      pqPrekey: { id: 2, publicKey: pq.publicKey, signature: await signPrekey(key, PQ_PREKEY_LABEL, pq.publicKey) }
    }))
    const cipher = new SessionCipher({
      provider,
      identity: key,
      sessions: { loadSession: async peer => sessions.get(peer) },
      prekeys: {
        signedPrekey: async id => id === 1 ? signed : undefined,
        pqPrekey: async id => id === 2 ? pq : undefined,
        oneTimePrekey: async () => undefined
      },
      fetchBundle: async peer => bundles.get(peer.toString())!()
    })
    made.push({ key, peerId, cipher, sessions })
  }
  return [made[0], made[1]]
}

async function send (from: Party, to: Party, content: Partial<Content>): Promise<Uint8Array> {
  const full: Content = { id: crypto.getRandomValues(new Uint8Array(16)), timestamp: BigInt(Date.now()), delivers: [], ...content }
  return from.cipher.encrypt(to.peerId, encodeContent(full), async sealed => { from.sessions.set(to.peerId.toString(), sealed.sessionRecord) })
}

async function receive (at: Party, envelope: Uint8Array): Promise<void> {
  await at.cipher.decrypt(envelope, async opened => { at.sessions.set(opened.sender.toString(), opened.sessionRecord) })
}

describe('the smallest envelope a storer takes', () => {
  it('is exactly the size of the smallest real message: an established session\'s, its content in the smallest padding bucket', async () => {
    const [alice, bob] = await parties()
    const first = await send(alice, bob, { text: 'hi' })
    assert.ok(first.byteLength > MIN_ENVELOPE_BYTES, 'a first message carries the PQXDH set-up')
    await receive(bob, first)
    await receive(alice, await send(bob, alice, { text: 'hello' }))
    // a receipt with one id, and a short text: both pad to the 256-byte bucket
    const receipt = await send(alice, bob, { delivers: [crypto.getRandomValues(new Uint8Array(16))] })
    const short = await send(alice, bob, { text: 'k' })
    assert.equal(receipt.byteLength, MIN_ENVELOPE_BYTES)
    assert.equal(short.byteLength, MIN_ENVELOPE_BYTES)
    assert.equal(MIN_ENVELOPE_BYTES, 422)
    await receive(bob, short)

    const test = await startHost()
    const key = mailboxKey(bob.peerId, epochAt(Date.now())) as Uint8Array<ArrayBuffer>
    const stored = await test.store(alice.peerId, { key, envelope: short as Uint8Array<ArrayBuffer> })
    assert.equal(stored.status, StoreResponse.Status.STORED, stored.reason)
    const shorter = await test.store(alice.peerId, { key, envelope: short.slice(0, -1) })
    assert.equal(shorter.status, StoreResponse.Status.REFUSED)
    assert.match(shorter.reason, new RegExp(`an envelope is ${MIN_ENVELOPE_BYTES} to`))
  })
})

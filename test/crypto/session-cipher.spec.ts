import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PQ_PREKEY_LABEL, SIGNED_PREKEY_LABEL } from '../../src/crypto/pqxdh/constants.ts'
import { signPrekey } from '../../src/crypto/pqxdh/pqxdh.ts'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { SessionCipher } from '../../src/crypto/session/session-cipher.ts'
import { SessionMessage } from '../../src/crypto/session/pb/session.ts'
import { open, seal } from '../../src/crypto/sealed-sender/sealed-sender.ts'
import type { PrekeyBundle } from '../../src/crypto/pqxdh/pqxdh.ts'
import type { KeyPair } from '../../src/crypto/provider/index.ts'
import type { OpenedMessage } from '../../src/crypto/session/session-cipher.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { decodeContent, encodeContent } from '../../src/messenger/content.ts'

const provider = defaultProvider()

interface Party {
  key: PrivateKey
  peerId: PeerId
  cipher: SessionCipher
  sessions: Map<string, Uint8Array>
  oneTime: Map<number, KeyPair>
  bundle(withOneTime: boolean): Promise<PrekeyBundle>
}

const directory = new Map<string, Party>()

async function party (): Promise<Party> {
  const key = await generateKeyPair('Ed25519')
  const signed = await provider.x25519GenerateKeyPair()
  const pq = await provider.mlKem768GenerateKeyPair()
  const oneTime = new Map<number, KeyPair>()
  let nextId = 100
  const sessions = new Map<string, Uint8Array>()
  const p: Party = {
    key,
    peerId: peerIdFromPrivateKey(key),
    sessions,
    oneTime,
    bundle: async (withOneTime) => {
      const base: PrekeyBundle = {
        identityKey: key.publicKey.raw,
        signedPrekey: { id: 1, publicKey: signed.publicKey, signature: await signPrekey(key, SIGNED_PREKEY_LABEL, signed.publicKey) },
        pqPrekey: { id: 2, publicKey: pq.publicKey, signature: await signPrekey(key, PQ_PREKEY_LABEL, pq.publicKey) }
      }
      if (!withOneTime) return base
      const otk = await provider.x25519GenerateKeyPair()
      const id = nextId++
      oneTime.set(id, otk)
      return { ...base, oneTimePrekey: { id, publicKey: otk.publicKey } }
    },
    cipher: undefined as any
  }
  p.cipher = new SessionCipher({
    provider,
    identity: key,
    sessions: { loadSession: async peer => sessions.get(peer) },
    prekeys: {
      signedPrekey: async id => id === 1 ? signed : undefined,
      pqPrekey: async id => id === 2 ? pq : undefined,
      oneTimePrekey: async id => oneTime.get(id)
    },
    // "online" peers hand out a one-time prekey; the test flips this per case
    fetchBundle: async peer => directory.get(peer.toString())!.bundle(online)
  })
  directory.set(p.peerId.toString(), p)
  return p
}

let online = false

async function send (from: Party, to: Party, text: string): Promise<Uint8Array> {
  return from.cipher.encrypt(to.peerId, encodeContent({ id: crypto.getRandomValues(new Uint8Array(16)), timestamp: BigInt(Date.now()), text, delivers: [] }), async sealed => {
    from.sessions.set(to.peerId.toString(), sealed.sessionRecord)
  })
}

/** The text a received message carries */
function textOf (opened: OpenedMessage): string | undefined {
  return decodeContent(opened.plaintext).text
}

async function receive (at: Party, envelope: Uint8Array): Promise<OpenedMessage> {
  return at.cipher.decrypt(envelope, async opened => {
    at.sessions.set(opened.sender.toString(), opened.sessionRecord)
    if (opened.usedOneTimePrekeyId != null) at.oneTime.delete(opened.usedOneTimePrekeyId)
  })
}

async function carriesInitial (at: Party, envelope: Uint8Array): Promise<boolean> {
  const { content } = await open(provider, at.key, envelope)
  return SessionMessage.decode(content).initial != null
}

describe('SessionCipher', function () {
  beforeEach(() => { online = false })

  it('a first message to an offline peer (DHT bundle, no one-time key) opens a session both ways', async () => {
    const [alice, bob] = [await party(), await party()]
    const first = await send(alice, bob, 'hello while you were offline')
    const second = await send(alice, bob, 'and again')
    assert.ok(await carriesInitial(bob, second), 'initial data repeats until Alice hears back')
    const got = await receive(bob, first)
    assert.equal(textOf(got), 'hello while you were offline')
    assert.ok(got.sender.equals(alice.peerId), 'the sealed sender names Alice')
    assert.equal(textOf(await receive(bob, second)), 'and again')
    assert.equal(textOf(await receive(alice, await send(bob, alice, 'hi Alice'))), 'hi Alice')
    assert.equal(await carriesInitial(bob, await send(alice, bob, 'after the reply')), false, 'no initial data once Bob answered')
  })

  it('uses and reports a one-time prekey when the peer hands one out, which cannot be used twice', async () => {
    const [alice, bob] = [await party(), await party()]
    online = true
    const first = await send(alice, bob, 'with a one-time key')
    const opened = await receive(bob, first)
    assert.equal(typeof opened.usedOneTimePrekeyId, 'number')
    assert.equal(bob.oneTime.size, 0)
    bob.sessions.clear() // a Bob who lost his sessions cannot be made to redo the agreement
    await assert.rejects(receive(bob, first), { name: 'UnknownPrekeyError' })
  })

  it('rejects a repeat as DuplicateMessageError and changes nothing', async () => {
    const [alice, bob] = [await party(), await party()]
    const m = await send(alice, bob, 'once')
    await receive(bob, m)
    const stored = bob.sessions.get(alice.peerId.toString())
    await assert.rejects(receive(bob, m), { name: 'DuplicateMessageError' })
    assert.deepEqual(bob.sessions.get(alice.peerId.toString()), stored)
  })

  it('keeps the state as stored when the commit fails, so the message can be received again', async () => {
    const [alice, bob] = [await party(), await party()]
    const m = await send(alice, bob, 'survives a failed write')
    await assert.rejects(bob.cipher.decrypt(m, async () => { throw new Error('disk full') }), /disk full/)
    assert.equal(bob.sessions.size, 0)
    assert.equal(textOf(await receive(bob, m)), 'survives a failed write')
  })

  it('converges when both start a session at the same time', async () => {
    const [alice, bob] = [await party(), await party()]
    const fromAlice = await send(alice, bob, 'a1')
    const fromBob = await send(bob, alice, 'b1')
    assert.equal(textOf(await receive(bob, fromAlice)), 'a1')
    assert.equal(textOf(await receive(alice, fromBob)), 'b1')
    for (let i = 0; i < 3; i++) {
      assert.equal(textOf(await receive(bob, await send(alice, bob, `a${i + 2}`))), `a${i + 2}`)
      assert.equal(textOf(await receive(alice, await send(bob, alice, `b${i + 2}`))), `b${i + 2}`)
    }
  })

  it('never reuses a chain step under concurrent sends', async () => {
    const [alice, bob] = [await party(), await party()]
    const envelopes = await Promise.all(Array.from({ length: 20 }, async (_, i) => send(alice, bob, `parallel ${i}`)))
    const texts = new Set<string>()
    for (const e of envelopes.reverse()) texts.add(textOf(await receive(bob, e))!)
    assert.equal(texts.size, 20)
  })

  it('refuses a bundle signed by someone other than the addressee', async () => {
    const [alice, bob, mallory] = [await party(), await party(), await party()]
    directory.set(bob.peerId.toString(), mallory)
    try {
      await assert.rejects(send(alice, bob, 'to the wrong key'), { name: 'BundleMismatchError' })
    } finally {
      directory.set(bob.peerId.toString(), bob)
    }
  })

  it('puts neither the text nor either identity in the envelope', async () => {
    const [alice, bob] = [await party(), await party()]
    const text = 'a very recognisable plaintext string'
    for (let i = 0; i < 2; i++) {
      const envelope = Buffer.from(await send(alice, bob, text))
      assert.equal(envelope.indexOf(Buffer.from(text)), -1)
      assert.equal(envelope.indexOf(Buffer.from(alice.key.publicKey.raw)), -1)
      assert.equal(envelope.indexOf(Buffer.from(bob.key.publicKey.raw)), -1)
    }
  })

  it('refuses envelopes for someone else and garbage', async () => {
    const [alice, bob, carol] = [await party(), await party(), await party()]
    const m = await send(alice, bob, 'for Bob')
    await assert.rejects(receive(carol, m), { name: 'InvalidEnvelopeError' })
    await assert.rejects(receive(bob, crypto.getRandomValues(new Uint8Array(500))), { name: 'InvalidEnvelopeError' })
  })

  it('refuses a first message whose PQXDH identity is not the sealed sender\'s', async () => {
    // Bob (who can open Alice's first message) reseals its inside under his own name to Carol:
    // Carol must not take a session Alice started as one with Bob
    const alice = await party()
    const bob = await party()
    const carol = await party()
    online = false
    const toCarol = await send(alice, carol, 'hi Carol')
    // (the test holds Carol's key: it plays Bob having got hold of the body)
    const inner = await open(provider, carol.key, toCarol)
    const resealed = await seal(provider, bob.key, carol.key.publicKey.raw, inner.content)
    await assert.rejects(receive(carol, resealed), { name: 'InvalidInitialMessageError' })
    assert.equal(carol.sessions.size, 0, 'no session stored')
    // Alice's own copy still opens
    assert.equal(textOf(await receive(carol, toCarol)), 'hi Carol')
  })
})

import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { equals } from 'uint8arrays/equals'
import { defaultProvider } from '../../../src/crypto/provider/index.ts'
import { PQ_PREKEY_LABEL, SIGNED_PREKEY_LABEL } from '../../../src/crypto/pqxdh/constants.ts'
import { initiate, respond, signPrekey } from '../../../src/crypto/pqxdh/pqxdh.ts'
import { DoubleRatchet } from '../../../src/crypto/ratchet/double-ratchet.ts'
import type { KeyPair } from '../../../src/crypto/provider/index.ts'
import type { PrekeyBundle, PrekeyLookup } from '../../../src/crypto/pqxdh/pqxdh.ts'
import type { PrivateKey } from '@libp2p/interface'

const provider = defaultProvider()

interface Responder {
  identity: PrivateKey
  bundle: PrekeyBundle
  lookup: PrekeyLookup
  oneTime: Map<number, KeyPair>
}

async function responder (withOneTime = true): Promise<Responder> {
  const identity = await generateKeyPair('Ed25519')
  const signed = await provider.x25519GenerateKeyPair()
  const pq = await provider.mlKem768GenerateKeyPair()
  const oneTime = new Map<number, KeyPair>([[7, await provider.x25519GenerateKeyPair()]])
  const bundle: PrekeyBundle = {
    identityKey: identity.publicKey.raw,
    signedPrekey: { id: 1, publicKey: signed.publicKey, signature: await signPrekey(identity, SIGNED_PREKEY_LABEL, signed.publicKey) },
    pqPrekey: { id: 2, publicKey: pq.publicKey, signature: await signPrekey(identity, PQ_PREKEY_LABEL, pq.publicKey) },
    ...(withOneTime ? { oneTimePrekey: { id: 7, publicKey: oneTime.get(7)!.publicKey } } : {})
  }
  return {
    identity,
    bundle,
    oneTime,
    lookup: {
      signedPrekey: async id => id === 1 ? signed : undefined,
      pqPrekey: async id => id === 2 ? pq : undefined,
      oneTimePrekey: async id => oneTime.get(id)
    }
  }
}

describe('PQXDH', function () {
  let alice: PrivateKey

  before(async () => { alice = await generateKeyPair('Ed25519') })

  for (const withOneTime of [true, false]) {
    it(`both sides derive the same key and associated data (${withOneTime ? 'with' : 'without'} a one-time prekey)`, async () => {
      const bob = await responder(withOneTime)
      const a = await initiate(provider, alice, bob.bundle)
      const b = await respond(provider, bob.identity, a.initial, bob.lookup)
      assert.ok(equals(a.sharedKey, b.sharedKey))
      assert.equal(a.sharedKey.byteLength, 32)
      assert.ok(equals(a.associatedData, b.associatedData))
      assert.ok(equals(a.associatedData.slice(0, 32), alice.publicKey.raw), 'AD starts with the initiator identity')
      assert.equal(a.initial.oneTimePrekeyId, withOneTime ? 7 : undefined)
    })
  }

  it('starts a Double Ratchet session both sides can use', async () => {
    const bob = await responder()
    const a = await initiate(provider, alice, bob.bundle)
    const aliceSession = await DoubleRatchet.initSender(provider, a.sharedKey, bob.bundle.signedPrekey.publicKey, a.associatedData)
    const first = await aliceSession.encrypt(new TextEncoder().encode('first message, sent while Bob is offline'))
    const b = await respond(provider, bob.identity, a.initial, bob.lookup)
    const bobSession = DoubleRatchet.initReceiver(provider, b.sharedKey, b.signedPrekey, b.associatedData)
    assert.equal(new TextDecoder().decode(await bobSession.decrypt(first)), 'first message, sent while Bob is offline')
    const reply = await bobSession.encrypt(new TextEncoder().encode('got it'))
    assert.equal(new TextDecoder().decode(await aliceSession.decrypt(reply)), 'got it')
  })

  it('gives a different key for every initiation (fresh ephemeral key and KEM secret)', async () => {
    const bob = await responder(false)
    const one = await initiate(provider, alice, bob.bundle)
    const two = await initiate(provider, alice, bob.bundle)
    assert.ok(!equals(one.sharedKey, two.sharedKey))
  })

  describe('refuses bad bundles', function () {
    const cases: Array<[string, (b: PrekeyBundle, bob: Responder) => Promise<PrekeyBundle> | PrekeyBundle]> = [
      ['a flipped bit in the signed prekey signature', b => ({ ...b, signedPrekey: { ...b.signedPrekey, signature: flip(b.signedPrekey.signature, 9) } })],
      ['a flipped bit in the signed prekey', b => ({ ...b, signedPrekey: { ...b.signedPrekey, publicKey: flip(b.signedPrekey.publicKey, 3) } })],
      ['a flipped bit in the ML-KEM prekey', b => ({ ...b, pqPrekey: { ...b.pqPrekey, publicKey: flip(b.pqPrekey.publicKey, 100) } })],
      ['a flipped bit in the ML-KEM prekey signature', b => ({ ...b, pqPrekey: { ...b.pqPrekey, signature: flip(b.pqPrekey.signature, 1) } })],
      ['the signed prekey signature used for the ML-KEM prekey', b => ({ ...b, pqPrekey: { ...b.pqPrekey, signature: b.signedPrekey.signature } })],
      ['prekeys signed by another identity', async b => {
        const other = await generateKeyPair('Ed25519')
        return { ...b, identityKey: other.publicKey.raw }
      }],
      ['a short signed prekey', b => ({ ...b, signedPrekey: { ...b.signedPrekey, publicKey: b.signedPrekey.publicKey.slice(1) } })],
      ['a short ML-KEM prekey', b => ({ ...b, pqPrekey: { ...b.pqPrekey, publicKey: b.pqPrekey.publicKey.slice(1) } })],
      ['a missing signature', b => ({ ...b, signedPrekey: { ...b.signedPrekey, signature: undefined as any } })],
      ['a low-order signed prekey, validly signed', async (b, bob) => {
        const zero = new Uint8Array(32)
        return { ...b, signedPrekey: { id: 1, publicKey: zero, signature: await signPrekey(bob.identity, SIGNED_PREKEY_LABEL, zero) } }
      }],
      ['a low-order one-time prekey', b => ({ ...b, oneTimePrekey: { id: 7, publicKey: lowOrderPoint() } })],
      ['an identity key that is not a curve point', b => ({ ...b, identityKey: new Uint8Array(32).fill(0xff) })]
    ]
    for (const [name, mutate] of cases) {
      it(name, async () => {
        const bob = await responder()
        await assert.rejects(initiate(provider, alice, await mutate(bob.bundle, bob)), { name: 'InvalidBundleError' })
      })
    }
  })

  it('a tampered KEM ciphertext yields a different key, so the first message fails to decrypt', async () => {
    const bob = await responder()
    const a = await initiate(provider, alice, bob.bundle)
    const aliceSession = await DoubleRatchet.initSender(provider, a.sharedKey, bob.bundle.signedPrekey.publicKey, a.associatedData)
    const first = await aliceSession.encrypt(new TextEncoder().encode('hi'))
    const b = await respond(provider, bob.identity, { ...a.initial, kemCiphertext: flip(a.initial.kemCiphertext, 500) }, bob.lookup)
    assert.ok(!equals(a.sharedKey, b.sharedKey))
    const bobSession = DoubleRatchet.initReceiver(provider, b.sharedKey, b.signedPrekey, b.associatedData)
    await assert.rejects(bobSession.decrypt(first), { name: 'InvalidMessageError' })
  })

  it('a forged initiator identity yields a different key (the identity is authenticated by DH)', async () => {
    const bob = await responder()
    const a = await initiate(provider, alice, bob.bundle)
    const mallory = await generateKeyPair('Ed25519')
    const b = await respond(provider, bob.identity, { ...a.initial, identityKey: mallory.publicKey.raw }, bob.lookup)
    assert.ok(!equals(a.sharedKey, b.sharedKey))
  })

  it('refuses unknown prekey ids and malformed initial messages', async () => {
    const bob = await responder()
    const a = await initiate(provider, alice, bob.bundle)
    await assert.rejects(respond(provider, bob.identity, { ...a.initial, signedPrekeyId: 99 }, bob.lookup), { name: 'UnknownPrekeyError' })
    await assert.rejects(respond(provider, bob.identity, { ...a.initial, pqPrekeyId: 99 }, bob.lookup), { name: 'UnknownPrekeyError' })
    await assert.rejects(respond(provider, bob.identity, { ...a.initial, kemCiphertext: new Uint8Array(10) }, bob.lookup), { name: 'InvalidInitialMessageError' })
    await assert.rejects(respond(provider, bob.identity, { ...a.initial, ephemeralKey: lowOrderPoint() }, bob.lookup), { name: 'InvalidInitialMessageError' })
    bob.oneTime.clear() // a one-time prekey is used once
    await assert.rejects(respond(provider, bob.identity, a.initial, bob.lookup), { name: 'UnknownPrekeyError' })
  })
})

function flip (bytes: Uint8Array, byte: number): Uint8Array {
  const out = bytes.slice()
  out[byte] ^= 0x01
  return out
}

/** A point of order 8 on Curve25519 (from RFC 7748's list of small-order points) */
function lowOrderPoint (): Uint8Array {
  return Uint8Array.from(Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex'))
}

import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { equals } from 'uint8arrays/equals'
import { pad, paddedLength, unpad } from '../../src/crypto/padding.ts'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { open, seal } from '../../src/crypto/sealed-sender/sealed-sender.ts'
import { SealedEnvelope } from '../../src/crypto/sealed-sender/pb/envelope.ts'
import type { PrivateKey } from '@libp2p/interface'

const provider = defaultProvider()
const content = new TextEncoder().encode('who sent this?')

describe('sealed sender', function () {
  let alice: PrivateKey
  let bob: PrivateKey
  let mallory: PrivateKey

  before(async () => {
    [alice, bob, mallory] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
  })

  it('opens for the recipient, naming the authenticated sender', async () => {
    const envelope = await seal(provider, alice, bob.publicKey.raw, content)
    const opened = await open(provider, bob, envelope)
    assert.ok(equals(opened.content, content))
    assert.ok(equals(opened.senderIdentityKey, alice.publicKey.raw))
  })

  it('shows nobody else the sender: no identity key bytes appear, and others cannot open it', async () => {
    const envelope = await seal(provider, alice, bob.publicKey.raw, content)
    for (const key of [alice.publicKey.raw, bob.publicKey.raw]) {
      assert.equal(Buffer.from(envelope).indexOf(Buffer.from(key)), -1)
    }
    await assert.rejects(open(provider, mallory, envelope), { name: 'InvalidEnvelopeError' })
    await assert.rejects(open(provider, alice, envelope), { name: 'InvalidEnvelopeError' })
  })

  it('uses a fresh ephemeral key each time, so two envelopes of the same content differ entirely', async () => {
    const [one, two] = [await seal(provider, alice, bob.publicKey.raw, content), await seal(provider, alice, bob.publicKey.raw, content)]
    const [a, b] = [SealedEnvelope.decode(one), SealedEnvelope.decode(two)]
    assert.ok(!equals(a.ephemeralKey, b.ephemeralKey))
    assert.ok(!equals(a.sealedSender, b.sealedSender))
  })

  it('cannot be re-attributed: a swapped sender block fails to open', async () => {
    const fromAlice = SealedEnvelope.decode(await seal(provider, alice, bob.publicKey.raw, content))
    const fromMallory = SealedEnvelope.decode(await seal(provider, mallory, bob.publicKey.raw, content))
    const forged = SealedEnvelope.encode({ ...fromMallory, sealedSender: fromAlice.sealedSender })
    await assert.rejects(open(provider, bob, forged), { name: 'InvalidEnvelopeError' })
  })

  it('rejects any single flipped bit, and garbage, with InvalidEnvelopeError', async () => {
    const envelope = await seal(provider, alice, bob.publicKey.raw, content)
    for (let bit = 0; bit < envelope.byteLength * 8; bit++) {
      const tampered = envelope.slice()
      tampered[bit >> 3] ^= 1 << (bit & 7)
      await assert.rejects(open(provider, bob, tampered), { name: 'InvalidEnvelopeError' }, `bit ${bit}`)
    }
    await assert.rejects(open(provider, bob, crypto.getRandomValues(new Uint8Array(300))), { name: 'InvalidEnvelopeError' })
    await assert.rejects(open(provider, bob, new Uint8Array(300 * 1024)), { name: 'InvalidEnvelopeError' })
  })
})

describe('padding', function () {
  it('pads to power-of-two buckets from 256 bytes and round-trips', () => {
    for (const length of [0, 1, 254, 255, 256, 1000, 4095, 70_000]) {
      const data = new Uint8Array(length).map((_, i) => (i * 7 + 1) % 251)
      const padded = pad(data)
      assert.equal(padded.byteLength, paddedLength(length))
      assert.ok(padded.byteLength > length && (padded.byteLength & (padded.byteLength - 1)) === 0 && padded.byteLength >= 256)
      assert.ok(equals(unpad(padded), data))
    }
    assert.equal(paddedLength(255), 256)
    assert.equal(paddedLength(256), 512)
  })

  it('refuses bytes without the padding marker', () => {
    assert.throws(() => unpad(new Uint8Array(256)), { name: 'InvalidPaddingError' })
    assert.throws(() => unpad(Uint8Array.of(1, 2, 3)), { name: 'InvalidPaddingError' })
  })
})

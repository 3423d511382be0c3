import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { envelopeHash, signFetchProof, signReceipt, verifyFetchProof, verifyReceipt } from '../../../src/protocols/mailbox/proofs.ts'
import type { FetchProofFields, ReceiptFields } from '../../../src/protocols/mailbox/proofs.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill)

describe('mailbox proofs', () => {
  let storerKey: PrivateKey
  let storer: PeerId
  let otherStorer: PeerId
  let recipientKey: PrivateKey
  let recipient: PeerId
  let intruderKey: PrivateKey
  let secp: PeerId

  before(async () => {
    storerKey = await generateKeyPair('Ed25519')
    storer = peerIdFromPrivateKey(storerKey)
    otherStorer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    recipientKey = await generateKeyPair('Ed25519')
    recipient = peerIdFromPrivateKey(recipientKey)
    intruderKey = await generateKeyPair('Ed25519')
    secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1'))
  })

  it('an envelope hash is the SHA-256 of its bytes', () => {
    const envelope = new Uint8Array([1, 2, 3, 4])
    assert.deepEqual(envelopeHash(envelope), new Uint8Array(createHash('sha256').update(envelope).digest()))
    assert.equal(envelopeHash(new Uint8Array(0)).byteLength, 32)
  })

  describe('store receipts', () => {
    const fields: ReceiptFields = { key: bytes(32, 1), hash: bytes(32, 2), expiresAt: 1_700_000_000_000 }

    it('verify for their storer and their exact fields', async () => {
      const signature = await signReceipt(storerKey, fields)
      assert.equal(signature.byteLength, 64)
      assert.equal(await verifyReceipt(storer, fields, signature), true)
      assert.equal(await verifyReceipt(storer, { ...fields }, new Uint8Array(signature)), true)
    })

    it('are rejected when forged by another key or claimed for another storer', async () => {
      const forged = await signReceipt(intruderKey, fields)
      assert.equal(await verifyReceipt(storer, fields, forged), false, 'signed by someone else')
      assert.equal(await verifyReceipt(otherStorer, fields, await signReceipt(storerKey, fields)), false, 'claimed for another storer')
    })

    it('are rejected when any field is altered', async () => {
      const signature = await signReceipt(storerKey, fields)
      assert.equal(await verifyReceipt(storer, { ...fields, key: bytes(32, 9) }, signature), false, 'key')
      assert.equal(await verifyReceipt(storer, { ...fields, hash: bytes(32, 9) }, signature), false, 'hash')
      assert.equal(await verifyReceipt(storer, { ...fields, expiresAt: fields.expiresAt + 1 }, signature), false, 'expiry')
      // the high half of the u64 is signed too
      assert.equal(await verifyReceipt(storer, { ...fields, expiresAt: fields.expiresAt + 2 ** 32 }, signature), false, 'expiry, high bits')
      const flipped = new Uint8Array(signature)
      flipped[10] ^= 1
      assert.equal(await verifyReceipt(storer, fields, flipped), false, 'signature')
    })

    it('a signature of the wrong length is false, not an error', async () => {
      const signature = await signReceipt(storerKey, fields)
      for (const bad of [new Uint8Array(0), signature.slice(1), new Uint8Array([...signature, 0]), new Uint8Array(64)]) {
        assert.equal(await verifyReceipt(storer, fields, bad), false, `${bad.byteLength} bytes`)
      }
    })

    it('a storer without an Ed25519 key is an InvalidReceiptError', async () => {
      await assert.rejects(verifyReceipt(secp, fields, new Uint8Array(64)), { name: 'InvalidReceiptError' })
    })

    it('malformed fields are RangeErrors', async () => {
      await assert.rejects(signReceipt(storerKey, { ...fields, key: bytes(31, 1) }), RangeError)
      await assert.rejects(signReceipt(storerKey, { ...fields, hash: bytes(33, 1) }), RangeError)
      await assert.rejects(signReceipt(storerKey, { ...fields, expiresAt: -1 }), RangeError)
      await assert.rejects(signReceipt(storerKey, { ...fields, expiresAt: 1.5 }), RangeError)
      await assert.rejects(verifyReceipt(storer, { ...fields, expiresAt: Number.NaN }, new Uint8Array(64)), RangeError)
    })
  })

  describe('fetch proofs', () => {
    let fields: FetchProofFields

    before(() => {
      fields = { storer, challenge: bytes(32, 5), epochs: [10, 9, 8] }
    })

    it('verify for their recipient, storer, challenge and epochs', async () => {
      const proof = await signFetchProof(recipientKey, fields)
      assert.equal(await verifyFetchProof(recipient, fields, proof), true)
      assert.equal(await verifyFetchProof(recipient, { storer: peerIdFromPrivateKey(storerKey), challenge: bytes(32, 5), epochs: [10, 9, 8] }, proof), true)
    })

    it('are rejected when shown to another storer', async () => {
      const proof = await signFetchProof(recipientKey, fields)
      assert.equal(await verifyFetchProof(recipient, { ...fields, storer: otherStorer }, proof), false)
    })

    it('are rejected for another challenge (a replay)', async () => {
      const proof = await signFetchProof(recipientKey, fields)
      assert.equal(await verifyFetchProof(recipient, { ...fields, challenge: bytes(32, 6) }, proof), false)
    })

    it('are rejected for other epochs, fewer, more or reordered', async () => {
      const proof = await signFetchProof(recipientKey, fields)
      for (const epochs of [[10, 9, 7], [10, 9], [10, 9, 8, 7], [8, 9, 10], []]) {
        assert.equal(await verifyFetchProof(recipient, { ...fields, epochs }, proof), false, epochs.join(','))
      }
    })

    it('are rejected when signed by another key or checked against another recipient', async () => {
      assert.equal(await verifyFetchProof(recipient, fields, await signFetchProof(intruderKey, fields)), false, 'signed by someone else')
      assert.equal(await verifyFetchProof(peerIdFromPrivateKey(intruderKey), fields, await signFetchProof(recipientKey, fields)), false, 'for someone else')
    })

    it('a signature of the wrong length is false; a recipient without an Ed25519 key is an InvalidFetchProofError', async () => {
      const proof = await signFetchProof(recipientKey, fields)
      assert.equal(await verifyFetchProof(recipient, fields, proof.slice(0, 63)), false)
      assert.equal(await verifyFetchProof(recipient, fields, new Uint8Array(0)), false)
      await assert.rejects(verifyFetchProof(secp, fields, proof), { name: 'InvalidFetchProofError' })
    })

    it('malformed fields are RangeErrors', async () => {
      await assert.rejects(signFetchProof(recipientKey, { ...fields, challenge: bytes(31, 5) }), RangeError)
      await assert.rejects(signFetchProof(recipientKey, { ...fields, epochs: [-1] }), RangeError)
      await assert.rejects(signFetchProof(recipientKey, { ...fields, epochs: [2 ** 32] }), RangeError)
      await assert.rejects(verifyFetchProof(recipient, { ...fields, epochs: [0.5] }, new Uint8Array(64)), RangeError)
    })
  })

  it('a signature of one kind never verifies as the other', async () => {
    // the same 32-byte values in both: only the labels and layouts tell them apart
    const receipt = await signReceipt(recipientKey, { key: bytes(32, 5), hash: bytes(32, 5), expiresAt: 8 })
    assert.equal(await verifyFetchProof(recipient, { storer, challenge: bytes(32, 5), epochs: [8] }, receipt), false)
    const proof = await signFetchProof(storerKey, { storer, challenge: bytes(32, 5), epochs: [0, 8] })
    assert.equal(await verifyReceipt(storer, { key: bytes(32, 5), hash: bytes(32, 5), expiresAt: 8 }, proof), false)
  })
})

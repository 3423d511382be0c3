import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { envelopeHash, signFetchProof, signReceipt, verifyFetchProof, verifyReceipt } from '../../../src/protocols/mailbox/proofs.ts'
import { epochAt, mailboxKey, recentEpochs, MAILBOX_EPOCH_MS } from '../../../src/protocols/mailbox/keys.ts'
import { mintStamp, verifyStamp } from '../../../src/protocols/mailbox/stamp.ts'

describe('mailbox keys, receipts, fetch proofs and stamps', () => {
  it('mailbox keys differ per recipient and epoch; recent epochs cover the TTL', async () => {
    const a = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const b = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    assert.equal(mailboxKey(a, 7).byteLength, 32)
    assert.deepEqual(mailboxKey(a, 7), mailboxKey(a, 7))
    assert.notDeepEqual(mailboxKey(a, 7), mailboxKey(a, 8))
    assert.notDeepEqual(mailboxKey(a, 7), mailboxKey(b, 7))
    assert.throws(() => mailboxKey(a, -1), RangeError)
    const now = 100 * MAILBOX_EPOCH_MS + 5
    assert.deepEqual(recentEpochs(now, 14 * 24 * 3600 * 1000), [100, 99, 98])
    assert.equal(epochAt(now), 100)
  })

  it('a receipt verifies only for its storer and its exact fields', async () => {
    const storerKey = await generateKeyPair('Ed25519')
    const storer = peerIdFromPrivateKey(storerKey)
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const fields = { key: new Uint8Array(32).fill(1), hash: envelopeHash(new Uint8Array([1, 2, 3])), expiresAt: 1_700_000_000_000 }
    const signature = await signReceipt(storerKey, fields)
    assert.equal(await verifyReceipt(storer, fields, signature), true)
    assert.equal(await verifyReceipt(other, fields, signature), false, 'forged: another storer')
    assert.equal(await verifyReceipt(storer, { ...fields, expiresAt: fields.expiresAt + 1 }, signature), false)
    assert.equal(await verifyReceipt(storer, { ...fields, key: new Uint8Array(32).fill(2) }, signature), false)
    assert.equal(await verifyReceipt(storer, { ...fields, hash: envelopeHash(new Uint8Array([9])) }, signature), false)
    assert.equal(await verifyReceipt(storer, fields, signature.slice(1)), false, 'a short signature is false, not an error')
    assert.equal(await verifyReceipt(storer, fields, new Uint8Array(64)), false)
  })

  it('a fetch proof binds the recipient, the storer, the challenge and the epochs', async () => {
    const recipientKey = await generateKeyPair('Ed25519')
    const recipient = peerIdFromPrivateKey(recipientKey)
    const storer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const otherStorer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const intruderKey = await generateKeyPair('Ed25519')
    const fields = { storer, challenge: new Uint8Array(32).fill(5), epochs: [10, 9, 8] }
    const proof = await signFetchProof(recipientKey, fields)
    assert.equal(await verifyFetchProof(recipient, fields, proof), true)
    assert.equal(await verifyFetchProof(recipient, { ...fields, storer: otherStorer }, proof), false, 'replayed to another storer')
    assert.equal(await verifyFetchProof(recipient, { ...fields, challenge: new Uint8Array(32).fill(6) }, proof), false, 'an old challenge')
    assert.equal(await verifyFetchProof(recipient, { ...fields, epochs: [10, 9, 7] }, proof), false)
    assert.equal(await verifyFetchProof(recipient, fields, await signFetchProof(intruderKey, fields)), false, 'signed by someone else')
  })

  it('a stamp proves the work for its own key and envelope only', async () => {
    const key = new Uint8Array(32).fill(3)
    const hash = envelopeHash(new Uint8Array([1]))
    const stamp = await mintStamp(key, hash, 12)
    assert.equal(verifyStamp(key, hash, stamp, 12), true)
    assert.equal(verifyStamp(key, envelopeHash(new Uint8Array([2])), stamp, 12), false, 'another envelope (fails with probability 1 - 2^-12)')
    assert.equal(verifyStamp(key, hash, undefined, 12), false)
    assert.equal(verifyStamp(key, hash, stamp.slice(1), 12), false)
    // 20 bits on a 12-bit stamp: true only 1 time in 256
    let stronger = 0
    for (let i = 0; i < 16; i++) if (verifyStamp(key, hash, await mintStamp(key, hash, 12), 20)) stronger++
    assert.ok(stronger < 4, 'a weaker stamp does not pass a harder check')
    assert.throws(() => verifyStamp(key, hash, stamp, 33), RangeError)
    const controller = new AbortController()
    controller.abort()
    await assert.rejects(mintStamp(key, hash, 30, { signal: controller.signal }))
  })
})

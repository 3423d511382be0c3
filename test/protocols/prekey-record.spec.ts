import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PQ_PREKEY_LABEL, SIGNED_PREKEY_LABEL } from '../../src/crypto/pqxdh/constants.ts'
import { signPrekey } from '../../src/crypto/pqxdh/pqxdh.ts'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { MAX_CLOCK_SKEW_MS, MAX_RECORD_AGE_MS } from '../../src/protocols/prekeys/constants.ts'
import { PrekeyRecord } from '../../src/protocols/prekeys/pb/prekeys.ts'
import { createPrekeyRecord, prekeyRecordKey, readPrekeyRecord, selectPrekeyRecord, validatePrekeyRecord } from '../../src/protocols/prekeys/record.ts'
import { signRequestsMailbox } from '../../src/protocols/prekeys/requests-mailbox.ts'
import type { PrekeyBundle } from '../../src/crypto/pqxdh/pqxdh.ts'
import type { PrivateKey } from '@libp2p/interface'

const provider = defaultProvider()

async function bundleOf (identity: PrivateKey): Promise<PrekeyBundle> {
  const x = await provider.x25519GenerateKeyPair()
  const kem = await provider.mlKem768GenerateKeyPair()
  return {
    identityKey: identity.publicKey.raw,
    signedPrekey: { id: 1, publicKey: x.publicKey, signature: await signPrekey(identity, SIGNED_PREKEY_LABEL, x.publicKey) },
    pqPrekey: { id: 2, publicKey: kem.publicKey, signature: await signPrekey(identity, PQ_PREKEY_LABEL, kem.publicKey) }
  }
}

describe('prekey DHT records', function () {
  let owner: PrivateKey
  let key: Uint8Array

  before(async () => {
    owner = await generateKeyPair('Ed25519')
    key = prekeyRecordKey(peerIdFromPrivateKey(owner))
  })

  it('validates a record signed by the owner of its key', async () => {
    const record = await createPrekeyRecord(owner, await bundleOf(owner), Date.now())
    await validatePrekeyRecord(key, record)
    const read = await readPrekeyRecord(key, record)
    assert.deepEqual(read.bundle.identityKey, owner.publicKey.raw)
  })

  it('carries the requests mailbox key beside the signed part: read and checked by this release, the same bytes checked by an earlier one', async () => {
    const requests = await generateKeyPair('Ed25519')
    const signed = await signRequestsMailbox(owner, requests)
    const record = await createPrekeyRecord(owner, await bundleOf(owner), Date.now(), signed)
    const read = await readPrekeyRecord(key, record)
    assert.deepEqual(read.requestsMailbox, requests.publicKey.raw)
    // an earlier release drops the field it does not know, then checks the signature
    const earlier = PrekeyRecord.encode({ ...PrekeyRecord.decode(record), requests: undefined })
    const unchecked = await readPrekeyRecord(key, earlier)
    assert.equal(unchecked.requestsMailbox, undefined)
    // a key not signed by the owner (someone else's, or swapped in by a DHT peer) fails the record
    const mallory = await generateKeyPair('Ed25519')
    const forged = PrekeyRecord.encode({ ...PrekeyRecord.decode(record), requests: await signRequestsMailbox(mallory, requests) })
    await assert.rejects(readPrekeyRecord(key, forged), /requests mailbox/)
    const short = PrekeyRecord.encode({ ...PrekeyRecord.decode(record), requests: { ...signed, publicKey: signed.publicKey.subarray(0, 31) } })
    await assert.rejects(readPrekeyRecord(key, short), /32 bytes/)
  })

  it('refuses another identity\'s record under this key (an identity swap)', async () => {
    const mallory = await generateKeyPair('Ed25519')
    const record = await createPrekeyRecord(mallory, await bundleOf(mallory), Date.now())
    await assert.rejects(validatePrekeyRecord(key, record), { name: 'InvalidPrekeyRecordError' })
  })

  it('refuses a record whose date or bundle was changed after signing', async () => {
    const record = PrekeyRecord.decode(await createPrekeyRecord(owner, await bundleOf(owner), Date.now()))
    const redated = PrekeyRecord.encode({ ...record, createdMs: record.createdMs + 1n })
    await assert.rejects(validatePrekeyRecord(key, redated), /signature/)
    const other = await bundleOf(owner)
    const swapped = PrekeyRecord.encode({ ...record, bundle: { ...record.bundle!, signedPrekey: { ...other.signedPrekey, publicKey: other.signedPrekey.publicKey as Uint8Array<ArrayBuffer>, signature: other.signedPrekey.signature as Uint8Array<ArrayBuffer> } } })
    await assert.rejects(validatePrekeyRecord(key, swapped), /signature/)
  })

  it('refuses records from the future, oversized or garbled ones, and other namespaces', async () => {
    const future = await createPrekeyRecord(owner, await bundleOf(owner), Date.now() + MAX_CLOCK_SKEW_MS + 60_000)
    await assert.rejects(validatePrekeyRecord(key, future), /future/)
    await assert.rejects(validatePrekeyRecord(key, new Uint8Array(5000)), /bytes/)
    await assert.rejects(validatePrekeyRecord(key, crypto.getRandomValues(new Uint8Array(100))), { name: 'InvalidPrekeyRecordError' })
    const record = await createPrekeyRecord(owner, await bundleOf(owner), Date.now())
    await assert.rejects(validatePrekeyRecord(new TextEncoder().encode('/pk/xyz'), record), { name: 'InvalidPrekeyRecordError' })
  })

  it('selects the newest valid record, never an invalid one', async () => {
    const now = Date.now()
    const older = await createPrekeyRecord(owner, await bundleOf(owner), now - 60_000)
    const newer = await createPrekeyRecord(owner, await bundleOf(owner), now)
    const mallory = await generateKeyPair('Ed25519')
    const forged = await createPrekeyRecord(mallory, await bundleOf(mallory), now + 1_000)
    assert.equal(await selectPrekeyRecord(key, [older, forged, newer]), 2)
    assert.equal(await selectPrekeyRecord(key, [newer, older]), 0)
  })

  it('refuses a record older than MAX_RECORD_AGE_MS, and the selector never picks one', async () => {
    // a sender that sealed to a stale record used prekeys its owner may have dropped: the
    // recipient answered UnknownPrekeyError and the conversation failed
    const day = 24 * 60 * 60 * 1_000
    const stale = await createPrekeyRecord(owner, await bundleOf(owner), Date.now() - MAX_RECORD_AGE_MS - day)
    await assert.rejects(validatePrekeyRecord(key, stale), /older than/)
    const fresh = await createPrekeyRecord(owner, await bundleOf(owner), Date.now() - MAX_RECORD_AGE_MS + day)
    await validatePrekeyRecord(key, fresh)
    assert.equal(await selectPrekeyRecord(key, [stale, fresh]), 1)
  })
})

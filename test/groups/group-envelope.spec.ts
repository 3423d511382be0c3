import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { GroupSecret } from '../../src/groups/group-secret.ts'
import { openEnvelope, sealEnvelope } from '../../src/groups/sender-keys/group-envelope.ts'
import { GroupEnvelope } from '../../src/groups/sender-keys/pb/sender-key.ts'

const provider = defaultProvider()

describe('group envelopes', () => {
  it('show members the author, and refuse another epoch, a swapped message and garbage', async () => {
    const secret = GroupSecret.fresh(provider)
    const author = await generateKeyPair('Ed25519')
    const message = new Uint8Array([1, 2, 3, 4])
    const envelope = await sealEnvelope(provider, secret, author, message)
    const opened = await openEnvelope(provider, secret, envelope)
    assert.ok(opened.author.equals(peerIdFromPrivateKey(author)))
    assert.deepEqual(opened.message, message)
    // an outsider (a storer) sees no PeerId in it
    assert.equal(Buffer.from(envelope).indexOf(Buffer.from(peerIdFromPrivateKey(author).toMultihash().bytes)), -1)
    await assert.rejects(openEnvelope(provider, GroupSecret.fresh(provider), envelope), /not of this group and epoch/)
    const swapped = GroupEnvelope.encode({ ...GroupEnvelope.decode(envelope), message: new Uint8Array([9]) })
    await assert.rejects(openEnvelope(provider, secret, swapped), /not of this group and epoch/)
    await assert.rejects(openEnvelope(provider, secret, new Uint8Array([0xff, 0xff])), { name: 'InvalidSenderKeyMessageError' })
  })
})

import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pbStream } from '@libp2p/utils'
import { TempDirs } from '../helpers/temp-dir.ts'
import { connectedTo, startNode, LOOPBACK_TCP } from '../helpers/nodes.ts'
import { MAX_ITEMS_PER_KEY, MAX_UNSTAMPED_ITEMS_PER_DEPOSITOR_KEY } from '../../src/protocols/mailbox/constants.ts'
import { Couriers } from '../../src/protocols/mailbox/couriers.ts'
import { courierNodeFactory } from '../../src/node/courier-node.ts'
import { logger } from '@libp2p/logger'
import { PROTOCOL, epochAt, mailboxKey } from '../../src/protocols/mailbox/index.ts'
import { envelopeHash, signFetchProof } from '../../src/protocols/mailbox/proofs.ts'
import { verifyStamp } from '../../src/protocols/mailbox/stamp.ts'
import { FetchAck, FetchChallenge, FetchPage, FetchProof, MailboxRequest, StoreResponse } from '../../src/protocols/mailbox/pb/mailbox.ts'
import { equals } from 'uint8arrays/equals'
import type { Parley } from '../../src/parley.ts'
import type { MailboxHost } from '../../src/protocols/mailbox/host.ts'
import type { MailboxStore } from '../../src/protocols/mailbox/store.ts'
import type { PeerId, PrivateKey } from '@libp2p/interface'

/** A message a stranger sends is stamped at this difficulty: below the storers', so they do not credit it */
const STAMP_BITS = 8

/** What a storer holds (the mailbox service keeps its host to itself) */
const storeOf = (storer: Parley): MailboxStore => (storer.node.services.mailbox as unknown as { host: MailboxHost }).host.store

/** Protobuf by hand, for encodings protons does not write */
const varint = (n: number): number[] => {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}
const lengthDelimited = (tag: number, bytes: ArrayLike<number>): number[] => [...varint(tag), ...varint(bytes.length), ...Array.from(bytes)]

/**
 * Storers under attack by peers that follow the protocol to the letter: a flooder filling a
 * stranger's mailbox, and requests in encodings other implementations write
 */
describe('mailbox storers under abuse', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const running: Parley[] = []
  const start = async (init: Parameters<typeof startNode>[0]): Promise<Parley> => {
    const node = await startNode(init)
    running.push(node)
    return node
  }

  afterEach(async () => {
    await Promise.all(running.splice(0).map(async n => n.stop().catch(() => {})))
    await dirs.cleanup()
  })

  const storeAt = async (from: Parley, storer: Parley, store: NonNullable<MailboxRequest['store']>): Promise<StoreResponse> => {
    const stream = await from.node.dialProtocol(storer.addresses()[0], PROTOCOL)
    const pb = pbStream(stream)
    await pb.write({ store }, MailboxRequest)
    const response = await pb.read(StoreResponse)
    await stream.close()
    return response
  }

  it('a flooder at its cap, then an honest sender still gets stored', async () => {
    const storer = await start({ dataDir: await dirs.make(), relay: true, listen: [LOOPBACK_TCP] })
    const init = { bootstrap: storer.addresses(), mailbox: { replicas: 1 }, messenger: { stampBits: STAMP_BITS } }
    const dirB = await dirs.make()
    const b = await startNode({ dataDir: dirB, ...init })
    await b.node.services.prekeys.published
    await b.stop()

    // the victim's key is computable by anyone who knows its address
    const flooder = await start({ dataDir: await dirs.make(), ...init })
    await connectedTo(flooder, storer.peerId)
    const key = mailboxKey(b.peerId, epochAt(Date.now())) as Uint8Array<ArrayBuffer>
    let flooded = 0
    let refusal = ''
    while (flooded <= MAX_ITEMS_PER_KEY) {
      const response = await storeAt(flooder, storer, { key, envelope: crypto.getRandomValues(new Uint8Array(1_000)) })
      if (response.status === StoreResponse.Status.REFUSED) {
        refusal = response.reason
        break
      }
      flooded++
    }
    assert.ok(flooded <= MAX_ITEMS_PER_KEY / 10, `the flooder stored ${flooded} envelopes under the victim's key`)
    assert.match(refusal, /stamp/)

    const a = await start({ dataDir: await dirs.make(), ...init })
    await connectedTo(a, storer.peerId)
    const sent = await a.messenger.send(b.peerId, 'an honest message')
    assert.equal(sent.status, 'stored', sent.error)
  })

  it('a flooder with a fresh identity for every deposit (a courier each) is held to the same cap: quotas go by the network, not the PeerId', async () => {
    const storer = await start({ dataDir: await dirs.make(), relay: true, listen: [LOOPBACK_TCP] })
    const flooder = await start({ dataDir: await dirs.make(), bootstrap: storer.addresses() })
    await connectedTo(flooder, storer.peerId)
    // a courier lives for no time at all: every deposit goes under a new PeerId
    const factory = courierNodeFactory({ lan: true })
    let identities = 0
    const couriers = new Couriers({ createNode: async key => { identities++; return factory(key) }, peerStore: flooder.node.peerStore, log: logger('parley:test:flood'), lifetimeMs: 0 })
    const key = mailboxKey(peerIdFromPrivateKey(await generateKeyPair('Ed25519')), epochAt(Date.now())) as Uint8Array<ArrayBuffer>
    let flooded = 0
    let refusal = ''
    try {
      while (flooded <= MAX_UNSTAMPED_ITEMS_PER_DEPOSITOR_KEY) {
        const stream = await couriers.open(key, storer.peerId, PROTOCOL)
        const pb = pbStream(stream)
        await pb.write({ store: { key, envelope: crypto.getRandomValues(new Uint8Array(1_000)) } }, MailboxRequest)
        const response = await pb.read(StoreResponse)
        await stream.close()
        if (response.status === StoreResponse.Status.REFUSED) {
          refusal = response.reason
          break
        }
        flooded++
      }
    } finally {
      await couriers.stop()
    }
    assert.equal(identities, flooded + 1, 'a new PeerId for every deposit')
    assert.equal(flooded, MAX_UNSTAMPED_ITEMS_PER_DEPOSITOR_KEY, 'as many as one identity gets, no more')
    assert.match(refusal, /stamp/)
  })

  it('a deposit to a mailbox that is partly full is stamped on the storer\'s demand, and stored', async () => {
    // a contact's message carries no stamp: only the storer's refusal tells the sender it needs one
    const storer = await start({ dataDir: await dirs.make(), relay: true, listen: [LOOPBACK_TCP], mailboxHost: { stampBits: STAMP_BITS, stampAfterItemsPerKey: 3 } })
    const init = { bootstrap: storer.addresses(), mailbox: { replicas: 1 } }
    const [flooder, a] = [await start({ dataDir: await dirs.make(), ...init }), await start({ dataDir: await dirs.make(), ...init })]
    await Promise.all([flooder, a].map(async node => connectedTo(node, storer.peerId)))
    // a recipient that is away (one running would collect, and ack, the flood and the deposit)
    const b = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const key = mailboxKey(b, epochAt(Date.now())) as Uint8Array<ArrayBuffer>
    for (let n = 0; n < 3; n++) {
      assert.equal((await storeAt(flooder, storer, { key, envelope: crypto.getRandomValues(new Uint8Array(1_000)) })).status, StoreResponse.Status.STORED)
    }
    const partlyFull = await storeAt(flooder, storer, { key, envelope: crypto.getRandomValues(new Uint8Array(1_000)) })
    assert.equal(partlyFull.stampBits, STAMP_BITS, `the key is partly full: ${partlyFull.status} ${partlyFull.reason}`)

    const envelope = crypto.getRandomValues(new Uint8Array(1_000))
    const result = await a.node.services.mailbox.deposit(b, envelope)
    assert.deepEqual(result.failures, [])
    assert.equal(result.receipts.length, 1)
    const held = (await storeOf(storer).list(key)).find(item => equals(item.envelope, envelope))
    assert.ok(verifyStamp(key, envelopeHash(envelope), held?.stamp, STAMP_BITS), 'held with the stamp minted for it')
  })

  describe('fetch requests', () => {
    let storer: Parley
    let client: Parley
    let recipient: { key: PrivateKey, id: PeerId }
    const epochs = [epochAt(Date.now()), epochAt(Date.now()) - 1]

    beforeEach(async () => {
      storer = await start({ dataDir: await dirs.make(), relay: true, listen: [LOOPBACK_TCP] })
      client = await start({ dataDir: await dirs.make(), bootstrap: storer.addresses() })
      await connectedTo(client, storer.peerId)
      const key = await generateKeyPair('Ed25519')
      recipient = { key, id: peerIdFromPrivateKey(key) }
      const envelope = crypto.getRandomValues(new Uint8Array(1_000))
      const stored = await storeAt(client, storer, { key: mailboxKey(recipient.id, epochs[0]) as Uint8Array<ArrayBuffer>, envelope })
      assert.equal(stored.status, StoreResponse.Status.STORED, stored.reason)
    })

    /** Opens a fetch with `request` (bytes as sent), proves ownership, and reads one page */
    const fetchWith = async (request: Uint8Array, signedEpochs = epochs): Promise<FetchPage> => {
      const stream = await client.node.dialProtocol(storer.addresses()[0], PROTOCOL)
      const pb = pbStream(stream)
      await pb.write(request, { encode: (bytes: Uint8Array) => bytes })
      const { challenge } = await pb.read(FetchChallenge, { signal: AbortSignal.timeout(5_000) })
      const signature = await signFetchProof(recipient.key, { storer: storer.peerId, challenge, epochs: signedEpochs })
      await pb.write({ signature: signature as Uint8Array<ArrayBuffer> }, FetchProof)
      const page = await pb.read(FetchPage)
      if (!page.done) await pb.write({ hashes: [] }, FetchAck)
      stream.abort(new Error('enough'))
      return page
    }

    it('a real storer answers a fetch whose epochs are unpacked, and one whose epochs are packed', async () => {
      const recipientBytes = recipient.id.toMultihash().bytes
      const unpacked = MailboxRequest.encode({ fetch: { recipient: recipientBytes, epochs } })
      const packed = Uint8Array.from(lengthDelimited(18, [...lengthDelimited(10, recipientBytes), ...lengthDelimited(18, epochs.flatMap(varint))]))
      assert.notDeepEqual(packed, unpacked)
      for (const [name, request] of [['unpacked', unpacked], ['packed', packed]] as const) {
        const page = await fetchWith(request)
        assert.equal(page.refused, '', name)
        assert.equal(page.envelopes.length, 1, `${name}: the held envelope`)
      }
    })

    it('a real storer refuses a fetch that names an epoch twice, before its challenge', async () => {
      const twice = [epochs[0], epochs[0]]
      await assert.rejects(fetchWith(MailboxRequest.encode({ fetch: { recipient: recipient.id.toMultihash().bytes, epochs: twice } }), twice))
    })
  })
})

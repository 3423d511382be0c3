import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { pbStream } from '@libp2p/utils'
import * as Digest from 'multiformats/hashes/digest'
import { TempDirs } from '../helpers/temp-dir.ts'
import { untilAsync } from '../helpers/events.ts'
import { connectedTo, startNode, LOOPBACK_TCP } from '../helpers/nodes.ts'
import { PROTOCOL, epochAt, mailboxKey } from '../../src/protocols/mailbox/index.ts'
import { MIN_ENVELOPE_BYTES } from '../../src/protocols/mailbox/min-envelope.ts'
import { signFetchProof } from '../../src/protocols/mailbox/proofs.ts'
import { FetchChallenge, FetchPage, FetchProof, MailboxRequest, StoreResponse } from '../../src/protocols/mailbox/pb/mailbox.ts'
import type { Parley } from '../../src/parley.ts'
import type { Stream } from '@libp2p/interface'

/**
 * Mailbox traffic from peers that lie or attack: each is refused or survived, and no message that
 * an honest storer holds is lost.
 */
describe('mailbox bad input', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  let storer: Parley
  let liar: Parley
  let a: Parley
  let b: Parley
  let dirB: string
  const liarRequests: string[] = []

  before(async () => {
    storer = await startNode({ dataDir: await dirs.make(), relay: true, listen: [LOOPBACK_TCP] })
    // a user node that hosts: a server in the hosts' DHT, so it is among the closest hosts,
    // and its mailbox protocol lies
    liar = await startNode({ dataDir: await dirs.make(), bootstrap: storer.addresses(), mailboxHost: {} })
    await liar.node.unhandle(PROTOCOL)
    await liar.node.handle(PROTOCOL, async (stream: Stream) => { await lie(stream, liarRequests) }, { runOnLimitedConnection: true })
    await connectedTo(liar, storer.peerId)

    const init = { bootstrap: [...storer.addresses(), ...liar.addresses()], mailbox: { replicas: 2 }, messenger: { stampBits: 4 } }
    dirB = await dirs.make()
    b = await startNode({ dataDir: dirB, ...init })
    await b.node.services.prekeys.published
    await b.stop()
    a = await startNode({ dataDir: await dirs.make(), ...init })
    await Promise.all([connectedTo(a, storer.peerId), connectedTo(a, liar.peerId)])
  })

  after(async () => {
    for (const node of [a, b, liar, storer]) await node?.stop().catch(() => {})
    await dirs.cleanup()
  })

  it('a forged receipt is not counted as a replica', async () => {
    const sent = await a.messenger.send(b.peerId, 'for B')
    assert.equal(sent.status, 'stored')
    assert.deepEqual(sent.holders, [storer.peerId.toString()], 'only the honest storer counts')
    assert.ok(liarRequests.includes('store'), 'the liar was asked, and lied')
  })

  it('nobody but the owner fetches: a proof signed by another key is refused and nothing leaks', async () => {
    const intruderKey = await generateKeyPair('Ed25519')
    const epochs = [epochAt(Date.now())]
    const stream = await a.node.dialProtocol(storer.addresses()[0], PROTOCOL)
    const pb = pbStream(stream)
    await pb.write({ fetch: { recipient: b.peerId.toMultihash().bytes, epochs } }, MailboxRequest)
    const { challenge } = await pb.read(FetchChallenge)
    const signature = await signFetchProof(intruderKey, { storer: storer.peerId, challenge, epochs })
    await pb.write({ signature: signature as Uint8Array<ArrayBuffer> }, FetchProof)
    const page = await pb.read(FetchPage)
    assert.match(page.refused, /only the mailbox owner/)
    assert.equal(page.envelopes.length, 0)
    assert.equal(storer.node.services.mailbox.usage().items, 1, 'B\'s envelope is still there')
  })

  it('refuses malformed store requests with a reason, and drops an oversized frame', async () => {
    const key = mailboxKey(b.peerId, epochAt(Date.now()))
    const ask = async (store: MailboxRequest['store']): Promise<StoreResponse> => {
      const stream = await a.node.dialProtocol(storer.addresses()[0], PROTOCOL)
      const pb = pbStream(stream)
      await pb.write({ store }, MailboxRequest)
      return pb.read(StoreResponse)
    }
    const shortKey = await ask({ key: new Uint8Array(31), envelope: new Uint8Array(10) })
    assert.equal(shortKey.status, StoreResponse.Status.REFUSED)
    assert.match(shortKey.reason, /32 bytes/)
    const empty = await ask({ key: key as Uint8Array<ArrayBuffer>, envelope: new Uint8Array(0) })
    assert.match(empty.reason, new RegExp(`envelope is ${MIN_ENVELOPE_BYTES} to`))
    const short = await ask({ key: key as Uint8Array<ArrayBuffer>, envelope: new Uint8Array(MIN_ENVELOPE_BYTES - 1) })
    assert.match(short.reason, new RegExp(`envelope is ${MIN_ENVELOPE_BYTES} to`), 'shorter than any sealed envelope')
    const badStamp = await ask({ key: key as Uint8Array<ArrayBuffer>, envelope: new Uint8Array(10), stamp: new Uint8Array(3) })
    assert.match(badStamp.reason, /stamp is 8 bytes/)

    const stream = await a.node.dialProtocol(storer.addresses()[0], PROTOCOL)
    // a varint length prefix of 64 MiB: the storer must not buffer it
    stream.send(Uint8Array.from([0x80, 0x80, 0x80, 0x20]))
    await new Promise(resolve => { stream.addEventListener('close', resolve, { once: true }) })
    assert.equal(storer.node.services.mailbox.usage().items, 1, 'what was held is untouched')
  })

  it('the owner survives a storer that returns garbage, and gets the real copy from the honest one', async () => {
    b = await startNode({ dataDir: dirB, bootstrap: [...storer.addresses(), ...liar.addresses()], mailbox: { replicas: 2 }, messenger: { stampBits: 4 } })
    await untilAsync(b.messenger, ['message'], async () => (await b.messenger.history()).length === 1, 30_000, 'B to receive A\'s message')
    await b.messenger.checkMailbox()
    assert.ok(liarRequests.includes('fetch'), 'B asked the liar too')
    assert.deepEqual((await b.messenger.history()).map(m => m.text), ['for B'], 'the garbage was dropped, the real message kept once')
    assert.equal(storer.node.services.mailbox.usage().items, 0, 'B acked at the honest storer')
  })
})

/** A storer that signs nothing properly and returns junk */
async function lie (stream: Stream, log: string[]): Promise<void> {
  const pb = pbStream(stream)
  try {
    const request = await pb.read(MailboxRequest)
    if (request.store != null) {
      log.push('store')
      await pb.write({ status: StoreResponse.Status.STORED, reason: '', expiresAt: BigInt(Date.now() + 60_000), receipt: crypto.getRandomValues(new Uint8Array(64)) }, StoreResponse)
    } else if (request.fetch != null) {
      log.push('fetch')
      await pb.write({ challenge: new Uint8Array(32) }, FetchChallenge)
      await pb.read(FetchProof)
      const recipient = peerIdFromMultihash(Digest.decode(request.fetch.recipient))
      const ownersKey = mailboxKey(recipient, request.fetch.epochs[0]) as Uint8Array<ArrayBuffer>
      await pb.write({
        envelopes: [
          { key: ownersKey, envelope: crypto.getRandomValues(new Uint8Array(500)), storedAt: 0n },
          { key: new Uint8Array(32), envelope: crypto.getRandomValues(new Uint8Array(500)), storedAt: 1n },
          { key: ownersKey, envelope: new Uint8Array(0), storedAt: 2n }
        ],
        done: true,
        refused: ''
      }, FetchPage)
    }
    await stream.close()
  } catch (err: any) {
    stream.abort(err)
  }
}

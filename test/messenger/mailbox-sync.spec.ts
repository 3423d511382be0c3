import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { TypedEventEmitter } from 'main-event'
import { MailboxSync } from '../../src/messenger/mailbox-sync.ts'
import type { ParleyNode } from '../../src/node/create-node.ts'
import type { CollectOptions, CollectResult } from '../../src/protocols/mailbox/index.ts'
import type { PeerId } from '@libp2p/interface'

/** A mailbox service that records each collection, held open until the test lets it finish */
class StubMailbox extends TypedEventEmitter<{ notice: CustomEvent<PeerId> }> {
  calls: CollectOptions[] = []
  /** How many times the watches were renewed */
  watched = 0
  private release: Array<() => void> = []
  private waiting?: () => void

  async collect (options: CollectOptions = {}): Promise<CollectResult> {
    this.calls.push(options)
    this.waiting?.()
    await new Promise<void>((resolve, reject) => {
      this.release.push(resolve)
      options.signal?.addEventListener('abort', () => { reject(options.signal?.reason) })
    })
    return { storers: 1, fetched: this.calls.length, acked: 0 }
  }

  async watch (): Promise<number> {
    this.watched++
    return 0
  }

  /** Resolves once `n` collections have been asked for */
  async called (n: number): Promise<void> {
    while (this.calls.length < n) await new Promise<void>(resolve => { this.waiting = resolve })
  }

  finishAll (): void {
    for (const release of this.release.splice(0)) release()
  }
}

/** A node whose DHT is ready at once, with the stub mailbox */
function stubNode (mailbox: StubMailbox): ParleyNode {
  return { services: { mailbox, dht: { routingTable: { size: 1 } } }, getPeers: () => [{}], addEventListener: () => {}, removeEventListener: () => {} } as unknown as ParleyNode
}

describe('MailboxSync (with a stubbed mailbox service)', () => {
  let mailbox: StubMailbox
  let sync: MailboxSync

  beforeEach(() => {
    mailbox = new StubMailbox()
    sync = new MailboxSync(stubNode(mailbox), defaultLogger().forComponent('test'), { fetchIntervalMs: 3_600_000 })
  })

  afterEach(async () => {
    mailbox.finishAll()
    await sync.stop()
  })

  it('collects at start, and a request during a collection waits for a fresh one after it', async () => {
    sync.start()
    await mailbox.called(1)
    const first = sync.collect()
    const second = sync.collect()
    mailbox.finishAll()
    await mailbox.called(2)
    mailbox.finishAll()
    const results = await Promise.all([first, second])
    assert.equal(mailbox.calls.length, 2, 'the two requests during the first share the one after it')
    assert.deepEqual(results.map(r => r.fetched), [2, 2])
  })

  it('asks a storer that sends a notice at once, without a lookup, once while it runs', async () => {
    sync.start()
    await mailbox.called(1)
    const storer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    mailbox.dispatchEvent(new CustomEvent('notice', { detail: storer }))
    mailbox.dispatchEvent(new CustomEvent('notice', { detail: storer }))
    await mailbox.called(2)
    assert.equal(mailbox.calls.length, 2)
    assert.deepEqual([mailbox.calls[1].storers?.map(String), mailbox.calls[1].lookup], [[storer.toString()], false])
  })

  it('renews its watches on the storers after each collection', async () => {
    sync.start()
    await mailbox.called(1)
    assert.equal(mailbox.watched, 0)
    mailbox.finishAll()
    await sync.started()
    assert.equal(mailbox.watched, 1)
    const next = sync.collect()
    await mailbox.called(2)
    mailbox.finishAll()
    await next
    assert.equal(mailbox.watched, 2)
  })

  it('fetches from a storer again after its fetch when another notice came during it (the mail may have come too late for the first)', async () => {
    sync.start()
    await mailbox.called(1)
    const storer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    mailbox.dispatchEvent(new CustomEvent('notice', { detail: storer }))
    await mailbox.called(2)
    mailbox.dispatchEvent(new CustomEvent('notice', { detail: storer }))
    mailbox.dispatchEvent(new CustomEvent('notice', { detail: storer }))
    mailbox.finishAll()
    await mailbox.called(3)
    mailbox.finishAll()
    assert.equal(mailbox.calls.length, 3, 'the two notices during the fetch share the one after it')
    assert.deepEqual(mailbox.calls[2].storers?.map(String), [storer.toString()])
  })

  it('takes no notice and starts nothing once stopping, and stop cuts off what runs', async () => {
    sync.start()
    await mailbox.called(1)
    sync.stopFetching()
    mailbox.dispatchEvent(new CustomEvent('notice', { detail: peerIdFromPrivateKey(await generateKeyPair('Ed25519')) }))
    await sync.stop()
    assert.equal(mailbox.calls.length, 1)
  })
})

import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { defaultProvider } from '../../src/crypto/provider/index.ts'
import { GroupMailbox } from '../../src/groups/group-mailbox.ts'
import { GroupSecret } from '../../src/groups/group-secret.ts'
import { TTL_MS } from '../../src/protocols/mailbox/index.ts'
import { LevelStore } from '../../src/storage/level-store.ts'
import type { DepositOptions, DepositResult } from '../../src/protocols/mailbox/index.ts'
import type { PeerId } from '@libp2p/interface'

const provider = defaultProvider()
const log = defaultLogger().forComponent('parley:test:group-mailbox')

/**
 * The mailbox service as the group mailbox sees it, with storers that take what a test says:
 * `takers` is how many storers (not yet holding it) take each next deposit
 */
class Storers {
  readonly replicaTarget = 3
  takers: number[] = []
  readonly deposits: Array<{ recipient: PeerId, holders: string[] }> = []
  private readonly storers: PeerId[] = []

  async init (): Promise<this> {
    for (let i = 0; i < 5; i++) this.storers.push(peerIdFromPrivateKey(await generateKeyPair('Ed25519')))
    return this
  }

  async deposit (recipient: PeerId, _envelope: Uint8Array, options: DepositOptions = {}): Promise<DepositResult> {
    const holders = options.holders ?? []
    this.deposits.push({ recipient, holders })
    const free = this.storers.filter(s => !holders.includes(s.toString()))
    const taking = free.slice(0, this.takers.shift() ?? 0)
    return { receipts: taking.map(storer => ({ storer, expiresAt: Date.now() + TTL_MS, signature: new Uint8Array(64) })), failures: [] }
  }

  /** Batches each storer wave hands over in turn, with the cursor each leaves (then a failure, if `failAfter`) */
  waves: Array<{ envelopes: number[], storer: string, cursor: number }> = []
  failAfter?: number

  async collectShared (_owner: unknown, handler: (items: Array<{ envelope: Uint8Array }>) => Promise<void>, options: { cursors: Map<string, number> }): Promise<{ storers: number, fetched: number, acked: number }> {
    let fetched = 0
    for (const [i, wave] of this.waves.entries()) {
      if (this.failAfter === i) throw new Error('the second storer hung up')
      await handler(wave.envelopes.map(n => ({ envelope: new Uint8Array([n]) })))
      options.cursors.set(wave.storer, wave.cursor)
      fetched += wave.envelopes.length
    }
    return { storers: this.waves.length, fetched, acked: 0 }
  }
}

/** A group mailbox over a fresh in-memory store and storers that take what a test says */
async function openMailbox (): Promise<{ store: LevelStore, storers: Storers, mailbox: GroupMailbox }> {
  const store = new LevelStore(new MemoryLevel<string, unknown>() as any)
  await store.open()
  const storers = await new Storers().init()
  return { store, storers, mailbox: new GroupMailbox({ mailbox: storers as any, store: store.groupMailbox, provider, log }) }
}

describe('the group mailbox\'s deposits', () => {
  let store: LevelStore
  let storers: Storers
  let mailbox: GroupMailbox
  const secret = { epoch: '0e'.repeat(32), from: 'someone', secret: GroupSecret.fresh(provider).secret }
  const message = (n: number, sentAt = Date.now()): { group: string, id: string, envelope: Uint8Array, sentAt: number } =>
    ({ group: '0a'.repeat(16), id: n.toString(16).padStart(32, '0'), envelope: new Uint8Array([n]), sentAt })

  beforeEach(async () => {
    ({ store, storers, mailbox } = await openMailbox())
  })

  afterEach(async () => { await store.close() })

  it('deposits for the mailbox identity the secret derives; one short of the replicas stays pending until topped up', async () => {
    storers.takers = [2]
    assert.equal((await mailbox.deposit(message(1), secret)).length, 2)
    const identity = peerIdFromPrivateKey(await GroupSecret.from(provider, secret.secret).mailboxIdentity())
    assert.ok(storers.deposits[0].recipient.equals(identity))
    const [pending] = await store.groupMailbox.pending()
    assert.equal(pending.holders.length, 2)

    storers.takers = [1]
    await mailbox.retry(async () => secret.secret)
    assert.deepEqual(storers.deposits[1].holders, pending.holders, 'the storers holding it are skipped')
    assert.deepEqual(await store.groupMailbox.pending(), [], 'three hold it: done')
  })

  it('gives up a deposit whose secret is gone or that the storers would have dropped', async () => {
    storers.takers = [0, 0]
    await mailbox.deposit(message(1), secret)
    await mailbox.deposit(message(2, Date.now() - TTL_MS - 1), secret)
    await mailbox.retry(async pending => pending.id === message(1).id ? undefined : secret.secret)
    assert.deepEqual(await store.groupMailbox.pending(), [])
    assert.equal(storers.deposits.length, 2, 'neither tried again')
  })

  it('ends a round at the first deposit no further storer took, oldest first', async () => {
    storers.takers = [0, 0, 0]
    for (const n of [3, 1, 2]) await mailbox.deposit(message(n, 1_000 + n + Date.now()), secret)
    storers.takers = [1, 0, 5]
    await mailbox.retry(async () => secret.secret)
    const tried = storers.deposits.slice(3)
    assert.equal(tried.length, 2, 'the third is left for the next round')
    assert.deepEqual((await store.groupMailbox.pending()).find(p => p.id === message(1).id)?.holders.length, 1)
  })
})

describe('the group mailbox\'s collections', () => {
  let store: LevelStore
  let storers: Storers
  let mailbox: GroupMailbox
  const group = '0a'.repeat(16)
  const secret = GroupSecret.fresh(provider).secret

  beforeEach(async () => {
    ({ store, storers, mailbox } = await openMailbox())
  })

  afterEach(async () => { await store.close() })

  it('hands over what every storer sent as one batch, so that it can all be put in writing order (storers hold different parts)', async () => {
    // the storers known at once hold later messages; the ones the lookup finds, earlier ones
    storers.waves = [{ envelopes: [3, 4], storer: 'near', cursor: 40 }, { envelopes: [1, 2], storer: 'found', cursor: 20 }]
    const batches: number[][] = []
    const got = await mailbox.collect(group, secret, async envelopes => { batches.push(envelopes.map(e => e[0])) })
    assert.deepEqual(batches, [[3, 4, 1, 2]])
    assert.deepEqual(got, { fetched: 4, storers: 2 })
  })

  it('a collection cut short hands over what came, and keeps the cursors of it', async () => {
    storers.waves = [{ envelopes: [1, 2], storer: 'near', cursor: 20 }, { envelopes: [3], storer: 'found', cursor: 30 }]
    storers.failAfter = 1
    const batches: number[][] = []
    await assert.rejects(mailbox.collect(group, secret, async envelopes => { batches.push(envelopes.map(e => e[0])) }), /hung up/)
    assert.deepEqual(batches, [[1, 2]])
    const box = peerIdFromPrivateKey(await GroupSecret.from(provider, secret).mailboxIdentity()).toString()
    assert.deepEqual([...await store.groupMailbox.cursors(group, box)], [['near', 20]])
  })

  it('a batch that could not be taken does not move the cursors past it', async () => {
    storers.waves = [{ envelopes: [1, 2], storer: 'near', cursor: 20 }]
    await assert.rejects(mailbox.collect(group, secret, async () => { throw new Error('the disk is full') }), /disk is full/)
    const box = peerIdFromPrivateKey(await GroupSecret.from(provider, secret).mailboxIdentity()).toString()
    assert.deepEqual([...await store.groupMailbox.cursors(group, box)], [])
  })
})

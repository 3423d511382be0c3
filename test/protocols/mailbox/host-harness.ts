import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { pbStream, streamPair } from '@libp2p/utils'
import { TypedEventEmitter } from 'main-event'
import { MemoryLevel } from 'memory-level'
import { PROTOCOL } from '../../../src/protocols/mailbox/constants.ts'
import { MailboxHost } from '../../../src/protocols/mailbox/host.ts'
import { FetchAck, FetchChallenge, FetchPage, FetchProof, MailboxRequest, StoreResponse } from '../../../src/protocols/mailbox/pb/mailbox.ts'
import { signFetchProof } from '../../../src/protocols/mailbox/proofs.ts'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { MailboxHostInit } from '../../../src/protocols/mailbox/index.ts'
import type { PeerId, PrivateKey, Stream } from '@libp2p/interface'

/*
 * A storer's protocol side on its own: a MailboxHost on a MemoryLevel whose reads are counted,
 * talked to over in-memory stream pairs
 */

/**
 * Counts the bytes of every value the database hands out, through iterators (every sublevel's
 * range scans go through the root's) and gets: what a storer reads from disk
 */
export function countReads (db: MemoryLevel<string, any>): { bytes: number } {
  const counter = { bytes: 0 }
  const raw = db as any
  const count = (entries: Array<[unknown, { byteLength: number }]>): void => {
    for (const entry of entries) counter.bytes += entry?.[1]?.byteLength ?? 0
  }
  const iterator = raw._iterator.bind(db)
  raw._iterator = (options: unknown) => {
    const it = iterator(options)
    const next = it._next.bind(it)
    const nextv = it._nextv.bind(it)
    const all = it._all.bind(it)
    it._next = async () => { const entry = await next(); if (entry != null) count([entry]); return entry }
    it._nextv = async (size: number, opts: unknown) => { const entries = await nextv(size, opts); count(entries); return entries }
    it._all = async (opts: unknown) => { const entries = await all(opts); count(entries); return entries }
    return it
  }
  const get = raw._get.bind(db)
  raw._get = async (key: unknown, opts: unknown) => { const value = await get(key, opts); if (value != null) counter.bytes += value.byteLength; return value }
  const getMany = raw._getMany.bind(db)
  raw._getMany = async (keys: unknown[], opts: unknown) => {
    const values = await getMany(keys, opts)
    for (const value of values) if (value != null) counter.bytes += value.byteLength
    return values
  }
  return counter
}

export interface TestHost {
  host: MailboxHost
  storer: PeerId
  reads: { bytes: number }
  /** The storer's database, to look into */
  db: MemoryLevel<string, any>
  /** A stream to the host's protocol handler, as if from `from` */
  open(from: PeerId): Promise<Stream>
  store(from: PeerId, request: NonNullable<MailboxRequest['store']>): Promise<StoreResponse>
}

/** A host on its own; `signal` stands for the node's stop */
export async function startHost (init: Partial<MailboxHostInit> = {}, signal = new AbortController().signal): Promise<TestHost> {
  const privateKey = await generateKeyPair('Ed25519')
  const storer = peerIdFromPrivateKey(privateKey)
  const db = new MemoryLevel<string, any>()
  const reads = countReads(db)
  const components: any = {
    peerId: storer,
    privateKey,
    registrar: { handle: async () => {}, unhandle: async () => {} },
    connectionManager: {},
    mailboxHosts: {},
    events: new TypedEventEmitter(),
    logger: defaultLogger()
  }
  const host = new MailboxHost(components, { db, ...init, fetchWindowMs: 14 * 24 * 3_600_000, requestTimeoutMs: 10_000, signal })
  await host.start()
  // each peer on an address of its own: the host charges deposits to the network they come from
  const addresses = new Map<string, Multiaddr>()
  const addressOf = (from: PeerId): Multiaddr => {
    const known = addresses.get(from.toString())
    if (known != null) return known
    const n = addresses.size + 1
    const address = multiaddr(`/ip4/198.51.${n >> 8}.${n & 0xff}/tcp/4001`)
    addresses.set(from.toString(), address)
    return address
  }
  const open = async (from: PeerId): Promise<Stream> => {
    const [outbound, inbound] = await streamPair({ protocol: PROTOCOL })
    void host.onStream(inbound, { remotePeer: from, remoteAddr: addressOf(from) } as any)
    return outbound
  }
  const store = async (from: PeerId, request: NonNullable<MailboxRequest['store']>): Promise<StoreResponse> => {
    const pb = pbStream(await open(from))
    await pb.write({ store: request }, MailboxRequest)
    return pb.read(StoreResponse)
  }
  return { host, storer, db, reads, open, store }
}

export async function peer (): Promise<{ key: PrivateKey, id: PeerId }> {
  const key = await generateKeyPair('Ed25519')
  return { key, id: peerIdFromPrivateKey(key) }
}

/** Protobuf by hand, for encodings protons does not write */
export const varint = (n: number): number[] => {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}
export const lengthDelimited = (tag: number, bytes: ArrayLike<number>): number[] => [...varint(tag), ...varint(bytes.length), ...Array.from(bytes)]

/** A MailboxRequest with a FetchRequest whose epochs are packed: one length-delimited field 2 */
export function packedFetchRequest (recipient: Uint8Array, epochs: number[]): Uint8Array {
  const fetch = [...lengthDelimited(10, recipient), ...lengthDelimited(18, epochs.flatMap(varint))]
  return Uint8Array.from(lengthDelimited(18, fetch))
}

/**
 * Runs a fetch as the owner of `recipient` and reads every page without taking anything (an
 * empty ack): the envelopes stay, as they do for a recipient that cannot store them yet
 */
export async function fetchAll (test: TestHost, recipient: { key: PrivateKey, id: PeerId }, epochs: number[], encoded?: Uint8Array, since?: bigint): Promise<{ pages: number, envelopes: number, storedAt: number[] }> {
  const pb = pbStream(await test.open(recipient.id))
  if (encoded != null) await pb.write(encoded, { encode: (bytes: Uint8Array) => bytes })
  else await pb.write({ fetch: { recipient: recipient.id.toMultihash().bytes, epochs, ...(since != null ? { since } : {}) } }, MailboxRequest)
  const { challenge } = await pb.read(FetchChallenge)
  const signature = await signFetchProof(recipient.key, { storer: test.storer, challenge, epochs })
  await pb.write({ signature: signature as Uint8Array<ArrayBuffer> }, FetchProof)
  let pages = 0
  let envelopes = 0
  const storedAt: number[] = []
  while (true) {
    const page = await pb.read(FetchPage)
    assert.equal(page.refused, '')
    if (page.done) return { pages, envelopes, storedAt }
    pages++
    envelopes += page.envelopes.length
    storedAt.push(...page.envelopes.map(e => Number(e.storedAt)))
    await pb.write({ hashes: [] }, FetchAck)
  }
}


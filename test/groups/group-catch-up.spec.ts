import assert from 'node:assert/strict'
import { logger } from '@libp2p/logger'
import { GroupCatchUp } from '../../src/groups/group-catch-up.ts'
import type { GroupMailbox } from '../../src/groups/group-mailbox.ts'
import type { Groups } from '../../src/groups/groups.ts'

/** What one collection of the group's one mailbox does, in turn */
type Collection = (signal: AbortSignal) => Promise<{ fetched: number, storers: number }>

/**
 * A member of one group with one epoch secret, its mailbox answering each collection as the
 * script says; records the rounds and when the member was told it caught up
 */
function member (script: Collection[], init: { ready?: (signal: AbortSignal) => Promise<void>, collectTimeoutMs?: number } = {}): { catchUp: GroupCatchUp, events: string[], caughtUp: Promise<void> } {
  const events: string[] = []
  const caught = Promise.withResolvers<void>()
  const groups = {
    addEventListener: () => {},
    removeEventListener: () => {},
    list: async () => [{ id: 'g', members: ['me'] }],
    record: async () => ({ id: 'g', mailboxSecrets: () => [{ epoch: 'e', from: 'me', secret: new Uint8Array(32) }] })
  } as unknown as Groups
  let round = 0
  const mailbox = {
    retry: async () => {},
    collect: async (_group: string, _secret: Uint8Array, _take: unknown, options: { signal: AbortSignal }) => {
      const step = script[Math.min(round, script.length - 1)]
      events.push(`collect ${++round}`)
      return step(options.signal)
    }
  } as unknown as GroupMailbox
  const catchUp = new GroupCatchUp({
    groups,
    mailbox,
    self: 'me',
    take: async () => {},
    caughtUp: async () => {
      events.push('caught up')
      caught.resolve()
    },
    ready: init.ready ?? (async () => {}),
    log: logger('parley:test:group-catch-up')
  }, { intervalMs: 3_600_000, retryBaseMs: 20, ...(init.collectTimeoutMs != null ? { collectTimeoutMs: init.collectTimeoutMs } : {}) })
  return { catchUp, events, caughtUp: caught.promise }
}

/** Starts a member whose mailbox answers as `script` says: what happened until it was told it caught up */
async function untilCaughtUp (script: Collection[], init: Parameters<typeof member>[1] = {}): Promise<string[]> {
  const { catchUp, events, caughtUp } = member(script, init)
  catchUp.start()
  try {
    await caughtUp
    return events
  } finally {
    await catchUp.stop()
  }
}

describe('GroupCatchUp', () => {
  it('holds gossip back after a round that failed, and goes round again soon: the round that reads the mailbox releases it', async () => {
    const events = await untilCaughtUp([
      async () => { throw new Error('the storer hung up') },
      async () => ({ fetched: 3, storers: 2 })
    ])
    assert.deepEqual(events, ['collect 1', 'collect 2', 'caught up'])
  })

  it('does not count a round that reached no storer as caught up', async () => {
    const events = await untilCaughtUp([
      async () => ({ fetched: 0, storers: 0 }),
      async () => ({ fetched: 0, storers: 0 }),
      async () => ({ fetched: 1, storers: 1 })
    ])
    assert.deepEqual(events, ['collect 1', 'collect 2', 'collect 3', 'caught up'])
  })

  it('a round cut by its time limit goes again soon, from where it stopped', async () => {
    const events = await untilCaughtUp([
      async signal => new Promise((_resolve, reject) => { signal.addEventListener('abort', () => { reject(signal.reason) }) }),
      async () => ({ fetched: 2, storers: 1 })
    ], { collectTimeoutMs: 50 })
    assert.deepEqual(events, ['collect 1', 'collect 2', 'caught up'])
  })

  it('waiting to be ready (the DHT, the first mail) does not count against a round\'s time', async () => {
    // longer than a round may take; ready once a timer fires, as a slow DHT would be
    const ready = async (): Promise<void> => new Promise(resolve => { setTimeout(resolve, 120) })
    const events = await untilCaughtUp([
      async signal => {
        assert.equal(signal.aborted, false)
        return { fetched: 1, storers: 1 }
      }
    ], { ready, collectTimeoutMs: 50 })
    assert.deepEqual(events, ['collect 1', 'caught up'])
  })
})

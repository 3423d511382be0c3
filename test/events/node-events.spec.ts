import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TempDirs } from '../helpers/temp-dir.ts'
import { TestNetwork } from '../helpers/nodes.ts'
import { transferState } from '../helpers/transfers.ts'
import { NODE_EVENT_TYPES } from '../../src/events/node-events.ts'
import type { NodeEvent } from '../../src/events/node-events.ts'
import type { Parley } from '../../src/parley.ts'

/** Every event a node's stream announces, from now on */
function record (node: Parley): NodeEvent[] {
  const seen: NodeEvent[] = []
  for (const type of NODE_EVENT_TYPES) {
    node.events.addEventListener(type, (evt: Event) => { seen.push({ type, detail: (evt as CustomEvent).detail } as NodeEvent) })
  }
  return seen
}

/**
 * The one event stream of a node (parley.events): what the messenger and file transfers
 * announce, in the shapes interfaces show, with no secrets, between real nodes
 */
describe('a node\'s event stream', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const net = new TestNetwork()
  let a: Parley
  let b: Parley

  before(async () => {
    await net.startRelay(await dirs.make())
    a = await net.start(await dirs.make())
    b = await net.start(await dirs.make())
  })
  after(async () => {
    await net.stopAll()
    await dirs.cleanup()
  })

  it('announces a stranger\'s message as a message and a request, and the sender\'s states, without store internals', async () => {
    const atA = record(a)
    const atB = record(b)
    const sent = await a.messenger.send(b.peerId, 'hello B')
    assert.equal(sent.status, 'delivered')
    assert.deepEqual(atA.filter(e => e.type === 'status').map(e => e.type === 'status' && e.detail.status), ['sending', 'delivered'])
    const message = atB.find(e => e.type === 'message')
    assert.ok(message?.type === 'message' && message.detail.text === 'hello B' && message.detail.peer === a.peerId.toString())
    assert.equal('seq' in message.detail, false)
    assert.equal('holders' in message.detail, false)
    const request = atB.find(e => e.type === 'request')
    assert.ok(request?.type === 'request' && request.detail.peerId === a.peerId.toString())
  })

  it('announces a contact added (and accepted) and removed', async () => {
    const atB = record(b)
    await b.messenger.addContact(a.peerId, 'alice')
    await b.messenger.removeContact(a.peerId)
    assert.deepEqual(atB.map(e => e.type), ['contact', 'accepted', 'contact'])
    const [added, , removed] = atB
    assert.ok(added.type === 'contact' && added.detail.contact?.name === 'alice')
    assert.ok(removed.type === 'contact' && removed.detail.contact === undefined && removed.detail.peerId === a.peerId.toString())
  })

  it('announces a file\'s transfer on both sides without its key', async () => {
    const atA = record(a)
    const atB = record(b)
    const path = join(await dirs.make(), 'notes.txt')
    await writeFile(path, 'a file with a key that must never be announced')
    const { transfer } = await a.files!.send(b.peerId, path)
    await transferState(b, transfer.id, 'done')
    for (const seen of [atA, atB]) {
      const transfers = seen.filter(e => e.type === 'transfer')
      assert.ok(transfers.length > 0)
      for (const e of transfers) assert.equal('key' in e.detail || 'have' in e.detail, false)
    }
    // nothing anywhere carries the key (as JSON, the way the control API sends it)
    const stored = await (b.files as unknown as { files: { get: (id: string) => Promise<{ key: string }> } }).files.get(transfer.id)
    assert.equal(JSON.stringify([...atA, ...atB]).includes(stored.key), false)
  })
})

import assert from 'node:assert/strict'
import { createParley } from '../../src/parley.ts'
import type { Parley } from '../../src/parley.ts'

describe('ephemeral nodes on the memory transport (the simulated network base)', function () {
  const nodes: Parley[] = []

  after(async () => {
    await Promise.all(nodes.map(async n => n.stop()))
  })

  it('find each other through a relay by DHT and chat, with nothing written to disk', async () => {
    const common = { lan: true, mdns: false, memory: true, insecurePlaintext: true }
    const relay = await createParley({ ...common, relay: true, listen: ['/memory/parley-eph-relay'] })
    nodes.push(relay)
    const [a, b] = await Promise.all(['a', 'b'].map(async name => {
      const node = await createParley({ ...common, listen: [`/memory/parley-eph-${name}`], bootstrap: relay.addresses() })
      nodes.push(node)
      await node.node.dial(relay.addresses()[0])
      return node
    }))
    assert.equal(a.dataDir, undefined)
    const sent = await a.messenger.send(b.peerId, 'in memory')
    assert.equal(sent.status, 'delivered')
    assert.deepEqual((await b.messenger.history()).map(m => m.text), ['in memory'])
  })
})

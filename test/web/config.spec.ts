import assert from 'node:assert/strict'
import { parseConfig } from '../../src/browser/config.ts'

const RELAY = '/ip4/203.0.113.7/tcp/4002/ws/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'

describe('web app config.json', () => {
  it('reads relays and LAN mode', () => {
    const config = parseConfig({ bootstrap: [RELAY], lan: true })
    assert.deepEqual(config.bootstrap.map(String), [RELAY])
    assert.equal(config.lan, true)
  })

  it('is not in LAN mode unless it says so', () => {
    assert.equal(parseConfig({ bootstrap: [RELAY] }).lan, false)
    assert.deepEqual(parseConfig({}).bootstrap, [])
  })

  it('reads the disappearing timers a test network shares, in order, once each', () => {
    assert.deepEqual(parseConfig({ bootstrap: [RELAY], timers: [30, 0, 2, 2] }).timers, [0, 2, 30])
    assert.equal(parseConfig({ bootstrap: [RELAY] }).timers, undefined, 'the node\'s own unless named')
  })

  it('reads the ICE servers for calls, and whether every call goes through TURN', () => {
    const config = parseConfig({ iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'p' }, { urls: ['stun:stun.example.org'] }], iceTransportPolicy: 'relay' })
    assert.deepEqual(config.iceServers, [{ urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'p' }, { urls: ['stun:stun.example.org'] }])
    assert.equal(config.iceTransportPolicy, 'relay')
    assert.equal(parseConfig({}).iceServers, undefined, 'none unless named: no third party learns of a call')
  })

  for (const [what, raw, pattern] of [
    ['not an object', 'relay', /JSON object/],
    ['bootstrap not an array', { bootstrap: RELAY }, /array/],
    ['a bad multiaddr', { bootstrap: ['/ip4/nope'] }, /bootstrap\[0\]/],
    ['no /p2p/ at the end', { bootstrap: ['/ip4/203.0.113.7/tcp/4002/ws'] }, /\/p2p\//],
    ['lan not a boolean', { bootstrap: [], lan: 'yes' }, /"lan"/],
    ['timers without off', { timers: [30, 60] }, /"timers"/],
    ['timers not whole seconds', { timers: [0, 1.5] }, /"timers"/],
    ['a negative timer', { timers: [0, -1] }, /"timers"/],
    ['a timer past four weeks', { timers: [0, 28 * 86_400 + 1] }, /"timers"/],
    ['no timers at all', { timers: [] }, /"timers"/],
    ['iceServers not an array', { iceServers: 'turn:x' }, /"iceServers"/],
    ['an ICE server that is not STUN or TURN', { iceServers: [{ urls: 'http://x' }] }, /"iceServers" \[0\]/],
    ['an ICE server credential that is not a string', { iceServers: [{ urls: 'turn:x', credential: 5 }] }, /"iceServers" \[0\]/],
    ['too many ICE servers', { iceServers: Array.from({ length: 17 }, () => ({ urls: 'stun:x' })) }, /at most 16/],
    ['an unknown transport policy', { iceTransportPolicy: 'never' }, /"iceTransportPolicy"/]
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parseConfig(raw), (err: Error) => err.name === 'InvalidConfigError' && pattern.test(err.message))
    })
  }
})

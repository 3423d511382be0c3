import assert from 'node:assert/strict'
import { callRtcConfiguration } from '../../src/browser/calls/ice-servers.ts'

describe('the ICE servers of a call', () => {
  it('are the page\'s own (config.json) and its relays\' STUN servers, read at each call; no third party\'s', () => {
    let relays = [{ urls: 'stun:198.51.100.7:3478' }]
    const init = { iceServers: [{ urls: ['turn:relay.example.org:3479'], username: 'u', credential: 'c' }], stunServers: () => relays }
    assert.deepEqual(callRtcConfiguration(init).iceServers, [...init.iceServers, { urls: 'stun:198.51.100.7:3478' }])
    relays = []
    assert.deepEqual(callRtcConfiguration(init).iceServers, init.iceServers)
    assert.deepEqual(callRtcConfiguration({}), { iceServers: [], iceTransportPolicy: 'all' })
    assert.equal(callRtcConfiguration({ iceTransportPolicy: 'relay' }).iceTransportPolicy, 'relay')
  })
})

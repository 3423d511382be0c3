import assert from 'node:assert/strict'
import { presentedCertificates } from '../../src/browser/calls/fingerprint.ts'

/** A DTLS transport as far as the check goes: its state and the certificates the other side presented */
const transport = (state: RTCDtlsTransportState, certificates: number[] = []): RTCDtlsTransport =>
  ({ state, getRemoteCertificates: () => certificates.map(n => new Uint8Array([n]).buffer) }) as unknown as RTCDtlsTransport

describe('the certificates a call\'s connection presents', () => {
  it('are every presented certificate, of every transport, each once', () => {
    const bundled = transport('connected', [1])
    const found = presentedCertificates([bundled, bundled, null, transport('connected', [2])])
    assert.ok(Array.isArray(found))
    assert.deepEqual(found.map(c => new Uint8Array(c)[0]), [1, 2])
  })

  it('wait while a transport is still in its handshake and none presented one yet (the connection may say connected a moment before)', () => {
    assert.equal(presentedCertificates([transport('connected'), transport('connecting')]), 'wait')
    assert.equal(presentedCertificates([transport('new')]), 'wait')
  })

  it('are none when every transport finished its handshake and none presented one, or there is no transport', () => {
    assert.equal(presentedCertificates([transport('connected')]), 'none')
    assert.equal(presentedCertificates([transport('failed'), null]), 'none')
    assert.equal(presentedCertificates([]), 'none')
  })

  it('are closed when every transport was closed before any presented one (a call ended while this side checked: no mismatch to report)', () => {
    assert.equal(presentedCertificates([transport('closed'), null]), 'closed')
    assert.equal(presentedCertificates([transport('closed'), transport('failed')]), 'none')
    assert.equal(presentedCertificates([transport('closed'), transport('connecting')]), 'wait')
  })
})

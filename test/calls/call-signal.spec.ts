import assert from 'node:assert/strict'
import { decodeCallSignal, encodeCallSignal } from '../../src/calls/call-signal.ts'
import { MAX_CANDIDATE_BYTES, MAX_SDP_BYTES } from '../../src/calls/constants.ts'
import { CallSignal } from '../../src/calls/pb/call.ts'
import type { Signal } from '../../src/calls/call-signal.ts'

const CALL = 'ab'.repeat(16)
const FINGERPRINT = `sha-256 ${Array.from({ length: 32 }, () => 'AB').join(':')}`

describe('call signalling messages', () => {
  it('round-trips every kind', () => {
    const signals: Signal[] = [
      { kind: 'invite', video: true },
      { kind: 'invite', video: false, group: 'cd'.repeat(16) },
      { kind: 'invite', video: true, signalSecret: new Uint8Array(32).fill(3) },
      { kind: 'accept' },
      { kind: 'accept', replaces: 'ef'.repeat(16) },
      { kind: 'description', type: 'offer', sdp: 'v=0\r\n', fingerprint: FINGERPRINT, mediaKey: new Uint8Array(32).fill(7) },
      { kind: 'description', type: 'answer', sdp: 'v=0\r\n', fingerprint: FINGERPRINT, mediaKey: new Uint8Array(32).fill(9) },
      { kind: 'candidate', candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 },
      { kind: 'candidate', candidate: '' },
      ...(['hangup', 'declined', 'busy', 'unanswered', 'failed', 'fingerprint-mismatch'] as const).map(reason => ({ kind: 'end' as const, reason }))
    ]
    for (const signal of signals) assert.deepEqual(decodeCallSignal(encodeCallSignal({ call: CALL, signal })), { call: CALL, signal })
  })

  it('refuses garbage, a wrong call id, an empty body, and every field past its limit, with a typed error', () => {
    const refused = (bytes: Uint8Array, why: RegExp): void => {
      assert.throws(() => decodeCallSignal(bytes), (err: any) => err.name === 'InvalidCallSignalError' && why.test(err.message))
    }
    const call = Uint8Array.from({ length: 16 }, () => 0xab)
    refused(Uint8Array.of(0xff, 0xff, 0xff), /does not decode/)
    refused(CallSignal.encode({ call: new Uint8Array(15), accept: {} }), /call id/)
    refused(CallSignal.encode({ call }), /carries nothing/)
    refused(CallSignal.encode({ call, invite: { video: true, group: new Uint8Array(3) } }), /group id/)
    refused(CallSignal.encode({ call, invite: { video: true, signalSecret: new Uint8Array(31) } }), /signalling secret/)
    refused(CallSignal.encode({ call, accept: { replaces: new Uint8Array(17) } }), /call id/)
    const description = (sdp: string, fingerprint = FINGERPRINT, mediaKey = new Uint8Array(32)): Uint8Array => CallSignal.encode({ call, description: { type: 0 as any, sdp, fingerprint, mediaKey } })
    refused(description(`v=0${'a'.repeat(MAX_SDP_BYTES)}`), /at most/)
    refused(description('<html>'), /v=0/)
    refused(description('v=0', 'md5 00:11'), /fingerprint/)
    refused(description('v=0', FINGERPRINT, new Uint8Array(16)), /media key/)
    refused(CallSignal.encode({ call, candidate: { candidate: `candidate:${'1'.repeat(MAX_CANDIDATE_BYTES)}` } }), /at most/)
    refused(CallSignal.encode({ call, candidate: { candidate: 'a=rtpmap:0' } }), /starts with/)
    refused(CallSignal.encode({ call, candidate: { candidate: '', sdpMid: 'm'.repeat(65) } }), /media id/)
    refused(CallSignal.encode({ call, candidate: { candidate: '', sdpMLineIndex: 1_000 } }), /m-line/)
  })
})

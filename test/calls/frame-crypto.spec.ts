import assert from 'node:assert/strict'
import { clearBytes, importFrameKey, openFrame, sealFrame } from '../../src/browser/calls/frame-crypto.ts'

const frame = (n: number): ArrayBuffer => Uint8Array.from({ length: n }, (_, i) => i % 251).buffer

describe('media frames sealed end to end', () => {
  it('opens what it sealed, keeping the packetizer\'s header in the clear and hiding the rest', async () => {
    const key = await importFrameKey(new Uint8Array(32).fill(1))
    for (const [kind, keyFrame, size] of [['video', true, 1_200], ['video', false, 300], ['audio', false, 80]] as const) {
      const clear = clearBytes(kind, keyFrame)
      const sealed = new Uint8Array(await sealFrame(key, kind, 7n, frame(size), clear))
      assert.deepEqual(sealed.subarray(0, clear), new Uint8Array(frame(size)).subarray(0, clear), 'the header stays readable')
      assert.notDeepEqual(sealed.subarray(clear, size), new Uint8Array(frame(size)).subarray(clear), 'the rest is sealed')
      assert.deepEqual(new Uint8Array(await openFrame(key, kind, sealed.buffer, clear)), new Uint8Array(frame(size)))
    }
  })

  it('refuses another key, a changed header or body, another stream\'s kind, and a frame too short', async () => {
    const key = await importFrameKey(new Uint8Array(32).fill(1))
    const other = await importFrameKey(new Uint8Array(32).fill(2))
    const sealed = new Uint8Array(await sealFrame(key, 'video', 1n, frame(500), 10))
    const refused = async (data: Uint8Array, k = key, kind: 'audio' | 'video' = 'video'): Promise<void> => {
      await assert.rejects(openFrame(k, kind, data.slice().buffer, 10), { name: 'FrameOpenError' })
    }
    await refused(sealed, other)
    await refused(sealed, key, 'audio')
    const header = sealed.slice()
    header[0] ^= 1
    await refused(header)
    const body = sealed.slice()
    body[100] ^= 1
    await refused(body)
    await refused(sealed.subarray(0, 20))
  })
})

import assert from 'node:assert/strict'
import { TempDirs } from '../helpers/temp-dir.ts'
import { startRelay } from '../helpers/nodes.ts'

/** The `/certhash/...` part of a relay's WebRTC-Direct address: what browsers dial it by */
function certhashes (addresses: string[]): string[] {
  return addresses.filter(a => a.includes('/webrtc-direct/')).map(a => a.slice(a.indexOf('/certhash/'), a.indexOf('/p2p/')))
}

describe('relay WebRTC-Direct address', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()

  after(async () => {
    await dirs.cleanup()
  })

  it('keeps its certificate hash across a restart, so published addresses stay valid', async () => {
    const dir = await dirs.make()
    const listen = ['/ip4/127.0.0.1/udp/0/webrtc-direct']
    let relay = await startRelay(dir, { listen, rtcBindAddress: '127.0.0.1' })
    const before = certhashes(relay.addresses().map(String))
    await relay.stop()
    relay = await startRelay(dir, { listen, rtcBindAddress: '127.0.0.1' })
    const after = certhashes(relay.addresses().map(String))
    await relay.stop()
    assert.equal(before.length, 1, `one WebRTC-Direct address: ${before.join(' ')}`)
    assert.deepEqual(after, before)
  })
})

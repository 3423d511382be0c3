/**
 * Call setup in headless Chromium (issue 18): from the callee's accept to the first frame of the
 * caller's video it shows, between two pages on loopback (a relay, the app as built); against a
 * bare RTCPeerConnection pair in one page, negotiated directly, from its start to its first
 * frame, in the same run. The difference is Parley's: the signalling through the end-to-end
 * encrypted sessions, the certificate check, the frame sealing.
 */
import { WebNetwork } from '../../test/browser/helpers/web-network.ts'
import { MAX_INVITES_PER_INTERVAL } from '../../src/calls/constants.ts'
import { progress } from './log.ts'
import { percentile } from './stats.ts'
import type { BenchConfig, Figures } from './config.ts'
import type { Page } from 'playwright-core'

/** One call: the callee (`page`) accepts the next ringing call and resolves with the ms until its first frame of the caller's video */
async function acceptAndTime (page: Page): Promise<number> {
  return page.evaluate(async () => new Promise<number>((resolve, reject) => {
    setTimeout(() => { reject(new Error('no frame of the call within 30 s')) }, 30_000)
    const calls = window.parley!.calls
    const onCall = (evt: CustomEvent): void => {
      const call = evt.detail
      if (call.state !== 'ringing' || call.direction !== 'in') return
      calls.removeEventListener('call', onCall as EventListener)
      const start = performance.now()
      const onMedia = (e: CustomEvent<{ id: string }>): void => {
        const stream = calls.streams(call.id).remote
        if (e.detail.id !== call.id || stream == null || stream.getVideoTracks().length === 0) return
        calls.removeEventListener('media', onMedia as EventListener)
        const video = document.createElement('video')
        video.muted = true
        video.srcObject = stream
        document.body.append(video)
        // its first frame decoded and ready to show
        video.addEventListener('loadeddata', () => {
          resolve(performance.now() - start)
          video.remove()
        }, { once: true })
        video.play().catch(reject)
      }
      calls.addEventListener('media', onMedia as EventListener)
      calls.accept(call.id).catch(reject)
    }
    calls.addEventListener('call', onCall as EventListener)
  }))
}

/** A bare RTCPeerConnection pair in `page`: ms from the start of its negotiation to the first frame shown */
async function bareCall (page: Page): Promise<number> {
  return page.evaluate(async () => {
    const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
    const a = new RTCPeerConnection()
    const b = new RTCPeerConnection()
    a.onicecandidate = ({ candidate }) => { if (candidate != null) void b.addIceCandidate(candidate) }
    b.onicecandidate = ({ candidate }) => { if (candidate != null) void a.addIceCandidate(candidate) }
    const start = performance.now()
    const shown = new Promise<number>(resolve => {
      b.ontrack = ({ track, streams }) => {
        if (track.kind !== 'video') return
        const video = document.createElement('video')
        video.muted = true
        video.srcObject = streams[0]
        document.body.append(video)
        video.addEventListener('loadeddata', () => {
          resolve(performance.now() - start)
          video.remove()
        }, { once: true })
        void video.play()
      }
    })
    for (const track of local.getTracks()) a.addTrack(track, local)
    await a.setLocalDescription()
    await b.setRemoteDescription(a.localDescription!)
    await b.setLocalDescription()
    await a.setRemoteDescription(b.localDescription!)
    const ms = await shown
    a.close()
    b.close()
    for (const track of local.getTracks()) track.stop()
    return ms
  })
}

/** `call_setup_*`: accept to first frame over CALL_ITERATIONS calls, and the bare WebRTC baseline */
export async function callSetup (config: BenchConfig): Promise<Figures> {
  const iterations = config.quick ? 5 : 10
  const net = new WebNetwork()
  await net.start()
  try {
    const bob = await net.open(await net.profile())
    // a peer rings another at most MAX_INVITES_PER_INTERVAL times a minute: the calls come from several
    const callers = []
    for (let i = 0; i < Math.ceil((iterations + 1) / (MAX_INVITES_PER_INTERVAL - 1)); i++) {
      const caller = await net.open(await net.profile())
      await caller.page.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, 'Bob') }, bob.peerId)
      await bob.page.evaluate(async ([peer, name]) => { await window.parley!.messenger.addContact(peer, name) }, [caller.peerId, `Caller ${i}`] as const)
      callers.push(caller)
    }
    const parley: number[] = []
    const bare: number[] = []
    // one of each first, untimed: the pages' first calls pay for code and device start-up
    for (let i = 0; i < iterations + 1; i++) {
      const alice = callers[i % callers.length]
      const timed = acceptAndTime(bob.page)
      const call = await alice.page.evaluate(async (peer) => (await window.parley!.calls.start(peer, { video: true })).id, bob.peerId)
      const ms = await timed
      await alice.page.evaluate(async (id) => { await window.parley!.calls.hangUp(id) }, call)
      await bob.page.waitForFunction((id) => window.parley!.calls.get(id).state === 'ended', call)
      const baseline = await bareCall(bob.page)
      if (i > 0) {
        parley.push(ms)
        bare.push(baseline)
      }
    }
    const sorted = (list: number[]): number[] => [...list].sort((x, y) => x - y)
    progress(`  ${iterations} calls: accept to first frame ${sorted(parley).map(v => Math.round(v)).join(' ')} ms; bare WebRTC ${sorted(bare).map(v => Math.round(v)).join(' ')} ms`)
    return {
      call_setup_ms: percentile(sorted(parley), 50),
      call_setup_p95_ms: percentile(sorted(parley), 95),
      bare_webrtc_setup_ms: percentile(sorted(bare), 50),
      bare_webrtc_setup_p95_ms: percentile(sorted(bare), 95),
      call_setup_iterations: iterations
    }
  } finally {
    await net.stop()
  }
}

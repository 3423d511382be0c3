import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import { startTurn } from './helpers/turn.ts'
import { startChat } from './helpers/ui.ts'
import type { TurnServer } from './helpers/turn.ts'
import type { OpenPage } from './helpers/web-network.ts'
import type { Page } from 'playwright-core'

/** Adds each page as the other's contact (named by the start of its PeerId): only a contact's call rings */
async function befriend (a: OpenPage, b: OpenPage): Promise<void> {
  await a.page.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, peer.slice(-8)) }, b.peerId)
  await b.page.evaluate(async (peer) => { await window.parley!.messenger.addContact(peer, peer.slice(-8)) }, a.peerId)
}

/** Resolves with the id of the next call that rings on `page`, which the page then accepts */
async function acceptNextCall (page: Page): Promise<string> {
  return page.evaluate(async () => new Promise<string>((resolve, reject) => {
    const calls = window.parley!.calls
    const onCall = (evt: CustomEvent<{ id: string, state: string, direction: string }>): void => {
      if (evt.detail.state !== 'ringing' || evt.detail.direction !== 'in') return
      calls.removeEventListener('call', onCall as EventListener)
      calls.accept(evt.detail.id).then(c => { resolve(c.id) }, reject)
    }
    calls.addEventListener('call', onCall as EventListener)
  }))
}

/** `from` calls `to` (with its camera if `video`), which accepts: resolves with the call's id */
async function callAccepted (from: OpenPage, to: OpenPage, video = true): Promise<string> {
  const accepted = acceptNextCall(to.page)
  const call = await from.page.evaluate(async ([peer, video]) => (await window.parley!.calls.start(peer, { video })).id, [to.peerId, video] as const)
  assert.equal(await accepted, call)
  return call
}

/** Resolves once call `id` is in `state` on `page` */
async function callIs (page: Page, id: string, state: string): Promise<void> {
  await page.waitForFunction(([id, state]) => window.parley!.calls.get(id).state === state, [id, state] as const, { timeout: 30_000 })
}

/** The call's inbound RTP of one kind on `page`: bytes, frames decoded (video), audio level (audio) */
async function inbound (page: Page, id: string, kind: 'audio' | 'video'): Promise<{ bytes: number, frames: number, level: number }> {
  return page.evaluate(async ([id, kind]) => {
    const report = await window.parley!.calls.stats(id)
    let found = { bytes: 0, frames: 0, level: 0 }
    report?.forEach((s: any) => {
      if (s.type === 'inbound-rtp' && s.kind === kind) found = { bytes: s.bytesReceived ?? 0, frames: s.framesDecoded ?? 0, level: s.audioLevel ?? 0 }
    })
    return found
  }, [id, kind] as const)
}

/** Resolves once the call's inbound media of one kind on `page` passes the minimums given (asked again as the page's frames come) */
async function inboundHolds (page: Page, id: string, kind: 'audio' | 'video', over: { frames?: number, bytes?: number, level?: number }): Promise<void> {
  await page.waitForFunction(async ([id, kind, over]) => {
    const report = await window.parley!.calls.stats(id)
    let s: any
    report?.forEach((r: any) => { if (r.type === 'inbound-rtp' && r.kind === kind) s = r })
    return s != null && (s.framesDecoded ?? 0) > (over.frames ?? -1) && (s.bytesReceived ?? 0) > (over.bytes ?? -1) && (s.audioLevel ?? 0) > (over.level ?? -1)
  }, [id, kind, over] as const, { timeout: 30_000 })
}

describe('calls between pages (headless Chromium, fake camera and microphone)', function () {
  this.timeout(120_000)
  const net = new WebNetwork()

  before(async () => { await net.start() })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  it('a video call: media flows both ways (bytes, decoded frames, sound), and hanging up ends both, each writing it answered', async () => {
    const alice = await net.open(await net.profile())
    const bob = await net.open(await net.profile())
    await befriend(alice, bob)

    const call = await callAccepted(alice, bob)
    for (const { page } of [alice, bob]) {
      await callIs(page, call, 'connected')
      // the other side's sound, played out here
      await page.evaluate((id) => {
        const audio = document.createElement('audio')
        audio.srcObject = window.parley!.calls.streams(id).remote ?? null
        audio.id = 'remote-audio'
        document.body.append(audio)
        return audio.play()
      }, call)
    }
    for (const { page } of [alice, bob]) {
      const before = await inbound(page, call, 'video')
      await inboundHolds(page, call, 'video', { frames: before.frames + 10, bytes: before.bytes })
      await inboundHolds(page, call, 'audio', { level: 0 })
      // what played was sealed by the other side and opened here: every frame
      await page.waitForFunction((id) => (window.parley!.calls.sealedFrames(id)?.opened ?? 0) > 50, call, { timeout: 30_000 })
      const frames = await page.evaluate((id) => window.parley!.calls.sealedFrames(id), call)
      assert.equal(frames?.sealed, true)
      assert.equal(frames?.failed, 0)
    }

    const ended = bob.page.waitForFunction((id) => window.parley!.calls.get(id).state === 'ended', call, { timeout: 30_000 })
    await alice.page.evaluate(async (id) => { await window.parley!.calls.hangUp(id) }, call)
    await ended
    assert.equal(await bob.page.evaluate((id) => window.parley!.calls.get(id).reason, call), 'hangup')
    for (const [{ page }, peer] of [[alice, bob.peerId], [bob, alice.peerId]] as const) {
      await page.waitForFunction(async ([id, peer]) => (await window.parley!.messenger.history({ peer })).some(m => m.id === id && m.call?.outcome === 'answered'), [call, peer] as const, { timeout: 30_000 })
    }
    // the camera and microphone are let go with the call
    assert.equal(await alice.page.evaluate((id) => window.parley!.calls.streams(id).local, call), undefined)
  })

  it('a fingerprint tampered with in the signalling makes both sides end the call, as a certificate mismatch', async () => {
    // this page signals a fingerprint other than its certificate's, as someone rewriting the
    // signalling to sit in the middle of the media would
    const tampered = await net.open(await net.profile(), net.server, '', {
      prepare: async (context) => {
        await context.addInitScript(() => {
          const original = RTCCertificate.prototype.getFingerprints
          RTCCertificate.prototype.getFingerprints = function () {
            return original.call(this).map(f => ({ ...f, value: `${f.value?.startsWith('00') === true ? '11' : '00'}${f.value?.slice(2) ?? ''}` }))
          }
        })
      }
    })
    const honest = await net.open(await net.profile())
    await befriend(tampered, honest)
    const accepted = acceptNextCall(honest.page)
    const call = await tampered.page.evaluate(async (peer) => (await window.parley!.calls.start(peer, { video: false })).id, honest.peerId)
    await accepted
    for (const { page } of [tampered, honest]) {
      await page.waitForFunction((id) => window.parley!.calls.get(id).state === 'ended', call, { timeout: 30_000 })
      assert.equal(await page.evaluate((id) => window.parley!.calls.get(id).reason, call), 'fingerprint-mismatch')
    }
    await honest.page.waitForFunction(async ([id, peer]) => (await window.parley!.messenger.history({ peer })).some(m => m.id === id && m.call?.reason === 'fingerprint-mismatch'), [call, tampered.peerId] as const, { timeout: 30_000 })
  })

  it('a description the browser refuses (malformed SDP) fails the call at both sides, and the next call works', async () => {
    const alice = await net.open(await net.profile())
    const bob = await net.open(await net.profile())
    await befriend(alice, bob)
    const call = await callAccepted(alice, bob)
    for (const { page } of [alice, bob]) await callIs(page, call, 'connected')
    // as if Alice's node then sent an offer that decodes, with her certificate and key, but that no browser can take
    await bob.page.evaluate((id) => {
      const calls = window.parley!.calls as any
      const media = calls.held.get(id).media
      calls.calls.safeDispatchEvent('signal', { detail: { call: id, signal: { kind: 'description', type: 'offer', sdp: 'v=0\r\nthis is not SDP\r\n', fingerprint: media.remoteFingerprint, mediaKey: media.remoteKey } } })
    }, call)
    for (const { page } of [alice, bob]) {
      await callIs(page, call, 'ended')
      assert.equal(await page.evaluate((id) => window.parley!.calls.get(id).reason, call), 'failed')
    }
    const next = await callAccepted(alice, bob, false)
    for (const { page } of [alice, bob]) await callIs(page, next, 'connected')
    await alice.page.evaluate(async (id) => { await window.parley!.calls.hangUp(id) }, next)
  })

  it('a call whose callee accepts before the caller\'s start has resolved (the accept comes its direct way, ahead of the invite\'s ack) connects', async () => {
    const alice = await net.open(await net.profile())
    const bob = await net.open(await net.profile())
    await befriend(alice, bob)
    // Alice's invite is acked only once Bob's accept has come (the order a slow ack gives)
    await alice.page.evaluate(() => {
      const calls = (window.parley!.calls as any).calls
      const send = calls.send
      calls.send = async (...args: unknown[]) => {
        const accepted = new Promise<void>(resolve => {
          const onCall = (evt: CustomEvent<{ state: string }>): void => {
            if (evt.detail.state !== 'connecting') return
            calls.removeEventListener('call', onCall)
            resolve()
          }
          calls.addEventListener('call', onCall)
        })
        await send(...args)
        calls.send = send
        await accepted
      }
    })
    const call = await callAccepted(alice, bob, false)
    for (const { page } of [alice, bob]) await callIs(page, call, 'connected')
    await inboundHolds(bob.page, call, 'audio', { bytes: 1_000 })
    await alice.page.evaluate(async (id) => { await window.parley!.calls.hangUp(id) }, call)
  })

  it('only the caller offers at first, so the two offers never cross (a polite side rolled back its offer before it gathered, and Chromium gathered nothing for its answer)', async () => {
    const alice = await net.open(await net.profile())
    const bob = await net.open(await net.profile())
    await befriend(alice, bob)
    const record = async (page: Page): Promise<void> => page.evaluate(() => {
      const calls = (window.parley!.calls as any).calls
      const negotiate = calls.negotiate.bind(calls)
      ;(window as any).described = []
      calls.negotiate = async (id: string, signal: any) => {
        if (signal.kind === 'description') (window as any).described.push(signal.type)
        return negotiate(id, signal)
      }
    })
    await record(alice.page)
    await record(bob.page)
    const call = await callAccepted(alice, bob)
    for (const { page } of [alice, bob]) await callIs(page, call, 'connected')
    assert.deepEqual(await alice.page.evaluate(() => (window as any).described[0]), 'offer')
    assert.deepEqual(await bob.page.evaluate(() => (window as any).described[0]), 'answer')
    await alice.page.evaluate(async (id) => { await window.parley!.calls.hangUp(id) }, call)
  })

  it('the network changing under a call restarts ICE: new paths are negotiated and the media goes on', async () => {
    const alice = await net.open(await net.profile())
    const bob = await net.open(await net.profile())
    await befriend(alice, bob)
    const call = await callAccepted(alice, bob)
    await callIs(bob.page, call, 'connected')
    const ufrag = async (): Promise<string | undefined> => bob.page.evaluate((id) => /a=ice-ufrag:(\S+)/.exec((window.parley!.calls as any).held.get(id).media.pc.remoteDescription?.sdp ?? '')?.[1], call)
    const before = await ufrag()
    // Alice's browser says it is back online (as after a change of network)
    await alice.page.evaluate(() => { window.dispatchEvent(new Event('online')) })
    await bob.page.waitForFunction(([id, old]) => /a=ice-ufrag:(\S+)/.exec((window.parley!.calls as any).held.get(id).media.pc.remoteDescription?.sdp ?? '')?.[1] !== old, [call, before] as const, { timeout: 30_000 })
    assert.notEqual(await ufrag(), before)
    const frames = (await inbound(bob.page, call, 'video')).frames
    await inboundHolds(bob.page, call, 'video', { frames: frames + 10 })
    assert.equal(await bob.page.evaluate((id) => window.parley!.calls.get(id).state, call), 'connected')
    await alice.page.evaluate(async (id) => { await window.parley!.calls.hangUp(id) }, call)
  })

  it('two pages calling each other at once end in one call, with media', async () => {
    const alice = await net.open(await net.profile())
    const bob = await net.open(await net.profile())
    await befriend(alice, bob)
    const start = async (from: OpenPage, to: OpenPage): Promise<string> => from.page.evaluate(async (peer) => (await window.parley!.calls.start(peer, { video: true })).id, to.peerId)
    const [a, b] = await Promise.all([start(alice, bob), start(bob, alice)])
    const kept = [a, b].sort()[0]
    for (const { page } of [alice, bob]) {
      // the kept call may not have reached a page yet
      await page.waitForFunction((id) => window.parley!.calls.active().some(c => c.id === id && c.state === 'connected'), kept, { timeout: 30_000 })
      await inboundHolds(page, kept, 'video', { frames: 5 })
      assert.deepEqual(await page.evaluate(() => window.parley!.calls.active().map(c => c.id)), [kept])
    }
    await bob.page.evaluate(async (id) => { await window.parley!.calls.hangUp(id) }, kept)
    await alice.page.waitForFunction((id) => window.parley!.calls.get(id).state === 'ended', kept, { timeout: 30_000 })
  })

  it('a group call of three pages: every pair connected, with media flowing both ways', async () => {
    const pages = [await net.open(await net.profile()), await net.open(await net.profile()), await net.open(await net.profile())]
    for (const [i, a] of pages.entries()) for (const b of pages.slice(i + 1)) await befriend(a, b)
    const [alice, bob, carol] = pages
    const group = await alice.page.evaluate(async (peers) => {
      const created = await window.parley!.groups.create('Band practice')
      await window.parley!.groups.add(created.id, await Promise.all(peers.map(async p => window.parley!.messenger.resolvePeer(p))))
      return created.id
    }, [bob.peerId, carol.peerId])
    for (const { page } of [bob, carol]) {
      await page.waitForFunction(async (id) => (await window.parley!.groups.list()).some(g => g.id === id && g.members.length === 3), group, { timeout: 30_000 })
    }
    const joined = [bob, carol].map(async ({ page }) => acceptNextCall(page))
    // Alice starts it from the group's header in the app
    await alice.page.click(`.chats .chat[data-peer="${group}"]`)
    await alice.page.click('.conversation-header .start-video-call')
    await Promise.all(joined)
    for (const { page, peerId } of pages) {
      const others = pages.filter(p => p.peerId !== peerId).map(p => p.peerId).sort()
      await page.waitForFunction(([id, n]) => window.parley!.calls.active().filter(c => c.group === id && c.state === 'connected').length === n, [group, 2] as const, { timeout: 45_000 })
      const calls = await page.evaluate((id) => window.parley!.calls.active().filter(c => c.group === id).map(c => ({ id: c.id, peer: c.peer })), group)
      assert.deepEqual(calls.map(c => c.peer).sort(), others, 'a call with each other participant')
      for (const { id } of calls) {
        await inboundHolds(page, id, 'video', { frames: 5 })
        await page.waitForFunction((call) => (window.parley!.calls.sealedFrames(call)?.opened ?? 0) > 10, id, { timeout: 30_000 })
      }
    }
    // each page's call screen shows the two others, each a tile playing its video
    for (const { page } of pages) {
      const screen = page.locator('.call-screen[open][data-group="true"]')
      await screen.locator('.call-grid .tile').nth(1).waitFor({ timeout: 30_000 })
      await page.waitForFunction(() => [...document.querySelectorAll<HTMLVideoElement>('.call-grid .tile')].filter(v => v.videoWidth > 0).length === 2, undefined, { timeout: 30_000 })
      assert.match((await screen.locator('.call-status').textContent())!, /^2 connected/)
    }
    const shots = join(import.meta.dirname, '../../dist/screenshots')
    await mkdir(shots, { recursive: true })
    await alice.page.screenshot({ path: join(shots, 'group-call.png') })
    // Alice hangs up: her two calls end, and the others go on between themselves
    await alice.page.click('.call-screen .hang-up')
    await bob.page.waitForFunction((peer) => !window.parley!.calls.active().some(c => c.peer === peer), alice.peerId, { timeout: 30_000 })
    assert.deepEqual(await bob.page.evaluate(() => window.parley!.calls.active().map(c => c.peer)), [carol.peerId])
    // their media would go on through the tests after this one, on the same two cores
    await bob.page.click('.call-screen .hang-up')
    await carol.page.waitForFunction(() => window.parley!.calls.active().length === 0, undefined, { timeout: 30_000 })
  })

  it('from the app: a call button rings the other page, which accepts; the call screen has its controls; hanging up ends both; a declined call, and a call to a closed page missed there once it opens', async () => {
    const alice = await net.open(await net.profile())
    const bobProfile = await net.profile()
    let bob = await net.open(bobProfile)
    await startChat(alice.page, bob.peerId, 'Bob')
    await startChat(bob.page, alice.peerId, 'Alice')

    await alice.page.click('.conversation-header .start-video-call')
    const ringing = bob.page.locator('.call-screen[open][data-state="ringing"][data-direction="in"]')
    await ringing.waitFor({ timeout: 30_000 })
    assert.equal(await ringing.locator('.call-peer').textContent(), 'Alice')
    await ringing.locator('.accept-call').click()
    for (const { page } of [alice, bob]) {
      const screen = page.locator('.call-screen[open][data-state="connected"]')
      await screen.waitFor({ timeout: 30_000 })
      assert.deepEqual(await screen.locator('.call-controls button').allTextContents(), ['Mute', 'Camera off', 'Hang up'])
      assert.match((await screen.locator('.call-protection').textContent())!, /sealed end to end/)
      // the other side's video plays in the screen
      await page.waitForFunction(() => ((document.querySelector('.remote-video') as HTMLVideoElement | null)?.videoWidth ?? 0) > 0, undefined, { timeout: 30_000 })
    }
    const call = (await alice.page.getAttribute('.call-screen', 'data-call'))!
    await alice.page.click('.call-screen .toggle-mute')
    assert.equal(await alice.page.evaluate((id) => window.parley!.calls.streams(id).local!.getAudioTracks().every(t => !t.enabled), call), true)
    assert.equal(await alice.page.textContent('.call-screen .toggle-mute'), 'Unmute')
    // another camera from the list: Alice's page sends it (a new track, still muted audio), Bob goes on seeing her
    const oldTrack = await alice.page.evaluate((id) => window.parley!.calls.streams(id).local!.getVideoTracks()[0].id, call)
    const camera = await alice.page.locator('.call-screen .device-select optgroup[label="Cameras"] option').first().getAttribute('value')
    await alice.page.selectOption('.call-screen .device-select', camera!)
    await alice.page.waitForFunction(([id, old]) => window.parley!.calls.streams(id).local!.getVideoTracks()[0]?.id !== old, [call, oldTrack] as const)
    const framesBefore = (await inbound(bob.page, call, 'video')).frames
    await inboundHolds(bob.page, call, 'video', { frames: framesBefore + 10 })
    assert.equal(await alice.page.evaluate((id) => window.parley!.calls.streams(id).local!.getAudioTracks().every(t => !t.enabled), call), true, 'still muted')
    const shots = join(import.meta.dirname, '../../dist/screenshots')
    await mkdir(shots, { recursive: true })
    await alice.page.screenshot({ path: join(shots, 'call.png') })
    await alice.page.click('.call-screen .hang-up')
    for (const { page } of [alice, bob]) {
      await page.locator('.call-screen[open][data-state="ended"] .call-status', { hasText: 'Call ended' }).waitFor({ timeout: 30_000 })
      await page.click('.call-screen .close-call')
      await page.locator(`.messages .call-entry[data-id="${call}"][data-outcome="answered"]`).waitFor({ timeout: 30_000 })
    }

    // declined from the ringing screen
    await bob.page.click('.conversation-header .start-call')
    await alice.page.locator('.call-screen[open][data-state="ringing"] .decline-call').click()
    await bob.page.locator('.call-screen[open][data-state="ended"] .call-status', { hasText: 'Declined' }).waitFor({ timeout: 30_000 })
    await bob.page.click('.call-screen .close-call')

    // Alice calls and gives up while Bob's page rings: his ringing screen goes away by itself, a missed call stays in the conversation
    const cancelled = await alice.page.evaluate(async (peer) => (await window.parley!.calls.start(peer, { video: false })).id, bob.peerId)
    await bob.page.locator(`.call-screen[open][data-state="ringing"][data-call="${cancelled}"]`).waitFor({ timeout: 30_000 })
    await alice.page.locator('.call-screen[open][data-state="ringing"] .hang-up').click()
    await bob.page.locator(`.messages .call-entry.missed[data-id="${cancelled}"]`, { hasText: 'Missed call' }).waitFor({ timeout: 30_000 })
    await bob.page.locator('.call-screen[open]').waitFor({ state: 'detached', timeout: 30_000 })
    await alice.page.click('.call-screen .close-call')

    // Bob closes his page; Alice calls and gives up: he finds a missed call when he opens it again
    await bob.context.close()
    net.contexts.delete(bob.context)
    const missed = await alice.page.evaluate(async (peer) => (await window.parley!.calls.start(peer, { video: false })).id, bob.peerId)
    await alice.page.locator('.call-screen[open][data-state="ringing"] .hang-up').click()
    bob = await net.open(bobProfile)
    await bob.page.click(`.chats .chat[data-peer="${alice.peerId}"]`)
    await bob.page.locator(`.messages .call-entry.missed[data-id="${missed}"]`, { hasText: 'Missed call' }).waitFor({ timeout: 60_000 })
    assert.equal(await bob.page.locator('.call-screen[open]').count(), 0, 'a call that never rang here opens no screen')
  })
})

describe('calls through TURN only (coturn on 127.0.0.1, config.json\'s iceServers and iceTransportPolicy "relay")', function () {
  this.timeout(120_000)
  const net = new WebNetwork()
  let turn: TurnServer

  before(async () => {
    turn = await startTurn()
    await net.start({ calls: { iceServers: [turn.iceServer], iceTransportPolicy: 'relay' } })
  })
  after(async () => {
    await net.stop()
    await turn?.stop()
  })
  printPageLogsOnFailure(net)

  it('connects through the TURN server, with frames decoded on both sides', async () => {
    const alice = await net.open(await net.profile())
    const bob = await net.open(await net.profile())
    await befriend(alice, bob)
    const call = await callAccepted(alice, bob)
    for (const { page } of [alice, bob]) {
      await callIs(page, call, 'connected')
      await inboundHolds(page, call, 'video', { frames: 10 })
      // what came through the relay was sealed end to end, and opened here
      await page.waitForFunction((id) => (window.parley!.calls.sealedFrames(id)?.opened ?? 0) > 25, call, { timeout: 30_000 })
      assert.equal((await page.evaluate((id) => window.parley!.calls.sealedFrames(id), call))?.failed, 0)
      // the pair in use runs through the relay: both its ends are TURN allocations
      const types = await page.evaluate(async (id) => {
        const report = await window.parley!.calls.stats(id)
        const all = new Map<string, any>()
        report?.forEach((s: any) => { all.set(s.id, s) })
        // the pair the transport uses now (a nominated one can be an earlier pair)
        const selected = [...all.values()].find(s => s.type === 'transport' && s.selectedCandidatePairId != null)?.selectedCandidatePairId
        const pair = all.get(selected) ?? [...all.values()].find(s => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded')
        return [all.get(pair?.localCandidateId)?.candidateType, all.get(pair?.remoteCandidateId)?.candidateType]
      }, call)
      assert.deepEqual(types, ['relay', 'relay'])
    }
    await alice.page.evaluate(async (id) => { await window.parley!.calls.hangUp(id) }, call)
    await bob.page.waitForFunction((id) => window.parley!.calls.get(id).state === 'ended', call, { timeout: 30_000 })
  })
})

import { action, fill, h } from './dom.ts'
import type { PageCalls } from '../calls/page-calls.ts'
import type { CallInfo } from '../../calls/calls.ts'

export interface CallScreenInit {
  calls: PageCalls
  /** A PeerId (or a group's id) as the user knows it */
  nameOf(peerId: string): string
}

/** How a call that ended says why, for the one who sees it end */
const ENDED: Record<string, string> = {
  hangup: 'Call ended',
  declined: 'Declined',
  busy: 'Busy: in another call',
  unanswered: 'No answer',
  missed: 'Missed call',
  failed: 'The call could not connect'
}

/**
 * The calls of the page: an incoming call rings as a dialog (Accept, Decline; a desktop
 * notification too while the tab is hidden and notifications are on), and a call under way
 * fills the screen: the other side's video, this side's small and muted, how long it has run,
 * Mute, Camera, Hang up and another camera or microphone, and whether its frames are sealed end
 * to end. An incoming call that ends unanswered closes its dialog (a missed call is an entry in
 * the conversation); a call that never rang here opens none. A call whose connection presented
 * another certificate than the one signalled ends with a warning that stays until closed.
 */
export class CallScreen {
  readonly el = h('dialog', { class: 'call-screen', 'aria-label': 'Call' }) as HTMLDialogElement
  private readonly remote = h('video', { class: 'remote-video', autoplay: true, playsinline: true }) as HTMLVideoElement
  /** A group call's other participants, each a video of its own */
  private readonly grid = h('div', { class: 'call-grid' })
  private readonly tiles = new Map<string, HTMLVideoElement>()
  private readonly local = h('video', { class: 'local-video', autoplay: true, playsinline: true, muted: true }) as HTMLVideoElement
  private readonly status = h('p', { class: 'call-status', 'aria-live': 'polite' })
  private readonly protection = h('p', { class: 'call-protection dim' })
  private readonly controls = h('div', { class: 'call-controls row' })
  private call?: CallInfo
  private clock?: ReturnType<typeof setInterval>
  private muted = false
  private cameraOff = false
  private ringing?: Notification

  constructor (private readonly init: CallScreenInit) {
    // muted as a property too: the attribute alone does not silence a stream set from script
    this.local.muted = true
    this.el.append(h('div', { class: 'call-stage' }, this.remote, this.grid, this.local), h('h2', { class: 'call-peer' }), this.status, this.protection, this.controls)
    this.el.addEventListener('cancel', evt => { evt.preventDefault() })
    init.calls.addEventListener('call', evt => { this.changed(evt.detail) })
    // a stream came: of the call on screen, or of another pair of its group call
    init.calls.addEventListener('media', () => { this.attach() })
  }

  private changed (call: CallInfo): void {
    const current = this.call
    const sameGroup = current?.group != null && current.group === call.group
    // a second call while one is under way (answered busy by the node) leaves the screen to the first
    if (current != null && current.state !== 'ended' && current.id !== call.id && call.replaces !== current.id && !sameGroup) return
    if (sameGroup && current != null && current.id !== call.id) {
      // another pair of the group call: the screen follows the group as a whole
      this.call = this.groupLead(current.group!) ?? call
      this.render()
      this.attach()
      return
    }
    if (call.state === 'ended' && call.direction === 'in' && (current?.id !== call.id || current.state === 'ringing')) {
      // a call that ended before it was answered here (missed, or declined) leaves the screen: the conversation shows it
      if (current?.id === call.id) {
        this.call = call
        this.ringing?.close()
        this.el.close()
      }
      return
    }
    this.call = call
    this.el.dataset.state = call.state
    this.el.dataset.direction = call.direction
    this.el.dataset.call = call.id
    this.el.querySelector('.call-peer')!.textContent = call.group != null ? `${this.init.nameOf(call.group)}: group call` : this.init.nameOf(call.peer)
    this.el.dataset.group = String(call.group != null)
    if (call.state === 'ringing' && call.direction === 'in') this.notify(call)
    else this.ringing?.close()
    this.render()
    if (!this.el.open) this.el.showModal()
    this.attach()
  }

  /** The group call's calls under way here */
  private groupCalls (group: string): CallInfo[] {
    return this.init.calls.active().filter(c => c.group === group)
  }

  /** The call that stands for a group call on the screen: a connected one first, else any under way */
  private groupLead (group: string): CallInfo | undefined {
    const calls = this.groupCalls(group)
    return calls.find(c => c.state === 'connected') ?? calls[0]
  }

  private render (): void {
    const call = this.call!
    const { calls } = this.init
    // a group call: its controls act on each of its calls
    const group = call.group != null && call.state !== 'ringing' ? this.groupCalls(call.group) : [call]
    if (call.group != null && call.state === 'ended' && this.groupCalls(call.group).length > 0) {
      this.call = this.groupLead(call.group)
      this.render()
      return
    }
    clearInterval(this.clock)
    const button = (cls: string, label: string, run: () => Promise<unknown> | unknown): HTMLElement =>
      h('button', { type: 'button', class: cls, onclick: () => { action(this.status, async () => { await run() }) } }, label)
    const kind = call.video ? 'video call' : 'call'
    switch (call.state) {
      case 'ringing':
        this.status.textContent = call.direction === 'in' ? `Incoming ${kind}` : 'Ringing…'
        fill(this.controls, ...(call.direction === 'in'
          ? [button('accept-call primary', 'Accept', async () => calls.accept(call.id)), button('decline-call danger', 'Decline', async () => calls.decline(call.id))]
          : [button('hang-up danger', 'Cancel', async () => calls.hangUp(call.id))]))
        return
      case 'connecting':
      case 'connected':
        {
          const connected = group.filter(c => c.state === 'connected').length
          const status = (): string => call.group != null ? `${connected} connected · ${this.elapsed()}` : this.elapsed()
          this.status.textContent = call.state === 'connecting' ? 'Connecting…' : status()
          if (call.state === 'connected') this.clock = setInterval(() => { this.status.textContent = status() }, 1_000)
        }
        fill(this.controls,
          button('toggle-mute', this.muted ? 'Unmute' : 'Mute', () => { this.muted = !this.muted; for (const c of group) calls.setMuted(c.id, this.muted); this.render() }),
          call.video ? button('toggle-camera', this.cameraOff ? 'Camera on' : 'Camera off', () => { this.cameraOff = !this.cameraOff; for (const c of group) calls.setCamera(c.id, !this.cameraOff); this.render() }) : null,
          button('hang-up danger', 'Hang up', async () => { for (const c of group) await calls.hangUp(c.id) }),
          this.devicePicker(call))
        this.showProtection()
        return
      case 'ended':
        this.protection.textContent = ''
        this.muted = false
        this.cameraOff = false
        this.remote.srcObject = null
        this.local.srcObject = null
        this.tiles.clear()
        fill(this.grid)
        if (call.reason === 'fingerprint-mismatch') {
          this.status.textContent = `Warning: the connection was not ${this.init.nameOf(call.peer)}'s own (its certificate did not match the one ${this.init.nameOf(call.peer)} sent). The call was ended: someone may be in between.`
          this.status.classList.add('warning')
        } else {
          this.status.textContent = ENDED[call.reason ?? 'hangup'] ?? 'Call ended'
          this.status.classList.remove('warning')
        }
        fill(this.controls, h('button', { type: 'button', class: 'close-call', onclick: () => { this.el.close() } }, 'Close'))
    }
  }

  /** A list of the cameras and microphones: choosing one switches the call (and its group call) to it */
  private devicePicker (call: CallInfo): HTMLElement {
    const select = h('select', {
      class: 'device-select',
      'aria-label': 'Camera or microphone',
      onchange: () => {
        if (select.value === '') return
        action(this.status, async () => { await this.init.calls.switchDevice(call.id, select.value) })
      }
    }, h('option', { value: '' }, 'Switch device…')) as HTMLSelectElement
    this.init.calls.devices().then(devices => {
      for (const [kind, label] of [['videoinput', 'Cameras'], ['audioinput', 'Microphones']] as const) {
        const of = devices.filter(d => d.kind === kind && (kind === 'audioinput' || call.video))
        if (of.length > 0) select.append(h('optgroup', { label }, ...of.map((d, i) => h('option', { value: d.deviceId }, d.label !== '' ? d.label : `${label.slice(0, -1)} ${i + 1}`))))
      }
    }).catch(() => {})
    return select
  }

  /** Whether the media is sealed end to end on top of DTLS (both browsers seal their frames), or DTLS alone */
  private showProtection (): void {
    const sealed = this.init.calls.sealedFrames(this.call!.id)?.sealed === true
    this.el.dataset.protected = sealed ? 'sealed' : 'dtls'
    this.protection.textContent = sealed
      ? '🔒 Sound and video are sealed end to end, also through a relay'
      : 'Sound and video are encrypted between the two browsers (DTLS-SRTP)'
  }

  /** Shows the call's streams (the other side's once they come); a group call's, one tile each */
  private attach (): void {
    const call = this.call
    if (call == null || call.state === 'ended') return
    const { local, remote } = this.init.calls.streams(call.id)
    if (local != null && this.local.srcObject !== local) this.local.srcObject = local
    this.local.hidden = !call.video
    this.remote.hidden = call.group != null
    this.grid.hidden = call.group == null
    if (call.group == null) {
      if (remote != null && this.remote.srcObject !== remote) this.remote.srcObject = remote
      return
    }
    const under = this.groupCalls(call.group)
    for (const [id, tile] of this.tiles) {
      if (!under.some(c => c.id === id)) {
        tile.remove()
        this.tiles.delete(id)
      }
    }
    for (const c of under) {
      const stream = this.init.calls.streams(c.id).remote
      if (stream == null) continue
      let tile = this.tiles.get(c.id)
      if (tile == null) {
        tile = h('video', { class: 'remote-video tile', autoplay: true, playsinline: true, 'data-peer': c.peer, title: this.init.nameOf(c.peer) }) as HTMLVideoElement
        this.tiles.set(c.id, tile)
        this.grid.append(tile)
      }
      if (tile.srcObject !== stream) tile.srcObject = stream
    }
  }

  private elapsed (): string {
    const seconds = Math.max(0, Math.floor((Date.now() - (this.call?.connectedAt ?? Date.now())) / 1_000))
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
  }

  /** While the tab is hidden: a notification that rings (if the user turned notifications on) */
  private notify (call: CallInfo): void {
    if (document.visibilityState === 'visible' || typeof Notification === 'undefined' || Notification.permission !== 'granted') return
    this.ringing = new Notification(this.init.nameOf(call.peer), { body: `Incoming ${call.video ? 'video call' : 'call'}`, tag: `call-${call.id}`, requireInteraction: true, icon: 'icon-192.png' })
    this.ringing.addEventListener('click', () => { window.focus() })
  }
}

import { logger } from '@libp2p/logger'
import { SERVICE_WORKER_SCRIPT, SKIP_WAITING } from './constants.ts'

const log = logger('parley:browser:pwa')

/**
 * Registers the service worker that keeps the app's files for offline starts (sw.ts). The first
 * one takes over at once; a later build's waits until the user agrees, since this page runs the
 * old code: `onUpdate` hears of it with `apply`, which hands over and reloads.
 */
export function registerServiceWorker (onUpdate: (apply: () => void) => void): void {
  if (!('serviceWorker' in navigator)) return
  const offer = (waiting: ServiceWorker): void => {
    onUpdate(() => {
      navigator.serviceWorker.addEventListener('controllerchange', () => { location.reload() }, { once: true })
      waiting.postMessage(SKIP_WAITING)
    })
  }
  navigator.serviceWorker.register(SERVICE_WORKER_SCRIPT).then(registration => {
    // a new version that finished installing while no page asked yet
    if (registration.waiting != null && navigator.serviceWorker.controller != null) offer(registration.waiting)
    registration.addEventListener('updatefound', () => {
      const installing = registration.installing
      installing?.addEventListener('statechange', () => {
        // with no controller this is the first version, which takes over by itself
        if (installing.state === 'installed' && navigator.serviceWorker.controller != null) offer(installing)
      })
    })
  }, (err: Error) => { log.error('could not register the service worker - %e', err) })
}

/**
 * The service worker (built into sw.js by scripts/web/build.ts): keeps the app's own files so
 * the page opens without a network and then connects. Each build's files go into a cache named
 * after their hash; a new build's worker fills its own cache, and once it takes over (at once
 * the first time, later when the user accepts the update) the older caches are deleted. Only
 * this origin's requests for those files and for config.json are answered; everything else
 * (relays, other origins) is left to the browser.
 */
import { CONFIG_URL, SKIP_WAITING } from './constants.ts'

/** Set by the build: a hash of the app's files, and their names relative to the worker's folder */
declare const PARLEY_SHELL_VERSION: string
declare const PARLEY_SHELL_FILES: string[]

/** The parts of the service worker global scope used here (the DOM types do not describe it) */
interface LifecycleEvent extends Event {
  waitUntil(work: Promise<unknown>): void
}
interface FetchRequestEvent extends LifecycleEvent {
  readonly request: Request
  respondWith(response: Promise<Response>): void
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string }
  readonly clients: { claim(): Promise<void> }
  skipWaiting(): Promise<void>
  addEventListener(type: 'install' | 'activate', listener: (evt: LifecycleEvent) => void): void
  addEventListener(type: 'fetch', listener: (evt: FetchRequestEvent) => void): void
  addEventListener(type: 'message', listener: (evt: MessageEvent) => void): void
}
declare const self: ServiceWorkerScope

const CACHE_PREFIX = 'parley-shell-'
const CACHE = `${CACHE_PREFIX}${PARLEY_SHELL_VERSION}`
const SHELL = new Set(PARLEY_SHELL_FILES)
const scope = new URL(self.registration.scope)
const at = (file: string): string => new URL(file, scope).toString()

self.addEventListener('install', evt => {
  evt.waitUntil((async () => {
    const cache = await caches.open(CACHE)
    // past the HTTP cache, so what is kept is this build's files
    await cache.addAll(PARLEY_SHELL_FILES.map(file => new Request(at(file), { cache: 'reload' })))
    // config.json is the host's, not the build's: kept too if there is one
    const config = await fetch(at(CONFIG_URL), { cache: 'no-store' }).catch(() => undefined)
    if (config?.ok === true) await cache.put(at(CONFIG_URL), config)
  })())
})

self.addEventListener('activate', evt => {
  evt.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name)
    }
    await self.clients.claim()
  })())
})

self.addEventListener('message', evt => {
  if (evt.data === SKIP_WAITING) void self.skipWaiting()
})

self.addEventListener('fetch', evt => {
  const { request } = evt
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return
  const path = url.pathname.slice(scope.pathname.length)
  if (path === CONFIG_URL) {
    evt.respondWith(configFirstFromNetwork(request))
    return
  }
  const file = path === '' ? 'index.html' : path
  if (SHELL.has(file)) evt.respondWith(fromCache(request, file))
})

/** The app's files as this build kept them (from the network only if the cache lost one) */
async function fromCache (request: Request, file: string): Promise<Response> {
  const kept = await (await caches.open(CACHE)).match(at(file))
  return kept ?? fetch(request)
}

/** The host may change config.json (new relays) at any time: the network's, else the copy kept */
async function configFirstFromNetwork (request: Request): Promise<Response> {
  const cache = await caches.open(CACHE)
  try {
    const response = await fetch(request)
    if (response.ok) await cache.put(at(CONFIG_URL), response.clone())
    return response
  } catch (err) {
    const kept = await cache.match(at(CONFIG_URL))
    if (kept == null) throw err
    return kept
  }
}

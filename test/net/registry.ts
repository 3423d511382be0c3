/**
 * Every namespace alive in this process, so they are deleted even when a test throws, mocha
 * exits early, or the process gets SIGINT/SIGTERM. Only SIGKILL leaves namespaces behind; the
 * next `InternetBox.create()` removes those (see stale.ts).
 */

export interface Deletable {
  /** Kills what runs inside and deletes the namespace, synchronously, best effort */
  deleteSync(): void
}

const live = new Set<Deletable>()
let hooked = false

export function register (ns: Deletable): void {
  live.add(ns)
  hook()
}

export function unregister (ns: Deletable): void {
  live.delete(ns)
}

function deleteAllSync (): void {
  for (const ns of [...live].reverse()) {
    ns.deleteSync()
    live.delete(ns)
  }
}

function onSignal (signal: NodeJS.Signals): void {
  deleteAllSync()
  process.off(signal, onSignal)
  // our listener replaced the default action (exit); restore it unless someone else handles it
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

function hook (): void {
  if (hooked) return
  hooked = true
  // 'exit' listeners run synchronously: the cleanup uses execFileSync
  process.on('exit', deleteAllSync)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

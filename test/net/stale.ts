/** Names of the harness's namespaces, and removing those whose creating process is gone */

import { run } from './command.ts'
import { NAMESPACE_PREFIX } from './constants.ts'

const OWN_NAME = new RegExp(`^${NAMESPACE_PREFIX}(\\d+)-`)

/** `pl<pid>-<box>-<role>`: the pid says whether the creator still runs */
export function namespaceName (box: number, role: string): string {
  return `${NAMESPACE_PREFIX}${process.pid}-${box}-${role}`
}

/** The names `ip netns list` prints, one per line, possibly followed by "(id: N)" */
export async function listNamespaces (): Promise<string[]> {
  const out = await run('ip', ['netns', 'list'])
  return out.split('\n').map(line => line.split(' ')[0]).filter(name => name !== '')
}

/**
 * Deletes harness namespaces whose creator pid is no longer alive (a run killed with SIGKILL).
 * Processes still inside them are left alone, not ours to end; without the name they are cut
 * off from everything and end with the namespace once they exit.
 */
export async function removeStaleNamespaces (): Promise<string[]> {
  const stale = (await listNamespaces()).filter(name => {
    const pid = Number(OWN_NAME.exec(name)?.[1] ?? NaN)
    return Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)
  })
  for (const name of stale) await deleteNamespace(name)
  return stale
}

/** `ip netns del`, tolerating a namespace that is already gone (another run removed it first) */
export async function deleteNamespace (name: string): Promise<void> {
  try {
    await run('ip', ['netns', 'del', name])
  } catch (err) {
    if ((await listNamespaces()).includes(name)) throw err
  }
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err: any) {
    // EPERM: it exists but belongs to someone else
    return err.code === 'EPERM'
  }
}

/** `count()` once it has not changed for 3 s (at most 30 s) */
export async function settle (count: () => Promise<number>): Promise<number> {
  let last = await count()
  let stableSince = Date.now()
  const deadline = Date.now() + 30_000
  while (Date.now() - stableSince < 3_000 && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 500))
    const now = await count()
    if (now !== last) {
      last = now
      stableSince = Date.now()
    }
  }
  return last
}

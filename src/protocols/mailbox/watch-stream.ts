import { pbStream } from '@libp2p/utils'
import { CHALLENGE_BYTES } from './constants.ts'
import { InvalidMailboxRequestError, MailboxRefusedError } from './errors.ts'
import { FetchChallenge, FetchProof, MailboxNotice, MailboxRequest } from './pb/mailbox.ts'
import { signFetchProof } from './proofs.ts'
import { own } from './wire.ts'
import { framing } from '../length-prefix.ts'
import type { OpenWatch } from './watches.ts'
import type { PeerId, PrivateKey, Stream } from '@libp2p/interface'

/** A notice is a count and, on a refusal, its reason */
const MAX_NOTICE_BYTES = 1_024

/**
 * The recipient's side of a watch on `stream` (a mailbox stream to `storer`): names the owner's
 * keys of `epochs`, proves it owns them as a fetch does, and resolves once the storer accepted
 * (its first notice). The first notice's count is the first `next`.
 *
 * @throws MailboxRefusedError when the storer refuses (a bad proof, too many watches), or the stream's errors
 */
export async function startWatch (stream: Stream, owner: { peerId: PeerId, privateKey: PrivateKey }, storer: PeerId, epochs: number[], signal: AbortSignal): Promise<OpenWatch> {
  try {
    const pb = pbStream(stream, framing(MAX_NOTICE_BYTES))
    await pb.write({ watch: { recipient: owner.peerId.toMultihash().bytes, epochs } }, MailboxRequest, { signal })
    const { challenge } = await pb.read(FetchChallenge, { signal })
    if (challenge.byteLength !== CHALLENGE_BYTES) throw new InvalidMailboxRequestError('the storer sent a malformed challenge')
    await pb.write({ signature: own(await signFetchProof(owner.privateKey, { storer, challenge, epochs })) }, FetchProof, { signal })
    const first = await pb.read(MailboxNotice, { signal })
    if (first.refused !== '') throw new MailboxRefusedError(first.refused)
    let pending: number | undefined = first.count
    return {
      next: async (signal) => {
        if (pending != null) {
          const count = pending
          pending = undefined
          return count
        }
        const notice = await pb.read(MailboxNotice, { signal })
        if (notice.refused !== '') throw new MailboxRefusedError(notice.refused)
        return notice.count
      },
      end: () => { stream.abort(new Error('the watch ended')) }
    }
  } catch (err: any) {
    stream.abort(err)
    throw err
  }
}

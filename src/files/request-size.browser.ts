/**
 * How many chunks a download asks for in one request, in browsers. A page receives files over
 * WebRTC, whose streams (a data channel each) have no flow-control window: a paused stream keeps
 * receiving, and libp2p aborts it once 4 MiB lie unread. A page decrypts, checks and writes more
 * slowly than a Node sender sends, so it asks for at most 12 chunks (3.2 MB framed) per stream:
 * even a reader that stops reading altogether cannot overflow.
 */
export const MAX_CHUNKS_PER_REQUEST = 12

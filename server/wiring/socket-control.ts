import { displayRoom, sessionRoom } from '../auth/authenticate.js'
import type { IoServer } from '../realtime/types.js'

/** What the access layer may ask of open sockets: to cut off a revoked display link's or session's sockets. */
export interface SocketControl {
  disconnectDisplay: (linkId: string) => void
  disconnectSessions: (sessionIds: readonly string[]) => void
}

export function socketControl(io: IoServer): SocketControl {
  return {
    disconnectDisplay: id => void io.in(displayRoom(id)).disconnectSockets(true),
    disconnectSessions: ids => ids.forEach(id => io.in(sessionRoom(id)).disconnectSockets(true)),
  }
}

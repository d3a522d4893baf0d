import type { Server, Socket } from 'socket.io'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js'
import type { Principal } from '../../shared/access.js'
import type { Scope } from '../../shared/scope.js'

/** What the server remembers per subscribed scope of a socket. */
export interface SocketScopeState {
  /** Highest sequence number this socket has been sent for the scope. */
  lastSeq: number
  /** Too slow to take room broadcasts: gets a coalesced catch-up (or a snapshot) when its buffer drains. */
  lagging: boolean
  catchingUp: boolean
  /** The subscriber keeps only this many newest changes (`scope:subscribe` `keep`): its deltas carry no more. */
  keep?: number
  /** The subscriber draws no description (`scope:subscribe` `brief`): its incident lists leave it out. */
  brief?: true
}

export interface SocketData { scopes: Map<Scope, SocketScopeState>, principal: Principal }

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>

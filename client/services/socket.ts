import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js'
import { exposeForTests } from '../test-hooks.js'

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** The one socket of the app (same origin). Only stores use it; each binds and unbinds its own listeners. */
/** A wall opened through a display link carries its token: read-only, limited to the link's scope. */
export const displayToken: string | null = new URLSearchParams(window.location.search).get('display')

export const socket: AppSocket = io({
  ...(displayToken && { auth: { display: displayToken } }),
  transports: ['websocket', 'polling'],
  reconnectionDelay: 500,
  reconnectionDelayMax: 5000,
  autoConnect: false,
})

exposeForTests({ socket })

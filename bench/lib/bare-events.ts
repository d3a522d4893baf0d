/** The bare baseline's Socket.IO contract (bench/lib/bare-broadcast-server.ts), shared with the bench. */
export interface BareMessages {
  'bare:message': (msg: { sample: number }) => void
}

export interface BareRequests {
  /** The message to broadcast from now on (a captured real delta), acknowledged once stored. */
  'bare:payload': (payload: object, ack: () => void) => void
  /** Broadcast the payload, tagged with `sample`, to every other socket. */
  'bare:broadcast': (sample: number) => void
}

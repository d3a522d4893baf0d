import type { Socket } from 'socket.io'

/** Packets queued inside engine.io are counted at this notional size; ws reports its own bytes. */
const QUEUED_PACKET_BYTES = 1024

/**
 * Bytes a socket has not yet handed to the kernel. Socket.IO exposes no backpressure, so we read engine.io's
 * private write buffer and the ws transport's bufferedAmount; both are absent on other transports (treated as 0).
 */
export function bufferedBytes(socket: Socket): number {
  const conn = socket.conn as unknown as {
    writeBuffer?: unknown[]
    transport?: { socket?: { bufferedAmount?: number } }
  }
  return (conn.writeBuffer?.length ?? 0) * QUEUED_PACKET_BYTES + (conn.transport?.socket?.bufferedAmount ?? 0)
}

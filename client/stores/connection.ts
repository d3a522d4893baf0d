import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'
import { syncServerClock } from '../services/server-clock.js'
import { displayToken, socket } from '../services/socket.js'

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'error'

/** The socket's state for the status dot and banners; opening the connection is this store's job. */
export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('connecting')
  const lastError = ref<string | null>(null)
  /** This page is a wall opened through a display link (read-only, the link's scope). */
  const viaDisplayLink = displayToken !== null

  const onConnect = () => {
    state.value = 'connected'
    lastError.value = null
    // a restarted server may have resumed its simulated clock elsewhere: take its reading again
    void syncServerClock()
  }
  const onDisconnect = () => { state.value = 'disconnected' }
  const onError = (err: Error) => {
    state.value = socket.active ? 'disconnected' : 'error'
    lastError.value = err.message
  }

  function open(): void {
    socket.on('connect', onConnect)
    socket.on('disconnect', onDisconnect)
    socket.on('connect_error', onError)
    if (!socket.connected) socket.connect()
  }

  function close(): void {
    socket.off('connect', onConnect)
    socket.off('disconnect', onDisconnect)
    socket.off('connect_error', onError)
    socket.disconnect()
  }

  return { state, lastError, viaDisplayLink, open, close }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useConnectionStore, import.meta.hot))

/**
 * The raw mqtt.js subscriber in its own process (`fork`ed by bench/lib/mqtt-load.ts), so its receive times do not
 * wait behind the publishers' event loop. Told `{ target, tag }`, it answers `ready`; told `stop`, it answers the
 * `[messageId, receivedAtMs]` pairs it saw and exits.
 */
import { type MqttTarget, subscribeRaw } from './mqtt-load.js'

process.once('message', (msg: { target: MqttTarget, tag: string }) => {
  void subscribeRaw(msg.target, msg.tag).then((sub) => {
    process.send!('ready')
    process.once('message', () => {
      void sub.close().then(() => process.send!([...sub.received.entries()], () => process.exit(0)))
    })
  })
})

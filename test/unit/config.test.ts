import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../server/config.js'

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({ port: 3000, dataDir: './data', city: 'chengdu', simulator: { enabled: true, speed: 1 }, logLevel: 'info' })
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('parses the environment', () => {
    const c = loadConfig({ PORT: '8080', SIMULATOR: 'off', SIM_SEED: '7', SIM_SPEED: '60', LOG_LEVEL: 'warn', DATA_DIR: '/tmp/x' })
    expect(c).toMatchObject({ port: 8080, simulator: { enabled: false, seed: 7, speed: 60 }, logLevel: 'warn', dataDir: '/tmp/x' })
  })

  it('reads the base map settings (none by default: the offline style)', () => {
    expect(loadConfig({})).toMatchObject({ basemapStyleUrl: null, basemapPmtiles: null })
    expect(loadConfig({ BASEMAP_PMTILES: '/srv/chengdu.pmtiles', BASEMAP_STYLE_URL: 'https://tiles.example.gov.cn/style.json' }))
      .toMatchObject({ basemapPmtiles: '/srv/chengdu.pmtiles', basemapStyleUrl: 'https://tiles.example.gov.cn/style.json' })
    expect(() => loadConfig({ BASEMAP_PMTILES: '' })).toThrow(/BASEMAP_PMTILES/)
  })

  it('reads the MQTT settings: the embedded broker on 1883 by default, or an external broker', () => {
    expect(loadConfig({}).mqtt).toEqual({ enabled: true, port: 1883, host: '0.0.0.0', url: null, clientId: 'citybrain-chengdu' })
    expect(loadConfig({ MQTT_URL: 'mqtt://user:pw@127.0.0.1:1883', MQTT_CLIENT_ID: 'cb-1', MQTT_PORT: '0' }).mqtt)
      .toMatchObject({ url: 'mqtt://user:pw@127.0.0.1:1883', clientId: 'cb-1', port: 0 })
    expect(loadConfig({ MQTT: 'off' }).mqtt.enabled).toBe(false)
    expect(() => loadConfig({ MQTT_URL: 'http://broker' })).toThrow(/MQTT_URL/)
    expect(() => loadConfig({ MQTT_PORT: '70000' })).toThrow(/MQTT_PORT/)
  })

  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ SIM_SPEED: '-1' })).toThrow(/SIM_SPEED/)
  })
})

import type { Value } from './format.js'

/** How coordinates are taken and given; the discovery document says it, and docs/API.md repeats it. */
export const COORDINATES_NOTE = 'lat/long are WGS-84 in both directions, as GeoReport v2 requires. GCJ-02 (高德/腾讯) or BD-09 (百度) '
  + 'clients add coordinate_system=gcj02 or coordinate_system=bd09 to POST requests and the server converts; answers are always WGS-84. '
  + 'address_string alone cannot be located (no geocoder): send lat/long with it.'

/** The Service Discovery document (http://wiki.open311.org/Service_Discovery): one production GeoReport v2 endpoint. */
export function discoveryDocument(baseUrl: string, changeset: string): Value {
  return {
    changeset,
    contact: 'City operations centre (城市运行管理服务中心); API documentation: docs/API.md, section Open311',
    key_service: 'API keys for POST requests are issued by the city operations centre (server setting OPEN311_API_KEYS)',
    coordinates: COORDINATES_NOTE,
    endpoints: [{
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${baseUrl}/open311/v2`,
      changeset,
      type: 'production',
      formats: ['text/xml', 'application/json'],
    }],
  }
}

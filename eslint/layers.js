// The layers (issue #12), written once: which folder may not import which, as `no-restricted-imports` entries.
// docs/ARCHITECTURE.md "Layers" is this table in prose; test/unit/layers-lint.test.ts proves each rule fires.
//
// ESLint's flat config does not merge a rule's options across config objects (the last match wins), so every entry
// here carries its side's rules too (client never imports server, server never imports client) and the file globs
// of one side do not overlap — except the side-wide entry, which comes first and which each layer replaces.

/** A sibling folder of the importing file's side, reached by a relative path (`../realtime/…`, `../../http/…`). */
const folder = (...names) => `^(\\.\\./)+(${names.join('|')})/`
/** A client folder or file reached by a relative path (`./services/socket.js`, `../../stores/…`). */
const clientPath = (path) => `^\\.{1,2}/(\\.\\./)*${path}`

/** Domain services: they read and write through the store and are read by realtime and http. */
export const DOMAINS = ['workflow', 'alarms', 'greenway', 'campaigns', 'calendar', 'analysis', 'kpis', 'live-counts', 'auth', 'access', 'open311', 'load']
/** Folders of pure helpers (time, the city's geography at run time) that every layer may use. */
const LIBS = ['time']

const serverSide = [
  { group: ['**/client/**', 'vue', 'pinia', 'maplibre-gl', 'echarts', 'echarts/*'], message: 'server/ never imports client/' },
]
const expressOnlyInHttp = { group: ['express'], allowTypeImports: true, message: 'only server/http/ defines routes: express values (Router, express(), its middleware) only there or in the app wiring (a middleware elsewhere may use its types)' }
const socketIoOnlyInRealtime = { group: ['socket.io'], message: 'only server/realtime/ emits to sockets: socket.io only there or in the app wiring' }
const noHttp = { regex: folder('http'), message: 'only the http layer defines routes: import the domain service from http/, not http/ from here' }
const noRealtime = { regex: folder('realtime'), message: 'only the realtime layer emits to sockets: publish a domain event on the bus (server/events) instead of importing realtime/' }

const clientSide = [
  { group: ['**/server/**', 'express', 'better-sqlite3', 'socket.io', 'zod', '**/shared/schemas/incident*'], message: 'client/ never imports server/ (nor zod: validation is the server\'s, and it would bloat the bundle)' },
]

/** Each layer: its files and what it may not import (besides its side's rules). */
export const LAYERS = [
  {
    name: 'store', files: ['server/store/**/*.ts'],
    forbid: [
      { regex: folder(...DOMAINS, 'sources', 'ingest', 'events', 'realtime', 'http', 'seed', 'cli'), message: 'store/ is the bottom layer: domains, realtime and http read it, never the reverse (put a record type the store keeps in store/ or shared/)' },
      expressOnlyInHttp, socketIoOnlyInRealtime,
    ],
  },
  {
    name: 'ingest', files: ['server/ingest/**/*.ts'],
    forbid: [
      { regex: folder(...DOMAINS, 'sources', 'seed', 'cli'), message: 'ingest/ sits between the sources and the store: it imports the store, never a source or a domain service' },
      noRealtime, noHttp, expressOnlyInHttp, socketIoOnlyInRealtime,
    ],
  },
  {
    name: 'domain', files: DOMAINS.map(d => `server/${d}/**/*.ts`),
    forbid: [
      { regex: folder('sources', 'ingest', 'seed', 'cli'), message: 'a domain service never imports a source or ingest: they call it (or publish on the bus), not the reverse' },
      noRealtime, noHttp, expressOnlyInHttp, socketIoOnlyInRealtime,
    ],
  },
  {
    name: 'sources', files: ['server/sources/**/*.ts'],
    forbid: [noRealtime, noHttp, expressOnlyInHttp, socketIoOnlyInRealtime],
  },
  {
    name: 'bus', files: ['server/events/**/*.ts'],
    forbid: [noRealtime, noHttp, expressOnlyInHttp, socketIoOnlyInRealtime],
  },
  {
    name: 'realtime', files: ['server/realtime/**/*.ts'],
    forbid: [
      { regex: folder('store', 'sources', 'ingest', 'seed', 'cli'), message: 'realtime/ gets its data through domain services or the bus, never from the store (or a source) directly' },
      noHttp, expressOnlyInHttp,
    ],
  },
  {
    name: 'http', files: ['server/http/**/*.ts'],
    forbid: [
      { regex: folder('realtime', 'seed', 'cli'), message: 'http/ calls domain services; it never emits to sockets (that is realtime/, fed by the bus)' },
      socketIoOnlyInRealtime,
    ],
  },
  {
    name: 'lib', files: [...LIBS.map(l => `server/${l}/**/*.ts`), 'server/geo/*.ts'],
    forbid: [
      { regex: folder(...DOMAINS, 'store', 'sources', 'ingest', 'events', 'realtime', 'http', 'seed', 'cli', 'geo', ...LIBS), message: 'a lib folder (time/, geo/) is pure: it imports only shared/ and its own files' },
      expressOnlyInHttp, socketIoOnlyInRealtime,
    ],
  },
  {
    name: 'tools', files: ['server/seed/**/*.ts', 'server/cli/**/*.ts', 'server/geo/build/**/*.ts'],
    forbid: [noRealtime, noHttp, expressOnlyInHttp, socketIoOnlyInRealtime],
  },
  // the wiring (server/app.ts, server/index.ts, server/dev.ts, server/wiring/) and the root's config, clock and log: the
  // side's rules only

  {
    name: 'client views and components', files: ['client/views/**/*.{ts,vue}', 'client/components/**/*.{ts,vue}', 'client/App.vue'],
    forbid: [
      { regex: clientPath('services/(socket|api)(\\.[jt]s)?$'), message: 'components and views reach data through Pinia stores (client/stores/), never the socket or API service' },
    ],
  },
  {
    name: 'client stores', files: ['client/stores/**/*.ts'],
    forbid: [{ regex: clientPath('(components|views)/'), message: 'stores never import components or views (views/components → stores → services)' }],
  },
  {
    name: 'client services', files: ['client/services/**/*.ts'],
    forbid: [{ regex: clientPath('(stores|components|views|composables)/'), message: 'services are the bottom of the client: stores call them, never the reverse' }],
  },
]

const sideOf = (layer) => (layer.files[0].startsWith('client/') ? clientSide : serverSide)
const rule = (patterns) => ['error', { patterns }]

/** Flat-config entries: the two sides first, then one entry per layer (its side's rules and its own). */
export function layerConfigs() {
  return [
    { files: ['shared/**/*.ts'], rules: { 'no-restricted-imports': rule([{ group: ['**/server/**', '**/client/**', 'express', 'socket.io', 'better-sqlite3', 'vue', 'pinia'], message: 'shared/ imports neither side' }]) } },
    { files: ['client/**/*.{ts,vue}'], rules: { 'no-restricted-imports': rule(clientSide) } },
    { files: ['server/**/*.ts'], rules: { 'no-restricted-imports': rule([...serverSide, expressOnlyInHttp, socketIoOnlyInRealtime]) } },
    { files: ['server/*.ts', 'server/wiring/**/*.ts'], rules: { 'no-restricted-imports': rule(serverSide) } },
    ...LAYERS.map(layer => ({ name: `layers/${layer.name}`, files: layer.files, rules: { 'no-restricted-imports': rule([...sideOf(layer), ...layer.forbid]) } })),
  ]
}

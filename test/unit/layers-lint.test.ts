import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

// The layer rules (eslint/layers.js) fire on a wrong-way import and stay quiet on a right-way one. Each case is
// linted as text under a path inside its layer, through the project's own eslint.config.js, so no fixture file sits
// in the real tree. Only the import rule runs: type-aware parsing is not needed for it, and is slow.
const root = fileURLToPath(new URL('../..', import.meta.url))
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
})

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map(m => `${m.ruleId ?? '(parse)'}: ${m.message}`)
}

const vue = (script: string) => `<script setup lang="ts">\n${script}\n</script>\n\n<template><p /></template>\n`

const wrongWay: { name: string, file: string, code: string, message: RegExp }[] = [
  { name: 'store → realtime', file: 'server/store/sqlite/x.ts', code: "import type { IoServer } from '../../realtime/types.js'\n", message: /store\/ is the bottom layer/ },
  { name: 'store → a domain', file: 'server/store/x.ts', code: "import type { AlarmService } from '../alarms/alarm-service.js'\n", message: /store\/ is the bottom layer/ },
  { name: 'domain → http', file: 'server/workflow/x.ts', code: "import { sendError } from '../http/errors.js'\n", message: /only the http layer defines routes/ },
  { name: 'domain → realtime', file: 'server/alarms/x.ts', code: "import type { IoServer } from '../realtime/types.js'\n", message: /only the realtime layer emits to sockets/ },
  { name: 'domain → source', file: 'server/kpis/x.ts', code: "import { DueQueue } from '../sources/simulator/x.js'\n", message: /a domain service never imports a source/ },
  { name: 'ingest → domain', file: 'server/ingest/x.ts', code: "import { x } from '../auth/x.js'\n", message: /ingest\/ sits between the sources and the store/ },
  { name: 'source → http', file: 'server/sources/x.ts', code: "import { sourcesRouter } from '../http/sources-router.js'\n", message: /only the http layer defines routes/ },
  { name: 'realtime → store', file: 'server/realtime/x.ts', code: "import type { IncidentRepository } from '../store/repository.js'\n", message: /realtime\/ gets its data through domain services or the bus/ },
  { name: 'http → realtime', file: 'server/http/x.ts', code: "import type { IoServer } from '../realtime/types.js'\n", message: /http\/ calls domain services; it never emits to sockets/ },
  { name: 'lib → a domain', file: 'server/time/x.ts', code: "import { x } from '../workflow/x.js'\n", message: /a lib folder .* is pure/ },
  { name: 'express Router outside http', file: 'server/campaigns/x.ts', code: "import { Router } from 'express'\n", message: /only server\/http\/ defines routes: express values/ },
  { name: 'socket.io outside realtime', file: 'server/greenway/x.ts', code: "import type { Server } from 'socket.io'\n", message: /only server\/realtime\/ emits to sockets: socket.io/ },
  { name: 'server → client', file: 'server/http/x.ts', code: "import { x } from '../../client/x.js'\n", message: /server\/ never imports client\// },
  { name: 'component → socket service', file: 'client/components/map/X.vue', code: vue("import { socket } from '../../services/socket.js'"), message: /components and views reach data through Pinia stores/ },
  { name: 'view → API service', file: 'client/views/X.vue', code: vue("import { getJson } from '../services/api.js'"), message: /components and views reach data through Pinia stores/ },
  { name: 'store → component', file: 'client/stores/x.ts', code: "import X from '../components/map/CityMap.vue'\n", message: /stores never import components or views/ },
  { name: 'service → store', file: 'client/services/x.ts', code: "import { useLiveStore } from '../stores/live.js'\n", message: /services are the bottom of the client/ },
  { name: 'client → server', file: 'client/stores/x.ts', code: "import { x } from '../../server/x.js'\n", message: /client\/ never imports server\// },
]

describe('layer rules (ESLint)', () => {
  // loading the config and its plugins takes seconds on a loaded machine: once, before the cases
  beforeAll(() => eslint.calculateConfigForFile('server/app.ts'), 60_000)

  it.each(wrongWay)('fails a wrong-way import: $name', async ({ file, code, message }) => {
    const errors = await importErrors(file, code)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^no-restricted-imports: /)
    expect(errors[0]).toMatch(message)
  })

  it('passes right-way imports in every layer', async () => {
    const rightWay: [string, string][] = [
      ['server/realtime/x.ts', "import type { AlarmService } from '../alarms/alarm-service.js'\nimport type { Server } from 'socket.io'\n"],
      ['server/http/x.ts', "import { Router } from 'express'\nimport type { CaseService } from '../workflow/case-service.js'\nimport type { IncidentRepository } from '../store/repository.js'\n"],
      ['server/workflow/x.ts', "import type { IncidentRepository } from '../store/repository.js'\nimport type { WorkingCalendar } from '../calendar/working-calendar.js'\nimport type { RequestHandler } from 'express'\n"],
      ['server/ingest/x.ts', "import type { IncidentRepository } from '../store/repository.js'\nimport type { CityGeo } from '../geo/city-geo.js'\n"],
      ['server/sources/x.ts', "import type { IngestFn } from '../ingest/ingest-service.js'\nimport type { AlarmService } from '../alarms/alarm-service.js'\n"],
      ['server/store/x.ts', "import type { Incident } from '../../shared/incident.js'\nimport { DueQueue } from '../time/due-queue.js'\n"],
      ['server/app.ts', "import express from 'express'\nimport { Server } from 'socket.io'\nimport { x } from './realtime/x.js'\nimport { y } from './http/y.js'\n"],
      ['client/components/map/X.vue', vue("import { useLiveStore } from '../../stores/live.js'\nimport { serverNow } from '../../services/server-clock.js'")],
      ['client/stores/x.ts', "import { socket } from '../services/socket.js'\nimport { getJson } from '../services/api.js'\n"],
    ]
    for (const [file, code] of rightWay) expect(await importErrors(file, code), file).toEqual([])
  })
})

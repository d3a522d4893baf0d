import type { RequestHandler } from 'express'
import { actorName } from '../../shared/access.js'
import type { Audit } from './audit.js'
import { principal } from './authenticate.js'

/**
 * State changes that keep no trail of their own (unlike case actions and alarm acknowledgements) get an access-audit
 * row naming who made them, written once the change succeeded (2xx). Keyed by method and path under /api/v1.
 */
const AUDITED: Readonly<Record<string, string>> = {
  'POST /campaigns': 'campaign.create',
  'POST /greenway/events': 'greenway.change',
  'POST /greenway/reload': 'greenway.reload',
  'POST /calendar/reload': 'calendar.reload',
}

export function auditActs(audit: Audit): RequestHandler {
  return (req, res, next) => {
    const action = AUDITED[`${req.method} ${req.path.replace(/\/+$/, '')}`]
    if (!action) return next()
    let target: string | null = null
    const json = res.json.bind(res)
    res.json = (body: unknown) => {
      // the id of what was made (a campaign), if the answer names one
      const id = (body as { campaign?: { id?: unknown }, id?: unknown } | null)?.campaign?.id ?? (body as { id?: unknown } | null)?.id
      if (typeof id === 'string') target = id
      return json(body)
    }
    res.on('finish', () => {
      if (res.statusCode < 200 || res.statusCode >= 300) return
      const detail = action === 'greenway.change' && Array.isArray((req.body as { events?: unknown[] })?.events) ? { events: (req.body as { events: unknown[] }).events.length } : null
      void audit.record({ action, actor: actorName(principal(res)), target, ip: req.ip ?? null, detail })
    })
    next()
  }
}

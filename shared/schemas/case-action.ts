import { z } from 'zod'
import { CASE_ACTIONS, REASON_REQUIRED } from '../workflow/transitions.js'
import { textSchema } from './text.js'

/**
 * A workflow action as an operator (or the simulator playing a department) sends it. `version` is the case version
 * the sender saw: a stale one is refused (optimistic concurrency). Until users arrive, `actor` names who acts.
 */
export const caseActionSchema = z.object({
  action: z.enum(CASE_ACTIONS),
  version: z.number().int().min(1),
  actor: textSchema(64).pipe(z.string().trim().min(1)),
  note: textSchema(500).optional(),
  reason: textSchema(500).pipe(z.string().trim().min(1)).optional(),
  department: textSchema(64).pipe(z.string().trim().min(1)).optional(),
  deadline: z.iso.datetime({ offset: true }).optional(),
  /** merge: the case this report repeats (defaults to the proposed one). */
  into: z.string().trim().min(1).max(128).optional(),
  /** feedback: did the citizen find the outcome satisfactory? */
  satisfied: z.boolean().optional(),
  /** self-handle: what the grid worker did on the spot (自行处置 evidence), and optionally a photo of the result. */
  evidence: textSchema(500).pipe(z.string().trim().min(1)).optional(),
  photoUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  /** dispatch: departments assisting the lead one (协办); default: the category's. */
  assisting: z.array(textSchema(64).pipe(z.string().trim().min(1))).max(5).optional(),
}).strict().superRefine((a, ctx) => {
  if (REASON_REQUIRED.includes(a.action) && !a.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: `reason: required for ${a.action}` })
  if ((a.action === 'postpone' || a.action === 'request-postpone') && !a.deadline) ctx.addIssue({ code: 'custom', path: ['deadline'], message: `deadline: a new deadline is required for ${a.action}` })
  if (a.action === 'self-handle' && !a.evidence) ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'evidence: required for self-handle (what was done on the spot)' })
  if (a.photoUrl !== undefined && a.action !== 'self-handle') ctx.addIssue({ code: 'custom', path: ['photoUrl'], message: 'photoUrl: only for self-handle' })
  if (a.assisting !== undefined && a.action !== 'dispatch') ctx.addIssue({ code: 'custom', path: ['assisting'], message: 'assisting: only for dispatch' })
  if (a.action === 'feedback' && a.satisfied === undefined) ctx.addIssue({ code: 'custom', path: ['satisfied'], message: 'satisfied: required for feedback (true or false)' })
})
export type CaseActionInput = z.infer<typeof caseActionSchema>

import type zhCN from './zh-CN.js'

const en: typeof zhCN = {
  app: { title: 'City Brain', subtitle: 'Smart Governance Centre', language: '中文', languageCode: '中' },
  nav: { wall: 'Wall', ops: 'Operations', analysis: 'Analysis' },
  connection: { connected: 'Live', connecting: 'Connecting…', disconnected: 'Disconnected, reconnecting…', error: 'Cannot reach the server' },
  common: { loading: 'Loading…', empty: 'No data', noIncidents: 'No incidents yet', retry: 'Retry', all: 'All', city: 'City', updatedAt: 'Data as of {time}' },
  kpi: { closureRate: 'Closure rate', onTimeClosureRate: 'On-time closure', satisfactionRate: 'Satisfaction', window: 'last {n} days', today: 'Cases today', open: 'Open cases', critical: 'Critical today', hotline: '12345 today', districts: 'Districts', population: 'Residents' },
  chart: { byCategory: 'Top 10 categories', byStatus: 'Status', byHour: 'Reports, last 24 h', byUnit: 'Cases by district', byStreet: 'Cases by street', bySource: 'Channels' },
  incident: { latest: 'Latest cases', live: 'Live incidents', count: '{n} shown', newArrivals: '{n} new', showNew: 'Show', severity: 'Severity', status: 'Status', source: 'Channel', time: 'Time', place: 'Place', category: 'Category' },
  severity: { low: 'Low', normal: 'Normal', high: 'High', critical: 'Critical' },
  status: { reported: 'Reported', filed: 'Filed', rejected: 'Rejected', dispatched: 'Dispatched', handled: 'Handled', verified: 'Verified', closed: 'Closed', postponed: 'Postponed', merged: 'Merged' },
  source: { grid_worker: 'Grid worker', hotline_12345: '12345 hotline', citizen_app: 'Citizen app', iot_sensor: 'IoT sensor', video_ai: 'Video AI' },
  analysis: { scope: 'Scope', allCity: 'Whole city', note: 'Drill-down (street › community › grid cell) arrives in a later release.' },
  case: { title: 'Case', close: 'Close', reporter: 'Reporter', department: 'Department', deadline: 'Deadline', left: 'left', overdue: 'Overdue', near: 'Due soon', timeline: 'History', noEvents: 'No actions yet', reason: 'Reason', confirm: 'Confirm', cancel: 'Cancel', shortcut: 'Shortcut', version: 'Version', rework: 'Reworked {n}×', by: '{actor}', reminders: 'Reminded {n}×', escalated: 'Escalated', duplicateOf: 'Possible duplicate of case {id}', merge: 'Merge', notDuplicate: 'Not a duplicate', mergedInto: 'Merged into case {id}', mergedReports: 'Merged reports ({n})', feedback: 'Citizen feedback', satisfied: 'Satisfied', unsatisfied: 'Not satisfied' },
  action: { file: 'File', reject: 'Reject', dispatch: 'Dispatch', handle: 'Handled', 'verify-pass': 'Verified', 'verify-fail': 'Verification failed', postpone: 'Postpone', close: 'Close case', comment: 'Comment', remind: 'Remind', escalate: 'Escalate', merge: 'Merge', 'dismiss-duplicate': 'Not a duplicate', feedback: 'Feedback', 'propose-duplicate': 'Possible duplicate' },
  alarm: { kind: { critical: 'Critical', overdue: 'Overdue', burst: 'Burst' }, locate: 'Locate', ack: 'Acknowledge', unacked: '{n} unacknowledged', mute: 'Mute', unmute: 'Unmute', burstCount: '{n} reports' },
  queue: { title: 'Case queue', search: 'Search id or description', filters: 'Filters', district: 'District', street: 'Street', flag: 'Deadline', clear: 'Clear filters', count: '{shown} of {total}', empty: 'No case matches', flags: { near: 'Due soon', overdue: 'Overdue', duplicate: 'Possible duplicate' } },
  league: { title: 'Department league', byDepartment: 'By department', byStreet: 'By street', unit: 'Unit', onTime: 'On-time rate', open: 'Open', overdue: 'Overdue', reminders: 'Reminders', escalated: 'Escalated', empty: 'No dispatched cases yet', days: 'last {n} days' },
  wall: { scenes: 'Scenes', scene: { overview: 'Overview', incidents: 'Incidents', greenway: 'Greenway', coverage: '15-min circle' }, linkRefused: 'This display link is invalid or was revoked; ask an administrator for a new one' },
  map: { restoring: 'Restoring the map…', failed: 'Map failed to load: {reason}', loading: 'Loading map…', legend: 'Severity' },
}
export default en

/** Colours of the dark theme, shared by charts and map so a severity or status looks the same everywhere. */
export const THEME = {
  text: '#c9d7ea',
  muted: '#7f93ad',
  grid: 'rgba(127,147,173,0.18)',
  accent: '#3fb6ff',
  accent2: '#35e0c5',
  palette: ['#3fb6ff', '#35e0c5', '#f5c451', '#ff8a4c', '#b78cff', '#5ad17a', '#ff6b8b', '#7fa6ff', '#e0e36b', '#4fd6ff'],
}

export const SEVERITY_COLOURS: Record<string, string> = {
  low: '#5ad17a',
  normal: '#3fb6ff',
  high: '#f5a623',
  critical: '#ff3b5c',
}

export const STATUS_COLOURS: Record<string, string> = {
  reported: '#3fb6ff', filed: '#7fa6ff', rejected: '#7f93ad', dispatched: '#f5c451',
  handled: '#35e0c5', verified: '#5ad17a', closed: '#2e9d5b', postponed: '#b78cff', merged: '#56657a',
}

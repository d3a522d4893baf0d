// The drill-down's extra ECharts parts (heatmap, funnel, continuous visual map, save-as-image toolbox), registered on
// the same tree-shaken core as client/charts/echarts.ts. Imported by the /analysis route's chunk only, so the
// wall does not load them (bench/wall-bundle.ts).
import { FunnelChart, HeatmapChart } from 'echarts/charts'
import { ToolboxComponent, VisualMapContinuousComponent } from 'echarts/components'
import { exposeForTests } from '../test-hooks.js'
import { echarts } from './echarts.js'

echarts.use([FunnelChart, HeatmapChart, ToolboxComponent, VisualMapContinuousComponent])

export { echarts }

exposeForTests({ echarts })

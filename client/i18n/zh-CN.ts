export default {
  app: { title: '城市大脑', subtitle: '智慧治理中心', language: 'English', languageCode: 'EN' },
  nav: { wall: '大屏', ops: '指挥', analysis: '分析' },
  connection: { connected: '实时连接', connecting: '连接中…', disconnected: '连接已断开，正在重连…', error: '无法连接服务器' },
  common: { loading: '加载中…', empty: '暂无数据', noIncidents: '暂无事件', retry: '重试', all: '全部', city: '全市', updatedAt: '数据更新于 {time}' },
  kpi: { today: '今日事件', open: '在办案件', critical: '今日紧急', hotline: '今日12345', districts: '区（市）县', population: '常住人口' },
  chart: { byCategory: '事件类别 TOP10', byStatus: '办理状态', byHour: '近24小时上报', byUnit: '各区（市）县事件', byStreet: '各街道（镇）事件', bySource: '上报渠道' },
  incident: { latest: '最新事件', live: '实时事件', count: '共 {n} 条', newArrivals: '{n} 条新事件', showNew: '显示', severity: '等级', status: '状态', source: '渠道', time: '时间', place: '地点', category: '类别' },
  severity: { low: '一般', normal: '普通', high: '较大', critical: '紧急' },
  status: { reported: '已上报', filed: '已立案', rejected: '不予立案', dispatched: '已派遣', handled: '已处置', verified: '已核查', closed: '已结案', postponed: '缓办' },
  source: { grid_worker: '网格员', hotline_12345: '12345热线', citizen_app: '市民APP', iot_sensor: '物联感知', video_ai: '视频AI' },
  analysis: { scope: '范围', allCity: '全市', note: '下钻分析（街道 › 社区 › 网格）将在后续版本提供。' },
  map: { failed: '地图加载失败：{reason}', loading: '地图加载中…', legend: '事件等级' },
}

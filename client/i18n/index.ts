import { createI18n } from 'vue-i18n'
import en from './en.js'
import zhCN from './zh-CN.js'

export type Locale = 'zh-CN' | 'en'
const STORAGE_KEY = 'citybrain.locale'

function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY)
  return saved === 'en' ? 'en' : 'zh-CN'
}

/** Chinese by default; the English switch is remembered per browser. */
export const i18n = createI18n({ legacy: false, locale: initialLocale(), fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en } })

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}

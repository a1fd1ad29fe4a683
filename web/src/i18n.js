// Language selection: zh-CN by default, English on request; the choice is kept in
// localStorage and also switches Element Plus's own texts.
import { createI18n } from 'vue-i18n'
import { ref } from 'vue'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'
import elementZhCn from 'element-plus/es/locale/lang/zh-cn'
import elementEn from 'element-plus/es/locale/lang/en'

const STORAGE_KEY = 'fupin.locale'
export const LOCALES = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
]

function initialLocale() {
  const saved = localStorage.getItem(STORAGE_KEY)
  return LOCALES.some((l) => l.code === saved) ? saved : 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export const elementLocale = ref(i18n.global.locale.value === 'en' ? elementEn : elementZhCn)

export function setLocale(code) {
  i18n.global.locale.value = code
  elementLocale.value = code === 'en' ? elementEn : elementZhCn
  localStorage.setItem(STORAGE_KEY, code)
  document.documentElement.lang = code
}

document.documentElement.lang = i18n.global.locale.value

// The server's Chinese rendering of one of its English texts (reason_zh, message_zh) when the
// interface is in Chinese and the server gave one; the English otherwise.
export function localized(english, chinese) {
  return i18n.global.locale.value !== 'en' && chinese ? chinese : english
}

// Texts a questionnaire stores in both languages at once (the five satisfaction levels, the
// question written for a leaf, the default name), taken from the locale files whichever
// language the interface is in.
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'

const MESSAGES = { 'zh-CN': zhCN, en }
const LEVELS = ['veryGood', 'good', 'fair', 'bad', 'veryBad']

function format(text, values) {
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m))
}

// The five levels best first, in Chinese and in English.
export function presetLabels() {
  return {
    zh: LEVELS.map((k) => zhCN.survey.preset[k]),
    en: LEVELS.map((k) => en.survey.preset[k]),
  }
}

// The question asked about a leaf ("您对{name}是否满意？") in `locale`.
export function presetQuestionText(locale, name) {
  return format(MESSAGES[locale].survey.preset.question, { name })
}

// A questionnaire's default name in `locale`.
export function defaultSurveyName(locale, period, system) {
  return format(MESSAGES[locale].survey.create.defaultName, { period, system })
}

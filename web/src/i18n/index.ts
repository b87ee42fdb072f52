/** i18next with Arabic as the default language and English beside it; every UI string lives in ar.json/en.json. */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { loadSettings } from '../lib/settings';
import ar from './ar.json';
import en from './en.json';

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { ar: { translation: ar }, en: { translation: en } },
  lng: loadSettings().language,
  fallbackLng: 'ar',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

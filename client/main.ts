import { createPinia } from 'pinia'
import { createApp, watchEffect } from 'vue'
import App from './App.vue'
import { i18n } from './i18n/index.js'
import { motion } from './motion.js'
import { router } from './router.js'
import { syncServerClock } from './services/server-clock.js'
import { exposeForTests } from './test-hooks.js'
import './styles/base.css'

// calm motion stills the CSS animations too (styles/base.css)
watchEffect(() => document.documentElement.classList.toggle('motion-calm', motion.value === 'calm'))

// the server's clock (simulated at SIM_SPEED) before the first countdown, without holding the first paint
void syncServerClock()
createApp(App).use(createPinia()).use(router).use(i18n).mount('#app')
exposeForTests({ router })

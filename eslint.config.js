// ESLint flat config: typescript-eslint with the type-aware rules STYLE.md asks for, Vue SFCs, and import
// boundaries that keep the one-way flow checkable: shared imports neither side, client never imports server, and the
// layers of each side (eslint/layers.js, one table; docs/ARCHITECTURE.md "Layers").
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { layerConfigs } from './eslint/layers.js'

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', '.cache/**', 'node_modules/**', 'test-results/**', 'server/geo/data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.{ts,vue}'],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        parser: tseslint.parser,
        projectService: true,
        extraFileExtensions: ['.vue'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'eqeqeq': ['error', 'always'],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  ...layerConfigs(),
  // escaping by construction (issue #14): no v-html, no HTML sinks, no HTML in string literals; the one place that
  // builds HTML from text (ECharts tooltips) is client/text/html.ts, which escapes every piece
  { files: ['client/**/*.{ts,vue}'], ignores: ['client/text/html.ts'], rules: {
    'vue/no-v-html': 'error',
    'no-restricted-syntax': ['error',
      { selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML|insertAdjacentHTML|setHTML|srcdoc)$/]', message: 'HTML sink: build DOM with textContent / setDOMContent, or text through client/text/html.ts' },
      { selector: 'CallExpression[callee.property.name=/^(write|writeln)$/][callee.object.name="document"]', message: 'document.write: never' },
      { selector: 'TemplateElement[value.raw=/<\\/?[a-zA-Z]/]', message: 'HTML in a template literal: return text, or build it with client/text/html.ts (escapes each piece)' },
      { selector: 'Literal[value=/<\\/?[a-zA-Z][^>]*>/]', message: 'HTML in a string literal: return text, or build it with client/text/html.ts (escapes each piece)' },
    ],
  } },
  { files: ['**/*.js'], languageOptions: { globals: globals.node } },
)

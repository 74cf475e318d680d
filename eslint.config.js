// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { LAYERS, assertLayerMap, layersPlugin } from './eslint-layers.js';

// Layers import only what the layer map allows (eslint-layers.js, docs/architecture.md §Layers).
// A folder of src/ missing from the map stops lint here.
assertLayerMap();

/** Third-party packages only one layer may use. */
const packageOwners = [
  {
    packages: ['serialport', '@serialport/bindings-*'],
    owners: ['src/transport'],
    message: 'Only src/transport imports serialport.',
  },
  {
    packages: ['mqtt', 'aedes'],
    owners: ['src/bridge', 'src/display', 'src/cli', 'bench'],
    message: 'Only src/bridge (and the browser display, the CLI and the MQTT benchmarks) import mqtt.',
  },
];

const layerRules = LAYERS.map(({ layer }) => {
  const patterns = packageOwners
    .filter(({ owners }) => !owners.includes(layer))
    .map(({ packages, message }) => ({ group: packages, message }));
  return {
    files: [`${layer}/**/*.ts`],
    // A nested layer (src/control/realtime) gets its own entry; keep it out of its parent's.
    ignores: LAYERS.filter((l) => l.layer.startsWith(`${layer}/`)).map((l) => `${l.layer}/**`),
    plugins: { layers: layersPlugin },
    rules: {
      'layers/import-only-downward': 'error',
      ...(patterns.length > 0 ? { 'no-restricted-imports': ['error', { patterns }] } : {}),
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**', '.tap/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // One clock (docs/architecture.md §Time): no wall time or global timers outside src/time.
    files: ['src/**/*.ts', 'firmware-sim/**/*.ts'],
    ignores: ['src/time/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use the injected Clock.' },
        { name: 'setInterval', message: 'Use the injected Clock.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the injected Clock.' },
        { object: 'Math', property: 'random', message: 'Use a seeded PRNG.' },
        { object: 'performance', property: 'now', message: 'Use the injected Clock.' },
      ],
    },
  },
  ...layerRules,
  {
    // The tactical display's browser code: wall time signs commands (docs/mqtt.md §Signing) and
    // performance.now/requestAnimationFrame pace drawing; the node's Clock does not exist there.
    files: ['src/display/web/**/*.ts'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        performance: 'readonly',
        requestAnimationFrame: 'readonly',
        crypto: 'readonly',
        fetch: 'readonly',
        location: 'readonly',
        btoa: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        URLSearchParams: 'readonly',
      },
    },
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use crypto.getRandomValues.' },
      ],
    },
  },
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layers import only downward (DESIGN.md §1). Each entry: folder → folders of ours it must not
 * import. `cli/` is the composition root and may import everything.
 */
const forbidden = {
  // Neutral helpers any layer may use (canonical JSON, a seeded PRNG): they import none of ours.
  'src/common': [
    'time',
    'transport',
    'framing',
    'protocol',
    'devices',
    'control',
    'session',
    'bridge',
    'record',
    'config',
    'conformance',
    'proxy',
    'display',
    'cli',
  ],
  'src/time': ['transport', 'framing', 'protocol', 'devices', 'control', 'bridge', 'record', 'config', 'cli'],
  'src/transport': ['framing', 'protocol', 'devices', 'control', 'bridge', 'record', 'config', 'cli'],
  'src/framing': ['transport', 'protocol', 'devices', 'control', 'bridge', 'record', 'config', 'cli'],
  'src/protocol': ['transport', 'devices', 'control', 'bridge', 'record', 'config', 'cli'],
  'src/devices': ['control', 'bridge', 'record', 'config', 'cli'],
  'src/control': ['transport', 'framing', 'devices', 'bridge', 'record', 'config', 'cli'],
  'src/bridge': ['record', 'cli'],
  'src/record': ['bridge', 'cli'],
  'src/config': ['transport', 'framing', 'protocol', 'devices', 'control', 'bridge', 'record', 'cli'],
  // Captures, the dissector and the exports read the wire and the recordings, never drive them.
  'src/capture': ['devices', 'control', 'session', 'bridge', 'record', 'config', 'export', 'wireshark', 'cli'],
  'src/wireshark': ['transport', 'devices', 'control', 'session', 'bridge', 'record', 'config', 'export', 'cli'],
  'src/export': ['transport', 'devices', 'control', 'session', 'config', 'wireshark', 'cli'],
};

const layerRules = Object.entries(forbidden).map(([folder, banned]) => ({
  files: [`${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: banned.flatMap((layer) => [`../${layer}/*`, `../../${layer}/*`, `../${layer}`, `../../${layer}`]),
            message: 'Layers import only downward (DESIGN.md §1).',
          },
          ...(folder === 'src/transport'
            ? []
            : [{ group: ['serialport', '@serialport/bindings-*'], message: 'Only src/transport imports serialport.' }]),
          ...(folder === 'src/bridge' || folder === 'src/cli'
            ? []
            : [{ group: ['mqtt', 'aedes'], message: 'Only src/bridge imports mqtt.' }]),
        ],
      },
    ],
  },
}));

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
    // One clock (DESIGN.md §3): no wall time or global timers outside src/time.
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
  {
    files: ['firmware-sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../src/devices/*',
                '../src/control/*',
                '../../src/devices/*',
                '../../src/control/*',
                '../src/bridge/*',
                '../../src/bridge/*',
              ],
              message: 'The simulator must not share host logic (DESIGN.md §1).',
            },
          ],
        },
      ],
    },
  },
);

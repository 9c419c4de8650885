/*
 * Webpack config for the browser harness (browser-test/harness/), used by browser-test/run.js.
 *
 * It takes the module rules (swc, css, assets) and resolve settings from the plugin's own
 * scaffolded config (.config/webpack/webpack.config.ts), so the harness compiles the
 * components exactly as the plugin build does. What differs:
 * - nothing is external: react, @grafana/data, @grafana/ui … are bundled, since no Grafana
 *   provides them;
 * - @grafana/runtime is aliased to harness/runtime-stub.ts;
 * - @grafana/ui's font faces are left out (harness/no-fonts.ts): the font files come with
 *   Grafana, not with the npm package;
 * - one plain script, no AMD library, no plugin.json/README copying.
 */
const path = require('path');
const webpack = require('webpack');

const ROOT = path.resolve(__dirname, '..');

/** The scaffold's config, loaded as the npm build script does (ts-node, CommonJS). */
async function scaffoldConfig() {
  require('ts-node').register({
    transpileOnly: true,
    compilerOptions: { module: 'commonjs', moduleResolution: 'node' },
  });
  const { default: config } = require(path.join(ROOT, '.config/webpack/webpack.config.ts'));
  // The scaffold resolves paths against the working directory.
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    return await config({ production: true });
  } finally {
    process.chdir(cwd);
  }
}

/** @returns {Promise<import('webpack').Configuration>} */
async function harnessConfig({ outDir }) {
  const base = await scaffoldConfig();
  // The imports-loader rule only injects Grafana's public path into src/module.ts, which
  // the harness does not load.
  const rules = base.module.rules.filter((rule) => !JSON.stringify(rule.use ?? '').includes('imports-loader'));

  return {
    // Development React: its warnings (keys, props, hooks) reach the console, where the test fails on them.
    mode: 'development',
    context: ROOT,
    entry: { harness: path.join(__dirname, 'harness', 'index.tsx') },
    // Page errors are reported with bundle positions either way; no source maps keeps the build quick.
    devtool: false,
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(ROOT, 'node_modules', '.cache', 'signinlens-browser-test'),
      buildDependencies: { config: [__filename, path.join(ROOT, '.config/webpack/webpack.config.ts')] },
    },
    module: { rules },
    resolve: {
      ...base.resolve,
      alias: { '@grafana/runtime$': path.join(__dirname, 'harness', 'runtime-stub.ts') },
    },
    // Only what the harness uses: @grafana/ui and @grafana/plugin-ui are large and side-effect free.
    optimization: { usedExports: true, sideEffects: true, providedExports: true },
    output: {
      path: outDir,
      filename: '[name].js',
      chunkFilename: '[name].chunk.js',
      publicPath: '/',
      clean: true,
    },
    plugins: [
      new webpack.NormalModuleReplacementPlugin(
        /@grafana[\\/]ui[\\/].*[\\/]GlobalStyles[\\/]fonts\.mjs$/,
        path.join(__dirname, 'harness', 'no-fonts.ts')
      ),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
}

module.exports = { harnessConfig };

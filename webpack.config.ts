/*
 * SignInLens's additions to the scaffolded webpack config (.config/webpack/webpack.config.ts,
 * which is not edited: https://grafana.com/developers/plugin-tools/how-to-guides/extend-configurations#extend-the-webpack-config).
 *
 * plugin.json lives at the repository root, where the Go build reads it (Magefile.go sets
 * PluginJSONPath to "."); src/plugin.json is a symlink to it, so the scaffold's config finds
 * it where it looks (the entry, the plugin id, the copy to dist/, logos and screenshots).
 *
 * Added here:
 * - the dashboards plugin.json includes (dashboards/*.json at the repository root) are copied
 *   to dist/dashboards/;
 * - webpack's size hints leave out img/ (logo, catalog screenshots): Grafana shows those on
 *   the plugin's page, the browser never loads them with module.js.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);

  return merge(baseConfig, {
    cache: {
      type: 'filesystem',
      buildDependencies: {
        config: [path.resolve(process.cwd(), 'webpack.config.ts')],
      },
    },
    performance: {
      assetFilter: (asset: string) => !asset.endsWith('.map') && !asset.startsWith('img/'),
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [{ from: path.resolve(process.cwd(), 'dashboards'), to: 'dashboards' }],
      }),
    ],
  });
};

export default config;

import { PLUGIN_JSON_PATH } from './constants.ts';
import { getPluginJson, hasReadme } from './utils.ts';

const pluginJson = getPluginJson();
const logoPaths: string[] = Array.from(new Set([pluginJson.info?.logos?.large, pluginJson.info?.logos?.small])).filter(
  Boolean
);
const screenshotPaths: string[] = pluginJson.info?.screenshots?.map((s: { path: string }) => s.path) || [];

export const copyFilePatterns = [
  // If src/README.md exists use it; otherwise the root README
  // To `compiler.options.output`
  { from: hasReadme() ? 'README.md' : '../README.md', to: '.', force: true, noErrorOnMissing: true },
  // plugin.json is taken from the repository root (paths here are relative to src/).
  { from: `../${PLUGIN_JSON_PATH}`, to: '.' },
  { from: '../LICENSE', to: '.', noErrorOnMissing: true },
  { from: '../CHANGELOG.md', to: '.', force: true, noErrorOnMissing: true },
  // SignInLens: the dashboards plugin.json includes live at the top level.
  { from: '../dashboards', to: 'dashboards', noErrorOnMissing: true },
  { from: '**/*.json', to: '.', noErrorOnMissing: true },
  { from: '**/query_help.md', to: '.', noErrorOnMissing: true },
  ...logoPaths.map((logoPath) => ({ from: logoPath, to: logoPath })),
  ...screenshotPaths.map((screenshotPath) => ({
    from: screenshotPath,
    to: screenshotPath,
  })),
];

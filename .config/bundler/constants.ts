export const SOURCE_DIR = 'src';
export const DIST_DIR = 'dist';
// SignInLens keeps plugin.json at the repository root (the Go build reads it there too).
export const PLUGIN_JSON_PATH = 'plugin.json';

/**
 * Stands in for @grafana/ui's GlobalStyles/fonts.mjs in the harness bundle (see
 * browser-test/webpack.config.js). The original declares Grafana's Inter and Roboto Mono
 * faces at <public path>fonts/, files that the Grafana server ships and @grafana/ui does not;
 * declared but missing, they would be requested and fail. Without them the theme's font
 * stacks fall back to the system's Helvetica/Arial and monospace fonts.
 */
export function getFontStyles() {
  return undefined;
}

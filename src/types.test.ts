import golden from './settings-defaults.golden.json';
import { SignInDataSourceOptions, settingsDefaults } from './types';

// The backend writes its defaults per source into settings-defaults.golden.json
// (pkg/plugin TestSettingsDefaultsGolden); the config editor's copy must equal
// them, so the two cannot drift without a test failing.
const cases: Record<keyof typeof golden, SignInDataSourceOptions> = {
  demo: {},
  'demo-la': { demoApi: 'logAnalytics' },
  graph: { source: 'graph' },
  logAnalytics: { source: 'logAnalytics', workspaceId: '00000000-0000-0000-0000-000000000000' },
};

describe('settingsDefaults', () => {
  it.each(Object.keys(cases) as Array<keyof typeof golden>)('equals the backend for %s', (name) => {
    // The settings the case sets are its own, not defaults.
    const unset = Object.entries(golden[name] as Record<string, unknown>).filter(([k]) => !(k in cases[name]));
    const got: Record<string, unknown> = { ...settingsDefaults(cases[name]) };
    expect(Object.fromEntries(unset.map(([k]) => [k, got[k]]))).toEqual(Object.fromEntries(unset));
  });
});

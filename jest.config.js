// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// d3-color 3.1.1 (pulled in by @grafana/data 12.4) ships only an .mjs build; the
// scaffold's transform covers .js/.ts files only, so .mjs files get the same swc transform.
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // Editor tests click and type through whole forms; CI machines have two cores.
  testTimeout: 30000,
  transform: {
    ...base.transform,
    '^.+\\.mjs$': swc,
  },
};

import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';

import { SettingsDefaults, Source, readsLogAnalytics, settingsDefaults } from '../../types';
import { ConfigProps, NumberKey, NumberSetting, anySet } from './fields';

/** What the descriptions and the settings shown depend on: the API the sign-ins come through, and the source's retention. */
interface Context {
  api: string;
  retention?: string;
}

/** The section's settings, in the order shown; each placeholder is its default for the source. */
const SETTINGS: Array<{
  name: NumberKey & keyof SettingsDefaults;
  label: string;
  description?: string | ((c: Context) => string);
  logAnalyticsOnly?: boolean;
}> = [
  {
    name: 'throttleRequests',
    label: 'Requests per window',
    description: (c) => `Most ${c.api} requests SignInLens sends in one window`,
  },
  { name: 'throttleWindowSeconds', label: 'Window (seconds)' },
  {
    name: 'queryTimeBudgetSeconds',
    label: 'Query time budget (seconds)',
    description: (c) => `Longest a query may spend fetching from ${c.api} before it answers with a timeout`,
  },
  {
    name: 'maxGroups',
    label: 'Most groups per query',
    description: 'Groups a query keeps; those found beyond it are summed up as other, with a notice',
  },
  {
    name: 'maxCells',
    label: 'Most cells per query',
    description:
      'Groups × time buckets a query may hold, and the points of a time series; groups beyond it are summed up as other, and a query with more buckets than half of it is refused',
  },
  {
    name: 'maxFilters',
    label: 'Most filters per query',
    description: 'A query with more filters is refused with an error naming maxFilters',
  },
  {
    name: 'maxRegexSize',
    label: 'Most regex instructions per query',
    description:
      'Compiled size of all =~ and !~ filters of a query, in RE2 instructions; a larger query is refused with an error naming maxRegexSize',
  },
  {
    name: 'maxAnswerMB',
    label: 'Largest push-down answer (MB)',
    description:
      'Largest answer of the workspace to a pushed-down query that is read; a query whose answer is larger is answered from the cache',
    logAnalyticsOnly: true,
  },
  {
    name: 'maxRangeDays',
    label: 'Longest range (days)',
    description: (c) =>
      `Longest time range a query or variable may cover; a longer one is refused with an error naming maxRangeDays${c.retention ? `. ${c.retention}` : ''}`,
  },
];

/** The limits of each API, as the section's description states them. */
const LIMITS = {
  graph: 'Microsoft Graph allows 5 sign-in report requests per 10 seconds per app and tenant',
  logAnalytics: 'Log Analytics allows about 200 requests per 30 seconds per user',
};

/** What happens to a range older than the source keeps; the demo keeps everything. */
function retention(source: Source | undefined, days: number): string | undefined {
  switch (source) {
    case 'graph':
      return `A range older than retentionDays (default ${days}, Microsoft Graph’s retention) is refused`;
    case 'logAnalytics':
      return `Parts of a range older than retentionDays (default ${days}, the workspace’s retention) are empty, with a notice`;
  }
  return undefined;
}

export function ThrottleSection(props: ConfigProps) {
  const { jsonData } = props.options;
  const defaults = settingsDefaults(jsonData);
  const api = readsLogAnalytics(jsonData) ? 'logAnalytics' : 'graph';
  const context: Context = {
    api: api === 'logAnalytics' ? 'Log Analytics' : 'Graph',
    retention: retention(jsonData.source, defaults.retentionDays),
  };
  return (
    <ConfigSection
      title="Throttle and limits"
      description={`${LIMITS[api]}; SignInLens stays within that.`}
      isCollapsible
      isInitiallyOpen={anySet(
        props,
        SETTINGS.map((s) => s.name)
      )}
    >
      {SETTINGS.filter((s) => !s.logAnalyticsOnly || api === 'logAnalytics').map(
        ({ description, logAnalyticsOnly, ...s }) => (
          <NumberSetting
            key={s.name}
            props={props}
            placeholder={String(defaults[s.name])}
            description={typeof description === 'function' ? description(context) : description}
            {...s}
          />
        )
      )}
    </ConfigSection>
  );
}

import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';

import { SETTINGS_DEFAULTS } from '../../types';
import { ConfigProps, NumberKey, NumberSetting, anySet } from './fields';

/** The section's settings, in the order shown; each placeholder is its default. */
const SETTINGS: Array<{ name: NumberKey & keyof typeof SETTINGS_DEFAULTS; label: string; description?: string }> = [
  {
    name: 'throttleRequests',
    label: 'Requests per window',
    description: 'Most Graph requests SignInLens sends in one window',
  },
  { name: 'throttleWindowSeconds', label: 'Window (seconds)' },
  {
    name: 'queryTimeBudgetSeconds',
    label: 'Query time budget (seconds)',
    description: 'Longest a query may spend fetching from Graph before it answers with a timeout',
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
    name: 'maxRangeDays',
    label: 'Longest range (days)',
    description:
      'Longest time range a query or variable may cover; a longer one is refused with an error naming maxRangeDays. Microsoft Graph is also limited by its retention (retentionDays)',
  },
];

export function ThrottleSection(props: ConfigProps) {
  return (
    <ConfigSection
      title="Throttle and limits"
      description="Microsoft Graph allows 5 sign-in report requests per 10 seconds per app and tenant; SignInLens stays within that."
      isCollapsible
      isInitiallyOpen={anySet(
        props,
        SETTINGS.map((s) => s.name)
      )}
    >
      {SETTINGS.map((s) => (
        <NumberSetting key={s.name} props={props} placeholder={String(SETTINGS_DEFAULTS[s.name])} {...s} />
      ))}
    </ConfigSection>
  );
}

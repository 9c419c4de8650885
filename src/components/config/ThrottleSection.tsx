import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';

import { SETTINGS_DEFAULTS } from '../../types';
import { ConfigProps, NumberSetting, anySet } from './fields';

export function ThrottleSection(props: ConfigProps) {
  return (
    <ConfigSection
      title="Throttle and limits"
      description="Microsoft Graph allows 5 sign-in report requests per 10 seconds per app and tenant; SignInLens stays within that."
      isCollapsible
      isInitiallyOpen={anySet(props, [
        'throttleRequests',
        'throttleWindowSeconds',
        'queryTimeBudgetSeconds',
        'maxGroups',
      ])}
    >
      <NumberSetting
        props={props}
        name="throttleRequests"
        label="Requests per window"
        description="Most Graph requests SignInLens sends in one window"
        placeholder={String(SETTINGS_DEFAULTS.throttleRequests)}
      />
      <NumberSetting
        props={props}
        name="throttleWindowSeconds"
        label="Window (seconds)"
        placeholder={String(SETTINGS_DEFAULTS.throttleWindowSeconds)}
      />
      <NumberSetting
        props={props}
        name="queryTimeBudgetSeconds"
        label="Query time budget (seconds)"
        description="Longest a query may spend fetching from Graph before it answers with a timeout"
        placeholder={String(SETTINGS_DEFAULTS.queryTimeBudgetSeconds)}
      />
      <NumberSetting
        props={props}
        name="maxGroups"
        label="Most groups per query"
        description="Groups a query keeps; those found beyond it are summed up as other, with a notice"
        placeholder={String(SETTINGS_DEFAULTS.maxGroups)}
      />
    </ConfigSection>
  );
}

import React from 'react';
import { Divider, Stack } from '@grafana/ui';

import { SETTINGS_DEFAULTS } from '../types';
import { AdvancedSection } from './config/AdvancedSection';
import { CacheSection } from './config/CacheSection';
import { CacheStatus } from './config/CacheStatus';
import { EntraSection } from './config/EntraSection';
import { ConfigProps } from './config/fields';
import { SourceSection } from './config/SourceSection';
import { ThrottleSection } from './config/ThrottleSection';

export function ConfigEditor(props: ConfigProps) {
  const source = props.options.jsonData.source ?? SETTINGS_DEFAULTS.source;
  return (
    <Stack direction="column" gap={2}>
      <SourceSection {...props} />
      {source !== 'demo' && (
        <>
          <Divider />
          <EntraSection {...props} />
          <AdvancedSection {...props} />
        </>
      )}
      <Divider />
      <CacheSection {...props} />
      <ThrottleSection {...props} />
      <Divider />
      <CacheStatus uid={props.options.uid} />
    </Stack>
  );
}

import React from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { RadioButtonGroup } from '@grafana/ui';

import { TIME_AGGREGATES, TimeAggregate } from '../types';

interface Props {
  value: TimeAggregate;
  onChange: (value: TimeAggregate) => void;
  /** The grouped view only knows the portal's windows (1h, 6h, 24h). */
  allowAuto: boolean;
}

export function TimeAggregateField({ value, onChange, allowAuto }: Props) {
  const options = allowAuto ? TIME_AGGREGATES : TIME_AGGREGATES.filter((o) => o.value !== 'auto');
  return (
    <EditorField label="Time aggregate" tooltip="Width of a time bucket; auto follows the panel interval">
      <RadioButtonGroup options={options} value={value} onChange={onChange} />
    </EditorField>
  );
}

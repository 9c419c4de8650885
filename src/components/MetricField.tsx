import React, { useId } from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Combobox } from '@grafana/ui';

import { METRICS, Metric } from '../types';

interface Props {
  value: Metric;
  onChange: (value: Metric) => void;
}

export function MetricField({ value, onChange }: Props) {
  const id = useId();
  return (
    <EditorField label="Metric">
      <Combobox id={id} width={24} options={METRICS} value={value} onChange={(o) => o && onChange(o.value)} />
    </EditorField>
  );
}

import React from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { RadioButtonGroup } from '@grafana/ui';

import { FORMATS, Format } from '../types';

interface Props {
  value: Format;
  onChange: (value: Format) => void;
}

export function FormatField({ value, onChange }: Props) {
  return (
    <EditorField label="Format" tooltip="Time series for graphs and alerts, table for top N, logs for Explore">
      <RadioButtonGroup options={FORMATS} value={value} onChange={onChange} />
    </EditorField>
  );
}

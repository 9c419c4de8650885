import React, { useId } from 'react';
import { EditorField } from '@grafana/plugin-ui';

import { CommitInput } from './CommitInput';

interface Props {
  value?: string;
  onChange: (value: string | undefined) => void;
}

/** The series names of a time series, as Prometheus and Loki write them: "{{app}} – {{status}}". */
export function LegendField({ value, onChange }: Props) {
  const id = useId();
  return (
    <EditorField
      label="Legend"
      tooltip="Names each series from its labels, e.g. {{app}} – {{status}}; empty shows the labels"
    >
      <CommitInput
        id={id}
        width={28}
        value={value ?? ''}
        placeholder="{{app}} – {{status}}"
        onCommit={(text) => onChange(text.trim() === '' ? undefined : text)}
      />
    </EditorField>
  );
}

import React, { useId } from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Combobox } from '@grafana/ui';

import { LOG_TYPES, LogType } from '../types';

interface Props {
  value: LogType;
  onChange: (value: LogType) => void;
}

export function LogTypeField({ value, onChange }: Props) {
  const id = useId();
  return (
    <EditorField label="Log type" tooltip="Which of the four sign-in logs to query">
      <Combobox id={id} width={22} options={LOG_TYPES} value={value} onChange={(o) => o && onChange(o.value)} />
    </EditorField>
  );
}

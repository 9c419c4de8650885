import React, { useId } from 'react';
import { EditorField } from '@grafana/plugin-ui';

import { CommitInput } from './CommitInput';

interface Props {
  value?: number;
  /** What the backend uses when the limit is empty. */
  placeholder: number;
  onChange: (value: number | undefined) => void;
}

export function LimitField({ value, placeholder, onChange }: Props) {
  const id = useId();
  const commit = (text: string) => {
    const n = parseInt(text, 10);
    onChange(Number.isFinite(n) && n > 0 ? n : undefined);
  };
  return (
    <EditorField
      label="Limit"
      tooltip="Most rows or groups returned: tables add up the rest as 'other', logs say when they were cut"
    >
      <CommitInput
        id={id}
        type="number"
        min={1}
        width={12}
        value={value === undefined ? '' : String(value)}
        placeholder={String(placeholder)}
        onCommit={commit}
      />
    </EditorField>
  );
}

import React, { useId } from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { ComboboxOption, MultiCombobox } from '@grafana/ui';

import { variableOptions } from '../templateVariables';
import { DIMENSIONS, MAX_GROUP_BY, dimensionLabel } from '../types';

interface Props {
  value: string[];
  onChange: (value: string[]) => void;
}

const FULL_NOTICE: ComboboxOption<string> = {
  value: '__full__',
  label: `At most ${MAX_GROUP_BY} dimensions: remove one to add another`,
  infoOption: true,
};

export function GroupByField({ value, onChange }: Props) {
  const id = useId();
  // Keys that are not dimensions (template variables such as $dim) show as they are.
  const selected = value.map((k) => ({ value: k, label: dimensionLabel(k) }));
  const options = value.length >= MAX_GROUP_BY ? [...selected, FULL_NOTICE] : [...DIMENSIONS, ...variableOptions()];

  return (
    <EditorField label="Group by" optional tooltip={`Up to ${MAX_GROUP_BY} dimensions; template variables allowed`}>
      <MultiCombobox<string>
        id={id}
        width="auto"
        minWidth={50}
        maxWidth={80}
        options={options}
        value={selected}
        isClearable
        placeholder="No grouping"
        onChange={(opts) =>
          onChange(
            opts
              .filter((o) => !o.infoOption)
              .map((o) => o.value)
              .slice(0, MAX_GROUP_BY)
          )
        }
      />
    </EditorField>
  );
}

import React, { useId, useState } from 'react';
import { css } from '@emotion/css';
import { Combobox, IconButton, Stack } from '@grafana/ui';

import { variableOptions } from '../templateVariables';
import { DIMENSIONS, FILTER_OPS, Filter, FilterOp, dimensionLabel } from '../types';
import { CommitInput } from './CommitInput';

export type LoadValues = (key: string, prefix: string) => Promise<string[]>;

interface Props {
  filter: Filter;
  onChange: (filter: Filter) => void;
  onRemove: () => void;
  loadValues: LoadValues;
}

const VALUE_PLACEHOLDERS: Record<FilterOp, string> = {
  '=': 'value',
  '!=': 'value',
  '=~': 'RE2 regular expression',
  '!~': 'RE2 regular expression',
  in: 'a, b, c',
  startsWith: 'prefix',
};

// Labels for screen readers (and tests): the row itself shows no label per field.
const srOnly = css({
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
});

/** One filter: dimension, operator and value, with value suggestions from the backend. */
export function FilterRow({ filter, onChange, onRemove, loadValues }: Props) {
  const id = useId();
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const keyLabel = filter.key ? dimensionLabel(filter.key) : 'new filter';

  const suggest = async (prefix: string) => {
    if (filter.key) {
      setSuggestions(await loadValues(filter.key, prefix));
    }
  };

  return (
    <Stack gap={0.5} alignItems="center">
      <label htmlFor={`${id}-key`} className={srOnly}>
        Filter dimension
      </label>
      <Combobox<string>
        id={`${id}-key`}
        width={26}
        options={[...DIMENSIONS, ...variableOptions()]}
        value={filter.key ? { value: filter.key, label: dimensionLabel(filter.key) } : null}
        placeholder="Dimension"
        onChange={(o) => o && onChange({ ...filter, key: o.value })}
      />
      <label htmlFor={`${id}-op`} className={srOnly}>
        {`Operator of ${keyLabel}`}
      </label>
      <Combobox<FilterOp>
        id={`${id}-op`}
        width={16}
        options={FILTER_OPS}
        value={filter.op}
        onChange={(o) => o && onChange({ ...filter, op: o.value })}
      />
      <CommitInput
        aria-label={`Value of ${keyLabel}`}
        width={32}
        value={filter.value}
        placeholder={VALUE_PLACEHOLDERS[filter.op] ?? 'value'}
        list={`${id}-values`}
        onFocus={(e) => suggest(e.currentTarget.value)}
        onCommit={(value) => onChange({ ...filter, value })}
      />
      <datalist id={`${id}-values`}>
        {suggestions.map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      <IconButton name="times" tooltip={`Remove filter on ${keyLabel}`} onClick={onRemove} />
    </Stack>
  );
}

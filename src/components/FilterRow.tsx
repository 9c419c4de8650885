import React, { useId } from 'react';
import { css } from '@emotion/css';
import { Combobox, ComboboxOption, IconButton, MultiCombobox, Stack } from '@grafana/ui';

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

/** Operators whose value is one of the dimension's values (or a list of them): they get suggestions. */
const SUGGESTED: ReadonlySet<FilterOp> = new Set<FilterOp>(['=', '!=', 'in']);

/** One filter: dimension, operator and value, with value suggestions from the backend as the user types. */
export function FilterRow({ filter, onChange, onRemove, loadValues }: Props) {
  const id = useId();
  const keyLabel = filter.key ? dimensionLabel(filter.key) : 'new filter';

  // The Combobox calls this on opening and, debounced, as the user types: the backend
  // lists the values that start with what was typed, most frequent first.
  const suggest = async (typed: string): Promise<Array<ComboboxOption<string>>> => {
    const values = filter.key ? await loadValues(filter.key, typed) : [];
    return [...values.map((v) => ({ value: v, label: v })), ...variableOptions()];
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
      <label htmlFor={`${id}-value`} className={srOnly}>
        {`Value of ${keyLabel}`}
      </label>
      {filter.op === 'in' && (
        <MultiCombobox<string>
          id={`${id}-value`}
          width={32}
          options={suggest}
          createCustomValue
          placeholder={VALUE_PLACEHOLDERS.in}
          value={splitValues(filter.value)}
          onChange={(items) => onChange({ ...filter, value: items.map((o) => o.value).join(',') })}
        />
      )}
      {filter.op !== 'in' && SUGGESTED.has(filter.op) && (
        <Combobox<string>
          id={`${id}-value`}
          width={32}
          options={suggest}
          createCustomValue
          placeholder={VALUE_PLACEHOLDERS[filter.op]}
          value={filter.value ? { value: filter.value, label: filter.value } : null}
          onChange={(o) => onChange({ ...filter, value: o.value })}
        />
      )}
      {!SUGGESTED.has(filter.op) && (
        // Regular expressions and prefixes are free text.
        <CommitInput
          id={`${id}-value`}
          width={32}
          value={filter.value}
          placeholder={VALUE_PLACEHOLDERS[filter.op] ?? 'value'}
          onCommit={(value) => onChange({ ...filter, value })}
        />
      )}
      <IconButton name="times" tooltip={`Remove filter on ${keyLabel}`} onClick={onRemove} />
    </Stack>
  );
}

/** The values of an `in` filter: a list "a,b" or Grafana's "{a,b}". */
function splitValues(value: string): string[] {
  return value
    .replace(/^\{(.*)\}$/, '$1')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

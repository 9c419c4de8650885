import React from 'react';
import { EditorField } from '@grafana/plugin-ui';
import { Button, Stack } from '@grafana/ui';

import { Filter } from '../types';
import { FilterRow, LoadValues } from './FilterRow';

interface Props {
  filters: Filter[];
  /** run says whether the change can affect the result (an incomplete row cannot). */
  onChange: (filters: Filter[], run: boolean) => void;
  loadValues: LoadValues;
  /** At most this many rows (the variable editor allows one). */
  max?: number;
}

const NEW_FILTER: Filter = { key: '', op: '=', value: '' };

export function FiltersField({ filters, onChange, loadValues, max }: Props) {
  const canAdd = max === undefined || filters.length < max;

  // A row runs the query once it has a key and a value (or just lost its value).
  const change = (i: number, f: Filter) =>
    onChange(replaceAt(filters, i, f), f.key !== '' && (f.value !== '' || filters[i].value !== ''));
  const remove = (i: number) =>
    onChange(
      filters.filter((_, j) => j !== i),
      filters[i].key !== ''
    );

  return (
    <EditorField label="Filters" optional tooltip="All filters must match. Template variables allowed in values">
      <Stack direction="column" gap={0.5}>
        {filters.map((f, i) => (
          <FilterRow
            key={i}
            filter={f}
            onChange={(next) => change(i, next)}
            onRemove={() => remove(i)}
            loadValues={loadValues}
          />
        ))}
        {canAdd && (
          <div>
            <Button
              variant="secondary"
              size="sm"
              icon="plus"
              fill="outline"
              onClick={() => onChange([...filters, NEW_FILTER], false)}
            >
              Add filter
            </Button>
          </div>
        )}
      </Stack>
    </EditorField>
  );
}

function replaceAt<T>(list: T[], i: number, item: T): T[] {
  return list.map((x, j) => (j === i ? item : x));
}

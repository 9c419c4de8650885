import React, { useId } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Combobox } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { DIMENSIONS, SignInDataSourceOptions, SignInQuery, SignInVariableQuery, dimensionLabel } from '../types';
import { normalizeVariableQuery } from '../variableQuery';
import { FiltersField } from './FiltersField';
import { LogTypeField } from './LogTypeField';

type Props = QueryEditorProps<DataSource, SignInQuery, SignInDataSourceOptions, SignInVariableQuery>;

/** A query variable: the values one dimension takes in the dashboard's time range. */
export function VariableQueryEditor({ query: stored, onChange, datasource, range }: Props) {
  const id = useId();
  const query = normalizeVariableQuery(stored);
  const logType = query.logType ?? 'all';

  const loadValues = (key: string, prefix: string) => datasource.getValues({ key, logType, range, prefix });

  return (
    <EditorRows>
      <EditorRow>
        <EditorField label="Dimension" tooltip="The variable lists the values of this dimension">
          <Combobox<string>
            id={id}
            width={28}
            options={DIMENSIONS}
            value={{ value: query.key, label: dimensionLabel(query.key) }}
            onChange={(o) => o && onChange({ ...query, key: o.value })}
          />
        </EditorField>
        <LogTypeField value={logType} onChange={(lt) => onChange({ ...query, logType: lt })} />
        <FiltersField
          max={1}
          filters={query.filters ?? []}
          loadValues={loadValues}
          onChange={(filters) => onChange({ ...query, filters })}
        />
      </EditorRow>
    </EditorRows>
  );
}

import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import {
  EditorHeader,
  EditorRow,
  EditorRows,
  FlexItem,
  QueryEditorMode,
  QueryEditorModeToggle,
} from '@grafana/plugin-ui';
import { Button, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { changeFormat, fieldsFor, summarize, withDefaults } from '../query';
import { DEFAULT_LIMITS, Filter, SignInDataSourceOptions, SignInQuery } from '../types';
import { CodeQueryEditor } from './CodeQueryEditor';
import { FiltersField } from './FiltersField';
import { FormatField } from './FormatField';
import { GroupByField } from './GroupByField';
import { LegendField } from './LegendField';
import { LimitField } from './LimitField';
import { LogTypeField } from './LogTypeField';
import { MetricField } from './MetricField';
import { TimeAggregateField } from './TimeAggregateField';

type Props = QueryEditorProps<DataSource, SignInQuery, SignInDataSourceOptions>;

export function QueryEditor({ query: stored, onChange, onRunQuery, datasource, range }: Props) {
  const query = withDefaults(stored);
  const shown = fieldsFor(query.format);

  const update = (next: SignInQuery, run = true) => {
    onChange(next);
    if (run) {
      onRunQuery();
    }
  };

  const loadValues = (key: string, prefix: string) =>
    datasource.getValues({ key, logType: query.logType, range, prefix });

  const mode = stored.editorMode === 'code' ? QueryEditorMode.Code : QueryEditorMode.Builder;
  const header = (
    <EditorHeader>
      <FlexItem grow={1} />
      <QueryEditorModeToggle
        mode={mode}
        onChange={(m) => onChange({ ...stored, editorMode: m === QueryEditorMode.Code ? 'code' : 'builder' })}
      />
    </EditorHeader>
  );

  if (mode === QueryEditorMode.Code) {
    return (
      <EditorRows>
        {header}
        <CodeQueryEditor query={stored} validate={(q) => datasource.validate(q)} onChange={(q) => update(q)} />
        <Text color="secondary" italic data-testid="query-summary">
          {summarize(query)}
        </Text>
      </EditorRows>
    );
  }

  return (
    <EditorRows>
      {header}
      <EditorRow>
        <LogTypeField value={query.logType} onChange={(logType) => update({ ...query, logType })} />
        <FormatField value={query.format} onChange={(format) => update(changeFormat(query, format))} />
        {shown.metric && <MetricField value={query.metric} onChange={(metric) => update({ ...query, metric })} />}
        {shown.timeAggregate && (
          <TimeAggregateField
            value={query.timeAggregate}
            allowAuto={query.format !== 'grouped'}
            onChange={(timeAggregate) => update({ ...query, timeAggregate })}
          />
        )}
        {shown.limit && (
          <LimitField
            value={query.limit}
            placeholder={DEFAULT_LIMITS[query.format] ?? 10}
            onChange={(limit) => update({ ...query, limit })}
          />
        )}
      </EditorRow>
      <EditorRow>
        {shown.groupBy && <GroupByField value={query.groupBy} onChange={(groupBy) => update({ ...query, groupBy })} />}
        {query.format === 'timeSeries' && (
          <LegendField value={query.legendFormat} onChange={(legendFormat) => update({ ...query, legendFormat })} />
        )}
        <FiltersField
          filters={query.filters}
          loadValues={loadValues}
          onChange={(filters: Filter[], run) => update({ ...query, filters }, run)}
        />
      </EditorRow>
      {(query.timeFrom || query.timeTo) && (
        // A grouped row's Explore link narrows the range to the row's window: say so, and let it go.
        <EditorRow>
          <Text color="secondary" data-testid="query-narrowing">
            {`Narrowed to ${query.timeFrom ?? 'the panel start'} – ${query.timeTo ?? 'the panel end'}`}
          </Text>
          <Button
            size="sm"
            variant="secondary"
            fill="text"
            icon="times"
            onClick={() => update({ ...query, timeFrom: undefined, timeTo: undefined })}
          >
            Use the whole range
          </Button>
        </EditorRow>
      )}
      <Text color="secondary" italic data-testid="query-summary">
        {summarize(query)}
      </Text>
    </EditorRows>
  );
}

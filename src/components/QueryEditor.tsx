import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { changeFormat, fieldsFor, summarize, withDefaults } from '../query';
import { DEFAULT_LIMITS, Filter, SignInDataSourceOptions, SignInQuery } from '../types';
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

  return (
    <EditorRows>
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
      <Text color="secondary" italic data-testid="query-summary">
        {summarize(query)}
      </Text>
    </EditorRows>
  );
}

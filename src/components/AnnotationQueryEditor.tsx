import React, { useId } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { RadioButtonGroup, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { summarize, withDefaults } from '../query';
import { DEFAULT_LIMITS, Filter, SignInDataSourceOptions, SignInQuery } from '../types';
import { CommitInput } from './CommitInput';
import { FiltersField } from './FiltersField';
import { GroupByField } from './GroupByField';
import { LimitField } from './LimitField';
import { LogTypeField } from './LogTypeField';
import { MetricField } from './MetricField';
import { TimeAggregateField } from './TimeAggregateField';

type Props = QueryEditorProps<DataSource, SignInQuery, SignInDataSourceOptions>;

type Mark = 'signIns' | 'threshold';

const MARKS: Array<{ value: Mark; label: string; description: string }> = [
  { value: 'signIns', label: 'Each sign-in', description: 'A mark at every sign-in that passes the filters' },
  {
    value: 'threshold',
    label: 'Above a threshold',
    description: "A region over each time bucket where a group's metric exceeds the threshold",
  },
];

/** The threshold a switch to threshold marks starts from: hourly failures of an app above 25. */
const THRESHOLD_START: Partial<SignInQuery> = {
  metric: 'failures',
  groupBy: ['app'],
  timeAggregate: '1h',
  threshold: 25,
};

/**
 * The annotation query editor: marks at sign-ins that pass the filters (a Conditional Access
 * block, a lockout), or regions over the buckets where a group's metric exceeds a threshold
 * (an app's failures above 25 an hour). The query is always of format annotations.
 */
export function AnnotationQueryEditor({ query: stored, onChange, datasource, range }: Props) {
  const query = withDefaults({ ...stored, format: 'annotations' });
  const mark: Mark = query.threshold === undefined ? 'signIns' : 'threshold';
  const thresholdId = useId();
  const update = (next: SignInQuery) => onChange({ ...next, format: 'annotations' });
  const loadValues = (key: string, prefix: string) =>
    datasource.getValues({ key, logType: query.logType, range, prefix });

  const switchMark = (next: Mark) => {
    if (next === 'threshold') {
      update({ ...query, ...THRESHOLD_START });
      return;
    }
    const { threshold, metric, groupBy, timeAggregate, ...rest } = query;
    update(rest);
  };
  const commitThreshold = (text: string) => {
    const n = parseFloat(text);
    update({ ...query, threshold: Number.isFinite(n) ? n : 0 });
  };

  return (
    <EditorRows>
      <EditorRow>
        <LogTypeField value={query.logType} onChange={(logType) => update({ ...query, logType })} />
        <EditorField label="Mark" tooltip="What each annotation marks">
          <RadioButtonGroup options={MARKS} value={mark} onChange={switchMark} />
        </EditorField>
        {mark === 'signIns' && (
          <LimitField
            value={query.limit}
            placeholder={DEFAULT_LIMITS.annotations ?? 100}
            onChange={(limit) => update({ ...query, limit })}
          />
        )}
      </EditorRow>
      {mark === 'threshold' && (
        <EditorRow>
          <MetricField value={query.metric} onChange={(metric) => update({ ...query, metric })} />
          <GroupByField value={query.groupBy} onChange={(groupBy) => update({ ...query, groupBy })} />
          <TimeAggregateField
            value={query.timeAggregate}
            allowAuto
            onChange={(timeAggregate) => update({ ...query, timeAggregate })}
          />
          <EditorField label="Threshold" tooltip="A bucket is marked when the metric is above this value">
            <CommitInput
              id={thresholdId}
              aria-label="Threshold"
              type="number"
              width={12}
              value={String(query.threshold ?? '')}
              onCommit={commitThreshold}
            />
          </EditorField>
        </EditorRow>
      )}
      <EditorRow>
        <FiltersField
          filters={query.filters}
          loadValues={loadValues}
          onChange={(filters: Filter[]) => update({ ...query, filters })}
        />
      </EditorRow>
      <Text color="secondary" italic data-testid="query-summary">
        {summarize(query)}
      </Text>
    </EditorRows>
  );
}

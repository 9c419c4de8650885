/**
 * An Explore-like view of a logs frame, for the browser test: Grafana's own logs panel lives in
 * Grafana, not in @grafana/ui, so this renders the lines and their details the way Explore
 * does — time, level, body; labels with "filter for value" / "filter out value"; the fields'
 * links — and calls the datasource's toggleQueryFilter and queryHasFilter as Explore does.
 * The frame is logs-frame.json: what the backend's logsFrame writes (a Go golden test keeps
 * it so).
 */
import React, { useState } from 'react';
import { css } from '@emotion/css';
import { DataFrame, DataFrameJSON, GrafanaTheme2, dataFrameFromJSON } from '@grafana/data';
import { IconButton, useStyles2 } from '@grafana/ui';

import type { DataSource } from '../../src/datasource';
import { SignInQuery } from '../../src/types';
import frameJSON from './logs-frame.json';

export const logsFrame: DataFrame = dataFrameFromJSON(frameJSON as unknown as DataFrameJSON);

interface Props {
  datasource: DataSource;
  query: SignInQuery;
  onChange: (query: SignInQuery) => void;
}

const field = (name: string) => logsFrame.fields.find((f) => f.name === name)!;

export function ExploreLogs({ datasource, query, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState<number>();
  const times = field('timestamp').values;
  const bodies = field('body').values;
  const levels = field('severity').values;
  const labels = field('labels').values as Array<Record<string, string>>;
  const linked = logsFrame.fields.filter((f) => f.config.links?.length);

  const toggle = (type: 'FILTER_FOR' | 'FILTER_OUT', key: string, value: string) =>
    onChange(datasource.toggleQueryFilter(query, { type, options: { key, value }, frame: logsFrame }));

  return (
    <div className={styles.lines}>
      {bodies.map((body: string, row: number) => (
        <div key={row}>
          <div
            role="row"
            data-testid="log-row"
            className={styles.line}
            onClick={() => setOpen(open === row ? undefined : row)}
          >
            <span className={styles[levels[row] as 'error' | 'warning' | 'info']}>{levels[row]}</span>
            <span>{new Date(times[row]).toISOString()}</span>
            <span>{body}</span>
          </div>
          {open === row && (
            <table className={styles.details} data-testid="log-details">
              <tbody>
                {Object.entries(labels[row]).map(([key, value]) => (
                  <tr key={key}>
                    <td>
                      <IconButton
                        name="search-plus"
                        aria-label={`Filter for value ${key}`}
                        variant={datasource.queryHasFilter(query, { key, value }) ? 'primary' : 'secondary'}
                        onClick={() => toggle('FILTER_FOR', key, value)}
                      />
                      <IconButton
                        name="search-minus"
                        aria-label={`Filter out value ${key}`}
                        onClick={() => toggle('FILTER_OUT', key, value)}
                      />
                    </td>
                    <td>{key}</td>
                    <td>{value}</td>
                  </tr>
                ))}
                {linked.map((f) => (
                  <tr key={f.name} data-testid={`log-link-${f.name}`}>
                    <td />
                    <td>{f.name}</td>
                    <td>{`${f.values[row]} → ${f.config.links!.map((l) => l.title).join(' · ')}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}

const getStyles = (t: GrafanaTheme2) => ({
  lines: css({ fontFamily: t.typography.fontFamilyMonospace, fontSize: t.typography.bodySmall.fontSize }),
  line: css({ display: 'flex', gap: t.spacing(2), cursor: 'pointer', padding: t.spacing(0.25, 0) }),
  error: css({ color: t.colors.error.text, width: 60 }),
  warning: css({ color: t.colors.warning.text, width: 60 }),
  info: css({ color: t.colors.success.text, width: 60 }),
  details: css({ margin: t.spacing(1, 0, 1, 4), td: { padding: t.spacing(0.25, 1) } }),
});

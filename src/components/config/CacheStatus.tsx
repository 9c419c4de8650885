import React, { useEffect, useState } from 'react';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, Stack, Text } from '@grafana/ui';

/** The counters of the backend's `stats` resource, and its `warnings` resource: what keeps the cache from working fully. */
export interface CacheStats extends CacheCounters {
  /** E.g. "memcached is not used: …"; absent or null when all is well. */
  warnings?: string[] | null;
}

/** The counters of the backend's `stats` resource. */
export interface CacheCounters {
  graphRequests: number;
  graphThrottled: number;
  graphRetries: number;
  windowsCached: number;
  eventsCached: number;
  bytesCached: number;
  windowsPending: number;
  l1Hits: number;
  l1Misses: number;
  l2Hits: number;
  l2Misses: number;
}

const rows: Array<[keyof CacheCounters, string]> = [
  ['eventsCached', 'Sign-ins cached'],
  ['windowsCached', 'Time windows cached'],
  ['bytesCached', 'Bytes in memory'],
  ['windowsPending', 'Windows loading'],
  ['graphRequests', 'Graph requests'],
  ['graphThrottled', 'Throttled (429)'],
  ['graphRetries', 'Retries'],
  ['l1Hits', 'Memory hits'],
  ['l1Misses', 'Memory misses'],
  ['l2Hits', 'Memcached hits'],
  ['l2Misses', 'Memcached misses'],
];

async function fetchStats(uid: string): Promise<CacheStats | undefined> {
  const base = `/api/datasources/uid/${uid}/resources`;
  try {
    const [counters, notes] = await Promise.all([
      getBackendSrv().get<CacheCounters>(`${base}/stats`),
      getBackendSrv()
        .get<{ warnings?: string[] | null }>(`${base}/warnings`)
        .catch(() => ({ warnings: [] })),
    ]);
    return { ...counters, warnings: notes?.warnings };
  } catch {
    return undefined;
  }
}

/**
 * Cache status of a saved datasource: how much is cached and what it cost in
 * Graph requests since the plugin started. A failure to load shows a message,
 * never an error in the console: an unsaved datasource has no backend instance.
 */
export function CacheStatus({ uid }: { uid?: string }) {
  const [stats, setStats] = useState<CacheStats | undefined>();
  const [failed, setFailed] = useState<string | undefined>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!uid) {
      return;
    }
    let live = true;
    fetchStats(uid).then((result) => {
      if (live) {
        setStats(result);
        setFailed(result ? undefined : 'Save & test the data source to see its cache status.');
      }
    });
    return () => {
      live = false;
    };
  }, [uid, generation]);
  if (!uid) {
    return null;
  }
  return (
    <Field label="Cache status" description="Counters since the plugin started.">
      <Stack direction="column" gap={1}>
        {failed && <Text color="secondary">{failed}</Text>}
        {(Array.isArray(stats?.warnings) ? stats.warnings : []).map((warning, i) => (
          <Alert key={i} severity="warning" title={warning} bottomSpacing={0} topSpacing={0} />
        ))}
        {stats && (
          <table aria-label="Cache status" style={{ width: 'auto' }}>
            <tbody>
              {rows.map(([key, label]) => (
                <tr key={key}>
                  <td style={{ paddingRight: 24 }}>{label}</td>
                  <td style={{ textAlign: 'right' }}>{(stats[key] ?? 0).toLocaleString('en-US')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div>
          <Button size="sm" variant="secondary" icon="sync" onClick={() => setGeneration((g) => g + 1)}>
            Refresh
          </Button>
        </div>
      </Stack>
    </Field>
  );
}

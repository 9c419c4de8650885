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
  /** Closed days of a log type held counted per profile, which long ranges read instead of the sign-ins. */
  daysCounted?: number;
  /** Revalidations of recently closed windows started, and the windows they found changed sign-ins in. */
  revalidations?: number;
  windowsRevised?: number;
  l1Hits: number;
  l1Misses: number;
  l2Hits: number;
  l2Misses: number;
  /** Warming the last warmDays at start: windows to load, loaded, given up; sign-ins; seconds left (-1 unknown). */
  warmWindowsTotal?: number;
  warmWindowsLoaded?: number;
  warmWindowsFailed?: number;
  warmSignIns?: number;
  warmSecondsLeft?: number;
}

const rows: Array<[keyof CacheCounters, string]> = [
  ['eventsCached', 'Sign-ins cached'],
  ['windowsCached', 'Time windows cached'],
  ['bytesCached', 'Bytes in memory'],
  ['daysCounted', 'Days counted per profile'],
  ['windowsPending', 'Windows loading'],
  ['revalidations', 'Revalidations'],
  ['windowsRevised', 'Windows revised'],
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

/** "about 12 min left", from the backend's estimate. */
function timeLeft(seconds?: number): string {
  if (seconds === undefined || seconds < 0) {
    return 'estimating the time left';
  }
  if (seconds < 90) {
    return 'less than 2 min left';
  }
  return seconds < 5400 ? `about ${Math.round(seconds / 60)} min left` : `about ${Math.round(seconds / 3600)} h left`;
}

/** Warming progress: a bar while the last warmDays load, a line once they have. */
export function WarmProgress({ stats }: { stats: CacheCounters }) {
  const total = stats.warmWindowsTotal ?? 0;
  if (total === 0) {
    return null;
  }
  const loaded = stats.warmWindowsLoaded ?? 0;
  const failed = stats.warmWindowsFailed ?? 0;
  const signIns = (stats.warmSignIns ?? 0).toLocaleString('en-US');
  if (loaded + failed >= total) {
    const gaveUp = failed ? `; ${failed.toLocaleString('en-US')} windows could not be fetched (queries ask again)` : '';
    return <Text color="secondary">{`Warmed at start: ${signIns} sign-ins of the last days cached${gaveUp}.`}</Text>;
  }
  return (
    <Stack direction="column" gap={0.5}>
      <progress aria-label="Warming the cache" value={loaded} max={total} style={{ width: 320 }} />
      <Text color="secondary">
        {`Warming the cache: ${loaded.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} time windows, ${signIns} sign-ins, ${timeLeft(stats.warmSecondsLeft)}`}
      </Text>
    </Stack>
  );
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
        {stats && <WarmProgress stats={stats} />}
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

import {
  DEFAULT_LIMITS,
  DEFAULT_QUERY,
  FILTER_OPS,
  Format,
  LOG_TYPES,
  METRICS,
  SignInQuery,
  TimeAggregate,
  dimensionLabel,
} from './types';

/** A query with every contract field present: old or hand-written JSON may lack some. */
export type CompleteQuery = SignInQuery &
  Required<Pick<SignInQuery, 'logType' | 'format' | 'metric' | 'groupBy' | 'filters' | 'timeAggregate'>>;

export function withDefaults(query: SignInQuery): CompleteQuery {
  return {
    ...query,
    logType: query.logType ?? DEFAULT_QUERY.logType!,
    format: query.format ?? DEFAULT_QUERY.format!,
    metric: query.metric ?? DEFAULT_QUERY.metric!,
    groupBy: query.groupBy ?? [],
    filters: query.filters ?? [],
    timeAggregate: query.timeAggregate ?? DEFAULT_QUERY.timeAggregate!,
  };
}

/** Which editor fields a format uses; the others keep their values but are hidden. */
export function fieldsFor(format: Format) {
  return {
    metric: format === 'timeSeries' || format === 'table',
    groupBy: format === 'timeSeries' || format === 'table',
    timeAggregate: format === 'timeSeries' || format === 'grouped',
    limit: DEFAULT_LIMITS[format] !== undefined,
  };
}

/**
 * The query after the user picks another format: the limit becomes the new format's
 * default, and the grouped view, which only knows the portal's windows, gets 1h for auto.
 */
export function changeFormat(query: SignInQuery, format: Format): SignInQuery {
  const next: SignInQuery = { ...query, format, limit: DEFAULT_LIMITS[format] };
  if (next.limit === undefined) {
    delete next.limit;
  }
  if (format === 'grouped' && (query.timeAggregate ?? 'auto') === 'auto') {
    next.timeAggregate = '1h';
  }
  return next;
}

const LOG_TYPE_PHRASES: Record<string, string> = {
  interactive: 'interactive sign-ins',
  nonInteractive: 'non-interactive sign-ins',
  servicePrincipal: 'service principal sign-ins',
  managedIdentity: 'managed identity sign-ins',
  all: 'all sign-ins',
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "App ID" → "app ID", "IP address" stays: acronyms keep their case. */
function lowerFirst(s: string): string {
  return /^[A-Z][A-Z]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

function labelOf<T extends string>(options: Array<{ value: T; label: string }>, value: T): string {
  return options.find((o) => o.value === value)?.label ?? value;
}

function per(timeAggregate: TimeAggregate): string {
  return timeAggregate === 'auto' ? 'per panel interval' : `per ${timeAggregate}`;
}

/**
 * One line in words of what a query asks, e.g. "Failures of interactive sign-ins by app, per 1h".
 * Used under the query editor and as the query's text in query history.
 */
export function summarize(query: SignInQuery): string {
  const q = withDefaults(query);
  const logTypes = LOG_TYPE_PHRASES[q.logType] ?? `${labelOf(LOG_TYPES, q.logType)} sign-ins`;
  const where = q.filters
    .filter((f) => f.key)
    .map((f) => `${lowerFirst(dimensionLabel(f.key))} ${labelOf(FILTER_OPS, f.op)} ${f.value}`)
    .join(' and ');
  const whereText = where ? ` where ${where}` : '';

  switch (q.format) {
    case 'logs':
      return `Latest ${q.limit ?? DEFAULT_LIMITS.logs} ${logTypes}${whereText}`;
    case 'annotations':
      if (q.threshold !== undefined) {
        const by = q.groupBy.length ? ` by ${q.groupBy.map((k) => lowerFirst(dimensionLabel(k))).join(', ')}` : '';
        const bucket = q.timeAggregate === 'auto' ? 'panel interval' : q.timeAggregate;
        const metric = `${lowerFirst(labelOf(METRICS, q.metric))} of ${logTypes}`;
        return `Annotations: ${bucket} buckets where ${metric}${by}${whereText} exceed ${q.threshold}`;
      }
      return `Annotations: the latest ${q.limit ?? DEFAULT_LIMITS.annotations} ${logTypes}${whereText}`;
    case 'grouped':
      return `Grouped ${logTypes}${whereText}, ${per(q.timeAggregate)}`;
  }

  const metric = q.metric === 'count' ? capitalize(logTypes) : `${labelOf(METRICS, q.metric)} of ${logTypes}`;
  const by = q.groupBy.length ? ` by ${q.groupBy.map((k) => lowerFirst(dimensionLabel(k))).join(', ')}` : '';
  if (q.format === 'table') {
    return `${metric}${by}${whereText}, top ${q.limit ?? DEFAULT_LIMITS.table}`;
  }
  return `${metric}${by}${whereText}, ${per(q.timeAggregate)}`;
}

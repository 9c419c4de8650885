import {
  AdHocVariableFilter,
  CoreApp,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceWithLogsContextSupport,
  DataSourceWithSupplementaryQueriesSupport,
  DataSourceGetTagKeysOptions,
  DataSourceGetTagValuesOptions,
  DataSourceInstanceSettings,
  LiveChannelScope,
  LogRowContextOptions,
  LogRowContextQueryDirection,
  LogRowModel,
  MetricFindValue,
  QueryFilterOptions,
  ScopedVars,
  SupplementaryQueryOptions,
  SupplementaryQueryType,
  TimeRange,
  ToggleFilterAction,
  dateTime,
} from '@grafana/data';
import { DataSourceWithBackend, getGrafanaLiveSrv, getTemplateSrv } from '@grafana/runtime';
import { from, lastValueFrom, map, merge, mergeMap, Observable } from 'rxjs';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { summarize } from './query';
import {
  DEFAULT_QUERY,
  DIMENSIONS,
  Filter,
  FilterOp,
  FILTER_OPS,
  LogType,
  SignInDataSourceOptions,
  SignInQuery,
} from './types';
import { SignInVariableSupport } from './variables';

/** The annotation query a new annotation starts from. */
export const ANNOTATION_QUERY: Partial<SignInQuery> = {
  logType: 'interactive',
  format: 'annotations',
  filters: [{ key: 'errorCode', op: 'in', value: '53003,50053' }],
  limit: 100,
};

/** The backend resource that checks a query without running it (the code editor). */
export const VALIDATE_RESOURCE = 'validate';

/** The backend resource that names a query's live tail channel (Explore's live mode). */
export const TAIL_RESOURCE = 'tail';

/** The most sign-ins a live view keeps, when the request does not say. */
const LIVE_MAX_LINES = 1000;

/** The backend resource that lists the values a dimension takes (filter and ad hoc suggestions). */
export const VALUES_RESOURCE = 'values';

export interface ValuesRequest {
  key: string;
  logType?: LogType;
  range?: TimeRange;
  prefix?: string;
}

/** Explore's logs volume queries carry this refId prefix (Grafana's own convention). */
const VOLUME_REFID_PREFIX = 'log-volume-';

/** The log level Explore colours a logs volume series by, per sign-in status. */
const LEVEL_OF_STATUS: Record<string, string> = { failure: 'error', interrupted: 'warning', success: 'info' };

/** How far around a sign-in its context looks, when Explore does not say. */
const CONTEXT_WINDOW_MS = 2 * 60 * 60 * 1000;

/**
 * The labels a sign-in's context follows, first present first: the same user, service
 * principal or managed identity, else the same address. (Sign-ins carry no correlation id
 * here: SignInLens does not keep it.)
 */
const CONTEXT_KEYS = ['userId', 'user', 'servicePrincipalId', 'servicePrincipal', 'managedIdentity', 'ipAddress'];

export class DataSource
  extends DataSourceWithBackend<SignInQuery, SignInDataSourceOptions>
  implements DataSourceWithSupplementaryQueriesSupport<SignInQuery>, DataSourceWithLogsContextSupport<SignInQuery>
{
  constructor(instanceSettings: DataSourceInstanceSettings<SignInDataSourceOptions>) {
    super(instanceSettings);
    this.variables = new SignInVariableSupport(this);
    // Annotation queries have their own editor (sign-ins, or buckets above a threshold); a
    // new one marks Conditional Access blocks (53003) and lockouts (50053).
    this.annotations = {
      QueryEditor: AnnotationQueryEditor,
      getDefaultQuery: () => ANNOTATION_QUERY,
    };
  }

  query(request: DataQueryRequest<SignInQuery>): Observable<DataQueryResponse> {
    if (request.liveStreaming) {
      return this.tail(request);
    }
    return super.query(request).pipe(map(levelVolumes));
  }

  // Explore's logs volume: sign-ins by outcome over the range, above the log lines.

  getSupportedSupplementaryQueryTypes(): SupplementaryQueryType[] {
    return [SupplementaryQueryType.LogsVolume];
  }

  getSupplementaryQuery(options: SupplementaryQueryOptions, query: SignInQuery): SignInQuery | undefined {
    if (options.type !== SupplementaryQueryType.LogsVolume || query.format !== 'logs') {
      return undefined;
    }
    const { editorMode, legendFormat, limit, ...rest } = query;
    return {
      ...rest,
      refId: `${VOLUME_REFID_PREFIX}${query.refId}`,
      format: 'timeSeries',
      metric: 'count',
      groupBy: ['status'],
      timeAggregate: 'auto',
    };
  }

  // Log context: the same identity's sign-ins before and after one.

  async getLogRowContext(
    row: LogRowModel,
    options?: LogRowContextOptions,
    origQuery?: SignInQuery
  ): Promise<DataQueryResponse> {
    const query = contextQuery(row, options, origQuery);
    const [from, to] = contextWindow(row, options);
    const range = { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } };
    const request = {
      requestId: `log-context-${row.uid}`,
      app: CoreApp.Explore,
      interval: '1m',
      intervalMs: 60_000,
      range,
      scopedVars: {},
      targets: [query],
      timezone: 'UTC',
      startTime: Date.now(),
    } as DataQueryRequest<SignInQuery>;
    return lastValueFrom(super.query(request));
  }

  async getLogRowContextQuery(
    row: LogRowModel,
    options?: LogRowContextOptions,
    origQuery?: SignInQuery
  ): Promise<SignInQuery | null> {
    const [from, to] = contextWindow(row, options);
    return {
      ...contextQuery(row, options, origQuery),
      timeFrom: new Date(from).toISOString(),
      timeTo: new Date(to).toISOString(),
    };
  }

  /**
   * Explore's live mode: each query follows its new sign-ins over a Grafana Live channel of
   * this datasource. The backend names the channel (a digest of the query, so the channel
   * carries no other query) and streams each refresh's new sign-ins as log lines.
   */
  private tail(request: DataQueryRequest<SignInQuery>): Observable<DataQueryResponse> {
    const streams = request.targets
      .filter((t) => this.filterQuery(t))
      .map((target) => {
        const { refId, datasource, editorMode, hide, ...contract } = this.applyTemplateVariables(
          target,
          request.scopedVars,
          request.filters
        );
        return from(this.postResource<{ path: string }>(TAIL_RESOURCE, contract)).pipe(
          mergeMap(({ path }) =>
            getGrafanaLiveSrv().getDataStream({
              addr: { scope: LiveChannelScope.DataSource, stream: this.uid, path, data: contract },
              key: `${request.requestId}-${refId}`,
              buffer: { maxLength: request.maxDataPoints || LIVE_MAX_LINES },
            })
          ),
          map((response) => {
            response.data.forEach((frame) => (frame.refId = refId));
            return response;
          })
        );
      });
    return merge(...streams);
  }

  getDefaultQuery(_: CoreApp): Partial<SignInQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: SignInQuery): boolean {
    return !query.hide;
  }

  getQueryDisplayText(query: SignInQuery): string {
    return summarize(query);
  }

  applyTemplateVariables(query: SignInQuery, scopedVars: ScopedVars, adHoc?: AdHocVariableFilter[]): SignInQuery {
    const templateSrv = getTemplateSrv();
    const replace = (value: string, format?: string) => templateSrv.replace(value, scopedVars, format);
    const out: SignInQuery = { ...query };

    if (query.groupBy) {
      // A multi-value variable ($dims) stands for several keys: expand it as a list.
      const keys = query.groupBy.flatMap((k) => replace(k, 'csv').split(','));
      out.groupBy = Array.from(new Set(keys.map((k) => k.trim()).filter(Boolean)));
    }
    // Rows still being edited (no key yet) are not sent.
    const filters = (query.filters ?? [])
      .filter((f) => f.key)
      .map((f) => ({
        ...f,
        key: replace(f.key),
        value: replace(f.value ?? '', valueFormat(f.op)),
      }));
    const { applied: extra, ignored } = adHocToFilters(adHoc);
    if (query.filters || extra.length) {
      out.filters = [...filters, ...extra];
    }
    if (ignored.length) {
      out.ignoredFilters = ignored; // the backend names them in a notice
    }
    if (query.key !== undefined) {
      out.key = replace(query.key);
    }
    // Dashboards pick the log type, metric, format and time aggregate with variables too
    // (the portal view's 1h/6h/24h selector): the backend must see the values.
    // The backend validates the expanded values and names a bad one.
    const expand = <T extends string>(value: T | undefined): T | undefined =>
      value?.includes('$') ? (replace(value) as T) : value;
    return {
      ...out,
      logType: expand(query.logType),
      metric: expand(query.metric),
      format: expand(query.format),
      timeAggregate: expand(query.timeAggregate),
    };
  }

  /**
   * The values a dimension takes in a time range, for suggestions. Suggestions are a
   * convenience: any failure yields no suggestions rather than an error.
   */
  async getValues({ key, logType, range, prefix }: ValuesRequest): Promise<string[]> {
    if (!key) {
      return [];
    }
    const params: Record<string, string> = { key, logType: logType ?? 'all' };
    if (range) {
      params.from = String(range.from.valueOf());
      params.to = String(range.to.valueOf());
    }
    if (prefix) {
      params.prefix = prefix;
    }
    try {
      const res = await this.getResource<{ values?: unknown }>(VALUES_RESOURCE, params);
      return Array.isArray(res?.values) ? res.values.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  }

  /**
   * What the backend would say of a query ('' when it would run): the code editor's check
   * as the user types. Template variables are expanded first, as a run would. A failure to
   * ask is no verdict: ''.
   */
  async validate(query: SignInQuery): Promise<string> {
    const { refId, datasource, editorMode, hide, ...contract } = this.applyTemplateVariables(query, {});
    try {
      const res = await this.postResource<{ error?: unknown }>(VALIDATE_RESOURCE, contract);
      return typeof res?.error === 'string' ? res.error : '';
    } catch {
      return '';
    }
  }

  // Ad hoc filters: every dimension is a key; values come from the values resource.

  async getTagKeys(_?: DataSourceGetTagKeysOptions<SignInQuery>): Promise<MetricFindValue[]> {
    return DIMENSIONS.map((d) => ({ text: d.value, value: d.value }));
  }

  async getTagValues(options: DataSourceGetTagValuesOptions<SignInQuery>): Promise<MetricFindValue[]> {
    const values = await this.getValues({ key: options.key, range: options.timeRange });
    return values.map((v) => ({ text: v, value: v }));
  }

  // Explore's log details: "filter for value" and "filter out value" on a sign-in's label
  // (a dimension). The same action again removes the filter.

  toggleQueryFilter(query: SignInQuery, filter: ToggleFilterAction): SignInQuery {
    const op: FilterOp = filter.type === 'FILTER_FOR' ? '=' : '!=';
    const { key } = filter.options;
    let filters = query.filters ?? [];
    for (const value of labelValues(key, filter.options.value)) {
      const present = filters.some((f) => f.key === key && f.op === op && f.value === value);
      // Filtering for a value replaces filtering it out, and the other way round.
      filters = filters.filter((f) => !(f.key === key && (f.op === '=' || f.op === '!=') && f.value === value));
      if (!present) {
        filters = [...filters, { key, op, value }];
      }
    }
    return { ...query, filters };
  }

  queryHasFilter(query: SignInQuery, filter: QueryFilterOptions): boolean {
    return labelValues(filter.key, filter.value).every((value) =>
      (query.filters ?? []).some((f) => f.key === filter.key && f.op === '=' && f.value === value)
    );
  }
}

/**
 * Logs volume series are labelled with the status they count; Explore colours a volume by a
 * `level` label, so each gets the log level of its status (as the log lines' severity).
 */
function levelVolumes(response: DataQueryResponse): DataQueryResponse {
  if (!response.data.some((f: DataFrame) => f.refId?.startsWith(VOLUME_REFID_PREFIX))) {
    return response;
  }
  const data = response.data.map((frame: DataFrame) => {
    if (!frame.refId?.startsWith(VOLUME_REFID_PREFIX)) {
      return frame;
    }
    const fields = frame.fields.map((field) => {
      const status = field.labels?.status;
      return status && LEVEL_OF_STATUS[status]
        ? { ...field, labels: { ...field.labels, level: LEVEL_OF_STATUS[status] } }
        : field;
    });
    return { ...frame, fields };
  });
  return { ...response, data };
}

/** The query of a sign-in's context: the same identity's sign-ins of its log type. */
function contextQuery(row: LogRowModel, options?: LogRowContextOptions, origQuery?: SignInQuery): SignInQuery {
  const labels = row.labels ?? {};
  const key = CONTEXT_KEYS.find((k) => labels[k]);
  const forward = options?.direction === LogRowContextQueryDirection.Forward;
  return {
    refId: `log-context-${origQuery?.refId ?? 'A'}`,
    logType: (labels.logType as LogType) ?? origQuery?.logType ?? 'all',
    format: 'logs',
    filters: key ? [{ key, op: '=', value: labels[key] }] : [],
    // Lines come newest first: forward, take enough to reach back to the sign-in itself.
    limit: forward ? 1000 : (options?.limit ?? 50),
  };
}

/** The window of a sign-in's context, in ms: before it (exclusive) or after it. */
function contextWindow(row: LogRowModel, options?: LogRowContextOptions): [number, number] {
  const t = row.timeEpochMs;
  const span = options?.timeWindowMs ?? CONTEXT_WINDOW_MS;
  return options?.direction === LogRowContextQueryDirection.Forward ? [t + 1, t + 1 + span] : [t - span, t];
}

/** A log line's label value as filter values: a list dimension's label is "a, b". */
function labelValues(key: string, value: string): string[] {
  return LIST_DIMENSIONS.has(key) ? value.split(', ').filter(Boolean) : [value];
}

const LIST_DIMENSIONS = new Set(['authMethod', 'riskEventType']);

/** How a variable's values are joined for a filter op: a regex alternation, a list or as is. */
function valueFormat(op: FilterOp): string | undefined {
  switch (op) {
    case '=~':
    case '!~':
      return 'regex';
    case 'in':
      return 'csv';
    default:
      return undefined;
  }
}

const OPS = new Set<string>(FILTER_OPS.map((o) => o.value));

/**
 * Ad hoc filters as query filters. Grafana's "one of" (=|) is `in`; "not one of" (!=|) a
 * regular expression of the values excluded. The others the contract lacks (<, >) are
 * returned as ignored, for the backend to name in a notice: never dropped in silence.
 */
function adHocToFilters(adHoc?: AdHocVariableFilter[]): { applied: Filter[]; ignored: string[] } {
  const applied: Filter[] = [];
  const ignored: string[] = [];
  for (const f of adHoc ?? []) {
    if (!f.key) {
      continue;
    }
    const values = f.values?.length ? f.values : [f.value];
    if (OPS.has(f.operator)) {
      applied.push({ key: f.key, op: f.operator as FilterOp, value: f.value });
    } else if (f.operator === '=|') {
      applied.push({ key: f.key, op: 'in', value: values.join(',') });
    } else if (f.operator === '!=|') {
      applied.push({ key: f.key, op: '!~', value: values.map(escapeRegex).join('|') });
    } else {
      ignored.push(`${f.key} ${f.operator} ${f.value}`);
    }
  }
  return { applied, ignored };
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

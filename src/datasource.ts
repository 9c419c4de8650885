import {
  AdHocVariableFilter,
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceGetTagKeysOptions,
  DataSourceGetTagValuesOptions,
  DataSourceInstanceSettings,
  LiveChannelScope,
  MetricFindValue,
  QueryFilterOptions,
  ScopedVars,
  TimeRange,
  ToggleFilterAction,
} from '@grafana/data';
import { DataSourceWithBackend, getGrafanaLiveSrv, getTemplateSrv } from '@grafana/runtime';
import { from, map, merge, mergeMap, Observable } from 'rxjs';

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

export class DataSource extends DataSourceWithBackend<SignInQuery, SignInDataSourceOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<SignInDataSourceOptions>) {
    super(instanceSettings);
    this.variables = new SignInVariableSupport(this);
    // Annotation queries use the query editor; a new one marks Conditional Access blocks
    // (53003) and lockouts (50053).
    this.annotations = {
      getDefaultQuery: () => ANNOTATION_QUERY,
    };
  }

  query(request: DataQueryRequest<SignInQuery>): Observable<DataQueryResponse> {
    if (request.liveStreaming) {
      return this.tail(request);
    }
    return super.query(request);
  }

  /**
   * Explore's live mode: each query follows its new sign-ins over a Grafana Live channel of
   * this datasource. The backend names the channel (a digest of the query, so the channel
   * carries no other query) and streams each refresh's new sign-ins as log lines.
   */
  private tail(request: DataQueryRequest<SignInQuery>): Observable<DataQueryResponse> {
    const streams = request.targets.filter((t) => this.filterQuery(t)).map((target) => {
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

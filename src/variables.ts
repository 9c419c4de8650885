import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { Observable } from 'rxjs';

import type { DataSource } from './datasource';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { SignInVariableQuery } from './types';
import { normalizeVariableQuery } from './variableQuery';

/**
 * Query variables list the values of one dimension. The query runs through the
 * backend like any other (queryType 'variable'), which answers with one string field.
 */
export class SignInVariableSupport extends CustomVariableSupport<DataSource, SignInVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<SignInVariableQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.map((t) => normalizeVariableQuery(t, t.refId));
    return this.datasource.query({ ...request, targets });
  }
}

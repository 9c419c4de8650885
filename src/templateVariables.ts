import { getTemplateSrv } from '@grafana/runtime';

import { Option } from './types';

const GROUP = 'Template variables';

/**
 * The dashboard's template variables as choices ("$dim"), so a dimension picker can
 * offer them beside the dimensions. Outside a dashboard there are none.
 */
export function variableOptions(): Array<Option<string> & { group: string }> {
  try {
    return getTemplateSrv()
      .getVariables()
      .map((v) => ({ value: `$${v.name}`, label: `$${v.name}`, group: GROUP }));
  } catch {
    return [];
  }
}

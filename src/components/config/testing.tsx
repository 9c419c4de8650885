import React, { useState } from 'react';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceSettings } from '@grafana/data';

import { makeSettings } from '../../test/fixtures';
import { SignInDataSourceOptions, SignInSecureJsonData } from '../../types';
import { ConfigProps } from './fields';

type Settings = DataSourceSettings<SignInDataSourceOptions, SignInSecureJsonData>;

/**
 * Renders a config editor (or one of its sections) with its settings in state, as
 * Grafana's settings page does; `latest()` is what would be saved.
 */
export function renderConfig(
  Editor: (props: ConfigProps) => React.ReactElement,
  jsonData: SignInDataSourceOptions = {},
  secureJsonFields: Record<string, boolean> = {}
) {
  let latest: Settings = makeSettings(jsonData, secureJsonFields);
  function Harness() {
    const [options, setOptions] = useState(latest);
    return (
      <Editor
        options={options}
        onOptionsChange={(o) => {
          latest = o;
          setOptions(o);
        }}
      />
    );
  }
  const result = render(<Harness />);
  return { ...result, user: userEvent.setup({ delay: null }), latest: () => latest };
}

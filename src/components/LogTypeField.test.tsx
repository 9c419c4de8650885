import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { choose } from '../test/combobox';
import { LogTypeField } from './LogTypeField';

describe('LogTypeField', () => {
  it('shows the current log type', () => {
    render(<LogTypeField value="servicePrincipal" onChange={jest.fn()} />);
    expect(screen.getByLabelText('Log type')).toHaveValue('Service principal');
  });

  it('reports the picked log type', async () => {
    const onChange = jest.fn();
    render(<LogTypeField value="interactive" onChange={onChange} />);
    await choose(userEvent.setup({ delay: null }), screen.getByLabelText('Log type'), 'Managed identity');
    expect(onChange).toHaveBeenCalledWith('managedIdentity');
  });
});

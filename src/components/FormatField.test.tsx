import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { FormatField } from './FormatField';

describe('FormatField', () => {
  it('shows the current format and reports the picked one', async () => {
    const onChange = jest.fn();
    render(<FormatField value="table" onChange={onChange} />);
    expect(screen.getByRole('radio', { name: 'Table' })).toBeChecked();
    await userEvent.setup({ delay: null }).click(screen.getByRole('radio', { name: 'Logs' }));
    expect(onChange).toHaveBeenCalledWith('logs');
  });
});

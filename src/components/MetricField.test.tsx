import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { choose } from '../test/combobox';
import { MetricField } from './MetricField';

describe('MetricField', () => {
  it('shows the current metric', () => {
    render(<MetricField value="failureRate" onChange={jest.fn()} />);
    expect(screen.getByLabelText('Metric')).toHaveValue('Failure rate');
  });

  it('reports the picked metric', async () => {
    const onChange = jest.fn();
    render(<MetricField value="count" onChange={onChange} />);
    await choose(userEvent.setup({ delay: null }), screen.getByLabelText('Metric'), 'Distinct users');
    expect(onChange).toHaveBeenCalledWith('distinctUsers');
  });
});

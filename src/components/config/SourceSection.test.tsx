import { screen } from '@testing-library/react';

import { startsWith } from '../../test/fixtures';

import { SourceSection } from './SourceSection';
import { renderConfig } from './testing';

describe('SourceSection', () => {
  it('starts on the demo tenant with its defaults as placeholders', () => {
    renderConfig(SourceSection);
    expect(screen.getByRole('radio', { name: 'Demo tenant' })).toBeChecked();
    expect(screen.getByLabelText(startsWith('Seed'))).toHaveAttribute('placeholder', '1');
    expect(screen.getByRole('radio', { name: 'Medium' })).toBeChecked();
    expect(screen.getByLabelText(startsWith('Largest replay file (MB)'))).toHaveAttribute('placeholder', '256');
    expect(screen.getByLabelText(startsWith('Replay file'))).toHaveAccessibleName(/allowed_paths/);
  });

  it('writes the demo options into jsonData', async () => {
    const { user, latest } = renderConfig(SourceSection);
    await user.type(screen.getByLabelText(startsWith('Seed')), '42');
    await user.click(screen.getByRole('radio', { name: 'Large' }));
    await user.type(screen.getByLabelText(startsWith('Replay file')), '/data/sign-ins 2026.json');
    await user.type(screen.getByLabelText(startsWith('Largest replay file (MB)')), '1024');
    await user.click(screen.getByLabelText(startsWith('Simulate throttling')));
    expect(latest().jsonData).toEqual({
      demoSeed: 42,
      demoSize: 'large',
      demoFile: '/data/sign-ins 2026.json',
      demoFileMaxMB: 1024,
      demoThrottle: true,
    });
  });

  it('removes an emptied seed so the default applies', async () => {
    const { user, latest } = renderConfig(SourceSection, { demoSeed: 7 });
    expect(screen.getByLabelText(startsWith('Seed'))).toHaveValue(7);
    await user.clear(screen.getByLabelText(startsWith('Seed')));
    expect(latest().jsonData.demoSeed).toBeUndefined();
  });

  it('switches to Microsoft Graph and hides the demo options', async () => {
    const { user, latest } = renderConfig(SourceSection);
    await user.click(screen.getByRole('radio', { name: 'Microsoft Graph' }));
    expect(latest().jsonData.source).toBe('graph');
    expect(screen.queryByLabelText(startsWith('Seed'))).not.toBeInTheDocument();
  });

  it('renders saved demo settings', () => {
    renderConfig(SourceSection, { source: 'demo', demoSize: 'small', demoFile: '/x.json', demoThrottle: true });
    expect(screen.getByRole('radio', { name: 'Small' })).toBeChecked();
    expect(screen.getByLabelText(startsWith('Replay file'))).toHaveValue('/x.json');
    expect(screen.getByLabelText(startsWith('Simulate throttling'))).toBeChecked();
  });
});

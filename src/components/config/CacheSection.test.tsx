import { screen } from '@testing-library/react';

import { startsWith } from '../../test/fixtures';
import { SignInDataSourceOptions } from '../../types';

import { CacheSection } from './CacheSection';
import { renderConfig } from './testing';

describe('CacheSection', () => {
  it('opens when settings are saved, with the defaults as placeholders', () => {
    renderConfig(CacheSection, { freshnessMinutes: 30 });
    expect(screen.getByLabelText(startsWith('Memory cache size (MB)'))).toHaveAttribute('placeholder', '256');
    expect(screen.getByLabelText(startsWith('Freshness (minutes)'))).toHaveValue(30);
    expect(screen.queryByText('Cache directory is no longer used')).not.toBeInTheDocument();
    expect(screen.getByLabelText(startsWith('Memcached secret'))).toHaveAccessibleName(/cache_secret/);
  });

  it('saves numbers as numbers and text as text', async () => {
    const { user, latest } = renderConfig(CacheSection);
    expect(screen.queryByLabelText(startsWith('Memcached addresses'))).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Expand section Cache' }));
    await user.type(screen.getByLabelText(startsWith('Memory cache size (MB)')), '512');
    await user.type(screen.getByLabelText(startsWith('Memcached addresses')), 'mc-1:11211,mc-2:11211');
    await user.type(screen.getByLabelText(startsWith('Freshness (minutes)')), '20');
    expect(screen.getByLabelText(startsWith('Refresh (seconds)'))).toHaveAttribute('placeholder', '60');
    await user.type(screen.getByLabelText(startsWith('Refresh (seconds)')), '30');
    await user.type(screen.getByLabelText(startsWith('Live tails')), '5');
    expect(screen.getByLabelText(startsWith('Revalidate (hours)'))).toHaveAttribute('placeholder', '24');
    await user.type(screen.getByLabelText(startsWith('Revalidate (hours)')), '0');
    expect(latest().jsonData).toEqual({
      cacheSizeMB: 512,
      memcachedAddresses: 'mc-1:11211,mc-2:11211',
      freshnessMinutes: 20,
      refreshSeconds: 30,
      maxLiveStreams: 5,
      revalidateHours: 0,
    });
  });

  it('says a saved cache directory is no longer used, and what replaced it', () => {
    renderConfig(CacheSection, { cacheDir: '/var/cache/sl' });
    expect(screen.getByText('Cache directory is no longer used')).toBeInTheDocument();
    expect(screen.getByText(/memcached_addresses/)).toBeInTheDocument();
    expect(screen.getByText(/\/var\/cache\/sl/)).toBeInTheDocument();
  });

  it("shows the source's freshness default: later through Log Analytics", () => {
    const freshness = () => screen.getByLabelText(startsWith('Freshness (minutes)'));
    const cases: Array<[SignInDataSourceOptions, string]> = [
      [{ source: 'graph' }, '15'],
      [{ source: 'demo', demoApi: 'graph' }, '15'],
      [{ source: 'logAnalytics' }, '30'],
      [{ source: 'demo', demoApi: 'logAnalytics' }, '30'],
      [{ source: 'graph', demoApi: 'logAnalytics' }, '15'],
    ];
    for (const [jsonData, placeholder] of cases) {
      const { unmount } = renderConfig(CacheSection, { ...jsonData, cacheSizeMB: 64 });
      expect(freshness()).toHaveAttribute('placeholder', placeholder);
      unmount();
    }
  });
});

import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Alert } from '@grafana/ui';

import { settingsDefaults } from '../../types';
import { ConfigProps, IniSetting, NumberSetting, SecretSetting, TextSetting, anySet } from './fields';

export function CacheSection(props: ConfigProps) {
  const defaults = settingsDefaults(props.options.jsonData);
  return (
    <ConfigSection
      title="Cache"
      description="Sign-ins are fetched once per time window and kept, so dashboards do not spend the API's request quota."
      isCollapsible
      isInitiallyOpen={anySet(
        props,
        // a saved cacheDir opens the section on its notice
        [
          'cacheSizeMB',
          'cacheDir',
          'memcachedAddresses',
          'freshnessMinutes',
          'refreshSeconds',
          'maxLiveStreams',
          'warmDays',
          'revalidateHours',
          'revalidateEverySeconds',
        ],
        ['cacheSecret']
      )}
    >
      <NumberSetting
        props={props}
        name="cacheSizeMB"
        label="Memory cache size (MB)"
        description="In-memory cache per data source; larger keeps longer ranges without refetching"
        placeholder={String(defaults.cacheSizeMB)}
      />
      {props.options.jsonData.cacheDir && props.options.jsonData.cacheDir !== '-' && (
        <Alert severity="info" title="Cache directory is no longer used">
          SignInLens keeps nothing on the Grafana server&apos;s disk: closed time windows outlive a restart in memcached
          (the addresses below, or <IniSetting setting="memcached_addresses" /> for every data source). The saved
          cacheDir ({props.options.jsonData.cacheDir}) is ignored.
        </Alert>
      )}
      <TextSetting
        props={props}
        name="memcachedAddresses"
        label="Memcached addresses"
        description="Optional: comma-separated host:port list of a memcached shared by several Grafana servers"
        placeholder="memcached-1:11211,memcached-2:11211"
      />
      <SecretSetting
        props={props}
        name="cacheSecret"
        label="Memcached secret"
        description={
          <>
            Optional: encrypts this data source’s values in memcached. Memcached is used only with a secret no other
            setting reveals: <IniSetting setting="cache_secret" />, the client secret or certificate, or this one;
            without any, memcached is not used. Use the same value on every Grafana server. Stored encrypted.
          </>
        }
        placeholder="a long random string"
      />
      <NumberSetting
        props={props}
        name="freshnessMinutes"
        label="Freshness (minutes)"
        description="Sign-ins arrive minutes late, later through Log Analytics: windows newer than this are fetched again rather than cached"
        placeholder={String(defaults.freshnessMinutes)}
      />
      <NumberSetting
        props={props}
        name="warmDays"
        label="Warm at start (days)"
        description="Days loaded in the background when the data source starts, newest first, so dashboards open warm; 0: none (at most the retention)"
        placeholder={String(defaults.warmDays)}
      />
      <NumberSetting
        props={props}
        name="refreshSeconds"
        label="Refresh (seconds)"
        description="Least time between two fetches of the newest sign-ins, shared by every panel, alert rule and live tail (5 to 3600)"
        placeholder={String(defaults.refreshSeconds)}
      />
      <NumberSetting
        props={props}
        name="revalidateHours"
        label="Revalidate (hours)"
        description="Sign-ins change after the fact (a risk remediated or dismissed): closed windows this recent are checked again for new versions; 0: never (up to 720)"
        placeholder={String(defaults.revalidateHours)}
      />
      <NumberSetting
        props={props}
        name="revalidateEverySeconds"
        label="Revalidate every (seconds)"
        description="Least time between two revalidations of a log type: a few short requests each (5 to 86400)"
        placeholder={String(defaults.revalidateEverySeconds)}
      />
      <NumberSetting
        props={props}
        name="maxLiveStreams"
        label="Live tails"
        description="Most live tails (Explore's live mode) at once: one per distinct query, however many watch it"
        placeholder={String(defaults.maxLiveStreams)}
      />
    </ConfigSection>
  );
}

import React, { useId } from 'react';
import {
  DataSourcePluginOptionsEditorProps,
  updateDatasourcePluginJsonDataOption,
  updateDatasourcePluginResetOption,
  updateDatasourcePluginSecureJsonDataOption,
} from '@grafana/data';
import { Field, Input, SecretInput, SecretTextArea } from '@grafana/ui';

import { SignInDataSourceOptions, SignInSecureJsonData } from '../../types';

export type ConfigProps = DataSourcePluginOptionsEditorProps<SignInDataSourceOptions, SignInSecureJsonData>;

type KeysOf<T, V> = { [K in keyof T]-?: T[K] extends V | undefined ? K : never }[keyof T];
type TextKey = KeysOf<SignInDataSourceOptions, string>;
export type NumberKey = KeysOf<SignInDataSourceOptions, number>;
type SecretKey = keyof SignInSecureJsonData;

export const INPUT_WIDTH = 48;

/** Sets one jsonData setting; undefined removes it so the backend's default applies. */
export function setJsonData<K extends keyof SignInDataSourceOptions>(
  props: ConfigProps,
  key: K,
  value: SignInDataSourceOptions[K] | undefined
) {
  updateDatasourcePluginJsonDataOption(props, key, value);
}

interface FieldProps<K> {
  props: ConfigProps;
  name: K;
  label: string;
  description?: React.ReactNode;
  placeholder?: string;
  required?: boolean;
}

interface TextProps extends FieldProps<TextKey> {
  /** Says what is wrong with the value, under the field; saving is not blocked. */
  validate?: (value: string) => string | undefined;
}

/** A jsonData text setting; an empty text removes the setting (the backend trims spaces). */
export function TextSetting({ props, name, label, description, placeholder, required, validate }: TextProps) {
  const id = useId();
  const value = props.options.jsonData[name] ?? '';
  const error = validate?.(value);
  return (
    <Field label={label} description={description} required={required} invalid={!!error} error={error}>
      <Input
        id={id}
        width={INPUT_WIDTH}
        value={value}
        placeholder={placeholder}
        onChange={(e) => setJsonData(props, name, e.currentTarget.value || undefined)}
      />
    </Field>
  );
}

/** A jsonData number setting; an empty or invalid number removes the setting. */
export function NumberSetting({ props, name, label, description, placeholder }: FieldProps<NumberKey>) {
  const id = useId();
  const value = props.options.jsonData[name];
  return (
    <Field label={label} description={description}>
      <Input
        id={id}
        type="number"
        width={16}
        value={value === undefined ? '' : String(value)}
        placeholder={placeholder}
        onChange={(e) => setJsonData(props, name, parseNumber(e.currentTarget.value))}
      />
    </Field>
  );
}

export const GUID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

/** Whether the text (spaces trimmed, as the backend does) is a GUID in its 8-4-4-4-12 form. */
export function isGuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text.trim());
}

export function parseNumber(text: string): number | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

interface SecretProps {
  props: ConfigProps;
  name: SecretKey;
  label: string;
  description?: React.ReactNode;
  placeholder?: string;
  required?: boolean;
  /** PEM blocks need several lines. */
  multiline?: boolean;
}

/** A secureJsonData setting: write-only, with a Reset button once saved. */
export function SecretSetting({ props, name, label, description, placeholder, required, multiline }: SecretProps) {
  const id = useId();
  const isConfigured = !!props.options.secureJsonFields?.[name];
  const value = props.options.secureJsonData?.[name] ?? '';
  const onChange = (e: React.FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    updateDatasourcePluginSecureJsonDataOption(props, name, e.currentTarget.value);
  const onReset = () => updateDatasourcePluginResetOption(props, name);

  return (
    <Field label={label} description={description} required={required}>
      {multiline ? (
        <SecretTextArea
          id={id}
          cols={64}
          rows={6}
          isConfigured={isConfigured}
          value={value}
          placeholder={placeholder}
          onChange={onChange}
          onReset={onReset}
        />
      ) : (
        <SecretInput
          id={id}
          width={INPUT_WIDTH}
          isConfigured={isConfigured}
          value={value}
          placeholder={placeholder}
          onChange={onChange}
          onReset={onReset}
        />
      )}
    </Field>
  );
}

/** Whether any of these settings is saved: a collapsible section then starts open. */
export function anySet(props: ConfigProps, keys: Array<keyof SignInDataSourceOptions>, secrets: SecretKey[] = []) {
  const { jsonData, secureJsonFields } = props.options;
  return (
    keys.some((k) => jsonData[k] !== undefined && jsonData[k] !== '') || secrets.some((k) => secureJsonFields?.[k])
  );
}

/** The grafana.ini section of the server admin's settings for this plugin. */
export const PLUGIN_INI_SECTION = '[plugin.signinlens-entra-datasource]';

/**
 * Names a grafana.ini setting only the Grafana server admin can change, e.g.
 * "allow_custom_endpoints = true in [plugin.signinlens-entra-datasource] of grafana.ini".
 */
export function IniSetting({ setting, section = PLUGIN_INI_SECTION }: { setting: string; section?: string }) {
  return (
    <>
      <code>{setting}</code> in <code>{section}</code> of grafana.ini
    </>
  );
}

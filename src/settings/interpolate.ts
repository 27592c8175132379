/** Maven's `${env.NAME}` references in settings values, resolved as Maven does when it reads the file. */

export interface Interpolated {
  value: string;
  /** `${env.NAME}` references whose variable is not set (Maven leaves those as written). */
  unresolved: string[];
}

export function interpolate(value: string, env: Record<string, string | undefined>): Interpolated {
  const unresolved: string[] = [];
  const resolved = value.replace(/\$\{env\.([^}]+)\}/g, (whole, name: string) => {
    const v = env[name];
    if (v === undefined) unresolved.push(name);
    return v ?? whole;
  });
  return { value: resolved, unresolved };
}

/** Maven's encrypted values: `{...}` as plexus-cipher writes them (base64 between braces). */
export function isEncrypted(value: string): boolean {
  return /^\{[A-Za-z0-9+/=]+\}$/.test(value.trim()) || /(^|[^\\])\{[A-Za-z0-9+/=]{8,}\}/.test(value);
}

/** Shard files on a local disk, kept inside their model's folder (Node only; shard_paths.ts checks the names). */
import path from 'node:path';

/**
 * The path of shard `name` in `dir`, refused when it resolves outside (the manifest's names were
 * checked already; this holds whatever the platform's path rules are).
 */
export function insideFolder(dir: string, name: string, where: string): string {
  const folder = path.resolve(dir);
  const full = path.resolve(folder, name);
  if (!full.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep)) {
    throw new Error(`${where}: the weights manifest names the shard ${JSON.stringify(name)}, which resolves to ${full}, outside the model's folder ${folder}; nothing was read`);
  }
  return full;
}

// What a route loads, read from a Vite manifest: the entry's static imports and their CSS, plus a
// lazy route chunk's. Sizes are gzipped here (zlib level 9), one file at a time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export const readManifest = (dist: string): Manifest => JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;

/** The files (JS and CSS) a chunk needs before it runs: itself, its static imports, their CSS. */
export const staticClosure = (manifest: Manifest, keys: string[], seen = new Set<string>()): Set<string> => {
  const files = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`not in the manifest: ${key}`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const key of keys) visit(key);
  return files;
};

export const entryKey = (manifest: Manifest): string => {
  const key = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!key) throw new Error('the manifest has no entry');
  return key;
};

export const gzipKb = (dist: string, files: Iterable<string>, ext: '.js' | '.css'): number => {
  let bytes = 0;
  for (const file of files) if (file.endsWith(ext)) bytes += gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
  return Math.round((bytes / 1024) * 10) / 10;
};

/** The files index.html itself names (script, modulepreload, stylesheet): what loads before any route chunk. */
export const htmlAssets = (dist: string): string[] => {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  return [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
};

/**
 * `npm run build:lambda`: bundles the handler into dist/lambda/index.mjs and zips it into
 * dist/process-user-request.zip (the deployable package), printing its size.
 * `npm run build:baseline`: the comparison baseline, with its dataframe library beside it.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build } from "esbuild";
import { unzipSync, zipSync } from "fflate";

const root = path.dirname(fileURLToPath(import.meta.url));
export const distDirectory = path.join(root, "dist");
export const optimizedBundlePath = path.join(distDirectory, "lambda", "index.mjs");
export const optimizedZipPath = path.join(distDirectory, "process-user-request.zip");
export const baselineBundlePath = path.join(distDirectory, "baseline", "index.mjs");
export const baselineZipPath = path.join(distDirectory, "baseline-package.zip");

const sharedOptions: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  // The deployed runtime is newer (see README); node20 is what this machine's tests run the bundle on.
  target: "node20",
  minify: true,
  treeShaking: true,
  sourcemap: "external",
  // Line numbers without the sources keep the map small; the sources are in the repository.
  sourcesContent: false,
  // pg, ioredis and parts of the AWS SDK are CommonJS. Bundled into ESM, their require() of Node
  // built-ins hits esbuild's "Dynamic require is not supported" shim at run time, which is the
  // CommonJS-in-ESM pitfall; a real require from createRequire fixes it, and __dirname/__filename
  // are restored for the same modules.
  banner: {
    js: [
      'import { createRequire as __phoenixCreateRequire } from "node:module";',
      'import { fileURLToPath as __phoenixFileURLToPath } from "node:url";',
      "const require = __phoenixCreateRequire(import.meta.url);",
      "const __filename = __phoenixFileURLToPath(import.meta.url);",
      'const __dirname = __filename.slice(0, __filename.lastIndexOf("/"));',
    ].join("\n"),
  },
  // pg requires pg-native only when asked for the native driver, which this handler never is.
  external: ["pg-native"],
  metafile: true,
  logLevel: "warning",
};

async function zipFiles(entries: Record<string, string>, zipPath: string): Promise<number> {
  const files: Record<string, Uint8Array> = {};
  for (const [name, filePath] of Object.entries(entries)) files[name] = await readFile(filePath);
  const zipped = zipSync(files, { level: 9 });
  await writeFile(zipPath, zipped);
  return zipped.byteLength;
}

async function listFiles(directory: string, prefix: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    const name = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(entries, await listFiles(full, name));
    else if (entry.isFile()) entries[name] = full;
  }
  return entries;
}

export interface PackageSize {
  zipPath: string;
  zippedBytes: number;
  unzippedBytes: number;
}

export async function buildOptimized(): Promise<PackageSize> {
  await rm(path.dirname(optimizedBundlePath), { recursive: true, force: true });
  await mkdir(path.dirname(optimizedBundlePath), { recursive: true });
  await build({ ...sharedOptions, entryPoints: [path.join(root, "src", "index.ts")], outfile: optimizedBundlePath });
  const files = { "index.mjs": optimizedBundlePath, "index.mjs.map": `${optimizedBundlePath}.map` };
  const zippedBytes = await zipFiles(files, optimizedZipPath);
  let unzippedBytes = 0;
  for (const file of Object.values(files)) unzippedBytes += (await stat(file)).size;
  return { zipPath: optimizedZipPath, zippedBytes, unzippedBytes };
}

/** The baseline package: its bundle plus the dataframe library, which cannot be bundled (native). */
export async function buildBaseline(): Promise<PackageSize> {
  await rm(path.dirname(baselineBundlePath), { recursive: true, force: true });
  await mkdir(path.dirname(baselineBundlePath), { recursive: true });
  await build({
    ...sharedOptions,
    entryPoints: [path.join(root, "baseline", "handler.ts")],
    outfile: baselineBundlePath,
    external: ["pg-native", "nodejs-polars"],
  });
  const files: Record<string, string> = { "index.mjs": baselineBundlePath };
  for (const name of ["nodejs-polars", `nodejs-polars-${process.platform}-${process.arch}-gnu`]) {
    Object.assign(files, await listFiles(path.join(root, "node_modules", name), `node_modules/${name}`));
  }
  const zippedBytes = await zipFiles(files, baselineZipPath);
  let unzippedBytes = 0;
  for (const file of Object.values(files)) unzippedBytes += (await stat(file)).size;
  return { zipPath: baselineZipPath, zippedBytes, unzippedBytes };
}

/** Extracts a package zip into a directory, as Lambda does with a function's code on a new worker. */
export async function unpackPackage(zipPath: string, directory: string): Promise<void> {
  const files = unzipSync(new Uint8Array(await readFile(zipPath)));
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith("/")) continue;
    const target = path.join(directory, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const which = process.argv[2] ?? "lambda";
  const size = which === "baseline" ? await buildBaseline() : await buildOptimized();
  const goal =
    which === "baseline" ? "" : size.zippedBytes <= 1024 * 1024 ? " (goal ≤ 1 MiB: met)" : " (goal ≤ 1 MiB: NOT met)";
  console.log(
    `${path.relative(process.cwd(), size.zipPath)}: ${formatBytes(size.zippedBytes)} zipped, ${formatBytes(size.unzippedBytes)} unzipped${goal}`,
  );
}

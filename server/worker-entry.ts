/**
 * The entry of a worker thread that runs one of our TypeScript modules: tsx registers its loader in the thread that
 * ran it only, so the worker registers it again before importing the module. One place for the ingest workers, the
 * read pool, the store writer and the seed's workers.
 */
export function typeScriptWorkerUrl(moduleUrl: URL): URL {
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();
  await import(${JSON.stringify(moduleUrl.href)})`
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`)
}

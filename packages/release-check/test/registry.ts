// A throw-away npm registry for the release test: Verdaccio on a random port with its storage in a
// temporary folder. @kequn/* and create-kequn-plugin exist only as published here — never fetched
// from the public registry, so a package the release forgot fails instead of being found upstream.
// Everything else comes from the upstream registry through Verdaccio's uplink.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { join } from 'node:path';
import { runServer } from 'verdaccio';

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** A publish token for the registry's one user. */
  readonly token: string;
  /** Publishes a packed tarball as `npm publish <tarball>` does. */
  publish(tarball: string, manifest: { name: string; version: string }): Promise<void>;
  close(): Promise<void>;
}

const local = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };

export async function startLocalRegistry(folder: string, upstream: string): Promise<LocalRegistry> {
  const server: unknown = await runServer({
    self_path: join(folder, 'config.yaml'),
    storage: join(folder, 'storage'),
    auth: { htpasswd: { file: join(folder, 'htpasswd'), max_users: 1 } },
    uplinks: { upstream: { url: upstream, timeout: '60s', maxage: '30m' } },
    packages: {
      '@kequn/*': local,
      'create-kequn-plugin': local,
      '**': { access: '$all', publish: '$authenticated', proxy: 'upstream' },
    },
    log: { type: 'stdout', format: 'pretty', level: 'error' },
    web: { enable: false },
    max_body_size: '100mb',
  });
  if (!(server instanceof Server)) throw new Error('Verdaccio did not return an HTTP server');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Verdaccio is not listening on a TCP port');
  const url = `http://127.0.0.1:${address.port}/`;
  const token = await addUser(url);
  return {
    url,
    token,
    publish: (tarball, manifest) => publishTarball(url, token, tarball, manifest),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `npm adduser`'s request: the htpasswd plugin creates the user and returns a token. */
async function addUser(url: string): Promise<string> {
  const name = 'kequn-release';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'local-registry-only', type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = (await response.json()) as { token?: unknown };
  if (!response.ok || typeof body.token !== 'string') throw new Error(`the local registry refused the release user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * The request `npm publish` sends (libnpmpublish): the manifest as the new version, with the
 * tarball attached. pnpm packed the tarball, so its package.json already has `workspace:` ranges
 * replaced and `publishConfig` applied — exactly what `pnpm publish` would upload.
 */
async function publishTarball(url: string, token: string, tarball: string, manifest: { name: string; version: string }): Promise<void> {
  const data = readFileSync(tarball);
  const fileName = `${manifest.name}-${manifest.version}.tgz`;
  const body = {
    _id: manifest.name,
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        dist: {
          shasum: createHash('sha1').update(data).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
          tarball: `${url}${manifest.name}/-/${fileName}`,
        },
      },
    },
    access: 'public',
    _attachments: { [fileName]: { content_type: 'application/octet-stream', data: data.toString('base64'), length: data.length } },
  };
  const response = await fetch(`${url}${manifest.name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`publishing ${manifest.name}@${manifest.version} failed: ${response.status} ${await response.text()}`);
}

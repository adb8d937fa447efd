// Authentication: bank JWTs verified with jose against a JWKS URL or a static key, and in
// development mode local tokens for the demo roles. The token's claims become a Principal.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  importSPKI,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import { principalSchema, roleSchema, type Principal, type Role } from '@kequn/api';
import { ServerError } from './errors.js';

export interface AuthOptions {
  /** The identity provider's JWKS endpoint, e.g. https://sso.bank.example/.well-known/jwks.json */
  jwksUrl?: string;
  /** A JWKS given inline (for air-gapped deployments). */
  jwks?: { keys: Record<string, unknown>[] };
  /** A static public key (SPKI PEM) with its algorithm, e.g. RS256 or ES256. */
  publicKey?: { pem: string; algorithm: string };
  /** Expected `iss` and `aud`. */
  issuer?: string;
  audience?: string;
  /** Claim names carrying the role, branch and manager id; these defaults otherwise. */
  claims?: { role?: string; branchId?: string; managerId?: string };
  /** Maps the identity provider's role names onto Kequn roles, e.g. { RM: 'manager' }. */
  roleMap?: Readonly<Record<string, Role>>;
  /** Issue local tokens at POST /auth/dev-token. Never in production. */
  devMode?: boolean;
  /** Lifetime of dev tokens, in seconds; 8 hours by default. */
  devTokenSeconds?: number;
}

const DEV_ISSUER = 'kequn-dev';

export interface Authenticator {
  readonly devMode: boolean;
  verify(token: string): Promise<Principal>;
  issueDevToken(principal: Principal): Promise<{ token: string; expiresAt: string }>;
}

type Verifier = (token: string) => Promise<JWTPayload>;

async function bankVerifier(options: AuthOptions): Promise<Verifier | undefined> {
  const checks = {
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  };
  let key: JWTVerifyGetKey | KeyObject | CryptoKey | undefined;
  if (options.jwksUrl !== undefined) key = createRemoteJWKSet(new URL(options.jwksUrl));
  else if (options.jwks !== undefined) key = createLocalJWKSet(options.jwks);
  else if (options.publicKey !== undefined)
    key = await importSPKI(options.publicKey.pem, options.publicKey.algorithm);
  if (key === undefined) return undefined;
  const verifyKey = key;
  return async (token) => {
    const { payload } =
      typeof verifyKey === 'function'
        ? await jwtVerify(token, verifyKey, checks)
        : await jwtVerify(token, verifyKey, checks);
    return payload;
  };
}

function claim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function principalOf(payload: JWTPayload, options: AuthOptions): Principal {
  const rawRole = claim(payload, options.claims?.role ?? 'kequn_role');
  const mapped = rawRole === undefined ? undefined : (options.roleMap?.[rawRole] ?? rawRole);
  const role = roleSchema.safeParse(mapped);
  if (!role.success) {
    throw new ServerError(
      401,
      'KQ_SERVER_UNAUTHENTICATED',
      `The token carries no Kequn role (claim "${options.claims?.role ?? 'kequn_role'}"); expected one of ${roleSchema.options.join(', ')} or a name in roleMap.`,
    );
  }
  const candidate = {
    userId: payload.sub,
    role: role.data,
    branchId: claim(payload, options.claims?.branchId ?? 'branch_id'),
    managerId: claim(payload, options.claims?.managerId ?? 'manager_id'),
  };
  const parsed = principalSchema.safeParse(candidate);
  if (!parsed.success)
    throw new ServerError(
      401,
      'KQ_SERVER_UNAUTHENTICATED',
      'The token lacks a usable subject (sub) or has malformed branch or manager claims.',
    );
  return requireScopeClaims(parsed.data);
}

/** Branch roles need a branch and managers their manager id, or their scope would be undefined. */
export function requireScopeClaims(principal: Principal): Principal {
  if (
    (principal.role === 'branch_head' || principal.role === 'operations_manager') &&
    principal.branchId === undefined
  ) {
    throw new ServerError(
      401,
      'KQ_SERVER_UNAUTHENTICATED',
      `A ${principal.role} token needs a branch id claim.`,
    );
  }
  if (principal.role === 'manager' && principal.managerId === undefined) {
    throw new ServerError(
      401,
      'KQ_SERVER_UNAUTHENTICATED',
      'A manager token needs a manager id claim.',
    );
  }
  return principal;
}

export async function createAuthenticator(options: AuthOptions): Promise<Authenticator> {
  const bank = await bankVerifier(options);
  const devMode = options.devMode === true;
  const devSecret = crypto.getRandomValues(new Uint8Array(32));
  const devSeconds = options.devTokenSeconds ?? 8 * 3600;
  const devOptions: AuthOptions = { ...options, claims: {}, roleMap: {} };

  async function verifyAfresh(token: string): Promise<[Principal, JWTPayload]> {
    if (devMode) {
      try {
        const { payload } = await jwtVerify(token, devSecret, {
          issuer: DEV_ISSUER,
          algorithms: ['HS256'],
        });
        return [principalOf(payload, devOptions), payload];
      } catch (error) {
        if (error instanceof ServerError) throw error;
        // Not a dev token: the bank's verifier may still accept it.
      }
    }
    if (bank === undefined)
      throw new ServerError(401, 'KQ_SERVER_UNAUTHENTICATED', 'The token was not accepted.');
    let payload: JWTPayload;
    try {
      payload = await bank(token);
    } catch {
      throw new ServerError(
        401,
        'KQ_SERVER_UNAUTHENTICATED',
        'The token was not accepted: bad signature, expired, or wrong issuer or audience.',
      );
    }
    return [principalOf(payload, options), payload];
  }

  // Verified tokens are remembered until they expire, so a busy user costs one signature check.
  const verified = new Map<string, { principal: Principal; expiresMs: number }>();
  const remember = (token: string, principal: Principal, payload: JWTPayload): Principal => {
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, { principal, expiresMs: (payload.exp ?? 0) * 1000 });
    return principal;
  };

  return {
    devMode,
    async verify(token) {
      const known = verified.get(token);
      if (known !== undefined && known.expiresMs > Date.now()) return known.principal;
      return remember(token, ...(await verifyAfresh(token)));
    },
    async issueDevToken(principal) {
      if (!devMode)
        throw new ServerError(
          404,
          'KQ_SERVER_DEV_MODE_OFF',
          'Development tokens are off; start the server in development mode (kequn serve --dev) to use them.',
        );
      const expires = Math.floor(Date.now() / 1000) + devSeconds;
      const token = await new SignJWT({
        kequn_role: principal.role,
        ...(principal.branchId === undefined ? {} : { branch_id: principal.branchId }),
        ...(principal.managerId === undefined ? {} : { manager_id: principal.managerId }),
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(principal.userId)
        .setIssuer(DEV_ISSUER)
        .setIssuedAt()
        .setExpirationTime(expires)
        .sign(devSecret);
      return { token, expiresAt: new Date(expires * 1000).toISOString() };
    },
  };
}

// Health, the OpenAPI document and authentication.
import { z } from 'zod';
import { defineRoute } from '../contract.js';
import { devTokenRequestSchema, meSchema } from '../schemas.js';
import { principalSchema } from '../roles.js';

export const metaRoutes = [
  defineRoute({
    id: 'meta.health',
    method: 'get',
    path: '/health',
    summary: 'Liveness and the loaded book: customers in memory and the date they are judged on',
    tag: 'meta',
    access: 'public',
    response: z.object({ status: z.literal('ok'), customers: z.number().int(), asOf: z.string() }),
  }),
  defineRoute({
    id: 'meta.openapi',
    method: 'get',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document, generated from the route contracts',
    tag: 'meta',
    access: 'public',
    response: z.record(z.string(), z.unknown()),
  }),
  defineRoute({
    id: 'auth.devToken',
    method: 'post',
    path: '/auth/dev-token',
    summary: 'Development mode only: a local token for a demo role (refused with 404 otherwise)',
    tag: 'auth',
    access: 'public',
    body: devTokenRequestSchema,
    response: z.object({ token: z.string(), expiresAt: z.string(), principal: principalSchema }),
  }),
  defineRoute({
    id: 'auth.me',
    method: 'get',
    path: '/auth/me',
    summary: 'The caller: role, data scope, permissions and export limit',
    tag: 'auth',
    access: 'authenticated',
    response: meSchema,
  }),
] as const;

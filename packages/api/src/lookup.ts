// Finding a contract by id, with its type.
import type { RouteContract } from './contract.js';

export type ContractOf<
  Routes extends readonly RouteContract[],
  Id extends Routes[number]['id'],
> = Extract<Routes[number], { id: Id }>;

export function routeById<
  const Routes extends readonly RouteContract[],
  Id extends Routes[number]['id'],
>(routes: Routes, id: Id): ContractOf<Routes, Id> {
  const found = routes.find((route) => route.id === id);
  if (found === undefined) throw new TypeError(`No route "${id}" in this API.`);
  return found as ContractOf<Routes, Id>;
}

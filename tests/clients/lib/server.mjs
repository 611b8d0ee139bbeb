// The server under test (started by ./run, which sets KHUYENHOC_URL) and signing in to it.

import { GraphQLClient } from 'graphql-request';
import { DEMO_PASSWORD, operation } from './operations.mjs';

/** `http://HOST:PORT` of the running server. */
export const BASE_URL = (() => {
  const url = process.env.KHUYENHOC_URL;
  if (!url) throw new Error('KHUYENHOC_URL is not set: run the suite with tests/clients/run');
  return url.replace(/\/$/, '');
})();

export const GRAPHQL_URL = `${BASE_URL}/graphql`;

/** A graphql-request client, signed in with `token` when given. */
export function client(token) {
  return new GraphQLClient(GRAPHQL_URL, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

const tokens = new Map();

/**
 * A bearer token for a demo account, obtained with the documented Login operation (once per
 * account and process: login is rate-limited per account).
 */
export async function login(email) {
  if (!tokens.has(email)) {
    const { source } = operation('Login');
    const data = await client().request(source, { email, password: DEMO_PASSWORD });
    tokens.set(email, data.login.token);
  }
  return tokens.get(email);
}

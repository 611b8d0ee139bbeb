// The example operations of docs/operations through graphql-request, a standard GraphQL HTTP
// client: each query as its documented account, with its documented variables.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientError } from 'graphql-request';
import { loadOperations, operation } from './lib/operations.mjs';
import { client, login } from './lib/server.mjs';

/** Whether `value` holds a non-empty list anywhere (the example shows something). */
function hasNonEmptyList(value) {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.values(value).some(hasNonEmptyList);
  return false;
}

const queries = loadOperations().filter((o) => o.type === 'query');

test('docs/operations has the example queries', () => {
  assert.ok(queries.length >= 6, `found ${queries.map((q) => q.name)}`);
});

for (const query of queries) {
  test(`${query.name} (${query.file}) runs as ${query.account}`, async () => {
    assert.ok(query.account, `${query.file} has no "# account:" header`);
    const token = await login(query.account);
    // graphql-request throws a ClientError on any GraphQL error in the response.
    const data = await client(token).request(query.document, query.variables);
    assert.ok(data && typeof data === 'object', 'data');
    assert.ok(hasNonEmptyList(data), `${query.name} shows nothing: ${JSON.stringify(data)}`);
  });
}

test('without a token the same queries see nothing of the tree', async () => {
  const { document, variables } = operation('OrganisationTree');
  const data = await client().request(document, variables);
  assert.equal(data.viewer, null);
});

test('the assessment form saves through SaveAssessmentScores with the version it read', async () => {
  const form = operation('AssessmentForm');
  const save = operation('SaveAssessmentScores');
  const api = client(await login(form.account));
  const { assessment } = await api.request(form.document, form.variables);
  const criterion = assessment.checklist.groups[0].criteria[0];
  const points = criterion.maxPoints ?? 1;
  const saved = await api.request(save.document, {
    id: assessment.id,
    version: assessment.version,
    scores: [{ criterionCode: criterion.code, points, evidenceNote: 'clients test' }],
  });
  assert.deepEqual(saved.saveAssessmentScores.userErrors, []);
  assert.equal(saved.saveAssessmentScores.assessment.version, assessment.version + 1);
  const score = saved.saveAssessmentScores.assessment.scores.find(
    (s) => s.criterion.code === criterion.code,
  );
  assert.equal(score.points, points);

  // The version read before the save is stale now: a CONFLICT error, nothing overwritten.
  await assert.rejects(
    api.request(save.document, {
      id: assessment.id,
      version: assessment.version,
      scores: [{ criterionCode: criterion.code, points: 0 }],
    }),
    (error) =>
      error instanceof ClientError &&
      error.response.errors?.[0]?.extensions?.code === 'CONFLICT',
  );
});

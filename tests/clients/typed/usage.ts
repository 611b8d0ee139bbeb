// A typed client of the example operations: compiled with `tsc --noEmit --strict` against
// the types graphql-codegen generates from schema/schema.graphql and docs/operations
// (codegen.test.mjs). It is never run; it must type-check.

import { GraphQLClient } from 'graphql-request';
import type {
  ApprovalQueueQuery,
  ApprovalQueueQueryVariables,
  AssessmentFormQuery,
  LoginMutation,
  LoginMutationVariables,
  ProgramDashboardQuery,
  ProgramDashboardQueryVariables,
  ProvinceStatisticsQuery,
  SaveAssessmentScoresMutationVariables,
  SessionCalendarQuery,
} from '../.generated/operations';

export async function signIn(client: GraphQLClient, login: string): Promise<string> {
  const variables: LoginMutationVariables = { email: 'hanoi.admin@demo.khuyenhoc.vn', password: 'demo-password' };
  const data = await client.request<LoginMutation, LoginMutationVariables>(login, variables);
  return data.login.token;
}

export async function dashboardLines(client: GraphQLClient, query: string): Promise<string[]> {
  const data = await client.request<ProgramDashboardQuery, ProgramDashboardQueryVariables>(query, {
    statuses: ['ACTIVE'],
    first: 5,
  });
  return data.programs.nodes.map((program) => {
    const progress = program.indicatorProgress
      .map((p) => `${p.commitment.indicator}: ${Math.round((p.ratio ?? 0) * 100)}%`)
      .join(', ');
    return `${program.code} (${program.owner?.name ?? 'no owner'}) ${progress} — ${program.reports.totalCount} reports`;
  });
}

export function queueRows(data: ApprovalQueueQuery): Array<{ id: string; label: string }> {
  return data.approvalQueue.edges.map(({ node }) => ({
    id: node.id,
    label: `${node.subjectName} ${node.periodYear} ${node.result.label} ${node.checklist?.title ?? ''}`,
  }));
}

export function scoresToSave(form: AssessmentFormQuery): SaveAssessmentScoresMutationVariables | null {
  const assessment = form.assessment;
  if (!assessment?.checklist) return null;
  const criteria = assessment.checklist.groups.flatMap((group) => group.criteria);
  return {
    id: assessment.id,
    version: assessment.version,
    scores: criteria.map((criterion) => ({ criterionCode: criterion.code, points: criterion.maxPoints ?? 0 })),
  };
}

export function calendarDays(data: SessionCalendarQuery): Map<string, number> {
  const days = new Map<string, number>();
  for (const session of data.trainingSessions.nodes) {
    const day: string = session.startsAt.slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + (session.seatsLeft ?? 0));
  }
  return days;
}

export function childTotals(data: ProvinceStatisticsQuery): number[] {
  return data.organisation?.statistics?.byChild.map((child) => child.assessments.total) ?? [];
}

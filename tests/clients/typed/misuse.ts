// Mistakes the generated types must catch (codegen.test.mjs expects tsc to reject this file
// with exactly these errors). If this file compiled, the types would be too loose to help.

import type { ProgramDashboardQuery, SessionCalendarQuery } from '../.generated/operations';

export function misuse(dashboard: ProgramDashboardQuery, calendar: SessionCalendarQuery): unknown {
  const program = dashboard.programs.nodes[0];
  return [
    // TS2339: `objectives` exists in the schema but ProgramDashboard does not select it.
    program?.objectives,
    // TS18047: `owner` is nullable (out of the viewer's scope reads as null).
    program && program.owner.name,
    // TS2345: a status that the ProgramStatus enum does not have.
    ((status: ProgramDashboardQuery['programs']['nodes'][number]['status']) => status)('OPEN'),
    // TS2339: `attendees` is not a field of TrainingSession at all.
    calendar.trainingSessions.nodes.map((s) => s.attendees),
  ];
}
